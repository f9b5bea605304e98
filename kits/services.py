"""The rules of the kits domain. Every entry point (Wagtail admin, site views, imports, the
firmware CLI, the demo seed) goes through these functions, never around them.

Errors are django ValidationErrors keyed by the field at fault, so forms and imports can name it;
school scoping is a PermissionDenied.
"""

import re
from collections import defaultdict
from datetime import date, datetime, time
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from makerroom.core.models import School
from wagtail.log_actions import log

from . import policy
from .models import (
    Asset,
    AssetStatus,
    BorrowerKind,
    FlashRecord,
    Grant,
    GrantStatus,
    Kit,
    KitStatus,
    Loan,
    MakerRoom,
    MissingPart,
    Purchase,
    Reservation,
    ReturnCondition,
    Stock,
    Stocktake,
    StocktakeScan,
    ToolKind,
    ToolType,
)

CENT = Decimal("0.01")
MAX_QUANTITY = 100_000  # more than any school buys in one line
MAX_DURABLE_QUANTITY = 1_000  # each durable item becomes a numbered asset
MAC_RE = re.compile(r"^[0-9A-F]{2}(:[0-9A-F]{2}){5}$")


def field_error(field, message, code):
    """A ValidationError on one field, with a code callers (and tests) can tell apart."""
    return ValidationError({field: ValidationError(message, code=code)})


# --- parsing and validating input --------------------------------------------------------------


def parse_money(value, field, *, allow_zero=False):
    """Decimal CNY with at most 2 places, written plainly (1,234.50 or ¥35); no exponents, NaN,
    negatives or zero. Floats are refused outright: money never passes through binary floating point."""
    if isinstance(value, Decimal):
        text = str(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "").lstrip("¥￥").strip()
    else:
        raise field_error(field, _("Enter an amount in yuan, e.g. 35.00."), "invalid")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", text):
        raise field_error(field, _("Enter an amount in yuan, e.g. 35.00."), "invalid")
    amount = Decimal(text)
    if amount != amount.quantize(CENT):
        raise field_error(field, _("Amounts have at most two decimal places (fen)."), "invalid")
    if amount < 0 or (amount == 0 and not allow_zero):
        raise field_error(field, _("The amount must be greater than zero."), "min_value")
    return amount.quantize(CENT)


def parse_quantity(value, field="quantity", *, maximum=MAX_QUANTITY):
    text = str(value).strip() if value is not None else ""
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not re.fullmatch(r"\+?\d+", text):
        raise field_error(field, _("Enter a whole number."), "invalid")
    quantity = int(text)
    if quantity <= 0:
        raise field_error(field, _("The quantity must be at least 1."), "min_value")
    if quantity > maximum:
        raise field_error(
            field,
            _("%(quantity)s is more than one line can hold (at most %(maximum)s).")
            % {"quantity": quantity, "maximum": maximum},
            "max_value",
        )
    return quantity


def normalise_mac(mac):
    text = (mac or "").strip().upper().replace("-", ":")
    if text and not MAC_RE.match(text):
        raise field_error(
            "mac",
            _("%(mac)s is not a MAC address like 24:6F:28:AA:BB:CC.") % {"mac": mac},
            "invalid",
        )
    return text


# --- grants ------------------------------------------------------------------------------------


def validate_grant(grant):
    """Field errors for a grant about to be saved (used by the admin form and save_grant)."""
    errors = {}
    if grant.approved_amount is not None and grant.programme_id:
        if grant.approved_amount <= 0:
            errors["approved_amount"] = _("The approved amount must be greater than zero.")
        elif grant.approved_amount > grant.programme.cap:
            errors["approved_amount"] = _("%(programme)s grants are capped at ¥%(cap)s.") % {
                "programme": grant.programme,
                "cap": f"{grant.programme.cap:,.2f}",
            }
        elif grant.pk and grant.approved_amount < grant.charged:
            errors["approved_amount"] = _("¥%(charged)s is already charged to this grant.") % {
                "charged": f"{grant.charged:,.2f}"
            }
    if grant.starts_on and grant.ends_on and grant.ends_on < grant.starts_on:
        errors["ends_on"] = _("The end date is before the start date.")
    if errors:
        raise ValidationError(errors)


