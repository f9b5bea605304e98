"""Grants: applying, approving, changing and closing, with the programme cap checked and every change
kept in the audit history.

Rules (who may do what is asked of kits/policy.py):

* Lab staff **apply**: a new grant of theirs is 申请中 with nothing approved (they may state the
  amount applied for). They keep its paperwork (the approval number) but never change `status` or
  `approved_amount`, and once it is approved its programme, room and period neither.
* Only a city coordinator (or a superuser) **approves**, changes an approved amount or **closes**.
* **The cap**: no grant is approved above its programme's cap; for a programme capped per school
  (创客实践室, 100万元) the approved amounts of that programme's grants to one school never add up
  to more than the cap. The check runs with the programme row locked (`select_for_update`), so two
  grants approved at the same moment for the same school queue up and the second sees the first.
* An approved amount never drops below what is already charged to the grant.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from makerroom.core import audit
from makerroom.core.audit import snapshot

from .. import policy
from ..models import CapApplies, FundingProgramme, Grant, GrantStatus, MakerRoom
from .money import parse_money

COUNTS_AGAINST_CAP = (GrantStatus.APPROVED, GrantStatus.CLOSED)

GRANT_AUDIT_FIELDS = [
    "programme_id",
    "room_id",
    "reference",
    "requested_amount",
    "approved_amount",
    "starts_on",
    "ends_on",
    "status",
]


def approved_elsewhere(grant):
    """What the programme has already approved to the grant's school, other grants than this one."""
    others = Grant.objects.filter(
        programme_id=grant.programme_id,
        room__school_id=MakerRoom.objects.values("school_id").filter(pk=grant.room_id)[:1],
        status__in=COUNTS_AGAINST_CAP,
    )
    if grant.pk:
        others = others.exclude(pk=grant.pk)
    return others.aggregate(total=Sum("approved_amount"))["total"] or Decimal("0.00")


def school_cap_left(programme, school_id):
    """How much more the programme may still approve to that school (None: capped per grant only)."""
    if programme.cap_applies != CapApplies.PER_SCHOOL:
        return None
    approved = Grant.objects.filter(
        programme=programme, room__school_id=school_id, status__in=COUNTS_AGAINST_CAP
    ).aggregate(total=Sum("approved_amount"))["total"] or Decimal("0.00")
    return programme.cap - approved


def validate_grant(grant):
    """Field errors for a grant about to be saved (used by the admin form and the services)."""
    errors = {}
    counts = grant.status in COUNTS_AGAINST_CAP
    if grant.approved_amount is not None and grant.programme_id:
        programme = grant.programme
        if grant.approved_amount < 0 or (counts and grant.approved_amount == 0):
            errors["approved_amount"] = _("The approved amount must be greater than zero.")
        elif grant.approved_amount > programme.cap:
            errors["approved_amount"] = _("%(programme)s grants are capped at ¥%(cap)s.") % {
                "programme": programme,
                "cap": f"{programme.cap:,.2f}",
            }
        elif grant.pk and grant.approved_amount < grant.charged:
            errors["approved_amount"] = _("¥%(charged)s is already charged to this grant.") % {
                "charged": f"{grant.charged:,.2f}"
            }
        elif counts and programme.cap_applies == CapApplies.PER_SCHOOL and grant.room_id:
            elsewhere = approved_elsewhere(grant)
            if elsewhere + grant.approved_amount > programme.cap:
                errors["approved_amount"] = _(
                    "The cap per school (每校上限) of %(programme)s is ¥%(cap)s: ¥%(approved)s is already "
                    "approved to this school, so at most ¥%(left)s more."
                ) % {
                    "programme": programme,
                    "cap": f"{programme.cap:,.2f}",
                    "approved": f"{elsewhere:,.2f}",
                    "left": f"{max(programme.cap - elsewhere, Decimal('0')):,.2f}",
                }
    if grant.requested_amount is not None and grant.requested_amount <= 0:
        errors["requested_amount"] = _("The amount applied for must be greater than zero.")
    if grant.starts_on and grant.ends_on and grant.ends_on < grant.starts_on:
        errors["ends_on"] = _("The end date is before the start date.")
    if errors:
        raise ValidationError(errors)


