"""Grants: applying, approving, changing and closing, with the programme cap checked and every change
kept in the audit history."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from makerroom.core import audit
from makerroom.core.audit import snapshot

from .. import policy
from ..models import (
    Grant,
    MakerRoom,
)


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
        audit.record(
            grant,
            "kits.create" if before is None else "kits.edit",
            user,
            before,
            snapshot(grant, GRANT_AUDIT_FIELDS),
        )
    return grant