GRANT_AUDIT_FIELDS = [
    "programme_id",
    "room_id",
    "reference",
    "approved_amount",
    "starts_on",
    "ends_on",
    "status",
]


def save_grant(grant, *, user):
    """Create or change a grant, with its cap checked and the change kept in the audit log."""
    school_id = MakerRoom.objects.values_list("school_id", flat=True).get(pk=grant.room_id)
    policy.grants.check_in(user, "change" if grant.pk else "add", school_id)
    with transaction.atomic():
        before = None
        if grant.pk:
            locked = Grant.objects.select_for_update().get(pk=grant.pk)
            before = snapshot(locked, GRANT_AUDIT_FIELDS)
            grant.charged = locked.charged  # only purchases move it
        validate_grant(grant)
        grant.save()
        audit(
            grant,
            "kits.create" if before is None else "kits.edit",
            user,
            before,
            snapshot(grant, GRANT_AUDIT_FIELDS),
        )
    return grant


# --- purchases ---------------------------------------------------------------------------------


PURCHASE_AUDIT_FIELDS = [
    "grant_id",
    "tool_type_id",
    "quantity",
    "unit_cost",
    "total_cost",
    "subsidy",
    "supplier",
    "invoice_number",
    "purchased_on",
]


def record_purchase(
    *,
    grant,
    tool_type,
    quantity,
    unit_cost,
    supplier,
    invoice_number,
    purchased_on,
    user,
    invoice_file="",
    location="",
):
    """Record one purchase line against a grant and charge the subsidy.

    The subsidy is min(cost × the programme's share, what is left of the grant). The grant row is
    locked for the whole transaction, so concurrent purchases queue up and the sum of subsidies
    can never pass the approved amount; a purchase at an exhausted grant is refused.
    Durable tools become numbered assets, consumables go into the room's stock.
    """
    quantity = parse_quantity(quantity, maximum=MAX_QUANTITY)
    if tool_type.kind == ToolKind.DURABLE and quantity > MAX_DURABLE_QUANTITY:
        parse_quantity(quantity, maximum=MAX_DURABLE_QUANTITY)  # raises with the limit named
    unit_cost = parse_money(unit_cost, "unit_cost")
    supplier = (supplier or "").strip()
    invoice_number = (invoice_number or "").strip()
    errors = {}
    if not supplier:
        errors["supplier"] = _("Enter the supplier.")
    if not invoice_number:
        errors["invoice_number"] = _("Enter the invoice (发票) number.")
    if not isinstance(purchased_on, date):
        errors["purchased_on"] = _("Enter the purchase date.")
    elif purchased_on > timezone.localdate():
        errors["purchased_on"] = _("The purchase date is in the future.")
    if errors:
        raise ValidationError(errors)
    total_cost = (unit_cost * quantity).quantize(CENT)

    with transaction.atomic():
        grant = (
            Grant.objects.select_for_update(of=("self",)).select_related("programme", "room").get(pk=grant.pk)
        )
        policy.purchases.check_in(user, "add", grant.room.school_id)
        if total_cost > grant.programme.cap:
            raise field_error(
                "unit_cost",
                _("¥%(total)s in one line is more than the whole programme cap of ¥%(cap)s.")
                % {"total": f"{total_cost:,.2f}", "cap": f"{grant.programme.cap:,.2f}"},
                "absurd",
            )
        if grant.status != GrantStatus.APPROVED:
            raise field_error("grant", _("Only an approved grant can be charged."), "not_approved")
        if not grant.starts_on <= purchased_on <= grant.ends_on:
            raise ValidationError(
                {
                    "purchased_on": _("The purchase date is outside the grant period %(start)s – %(end)s.")
                    % {"start": grant.starts_on, "end": grant.ends_on}
                }
            )
        left = grant.approved_amount - grant.charged
        if left <= 0:
            raise field_error(
                "grant",
                _("The grant is used up: ¥%(approved)s of ¥%(approved)s is charged; nothing was recorded.")
                % {"approved": f"{grant.approved_amount:,.2f}"},
                "grant_exhausted",
            )
        eligible = (total_cost * grant.programme.max_subsidy_rate).quantize(CENT, rounding=ROUND_DOWN)
        subsidy = min(eligible, left)
        purchase = Purchase.objects.create(
            grant=grant,
            tool_type=tool_type,
            quantity=quantity,
            unit_cost=unit_cost,
            total_cost=total_cost,
            subsidy=subsidy,
            supplier=supplier,
            invoice_number=invoice_number,
            invoice_file=invoice_file or "",
            purchased_on=purchased_on,
            recorded_by=user if user and user.is_authenticated else None,
        )
        Grant.objects.filter(pk=grant.pk).update(charged=F("charged") + subsidy)
        grant.charged += subsidy
        if tool_type.kind == ToolKind.DURABLE:
            _create_assets(purchase, grant.room, quantity, location)
        else:
            _add_stock(grant.room, tool_type, quantity)
        audit(purchase, "kits.create", user, None, snapshot(purchase, PURCHASE_AUDIT_FIELDS))
        audit(
            grant,
            "kits.charge",
            user,
            {"charged": str(grant.charged - subsidy)},
            {"charged": str(grant.charged)},
        )
    return purchase