def _refuse_locked_changes(grant, original, user):
    """Lab staff never change what an approval decides; the form disables those fields, and a
    hand-made POST or a direct call is refused here."""
    locked = policy.grants.locked_fields(user, grant)
    if not locked:
        return
    message = _("Only a city coordinator approves grants, changes an approved amount or closes a grant.")
    errors = {}
    if original is None:
        if "status" in locked and grant.status != GrantStatus.APPLIED:
            errors["status"] = message
        if "approved_amount" in locked and grant.approved_amount:
            errors["approved_amount"] = message
    else:
        for name in locked:
            if getattr(original, name) != getattr(grant, name):
                errors[name.removesuffix("_id")] = message
    if errors:
        raise ValidationError(errors)


def _lock_programme(programme_id):
    """Approvals of one programme queue up here: the per-school sum is read under this lock."""
    return FundingProgramme.objects.select_for_update().get(pk=programme_id)


def save_grant(grant, *, user):
    """Create or change a grant (the admin form, the demo seed): lab staff apply and keep its
    paperwork, approvers may change anything; the cap is checked and the change audited."""
    school_id = MakerRoom.objects.values_list("school_id", flat=True).get(pk=grant.room_id)
    if not policy.grants.may_approve(user, grant):
        policy.grants.check_in(user, "change" if grant.pk else "add", school_id)
    with transaction.atomic():
        grant.programme = _lock_programme(grant.programme_id)
        before = original = None
        if grant.pk:
            original = Grant.objects.select_for_update().get(pk=grant.pk)
            before = snapshot(original, GRANT_AUDIT_FIELDS)
            grant.charged = original.charged  # only purchases move it
        _refuse_locked_changes(grant, original, user)
        validate_grant(grant)
        grant.save()
        audit.record(
            grant,
            "kits.create" if before is None else "kits.edit",
            user,
            before,
            snapshot(grant, GRANT_AUDIT_FIELDS),
        )
    return grant


def approve_grant(grant, *, amount, user, reference=None):
    """Approve a grant (or change an approved grant's amount): city coordinators and superusers.
    Refused above the programme cap and, for a programme capped per school, above what the cap
    leaves for that school — checked with the programme row locked."""
    policy.grants.check_approve(user, grant)
    amount = parse_money(amount, "approved_amount")
    with transaction.atomic():
        _lock_programme(grant.programme_id)
        grant = Grant.objects.select_for_update(of=("self",)).select_related("programme").get(pk=grant.pk)
        if grant.status == GrantStatus.CLOSED:
            raise ValidationError({"status": _("This grant is closed.")})
        before = snapshot(grant, GRANT_AUDIT_FIELDS)
        grant.approved_amount = amount
        grant.status = GrantStatus.APPROVED
        if reference is not None:
            grant.reference = reference.strip()
        validate_grant(grant)
        grant.save()
        audit.record(grant, "kits.approve", user, before, snapshot(grant, GRANT_AUDIT_FIELDS))
    return grant


def close_grant(grant, *, user):
    """Close a grant: nothing more is charged to it; what it was approved still counts against the cap."""
    policy.grants.check_approve(user, grant)
    with transaction.atomic():
        grant = Grant.objects.select_for_update().get(pk=grant.pk)
        if grant.status != GrantStatus.APPROVED:
            raise ValidationError({"status": _("Only an approved grant can be closed.")})
        before = snapshot(grant, GRANT_AUDIT_FIELDS)
        grant.status = GrantStatus.CLOSED
        grant.save(update_fields=["status"])
        audit.record(grant, "kits.close", user, before, snapshot(grant, GRANT_AUDIT_FIELDS))
    return grant
