"""Who may flash what (the one place the firmware app's rules are written).

* Lab staff of a school (and superusers) flash whole kits: with the CLI, the REST API for lab PCs
  and the batch flashing page, and record each board against their school's kits (kits.policy says
  which kits a person may record against).
* A student, teacher or lab staff member of a school flashes a board on their desk from a lesson
  page: the student's own code over the raw REPL, or a full flash of the lesson. The manifest and
  the image downloads it needs are allowed to the same people, and to nobody else (the base
  firmware and the lesson images are not public files).
* A student's flash is recorded against the kit on loan to them, if there is one.
"""

from __future__ import annotations

from makerroom.core.policy import is_superuser
from makerroom.core.roles import Role, has_role

BOARD_ROLES = (Role.STUDENT, Role.TEACHER, Role.LAB_STAFF)


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def may_flash_kits(user) -> bool:
    """Lab staff of a school (for that school's kits) and superusers flash and record kits."""
    if not _active(user):
        return False
    return is_superuser(user) or (user.school_id is not None and has_role(user, Role.LAB_STAFF))


def may_flash_from_page(user) -> bool:
    """The people of a school who may put a lesson on a board from a lesson page (and download the
    manifest and images for it)."""
    if not _active(user):
        return False
    if is_superuser(user):
        return True
    return user.school_id is not None and any(has_role(user, role) for role in BOARD_ROLES)


def kit_on_loan(user):
    """The kit a student has on loan now (their flash is recorded against it), else None."""
    if not _active(user) or not has_role(user, Role.STUDENT):
        return None
    from kits.services.loans import open_kit_loan_of

    loan = open_kit_loan_of(user)
    return loan.kit if loan is not None else None