def void_purchase(purchase, *, user):
    """Undo a wrongly entered purchase: give the subsidy back, remove its untouched assets or stock."""
    with transaction.atomic():
        grant = Grant.objects.select_for_update(of=("self",)).select_related("room").get(pk=purchase.grant_id)
        policy.purchases.check_in(user, "change", grant.room.school_id)
        purchase = Purchase.objects.select_related("tool_type").get(pk=purchase.pk)
        assets = list(Asset.objects.select_for_update().filter(purchase=purchase))
        if any(a.status != AssetStatus.IN_STOCK or a.loans.exists() for a in assets):
            raise field_error(
                "purchase",
                _("Some of its assets were lent or changed; retire them instead."),
                "in_use",
            )
        if purchase.tool_type.kind == ToolKind.CONSUMABLE:
            stock = (
                Stock.objects.select_for_update()
                .filter(room=grant.room, tool_type=purchase.tool_type)
                .first()
            )
            if stock is None or stock.quantity < purchase.quantity:
                raise ValidationError(
                    {"purchase": _("Part of this stock is already used; it cannot be voided.")}
                )
            stock.quantity -= purchase.quantity
            stock.save(update_fields=["quantity"])
        before = snapshot(purchase, PURCHASE_AUDIT_FIELDS)
        for asset in assets:
            asset.delete()
        Grant.objects.filter(pk=grant.pk).update(charged=F("charged") - purchase.subsidy)
        audit(
            grant, "kits.void", user, {"purchase": before}, {"charged": str(grant.charged - purchase.subsidy)}
        )
        purchase.delete()


def void_purchases(purchases, *, user):
    """Void several purchases at once (the admin's delete): all of them, or none if one cannot go."""
    with transaction.atomic():
        for purchase in purchases:
            void_purchase(purchase, user=user)


def next_asset_tags(school, count):
    """The next `count` tags of a school (SZ-0012-000431). Caller holds the school row lock."""
    prefix = f"{school.code}-"
    last = Asset.objects.filter(tag__startswith=prefix).aggregate(last=Max("tag"))["last"]
    start = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return [f"{prefix}{n:06d}" for n in range(start, start + count)]


def _create_assets(purchase, room, quantity, location):
    school = School.objects.select_for_update().get(pk=room.school_id)  # serialises tag numbering
    Asset.objects.bulk_create(
        Asset(tag=tag, room=room, tool_type=purchase.tool_type, purchase=purchase, location=location)
        for tag in next_asset_tags(school, quantity)
    )


