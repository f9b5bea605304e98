import pytest
from makerroom_flash.store import FirmwareStore

from .esp_images import merged_image
from .mockboards import MockBoards


@pytest.fixture(autouse=True)
def default_language(monkeypatch):
    """The host tools' default language (Chinese), whatever MAKERROOM_LANG the shell running pytest has."""
    monkeypatch.delenv("MAKERROOM_LANG", raising=False)


@pytest.fixture(autouse=True)
def empty_default_store(monkeypatch, tmp_path):
    """Runs without --store use an empty store, not the base images of whoever runs the tests."""
    monkeypatch.setenv("MAKERROOM_FIRMWARE_STORE", str(tmp_path / "default-store"))


@pytest.fixture
def base_file(tmp_path):
    path = tmp_path / "ESP32_GENERIC-v1.24.1.bin"
    path.write_bytes(merged_image("esp32", "v1.24.1"))
    return path


@pytest.fixture
def store(tmp_path, base_file):
    store = FirmwareStore(tmp_path / "store")
    store.add(base_file)
    return store


@pytest.fixture
def mock_boards():
    opened = []

    def make(n, chip="esp32", flash_size=4 << 20):
        boards = MockBoards(n, chip, flash_size)
        opened.append(boards)
        return boards.__enter__()

    yield make
    for boards in opened:
        boards.__exit__(None, None, None)


@pytest.fixture
def kit_world(db, make_user):
    """Two schools with a kit each, and a user in every role (lab staff belong to the first school)."""
    from makerroom.core import roles
    from makerroom.core.models import SchoolStage

    from kits.models import Kit, KitTemplate
    from tests.factories import make_school

    school = make_school("SZ-0012", "深圳市南山区创新实验学校", stage=SchoolStage.JUNIOR)
    other = make_school("SZ-0345", "深圳市福田区红岭实验小学", stage=SchoolStage.PRIMARY)
    template = KitTemplate.objects.create(name="ESP32 入门套件")
    users = {
        "labstaff": make_user("labstaff", role=roles.Role.LAB_STAFF, school=school),
        "other_labstaff": make_user("other_labstaff", role=roles.Role.LAB_STAFF, school=other),
        "schoolless_labstaff": make_user("schoolless_labstaff", role=roles.Role.LAB_STAFF),
        "teacher": make_user("teacher", role=roles.Role.TEACHER, school=school),
        "student": make_user("student", role=roles.Role.STUDENT, school=school),
        "judge": make_user("judge", role=roles.Role.JUDGE),
        "organiser": make_user("organiser", role=roles.Role.ORGANISER),
        "superuser": make_user("root", is_superuser=True, is_staff=True),
    }
    return {
        "school": school,
        "other": other,
        "kit": Kit.objects.create(code="SZ-0012-K07", school=school, template=template),
        "other_kit": Kit.objects.create(code="SZ-0345-K01", school=other, template=template),
        "users": users,
    }


@pytest.fixture
def repl_boards():
    """Boards already running MicroPython (real MicroPython, WebAssembly), on socket:// ports."""
    from .repl_board import ReplBoard

    opened = []

    def make(n):
        boards = [ReplBoard(mac=f"240ac4e295{26 + i:02x}") for i in range(n)]
        opened.extend(boards)
        return boards

    yield make
    for board in opened:
        board.close()
