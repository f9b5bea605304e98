"""Recording flashed boards against kits (Django side; the host tools never import this)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from makerroom_flash.boards import normal_mac
from makerroom_flash.plan import BoardResult, NotRecorded

# One board's outcome as the CLI, the REST API and the flashing pages send it, with each field's type.
RESULT_FIELDS = {
    "kit": str,
    "mac": str,
    "chip": str,
    "port": str,
    "base_firmware": str,
    "base_sha256": str,
    "lesson": str,
    "lesson_version": str,
    "ok": bool,
    "message": str,
    "seconds": (int, float),
}
LOOKUP_LIMIT = 500  # kit codes or MACs in one lookup: a hub's boards, with room to spare


def wrong_type(data: dict) -> str | None:
    """The first result field whose value has the wrong type, else None."""
    for field, kind in RESULT_FIELDS.items():
        if data.get(field) is not None and not isinstance(data[field], kind):
            return field
    return None


def lookup_lists(data: dict) -> tuple[dict[str, list[str]], str | None]:
    """{"codes": [...], "macs": [...]} of a kits lookup, and the first field that is not a list of
    at most LOOKUP_LIMIT strings (None when both are)."""
    lists = {}
    for field in ("codes", "macs"):
        value = data.get(field, [])
        if (
            not isinstance(value, list)
            or not all(isinstance(x, str) for x in value)
            or len(value) > LOOKUP_LIMIT
        ):
            return lists, field
        lists[field] = value
    return lists, None


def reason(exc: Exception) -> str:
    """The refusal as one line of text."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        # keyed errors name their field, so the lab PC can tell which value was refused
        return "; ".join(
            f"{field}: {message}" if field != "__all__" else message
            for field, messages in exc.message_dict.items()
            for message in messages
        )
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
    """A recorder for the flash command: returns what was stored as text, raises NotRecorded."""

    def rec(result: BoardResult) -> str:
        try:
            saved = record(result, user)
        except (ValidationError, PermissionDenied) as exc:
            raise NotRecorded(reason(exc)) from exc
        return _("recorded #%(id)s") % {"id": saved.pk}

    return rec


def kit_problems(codes: list[str], user) -> dict[str, str]:
    """{code: why} for the kit codes a flash run may not use: no such kit, a kit the user may not
    record against (another school's: kits.policy decides), a retired kit. Asked before any board."""
    from kits import policy
    from kits.models import Kit, KitStatus

    kits = {kit.code: kit for kit in Kit.objects.filter(code__in=codes)}
    problems = {}
    for code in codes:
        kit = kits.get(code)
        if kit is None:
            problems[code] = _("There is no kit %(code)s.") % {"code": code}
        elif not policy.flash_records.may_record(user, kit):
            problems[code] = _("Kit %(code)s belongs to another school.") % {"code": code}
        elif kit.status == KitStatus.RETIRED:
            problems[code] = _("Kit %(code)s is retired.") % {"code": code}
    return problems


def kits_by_mac(macs: list[str], user) -> dict[str, str]:
    """{MAC (lower case, colons): kit code} for the boards the user's kits already hold (stored
    when they were last flashed). Retired kits and kits the user may not record against are left out."""
    from kits import policy
    from kits.models import Kit, KitStatus

    wanted = {normal_mac(mac).upper() for mac in macs if normal_mac(mac)}
    kits = Kit.objects.filter(esp32_mac__in=wanted).exclude(status=KitStatus.RETIRED).order_by("code")
    return {normal_mac(kit.esp32_mac): kit.code for kit in kits if policy.flash_records.may_record(user, kit)}


class SiteKits:
    """The kit book (makerroom_flash.boards.KitBook) of `manage.py flash`: the database, as `user`."""

    def __init__(self, user):
        self.user = user

    def check(self, codes: list[str]) -> dict[str, str]:
        return kit_problems(codes, self.user)

    def by_mac(self, macs: list[str]) -> dict[str, str]:
        return kits_by_mac(macs, self.user)