def _add_stock(room, tool_type, quantity):
    stock, _created = Stock.objects.select_for_update().get_or_create(room=room, tool_type=tool_type)
    stock.quantity = F("quantity") + quantity
    stock.save(update_fields=["quantity"])


# --- kits and flashing -------------------------------------------------------------------------


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
            audit(kit, "kits.flash", user, before, {"esp32_mac": mac, "lesson": lesson_slug})
    return record


# --- loans -------------------------------------------------------------------------------------


def lend(*, borrower_kind, due_on, user, kit=None, asset=None, borrower=None, class_name=""):
    """Lend a kit or an asset to a student, a class or a teacher of the same school."""
    if (kit is None) == (asset is None):
        raise ValidationError({"kit": _("Choose either a kit or an asset.")})
    errors = {}
    if borrower_kind not in BorrowerKind.values:
        errors["borrower_kind"] = _("Choose who borrows it.")
    elif borrower_kind == BorrowerKind.CLASS:
        if not (class_name or "").strip():
            errors["class_name"] = _("Enter the class, e.g. 初二（3）班.")
    elif borrower is None:
        errors["borrower"] = _("Choose the borrower.")
    if not isinstance(due_on, date):
        errors["due_on"] = _("Enter the due date.")
    elif due_on < timezone.localdate():
        errors["due_on"] = _("The due date is in the past.")
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        if kit is not None:
            item = Kit.objects.select_for_update().get(pk=kit.pk)
            school_id = item.school_id
            if item.status != KitStatus.AVAILABLE:
                raise ValidationError(
                    {
                        "kit": _("Kit %(code)s is %(status)s.")
                        % {"code": item.code, "status": item.get_status_display()}
                    }
                )
        else:
            item = Asset.objects.select_for_update(of=("self",)).select_related("room").get(pk=asset.pk)
            school_id = item.room.school_id
            if item.status != AssetStatus.IN_STOCK:
                raise ValidationError(
                    {
                        "asset": _("Asset %(tag)s is %(status)s.")
                        % {"tag": item.tag, "status": item.get_status_display()}
                    }
                )
        policy.loans.check_in(user, "add", school_id)
        if borrower is not None and borrower.school_id != school_id:
            raise ValidationError({"borrower": _("The borrower is not at this school.")})
        loan = Loan.objects.create(
            kit=item if kit is not None else None,
            asset=item if asset is not None else None,
            school_id=school_id,
            borrower_kind=borrower_kind,
            borrower=borrower if borrower_kind != BorrowerKind.CLASS else None,
            class_name=(class_name or "").strip(),
            due_on=due_on,
            lent_by=user,
        )
        before = {"status": item.status}
        item.status = KitStatus.ON_LOAN if kit is not None else AssetStatus.ON_LOAN
        item.save(update_fields=["status"])
        audit(
            item,
            "kits.lend",
            user,
            before,
            {"status": item.status, "loan": loan.pk, "borrower": loan.borrower_label},
        )
        audit(
            loan,
            "kits.create",
            user,
            None,
            {"item": str(item), "borrower": loan.borrower_label, "due_on": str(due_on)},
        )
    return loan


