"""Flashing from the browser, server side: the manifest a page gets for one board (its chip and
detected flash size), the images it downloads, who may have them, and recording each board
through the same service as the CLI (a student's against the kit on loan to them)."""

import hashlib
import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from makerroom.core import roles
from makerroom_flash.fsimage import LessonImages, read_image
from makerroom_flash.store import FirmwareStore

from firmware.library import load_lesson
from kits.models import FlashRecord, Loan

from .esp_images import TABLE_4MIB_PLUS, merged_image


@pytest.fixture
def site_store(settings, tmp_path):
    """The site's firmware store with one ESP32 MicroPython image (v1.24 layout: a 2 MB vfs)."""
    settings.MAKERROOM_FIRMWARE_STORE = str(tmp_path / "site-store")
    path = tmp_path / "ESP32_GENERIC-v1.24.1.bin"
    path.write_bytes(merged_image("esp32", "v1.24.1"))
    store = FirmwareStore(settings.MAKERROOM_FIRMWARE_STORE)
    store.add(path)
    return store


def manifest(client, slug="traffic-light", chip="ESP32", size="4MB"):
    url = reverse("firmware:manifest", args=[slug])
    return client.get(url, {"chip": chip, "flash_size": size}, HTTP_ACCEPT_LANGUAGE="zh-hans")


@pytest.mark.parametrize("who", ["student", "teacher", "labstaff", "superuser"])
def test_a_schools_people_get_the_manifest_and_both_images_it_names(client, kit_world, site_store, who):
    client.force_login(kit_world["users"][who])
    response = manifest(client)
    assert response.status_code == 200, response.content
    data = response.json()
    base = site_store.get("esp32")
    assert (data["chip"], data["flash_size"], data["lesson"]) == ("ESP32", "4MB", "traffic-light")
    assert data["base_sha256"] == base.sha256
    (fw, fs) = data["parts"]
    assert (fw["offset"], fs["offset"]) == (0x1000, 0x200000)
    for part in data["parts"]:
        body = client.get(part["url"]).content
        assert len(body) == part["size"]
        assert hashlib.sha256(body).hexdigest() == part["sha256"]
        assert hashlib.md5(body + b"\xff" * (-len(body) % 4)).hexdigest() == part["md5"]
    assert client.get(fw["url"]).content == site_store.load(base)


def test_the_lesson_image_is_the_clis_image_and_mounts_with_the_lesson_files(client, kit_world, site_store):
    client.force_login(kit_world["users"]["student"])
    fs = manifest(client).json()["parts"][1]
    data = client.get(fs["url"]).content
    lesson = load_lesson("traffic-light")
    base = site_store.get("esp32")
    assert data == LessonImages(lesson, base.layout, "browser").for_board("", 4 << 20).data
    files = read_image(data)
    meta = json.loads(files.pop("lesson.json"))
    assert files == {path: text.encode() for path, text in lesson.files.items()}
    assert meta == {"board": "", "built": "browser", "lesson": "traffic-light", "version": lesson.version}
    assert len(data) == 0x200000  # the v1.24 table's vfs partition


def test_a_layout_to_the_end_of_flash_gets_an_image_per_flash_size(client, kit_world, settings, tmp_path):
    settings.MAKERROOM_FIRMWARE_STORE = str(tmp_path / "plus-store")
    path = tmp_path / "ESP32_GENERIC-v1.26.0.bin"
    path.write_bytes(merged_image("esp32", "v1.26.0", table=TABLE_4MIB_PLUS))
    FirmwareStore(settings.MAKERROOM_FIRMWARE_STORE).add(path)
    client.force_login(kit_world["users"]["labstaff"])
    sizes = {}
    for size in ("4MB", "8MB", "16MB"):
        fs = manifest(client, size=size).json()["parts"][1]
        assert fs["offset"] == 0x220000
        sizes[size] = len(client.get(fs["url"]).content)
    assert sizes == {"4MB": (4 << 20) - 0x220000, "8MB": (8 << 20) - 0x220000, "16MB": (16 << 20) - 0x220000}


