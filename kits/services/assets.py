"""Assets and kits: status changes an edit may make, and boards flashed by the firmware tools."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from makerroom.core import audit

from .. import policy
from ..models import (
    FlashRecord,
    Kit,
)
from .money import CENT, field_error, normalise_mac


def validate_status_change(item, new_status):
    """Only lending and returning put a kit or an asset on loan or take it off: an edit may not,
    or the item would be lent without a loan (or a loan would point at an item "in stock")."""
    if new_status != item.status and "on_loan" in (item.status, new_status):
        raise field_error(
            "status",
            _("Lend and return items on the Lend and return screens; an edit cannot change that."),
            "on_loan",
        )


def record_flash(
    *,
    kit_code,
    mac,
    chip,
    port,
    base_firmware,
    base_sha256,
    lesson_slug,
    lesson_version,
    ok,
    message,
    seconds,
    user,
):
    """Record one flashed board (called by the firmware tools). The kit must belong to the user's
    school unless the user is a superuser; a successful flash stores the board's MAC on the kit."""
    mac = normalise_mac(mac)
    kit = None
    if kit_code:
        kit = Kit.objects.select_related("school").filter(code=kit_code.strip()).first()
        if kit is None:
            raise ValidationError({"kit_code": _("There is no kit %(code)s.") % {"code": kit_code}})
        if not policy.flash_records.may_record(user, kit):
            raise PermissionDenied(_("Kit %(code)s belongs to another school.") % {"code": kit.code})
    if seconds is not None:
        seconds = Decimal(str(seconds)).quantize(CENT)
    with transaction.atomic():
        record = FlashRecord.objects.create(
            kit=kit,
            port=port or "",
            mac=mac,
            chip=chip or "",
            base_firmware=base_firmware or "",
            base_sha256=base_sha256 or "",
            lesson_slug=lesson_slug or "",
            lesson_version=lesson_version or "",
            ok=bool(ok),
            message=message or "",
            seconds=seconds,
            flashed_by=user if user is not None and user.is_authenticated else None,
        )
        if kit is not None and ok and mac and kit.esp32_mac != mac:
            before = {"esp32_mac": kit.esp32_mac}
            Kit.objects.filter(pk=kit.pk).update(esp32_mac=mac)
            kit.esp32_mac = mac
            audit.record(kit, "kits.flash", user, before, {"esp32_mac": mac, "lesson": lesson_slug})
    return record