def return_loan(loan, *, user, condition=ReturnCondition.GOOD, missing=None, notes=""):
    """Take a loan back. `missing` maps tool types (or slugs) of the kit's bill of materials to the
    number missing; they are replaced from the room's stock as far as it goes and reported."""
    if condition not in ReturnCondition.values:
        raise ValidationError({"condition": _("Choose the condition.")})
    with transaction.atomic():
        loan = (
            Loan.objects.select_for_update(of=("self",))
            .select_related("kit__template", "asset__room")
            .get(pk=loan.pk)
        )
        policy.loans.check_in(user, "change", loan.school_id)
        if not loan.is_open:
            raise ValidationError({"loan": _("This loan was already returned.")})
        parts = _missing_parts(loan, missing or {})
        loan.returned_at = timezone.now()
        loan.condition = condition
        loan.return_notes = (notes or "").strip()
        loan.save(update_fields=["returned_at", "condition", "return_notes"])
        short = False
        room = loan.kit.room if loan.kit else loan.asset.room
        for tool_type, quantity in parts:
            replaced = 0
            if room is not None:
                stock = Stock.objects.select_for_update().filter(room=room, tool_type=tool_type).first()
                if stock is not None:
                    replaced = min(stock.quantity, quantity)
                    stock.quantity -= replaced
                    stock.save(update_fields=["quantity"])
            short = short or replaced < quantity
            MissingPart.objects.create(loan=loan, tool_type=tool_type, quantity=quantity, replaced=replaced)
        item = loan.kit or loan.asset
        before = {"status": item.status}
        if loan.kit:
            item.status = (
                KitStatus.INCOMPLETE if short or condition == ReturnCondition.DAMAGED else KitStatus.AVAILABLE
            )
        else:
            item.status = AssetStatus.REPAIR if condition == ReturnCondition.DAMAGED else AssetStatus.IN_STOCK
        item.save(update_fields=["status"])
        missing_text = {str(t): q for t, q in parts}
        audit(item, "kits.return", user, before, {"status": item.status, "missing": missing_text})
        audit(
            loan,
            "kits.return",
            user,
            {"returned_at": None},
            {"returned_at": str(loan.returned_at), "condition": condition, "missing": missing_text},
        )
    return loan


def _missing_parts(loan, missing):
    if missing and loan.kit is None:
        raise ValidationError({"missing": _("Only kits have parts; record a damaged asset as damaged.")})
    parts = []
    if not missing:
        return parts
    bom = {
        item.tool_type.slug: (item.tool_type, item.quantity)
        for item in loan.kit.template.items.select_related("tool_type")
    }
    for key, value in missing.items():
        slug = key.slug if isinstance(key, ToolType) else str(key)
        if slug not in bom:
            raise ValidationError({"missing": _("%(part)s is not part of this kit.") % {"part": key}})
        quantity = parse_quantity(value, "missing", maximum=bom[slug][1])
        parts.append((bom[slug][0], quantity))
    return parts


# --- reservations ------------------------------------------------------------------------------


def usable_kit_count(room):
    return Kit.objects.filter(room=room).exclude(status=KitStatus.RETIRED).count()