def test_a_chip_the_site_has_no_firmware_for_is_refused_with_its_name(client, kit_world, site_store):
    client.force_login(kit_world["users"]["student"])
    response = manifest(client, chip="ESP32-S3")
    assert response.status_code == 404
    assert "ESP32-S3" in response.json()["error"] and "manage.py firmware add" in response.json()["error"]
    response = manifest(client, chip="ESP8266")
    assert response.status_code == 400 and "ESP8266" in response.json()["error"]
    response = manifest(client, chip="RP2040")
    assert response.status_code == 400 and "RP2040" in response.json()["error"]


def test_an_empty_store_says_what_to_do(client, kit_world, settings, tmp_path):
    settings.MAKERROOM_FIRMWARE_STORE = str(tmp_path / "empty")
    client.force_login(kit_world["users"]["student"])
    response = manifest(client)
    assert response.status_code == 404 and "ESP32" in response.json()["error"]


def test_an_unsupported_flash_size_and_an_unknown_lesson_are_refused(client, kit_world, site_store):
    client.force_login(kit_world["users"]["student"])
    response = manifest(client, size="2MB")
    assert response.status_code == 400 and "2MB" in response.json()["error"]
    assert manifest(client, slug="no-such-lesson").status_code == 404


def test_an_image_url_of_an_older_lesson_version_is_gone(client, kit_world, site_store):
    client.force_login(kit_world["users"]["student"])
    fs = manifest(client).json()["parts"][1]
    version = load_lesson("traffic-light").version
    old = fs["url"].replace(f"/{version}/", "/0.0.1/")
    assert old != fs["url"]
    assert client.get(old).status_code == 404


@pytest.mark.parametrize("who", ["judge", "organiser", "schoolless_labstaff"])
def test_people_without_a_school_board_role_get_neither_manifest_nor_images(
    client, kit_world, site_store, who
):
    client.force_login(kit_world["users"][who])
    assert manifest(client).status_code == 403
    base = site_store.get("esp32")
    assert client.get(reverse("firmware:base_image", args=[base.sha256])).status_code == 403


def test_anonymous_visitors_are_told_to_log_in(client, kit_world, site_store):
    response = manifest(client)
    assert response.status_code == 403 and "登录" in response.json()["error"]
    base = site_store.get("esp32")
    assert client.get(reverse("firmware:base_image", args=[base.sha256])).status_code == 403


def record(client, **fields):
    body = {
        "mac": "24:0a:c4:e2:95:26",
        "chip": "ESP32",
        "ok": True,
        "lesson": "traffic-light",
        "lesson_version": "1.0.0",
        "base_firmware": "ESP32_GENERIC v1.24.1",
        "base_sha256": "ab" * 32,
        "message": "",
        "seconds": 21.5,
        **fields,
    }
    return client.post(reverse("firmware:record"), json.dumps(body), content_type="application/json")


def lend(kit, student, lab):
    return Loan.objects.create(
        kit=kit,
        school=kit.school,
        borrower_kind="student",
        borrower=student,
        due_on=timezone.localdate() + timedelta(days=14),
        lent_by=lab,
    )


def test_a_students_flash_is_recorded_against_the_kit_on_loan_to_them(client, kit_world):
    student = kit_world["users"]["student"]
    lend(kit_world["kit"], student, kit_world["users"]["labstaff"])
    client.force_login(student)
    response = record(client, kit=kit_world["other_kit"].code)  # a kit named by the page is ignored
    assert response.status_code == 201, response.content
    assert response.json()["kit"] == "SZ-0012-K07"
    saved = FlashRecord.objects.get()
    assert (saved.kit, saved.flashed_by, saved.port, saved.ok) == (
        kit_world["kit"],
        student,
        "Web Serial",
        True,
    )
    kit_world["kit"].refresh_from_db()
    assert kit_world["kit"].esp32_mac.lower() == "24:0a:c4:e2:95:26"  # the board is the kit's now


def test_a_failed_flash_is_recorded_as_failed(client, kit_world):
    student = kit_world["users"]["student"]
    lend(kit_world["kit"], student, kit_world["users"]["labstaff"])
    client.force_login(student)
    assert record(client, ok=False, message="The device has been lost.", seconds=None).status_code == 201
    saved = FlashRecord.objects.get()
    assert not saved.ok and "lost" in saved.message


