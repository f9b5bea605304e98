"""Assets and kits: status changes an edit may make, and boards flashed by the firmware tools."""

import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from makerroom.core import audit

from .. import policy
from ..models import (
    Asset,
    AssetStatus,
    FlashRecord,
    Kit,
    KitStatus,
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


def mark_labels_printed(asset_ids, when=None):
    """The assets' label sheet was generated (尚未打印 leaves them out from now on)."""
    Asset.objects.filter(pk__in=list(asset_ids)).update(label_printed_at=when or timezone.now())


# What lab staff set on many assets at once (the asset list's bulk actions). Lending and returning
# put assets on loan and back; these never do.
BULK_STATUSES = (AssetStatus.IN_STOCK, AssetStatus.REPAIR, AssetStatus.RETIRED)


def _locked_assets(assets, user):
    """The assets, locked, each one the user may change (else nothing changes: PermissionDenied)."""
    ids = [asset.pk for asset in assets]
    rows = list(Asset.objects.select_for_update().select_related("room").filter(pk__in=ids).order_by("tag"))
    if len(rows) != len(set(ids)) or not all(
        policy.assets.user_has_permission_for_instance(user, "change", row) for row in rows
    ):
        raise PermissionDenied(_("You can only change your own school's maker room."))
    return rows


def _save_each(rows, user, fields, change):
    """Apply `change` to each row, save the fields and record before → after in its history."""
    changed = 0
    for row in rows:
        before = audit.snapshot(row, fields)
        change(row)
        after = audit.snapshot(row, fields)
        if after != before:
            row.save(update_fields=[f.removesuffix("_id") for f in fields])
            audit.record(row, "kits.edit", user, before, after)
            changed += 1
    return changed


def set_status(assets, status, *, user):
    """Mark assets in stock, under repair or retired. Assets on loan come back through a return
    first; refused as a whole (nothing changes) when one of them is on loan. Returns how many changed."""
    if status not in BULK_STATUSES:
        raise field_error("status", _("Lend and return items on the Lend and return screens."), "on_loan")
    with transaction.atomic():
        rows = _locked_assets(assets, user)
        lent = [row.tag for row in rows if row.status == AssetStatus.ON_LOAN]
        if lent:
            raise field_error(
                "status",
                _("On loan, take them back first: %(tags)s.") % {"tags": "、".join(lent)},
                "on_loan",
            )
        return _save_each(rows, user, ["status"], lambda row: setattr(row, "status", status))


def move_to(assets, location, *, user):
    """Put assets on a shelf or in a cabinet of their room. Returns how many changed."""
    location = " ".join(str(location or "").split())
    max_length = Asset._meta.get_field("location").max_length
    if len(location) > max_length:
        raise field_error("location", _("At most %(max)d characters.") % {"max": max_length}, "max_length")
    with transaction.atomic():
        rows = _locked_assets(assets, user)
        return _save_each(rows, user, ["location"], lambda row: setattr(row, "location", location))


def add_to_kit(assets, kit, *, user):
    """Keep assets in a kit box of the same school (or take them out of theirs: kit None). A retired
    kit takes nothing; retired or lent assets are refused. Returns how many changed."""
    with transaction.atomic():
        rows = _locked_assets(assets, user)
        if kit is not None:
            kit = Kit.objects.select_for_update().get(pk=kit.pk)
            if not policy.kits.user_has_permission_for_instance(user, "change", kit):
                raise PermissionDenied(_("You can only change your own school's maker room."))
            if kit.status == KitStatus.RETIRED:
                raise field_error("kit", _("Kit %(code)s is retired.") % {"code": kit.code}, "retired")
            foreign = [row.tag for row in rows if row.room.school_id != kit.school_id]
            if foreign:
                raise field_error(
                    "kit",
                    _("%(tags)s belong to another school than kit %(code)s.")
                    % {"tags": "、".join(foreign), "code": kit.code},
                    "school",
                )
            unusable = [row.tag for row in rows if row.status in (AssetStatus.RETIRED, AssetStatus.ON_LOAN)]
            if unusable:
                raise field_error(
                    "kit",
                    _("Retired or lent assets cannot go into a kit: %(tags)s.")
                    % {"tags": "、".join(unusable)},
                    "status",
                )
        kit_id = kit.pk if kit is not None else None
        return _save_each(rows, user, ["kit_id"], lambda row: setattr(row, "kit_id", kit_id))


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
