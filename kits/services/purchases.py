"""Purchases: every purchase line (admin form, import, demo) is recorded and voided here, charging
the grant under a row lock. Durable tools become numbered assets, consumables go into stock.

An invoice is charged once: an invoice number already recorded for the school (on any of its
grants) is refused unless the line says it is a further line of that invoice (同一发票续行).
`recorded_invoices` is that rule's one lookup: `record_purchase` and `save_paperwork` ask it for one
line under the school's row lock, the import asks it for a whole file before saving anything."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from makerroom.core import audit
from makerroom.core.audit import snapshot

from .. import policy
from ..models import (
    Asset,
    AssetStatus,
    CapApplies,
    Grant,
    GrantStatus,
    Purchase,
    Stock,
    ToolKind,
)
from .money import CENT, MAX_DURABLE_QUANTITY, MAX_QUANTITY, field_error, parse_money, parse_quantity

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
    school_pays_rest=True,
    continues_invoice=False,
):
    """Record one purchase line against a grant and charge the subsidy.

    An invoice number already recorded for the school is refused on `invoice_number` unless
    `continues_invoice` says this line is a further line of that invoice (同一发票续行).

    With `school_pays_rest=False` (the admin form until the user confirms) a line the grant does not
    cover in full is refused on the field `confirm_self_funded` with the split ("资助 ¥805,084.00，
    学校自筹 ¥94,916.00"); it is decided under the grant lock, so what is said is what is charged.

    The subsidy is min(cost × the programme's share, what is left of the grant). The grant row is
    locked for the whole transaction, so concurrent purchases queue up and the sum of subsidies
    can never pass the approved amount; a purchase at an exhausted grant is refused.
    Durable tools become numbered assets, consumables go into the room's stock.
    `record_purchases` records many lines at once by the very same rules.
    """
    quantity, unit_cost, supplier, invoice_number, total_cost = _clean_line(
        tool_type, quantity, unit_cost, supplier, invoice_number, purchased_on
    )
    with transaction.atomic():
        grant = _lock_grant(grant)
        policy.purchases.check_in(user, "add", grant.room.school_id)
        check_invoice(grant.room.school_id, invoice_number, continues_invoice=continues_invoice)
        subsidy = _subsidy_under_lock(grant, total_cost, purchased_on, school_pays_rest)
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
        audit.record(purchase, "kits.create", user, None, snapshot(purchase, PURCHASE_AUDIT_FIELDS))
        audit.record(
            grant,
            "kits.charge",
            user,
            {"charged": str(grant.charged - subsidy)},
            {"charged": str(grant.charged)},
        )
    return purchase


@dataclass
class PurchaseLine:
    """One line for `record_purchases`: the arguments of `record_purchase` that vary per line."""

    tool_type: object
    quantity: object
    unit_cost: object
    supplier: str
    invoice_number: str
    purchased_on: object
    continues_invoice: bool = False
    location: str = ""


def record_purchases(*, grant, lines, user):
    """Record many purchase lines against one grant (the import's batches): each line by the rules
    of `record_purchase` — the same checks in the same order, the same messages — in a fixed number
    of queries whatever the number of lines.

    Returns one outcome per line, in order: the saved Purchase, or the ValidationError that line
    would have raised from `record_purchase` (nothing of it is saved; the lines after it are
    charged as if it were not there, as a loop over `record_purchase` would). The caller decides
    whether a batch with errors is rolled back.

    The grant and its school are locked once, for the caller's transaction: the invoice check (one
    query for every line), what is left of the grant (read once, then counted down line by line),
    the asset tags (one counter read) and the stock all happen under that lock, so the approved
    amount — and with it the programme's cap per school, which bounds the approved amounts — holds
    exactly, as it does for a single line. Purchases, assets and audit rows are inserted in bulk;
    the grant's `charged` is updated once.
    """
    outcomes, cleaned = _clean_lines(lines)
    if not cleaned:
        return outcomes
    with transaction.atomic():
        grant = _lock_grant(grant)
        charged_before = grant.charged
        purchases, locations, charges = _decide_lines(grant, cleaned, user, outcomes)
        if not purchases:
            return outcomes
        Purchase.objects.bulk_create(purchases)
        Grant.objects.filter(pk=grant.pk).update(charged=F("charged") + (grant.charged - charged_before))
        durable = [
            (p, at)
            for p, at in zip(purchases, locations, strict=True)
            if p.tool_type.kind == ToolKind.DURABLE
        ]
        if durable:
            tags = iter(next_asset_tags(grant.room.school, sum(p.quantity for p, _at in durable)))
            Asset.objects.bulk_create(
                Asset(tag=next(tags), room=grant.room, tool_type=p.tool_type, purchase=p, location=at)
                for p, at in durable
                for _n in range(p.quantity)
            )
        consumed = {}
        for p in purchases:
            if p.tool_type.kind != ToolKind.DURABLE:
                consumed[p.tool_type.pk] = consumed.get(p.tool_type.pk, 0) + p.quantity
        _add_stocks(grant.room, consumed)
        audit.record_many(
            [
                entry
                for p, (before, after) in zip(purchases, charges, strict=True)
                for entry in (
                    (p, "kits.create", None, snapshot(p, PURCHASE_AUDIT_FIELDS)),
                    (grant, "kits.charge", {"charged": before}, {"charged": after}),
                )
            ],
            user,
        )
    return outcomes


def preview_purchase_lines(*, grant, lines, user):
    """What `record_purchases` would do with `lines` now, saving nothing and locking nothing (the
    import's preview, in the request): the same checks in the same order and the same messages, on
    the grant and the school's invoices as they are at this moment, what is left of the grant
    counted down line by line over all the lines (the job's batches each start from what the one
    before left). Returns one outcome per line: an unsaved Purchase with its subsidy, or the
    ValidationError of that line.

    A preview is a snapshot: another purchase may be recorded meanwhile, since nothing is held.
    `record_purchases` decides again under the lock when the lines are saved, so what is charged
    never passes the approved amount; the preview only says what saving would do if nothing
    changed."""
    outcomes, cleaned = _clean_lines(lines)
    if cleaned:
        grant = Grant.objects.select_related("programme", "room__school").get(pk=grant.pk)
        _decide_lines(grant, cleaned, user, outcomes)
    return outcomes


def _clean_lines(lines):
    """Each line's own checks (`_clean_line`): the outcomes so far (the ValidationError of a line
    that failed them, else None) and the cleaned lines (index, line, *cleaned values)."""
    outcomes = [None] * len(lines)
    cleaned = []
    for index, line in enumerate(lines):
        try:
            cleaned.append(
                (
                    index,
                    line,
                    *_clean_line(
                        line.tool_type,
                        line.quantity,
                        line.unit_cost,
                        line.supplier,
                        line.invoice_number,
                        line.purchased_on,
                    ),
                )
            )
        except ValidationError as error:
            outcomes[index] = error
    return outcomes, cleaned


def _decide_lines(grant, cleaned, user, outcomes):
    """The rules of `record_purchase` for many cleaned lines at `grant` (locked by the caller when
    the lines are to be saved): who may add, the school's invoices (one query), each line's subsidy
    from what is left, counted down on `grant.charged`. Fills `outcomes` with unsaved Purchases or
    ValidationErrors; returns (purchases, their locations, their (charged before, after) as text)."""
    school_id = grant.room.school_id
    policy.purchases.check_in(user, "add", school_id)
    recorded = recorded_invoices(school_id, {c[5] for c in cleaned if not c[1].continues_invoice})
    recorded_by = user if user and user.is_authenticated else None
    purchases, locations, charges = [], [], []
    for index, line, quantity, unit_cost, supplier, invoice_number, total_cost in cleaned:
        try:
            if not line.continues_invoice and invoice_number in recorded:
                raise _duplicate_invoice(invoice_number, recorded[invoice_number])
            subsidy = _subsidy_under_lock(grant, total_cost, line.purchased_on, True)
        except ValidationError as error:
            outcomes[index] = error
            continue
        recorded.setdefault(invoice_number, line.purchased_on)  # a later line sees it
        charges.append((str(grant.charged), str(grant.charged + subsidy)))
        grant.charged += subsidy
        purchase = Purchase(
            grant=grant,
            tool_type=line.tool_type,
            quantity=quantity,
            unit_cost=unit_cost,
            total_cost=total_cost,
            subsidy=subsidy,
            supplier=supplier,
            invoice_number=invoice_number,
            purchased_on=line.purchased_on,
            recorded_by=recorded_by,
        )
        purchases.append(purchase)
        locations.append(line.location)
        outcomes[index] = purchase
    return purchases, locations, charges


def _clean_line(tool_type, quantity, unit_cost, supplier, invoice_number, purchased_on):
    """A line's own checks, before any lock: (quantity, unit cost, supplier, invoice number,
    total cost), or a ValidationError."""
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
    return quantity, unit_cost, supplier, invoice_number, (unit_cost * quantity).quantize(CENT)


def _lock_grant(grant):
    """The grant row and its school's, locked: the school lock serialises the invoice check (and
    the asset tags) with every other purchase of the school, on any of its grants."""
    return (
        Grant.objects.select_for_update(of=("self", "room__school"))
        .select_related("programme", "room__school")
        .get(pk=grant.pk)
    )


def _subsidy_under_lock(grant, total_cost, purchased_on, school_pays_rest):
    """What the line draws from the locked grant (`grant.charged` as charged so far), or the
    ValidationError saying why it cannot be charged."""
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
    subsidy = subsidy_for(total_cost, grant.programme.max_subsidy_rate, left)
    if subsidy < total_cost and not school_pays_rest:
        raise field_error(
            "confirm_self_funded",
            _("%(split)s: the grant does not cover the whole line. Tick the box to confirm.")
            % {"split": subsidy_split(subsidy, total_cost)},
            "partial_subsidy",
        )
    return subsidy


def subsidy_for(total_cost, rate, left):
    """What a line draws from a grant: its cost × the programme's share (rounded down to the fen),
    never more than what is left of the grant. The purchase form's live totals apply this very rule
    to the figures `subsidy_terms` gives them (rate and left as data attributes)."""
    eligible = (total_cost * rate).quantize(CENT, rounding=ROUND_DOWN)
    return max(min(eligible, left), Decimal("0.00"))


def subsidy_terms(grants):
    """{grant pk: what the purchase form needs to say what a line draws before it is saved}: what is
    left of the grant, the programme's share, and for a programme capped per school (创客实践室)
    the cap and what the school has already drawn from it (the subsidies charged to that
    programme's grants of the school). One query, whatever the number of grants; the server still
    decides on save (`record_purchase`)."""
    grants = list(grants)
    per_school = {
        (g.programme_id, g.room.school_id) for g in grants if g.programme.cap_applies == CapApplies.PER_SCHOOL
    }
    drawn = {}
    if per_school:
        rows = (
            Grant.objects.filter(
                programme_id__in={p for p, _s in per_school},
                room__school_id__in={s for _p, s in per_school},
                status__in=(GrantStatus.APPROVED, GrantStatus.CLOSED),
            )
            .values("programme_id", "room__school_id")
            .annotate(total=Sum("charged"))
        )
        drawn = {(r["programme_id"], r["room__school_id"]): Decimal(r["total"]).quantize(CENT) for r in rows}
    terms = {}
    for grant in grants:
        key = (grant.programme_id, grant.room.school_id)
        capped = key in per_school
        terms[grant.pk] = {
            "left": grant.left,
            "rate": grant.programme.max_subsidy_rate,
            "cap": grant.programme.cap if capped else None,
            "drawn": (drawn.get(key) or Decimal("0.00")) if capped else None,
        }
    return terms


def recorded_invoices(school_id, numbers, *, exclude=None):
    """{invoice number: date of its first purchase} for those of `numbers` already recorded for the
    school, on any of its grants; `exclude` is a purchase whose own number does not count."""
    numbers = {n for n in numbers if n}
    if not numbers:
        return {}
    purchases = Purchase.objects.filter(grant__room__school_id=school_id, invoice_number__in=numbers)
    if exclude is not None:
        purchases = purchases.exclude(pk=exclude)
    found = {}
    for number, day in purchases.order_by("purchased_on", "pk").values_list("invoice_number", "purchased_on"):
        found.setdefault(number, day)
    return found


def check_invoice(school_id, invoice_number, *, continues_invoice=False, exclude=None):
    """Refuse (on `invoice_number`, code "duplicate_invoice") an invoice number already recorded for
    the school, unless the line is marked as a further line of that invoice."""
    if continues_invoice:
        return
    recorded = recorded_invoices(school_id, [invoice_number], exclude=exclude)
    if invoice_number in recorded:
        raise _duplicate_invoice(invoice_number, recorded[invoice_number])


def _duplicate_invoice(invoice_number, day):
    return field_error(
        "invoice_number",
        _(
            "Invoice %(invoice)s is already recorded for this school (purchase of %(date)s). If this line is a further line of that invoice, tick 同一发票续行."
        )
        % {"invoice": invoice_number, "date": day},
        "duplicate_invoice",
    )


PAPERWORK_FIELDS = ["supplier", "invoice_number", "invoice_file"]


def save_paperwork(purchase, *, user, continues_invoice=False):
    """Save a charged purchase's paperwork (supplier, invoice number, invoice file) from the edit
    form: the money lines stay fixed. A new invoice number follows the rule of `record_purchase`."""
    purchase.supplier = (purchase.supplier or "").strip()
    purchase.invoice_number = (purchase.invoice_number or "").strip()
    errors = {}
    if not purchase.supplier:
        errors["supplier"] = _("Enter the supplier.")
    if not purchase.invoice_number:
        errors["invoice_number"] = _("Enter the invoice (发票) number.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        original = (
            Purchase.objects.select_for_update(of=("self", "grant__room__school"))
            .select_related("grant__room__school")
            .get(pk=purchase.pk)
        )
        school_id = original.grant.room.school_id
        policy.purchases.check_in(user, "change", school_id)
        if purchase.invoice_number != original.invoice_number:
            check_invoice(
                school_id, purchase.invoice_number, continues_invoice=continues_invoice, exclude=purchase.pk
            )
        changed = [f for f in PAPERWORK_FIELDS if getattr(original, f) != getattr(purchase, f)]
        if not changed:
            return original
        before = {f: str(getattr(original, f)) for f in changed}
        purchase.save(update_fields=changed)
        audit.record(purchase, "kits.edit", user, before, {f: str(getattr(purchase, f)) for f in changed})
    return purchase


def subsidy_split(subsidy, total_cost):
    """ "资助 ¥805,084.00，学校自筹 ¥94,916.00": how a line is paid, as the form and the import say it."""
    return _("Subsidy ¥%(subsidy)s, school's own funds ¥%(own)s") % {
        "subsidy": f"{subsidy:,.2f}",
        "own": f"{total_cost - subsidy:,.2f}",
    }


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
        audit.record(
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


def made_by(purchase):
    """What recording the purchase made: ("assets", count, first tag, last tag) for durable tools,
    ("stock", quantity, None, None) for consumables put into the room's stock."""
    made = Asset.objects.filter(purchase=purchase).aggregate(n=Count("pk"), first=Min("tag"), last=Max("tag"))
    if made["n"]:
        return "assets", made["n"], made["first"], made["last"]
    return "stock", purchase.quantity, None, None


def _create_assets(purchase, room, quantity, location):
    school = room.school  # locked by record_purchase: serialises tag numbering
    Asset.objects.bulk_create(
        Asset(tag=tag, room=room, tool_type=purchase.tool_type, purchase=purchase, location=location)
        for tag in next_asset_tags(school, quantity)
    )


def _add_stocks(room, quantities):
    """Add {tool type pk: quantity} to the room's stock: one locked read, one insert of the rows
    missing, one update per tool type already held (bounded by the catalogue, not the lines)."""
    if not quantities:
        return
    held = dict(
        Stock.objects.select_for_update()
        .filter(room=room, tool_type_id__in=quantities)
        .values_list("tool_type_id", "pk")
    )
    Stock.objects.bulk_create(
        Stock(room=room, tool_type_id=tool, quantity=quantity)
        for tool, quantity in quantities.items()
        if tool not in held
    )
    for tool, pk in held.items():
        Stock.objects.filter(pk=pk).update(quantity=F("quantity") + quantities[tool])


def _add_stock(room, tool_type, quantity):
    stock, _created = Stock.objects.select_for_update().get_or_create(room=room, tool_type=tool_type)
    stock.quantity = F("quantity") + quantity
    stock.save(update_fields=["quantity"])
