"""Recording flashed boards against kits (Django side; the host tools never import this)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from makerroom.core import roles
from makerroom_flash.plan import BoardResult


def can_flash(user) -> bool:
    """Lab staff of a school (for that school's kits) and superusers record flashes."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.school_id is not None and roles.has_role(user, roles.Role.LAB_STAFF)


def reason(exc: Exception) -> str:
    """The refusal as one line of text."""
    return "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def record(result: BoardResult | dict, user):
    """Store one board's outcome with kits.services.record_flash; raises ValidationError/PermissionDenied."""
    from kits.services import record_flash

    data = result.as_dict() if isinstance(result, BoardResult) else result
    return record_flash(
        kit_code=data.get("kit") or "",
        mac=data.get("mac") or "",
        chip=data.get("chip") or "",
        port=data.get("port") or "",
        base_firmware=data.get("base_firmware") or "",
        base_sha256=data.get("base_sha256") or "",
        lesson_slug=data.get("lesson") or "",
        lesson_version=data.get("lesson_version") or "",
        ok=bool(data.get("ok")),
        message=data.get("message") or "",
        seconds=data.get("seconds"),
        user=user,
    )


def recorder_for(user):
    """A recorder for the flash command: never raises, returns what happened as text."""

    def rec(result: BoardResult) -> str:
        try:
            saved = record(result, user)
        except (ValidationError, PermissionDenied) as exc:
            return _("not recorded: %(reason)s") % {"reason": reason(exc)}
        return _("recorded #%(id)s") % {"id": saved.pk}

    return rec
