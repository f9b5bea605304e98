"""Assets and kits: status changes an edit may make, and boards flashed by the firmware tools."""

import re
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


MAX_FLASH_SECONDS = 24 * 3600  # longer than any flash; keeps the admin's column in range
MAX_FLASH_MESSAGE = 5000
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def _check_flash_record(record):
    """Every field the tools send is checked before it is stored (lengths, ranges, formats), so a
    record can always be listed and shown; errors are keyed by the field at fault."""
    errors = {}
    try:
        record.full_clean(exclude=["kit", "flashed_by", "seconds"], validate_unique=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if record.seconds is not None and not (0 <= record.seconds <= MAX_FLASH_SECONDS):
        errors["seconds"] = [_("Seconds must be between 0 and %(max)d.") % {"max": MAX_FLASH_SECONDS}]
    if record.base_sha256 and not SHA256_RE.match(record.base_sha256.lower()):
        errors["base_sha256"] = [_("A SHA-256 is 64 hexadecimal characters.")]
    if len(record.message) > MAX_FLASH_MESSAGE:
        errors["message"] = [_("At most %(max)d characters.") % {"max": MAX_FLASH_MESSAGE}]
    if errors:
        raise ValidationError(errors)


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
    record = FlashRecord(
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
    _check_flash_record(record)
    with transaction.atomic():
        record.save()
        if kit is not None and ok and mac and kit.esp32_mac != mac:
            before = {"esp32_mac": kit.esp32_mac}
            Kit.objects.filter(pk=kit.pk).update(esp32_mac=mac)
            kit.esp32_mac = mac
            audit.record(kit, "kits.flash", user, before, {"esp32_mac": mac, "lesson": lesson_slug})
    return record
