"""Loans: lending a kit or an asset and taking it back, with missing parts refilled from stock."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from makerroom.core import audit

from .. import policy
from ..models import (
    Asset,
    AssetStatus,
    BorrowerKind,
    Kit,
    KitStatus,
    Loan,
    MissingPart,
    ReturnCondition,
    Stock,
    ToolType,
)
from .money import parse_quantity


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
        audit.record(
            item,
            "kits.lend",
            user,
            before,
            {"status": item.status, "loan": loan.pk, "borrower": loan.borrower_label},
        )
        audit.record(
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
        audit.record(item, "kits.return", user, before, {"status": item.status, "missing": missing_text})
        audit.record(
            loan,
            "kits.return",
            user,
            {"returned_at": None},
            {"returned_at": str(loan.returned_at), "condition": condition, "missing": missing_text},
        )
    return loan


def refill_report(loan):
    """What a return's missing parts came to: [(part name, refilled from stock)] and
    [(part name, still missing)], for the message the lab staff see."""
    refilled, short = [], []
    for part in loan.missing_parts.select_related("tool_type").order_by("tool_type__name"):
        if part.replaced:
            refilled.append((part.tool_type.name, part.replaced))
        if part.quantity > part.replaced:
            short.append((part.tool_type.name, part.quantity - part.replaced))
    return refilled, short


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


def open_kit_loan_of(user):
    """The kit loan a person holds now (lent to them by name), with its kit; None if none. A
    student's board flashed from a lesson page is recorded against that kit."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Loan.objects.select_related("kit")
        .filter(borrower=user, kit__isnull=False, returned_at__isnull=True)
        .order_by("-lent_at")
        .first()
    )