def peak_booked(room, day, starts_at, ends_at, exclude_pk=None):
    """The most kits booked at any moment of [starts_at, ends_at) on that day."""
    overlapping = Reservation.objects.filter(
        room=room, date=day, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if exclude_pk:
        overlapping = overlapping.exclude(pk=exclude_pk)
    events = []
    for start, end, count in overlapping.values_list("starts_at", "ends_at", "kit_count"):
        events += [(max(start, starts_at), count), (min(end, ends_at), -count)]
    peak = booked = 0
    for _moment, change in sorted(events, key=lambda e: (e[0], e[1])):  # ends before starts at a tie
        booked += change
        peak = max(peak, booked)
    return peak


def reserve(*, room, teacher, class_name, day, starts_at, ends_at, kit_count, user, purpose=""):
    """Book kits of a room for a class session; refused when that would double-book kits."""
    errors = {}
    if not (class_name or "").strip():
        errors["class_name"] = _("Enter the class.")
    if not isinstance(day, date):
        errors["date"] = _("Enter the date.")
    elif day < timezone.localdate():
        errors["date"] = _("The date is in the past.")
    if not isinstance(starts_at, time) or not isinstance(ends_at, time):
        errors["starts_at"] = _("Enter the start and end time.")
    elif ends_at <= starts_at:
        errors["ends_at"] = _("The end time must be after the start time.")
    try:
        kit_count = parse_quantity(kit_count, "kit_count", maximum=1000)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if not policy.reservations.may_book(user, room, teacher):
        raise PermissionDenied(_("You can only book kits of your own school."))
    with transaction.atomic():
        room = MakerRoom.objects.select_for_update().get(pk=room.pk)  # one booking at a time per room
        free = usable_kit_count(room) - peak_booked(room, day, starts_at, ends_at)
        if kit_count > free:
            raise field_error(
                "kit_count",
                _("Only %(free)s kits are free from %(start)s to %(end)s on %(day)s.")
                % {
                    "free": max(free, 0),
                    "start": f"{starts_at:%H:%M}",
                    "end": f"{ends_at:%H:%M}",
                    "day": day,
                },
                "double_booking",
            )
        reservation = Reservation.objects.create(
            room=room,
            teacher=teacher,
            class_name=class_name.strip(),
            date=day,
            starts_at=starts_at,
            ends_at=ends_at,
            kit_count=kit_count,
            purpose=purpose,
        )
        audit(
            reservation, "kits.create", user, None, {"kits": kit_count, "class": class_name, "date": str(day)}
        )
    return reservation


# School periods of a Shenzhen school day, for the availability calendar.
PERIODS = [
    (time(8, 0), time(8, 40)),
    (time(8, 50), time(9, 30)),
    (time(10, 0), time(10, 40)),
    (time(10, 50), time(11, 30)),
    (time(14, 0), time(14, 40)),
    (time(14, 50), time(15, 30)),
    (time(15, 40), time(16, 20)),
    (time(16, 30), time(17, 30)),
]


def availability(room, days):
    """{day: [(start, end, free kits, [reservations])]} for the calendar, in two queries."""
    total = usable_kit_count(room)
    by_day = defaultdict(list)
    for reservation in Reservation.objects.filter(room=room, date__in=days).select_related("teacher"):
        by_day[reservation.date].append(reservation)
    table = {}
    for day in days:
        rows = []
        for start, end in PERIODS:
            here = [r for r in by_day[day] if r.starts_at < end and r.ends_at > start]
            rows.append((start, end, total - sum(r.kit_count for r in here), here))
        table[day] = rows
    return total, table


# --- stocktakes --------------------------------------------------------------------------------


def start_stocktake(room, *, user):
    policy.stocktakes.check_in(user, "add", room.school_id)
    stocktake = Stocktake.objects.create(room=room, started_by=user)
    audit(stocktake, "kits.create", user, None, {"room": str(room)})
    return stocktake


def scan(stocktake, tag, *, user):
    policy.stocktakes.check_in(user, "change", stocktake.room.school_id)
    if stocktake.finished_at:
        raise ValidationError({"tag": _("This stocktake is finished.")})
    tag = (tag or "").strip().upper()
    if not tag:
        raise ValidationError({"tag": _("Scan or type an asset tag.")})
    # A QR label holds the asset's URL; accept it as well as the bare tag.
    tag = tag.rstrip("/").rsplit("/", 1)[-1]
    StocktakeScan.objects.get_or_create(stocktake=stocktake, tag=tag)
    return tag


def finish_stocktake(stocktake, *, user):
    policy.stocktakes.check_in(user, "change", stocktake.room.school_id)
    Stocktake.objects.filter(pk=stocktake.pk, finished_at__isnull=True).update(finished_at=timezone.now())
    stocktake.refresh_from_db()
    report = discrepancy_report(stocktake)
    audit(
        stocktake,
        "kits.finish",
        user,
        None,
        {
            "missing": [a.tag for a in report["missing"]],
            "unexpected": [t for t, _a, _r in report["unexpected"]],
        },
    )
    return report


def discrepancy_report(stocktake):
    """What should be in the room but was not scanned, and what was scanned but should not be there."""
    scanned = set(stocktake.scans.values_list("tag", flat=True))
    expected = list(
        Asset.objects.filter(
            room=stocktake.room, status__in=[AssetStatus.IN_STOCK, AssetStatus.REPAIR]
        ).select_related("tool_type")
    )
    expected_tags = {a.tag for a in expected}
    found = {
        a.tag: a
        for a in Asset.objects.filter(tag__in=scanned - expected_tags).select_related("room", "tool_type")
    }
    unexpected = []
    for tag in sorted(scanned - expected_tags):
        asset = found.get(tag)
        if asset is None:
            reason = _("unknown tag")
        elif asset.room_id != stocktake.room_id:
            reason = _("belongs to %(room)s") % {"room": asset.room}
        else:
            reason = _("recorded as %(status)s") % {"status": asset.get_status_display()}
        unexpected.append((tag, asset, reason))
    return {
        "expected": len(expected),
        "found": [a for a in expected if a.tag in scanned],
        "missing": [a for a in expected if a.tag not in scanned],
        "unexpected": unexpected,
        "on_loan": list(
            Asset.objects.filter(room=stocktake.room, status=AssetStatus.ON_LOAN).select_related("tool_type")
        ),
    }


# --- reports -----------------------------------------------------------------------------------


def grant_dashboard(school):
    """A school's grants and where the money went, by category: a fixed number of queries."""
    grants = list(
        Grant.objects.filter(room__school=school)
        .select_related("programme", "room")
        .order_by("-starts_on", "pk")
    )
    by_category = list(
        Purchase.objects.filter(grant__room__school=school)
        .values("tool_type__category__name")
        .annotate(subsidy=Sum("subsidy"), cost=Sum("total_cost"))
        .order_by("-subsidy")
    )
    totals = Grant.objects.filter(
        room__school=school, status__in=[GrantStatus.APPROVED, GrantStatus.CLOSED]
    ).aggregate(approved=Sum("approved_amount"), charged=Sum("charged"))
    approved = totals["approved"] or Decimal("0.00")
    charged = totals["charged"] or Decimal("0.00")
    low_stock = list(
        Stock.objects.filter(
            room__school=school, low_stock_threshold__gt=0, quantity__lte=F("low_stock_threshold")
        )
        .select_related("tool_type", "room")
        .order_by("room__name", "tool_type__slug")
    )
    return {
        "school": school,
        "grants": grants,
        "by_category": [
            {"category": row["tool_type__category__name"], "subsidy": row["subsidy"], "cost": row["cost"]}
            for row in by_category
        ],
        "approved": approved,
        "charged": charged,
        "left": approved - charged,
        "low_stock": low_stock,
    }


MAKER_ROOM_PROGRAMME = "maker-room"


def city_report(programme_slug=MAKER_ROOM_PROGRAMME):
    """Every school's grants of one programme (by default 创客实践室) against its cap, aggregated in the
    database (one query). Other programmes have other caps, so they are not added in."""
    active = Q(
        rooms__grants__status__in=[GrantStatus.APPROVED, GrantStatus.CLOSED],
        rooms__grants__programme__slug=programme_slug,
    )
    return (
        School.objects.annotate(
            approved=Sum("rooms__grants__approved_amount", filter=active),
            charged=Sum("rooms__grants__charged", filter=active),
        )
        .order_by("code")
        .values("pk", "code", "name", "district", "stage", "approved", "charged")
    )


# --- audit history (Wagtail's log entries) -----------------------------------------------------


def snapshot(instance, fields):
    return {name: _jsonable(getattr(instance, name)) for name in fields}


def _jsonable(value):
    if isinstance(value, Decimal | date | datetime | time):
        return str(value)
    return value


def audit(instance, action, user, before, after):
    """Keep who changed what, when, before and after, in Wagtail's log (shown in the admin history)."""
    changes = {}
    if before is None:
        changes = {k: [None, v] for k, v in after.items()}
    else:
        for key in set(before) | set(after):
            if before.get(key) != after.get(key):
                changes[key] = [before.get(key), after.get(key)]
    log(
        instance=instance,
        action=action,
        user=user if user is not None and user.is_authenticated else None,
        data={"changes": changes},
    )