def test_a_student_without_a_loan_or_with_a_returned_one_is_not_recorded(client, kit_world):
    student = kit_world["users"]["student"]
    client.force_login(student)
    answer = record(client).json()
    assert answer["recorded"] is False and "借用" in answer["message"]
    loan = lend(kit_world["kit"], student, kit_world["users"]["labstaff"])
    loan.returned_at = timezone.now()
    loan.save()
    assert record(client).json()["recorded"] is False
    assert not FlashRecord.objects.exists()


def test_lab_staff_record_against_their_schools_kits_only(client, kit_world):
    client.force_login(kit_world["users"]["labstaff"])
    assert record(client, kit="SZ-0012-K07").status_code == 201
    assert record(client, kit="SZ-0345-K01").status_code == 403
    assert record(client, kit="SZ-9999-K99").status_code == 400
    assert record(client, kit="").json()["recorded"] is False
    assert FlashRecord.objects.count() == 1


def test_a_record_with_wrong_types_is_refused(client, kit_world):
    client.force_login(kit_world["users"]["labstaff"])
    assert record(client, kit="SZ-0012-K07", ok="yes").status_code == 400
    response = client.post(reverse("firmware:record"), "[1]", content_type="application/json")
    assert response.status_code == 400
    assert not FlashRecord.objects.exists()


def test_the_kits_lookup_is_lab_staffs_and_scoped_to_their_school(client, kit_world):
    kit_world["kit"].esp32_mac = "24:0A:C4:E2:95:26"
    kit_world["kit"].save()
    kit_world["other_kit"].esp32_mac = "24:0A:C4:E2:95:27"
    kit_world["other_kit"].save()
    body = json.dumps({"macs": ["24:0a:c4:e2:95:26", "24:0a:c4:e2:95:27"], "codes": ["SZ-0345-K01"]})
    client.force_login(kit_world["users"]["labstaff"])
    answer = client.post(reverse("firmware:kits"), body, content_type="application/json").json()
    assert answer["macs"] == {"24:0a:c4:e2:95:26": "SZ-0012-K07"}
    assert "SZ-0345-K01" in answer["problems"]
    client.force_login(kit_world["users"]["student"])
    assert client.post(reverse("firmware:kits"), body, content_type="application/json").status_code == 403


@pytest.mark.parametrize("who, allowed", [("labstaff", True), ("superuser", True), ("teacher", False)])
def test_the_batch_flashing_page_is_lab_staffs(client, kit_world, site_store, who, allowed):
    user = kit_world["users"][who]
    user.is_staff = True
    user.save()
    client.force_login(user)
    response = client.get(reverse("firmware_batch"))
    if allowed:
        assert response.status_code == 200
        assert "批量烧录" in response.content.decode()
        assert "traffic-light" in response.content.decode()
    else:
        assert response.status_code in (302, 403)


def test_the_site_store_is_filled_with_the_same_checks_as_a_lab_pc(settings, tmp_path):
    settings.MAKERROOM_FIRMWARE_STORE = str(tmp_path / "cmd-store")
    good = tmp_path / "ESP32_GENERIC-v1.24.1.bin"
    good.write_bytes(merged_image("esp32", "v1.24.1"))
    bad = tmp_path / "broken.bin"
    bad.write_bytes(b"\x00" * 4096)
    out = io.StringIO()
    call_command("firmware", "add", str(good), stdout=out)
    assert "ESP32_GENERIC-v1.24.1.bin" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("firmware", "add", str(bad), stdout=io.StringIO())
    listing = io.StringIO()
    call_command("firmware", "list", stdout=listing)
    assert "v1.24.1" in listing.getvalue() and "broken" not in listing.getvalue()
    assert [i.name for i in FirmwareStore(settings.MAKERROOM_FIRMWARE_STORE).list()] == [good.name]


def test_the_rule_is_the_policy(kit_world):
    from firmware import policy

    users = kit_world["users"]
    assert [policy.may_flash_kits(users[w]) for w in ("labstaff", "teacher", "student", "superuser")] == [
        True,
        False,
        False,
        True,
    ]
    assert roles.has_role(users["student"], roles.Role.STUDENT)
    assert policy.may_flash_from_page(users["student"]) and not policy.may_flash_from_page(users["judge"])
    assert policy.kit_on_loan(users["student"]) is None
