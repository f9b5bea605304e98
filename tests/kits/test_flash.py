from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from kits.models import FlashRecord, Kit
from kits.services import record_flash

pytestmark = pytest.mark.django_db

FLASH = {
    "mac": "24:6f:28:aa:bb:cc",
    "chip": "ESP32-D0WD-V3",
    "port": "/dev/ttyUSB0",
    "base_firmware": "ESP32_GENERIC-20250415-v1.25.0.bin",
    "base_sha256": "a" * 64,
    "lesson_slug": "blink",
    "lesson_version": "1.0",
    "message": "",
    "seconds": 23.456,
}


def test_a_successful_flash_is_recorded_and_stores_the_mac_on_the_kit(kit, labstaff):
    record = record_flash(kit_code="SZ-0012-K07", ok=True, user=labstaff, **FLASH)
    assert record.kit == kit and record.ok and record.flashed_by == labstaff
    assert record.mac == "24:6F:28:AA:BB:CC"
    assert record.seconds == Decimal("23.46")
    kit.refresh_from_db()
    assert kit.esp32_mac == "24:6F:28:AA:BB:CC"
    # The MAC change is in the kit's audit history, with before and after.
    entry = ModelLogEntry.objects.get(action="kits.flash", object_id=str(kit.pk))
    assert entry.user_id == labstaff.pk
    assert entry.data["changes"]["esp32_mac"] == ["", "24:6F:28:AA:BB:CC"]


def test_a_failed_flash_is_recorded_but_leaves_the_kit_alone(kit, labstaff):
    record = record_flash(
        kit_code="SZ-0012-K07",
        ok=False,
        user=labstaff,
        **{**FLASH, "message": "A fatal error occurred: timed out"},
    )
    assert not record.ok and "timed out" in record.message
    assert Kit.objects.get(pk=kit.pk).esp32_mac == ""


def test_a_kit_of_another_school_is_refused(kit, other_labstaff):
    with pytest.raises(PermissionDenied):
        record_flash(kit_code="SZ-0012-K07", ok=True, user=other_labstaff, **FLASH)
    assert not FlashRecord.objects.exists()


def test_a_superuser_may_flash_any_schools_kit(kit, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pass-w0rd-123")
    record_flash(kit_code="SZ-0012-K07", ok=True, user=admin, **FLASH)
    assert Kit.objects.get(pk=kit.pk).esp32_mac == "24:6F:28:AA:BB:CC"


def test_unknown_kit_and_bad_mac_name_the_field(kit, labstaff):
    with pytest.raises(ValidationError) as error:
        record_flash(kit_code="SZ-0012-K99", ok=True, user=labstaff, **FLASH)
    assert "kit_code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        record_flash(kit_code="SZ-0012-K07", ok=True, user=labstaff, **{**FLASH, "mac": "not-a-mac"})
    assert "mac" in error.value.message_dict
    assert not FlashRecord.objects.exists()


def test_a_board_without_a_kit_is_recorded_too(labstaff):
    record = record_flash(kit_code=None, ok=True, user=labstaff, **FLASH)
    assert record.kit is None and record.mac == "24:6F:28:AA:BB:CC"


def test_flash_records_show_on_the_kits_admin_page(client, kit, labstaff):
    record_flash(kit_code="SZ-0012-K07", ok=True, user=labstaff, **FLASH)
    record_flash(kit_code="SZ-0012-K07", ok=False, user=labstaff, **{**FLASH, "message": "串口被占用"})
    client.force_login(labstaff)
    html = client.get(f"/admin/snippets/kits/kit/edit/{kit.pk}/").content.decode()
    assert "24:6F:28:AA:BB:CC" in html and "blink" in html and "串口被占用" in html
    assert "ESP32 开发板" in html  # the contents checklist from the template


def test_lab_staff_of_another_school_cannot_open_the_kit(client, kit, other_labstaff):
    client.force_login(other_labstaff)
    assert client.get(f"/admin/snippets/kits/kit/edit/{kit.pk}/").status_code == 404
    listing = client.get("/admin/snippets/kits/kit/").content.decode()
    assert "SZ-0012-K07" not in listing
