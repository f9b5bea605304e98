"""Saving a student's lesson code: the rules of the workspace live here.

- One workspace per student and lesson; saving replaces its files.
- A few versions are kept (KEEP_VERSIONS): a save starts a new version when the newest is older
  than NEW_VERSION_AFTER (so autosave while typing does not push out the versions worth keeping),
  and every check starts one, carrying its result; so does putting back the lesson's code
  (`new_version`), so the student's own code stays one version back.
- Files are limited to the lesson's own program paths and MAX_BYTES in all.
- A save costs a bounded number of queries whatever the history (asserted in the tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import policy
from .models import Workspace, WorkspaceVersion

KEEP_VERSIONS = 5
NEW_VERSION_AFTER = timedelta(minutes=2)
MAX_BYTES = 64 * 1024
RESULT_FIELDS = ("index", "kind", "ok", "at_us", "code", "params", "step")


def clean_files(files, allowed_paths) -> dict[str, str]:
    if not isinstance(files, dict) or not files:
        raise ValidationError(_("No code was sent."))
    if any(path not in allowed_paths or not isinstance(text, str) for path, text in files.items()):
        raise ValidationError(_("Only the lesson's own files can be saved."))
    if sum(len(text.encode()) for text in files.values()) > MAX_BYTES:
        raise ValidationError(_("The code is too long to save (at most 64 KB)."))
    return dict(files)


def clean_check(check) -> dict | None:
    """The page's check result, kept to its known fields (it is the student's own self-check)."""
    if check is None:
        return None
    if (
        not isinstance(check, dict)
        or not isinstance(check.get("ok"), bool)
        or not isinstance(check.get("results"), list)
    ):
        raise ValidationError(_("The check result is not valid."))
    results = [{k: r.get(k) for k in RESULT_FIELDS} for r in check["results"][:50] if isinstance(r, dict)]
    return {"ok": check["ok"], "first_wrong_us": check.get("first_wrong_us"), "results": results}


def workspace_for(user, lesson) -> Workspace | None:
    if not policy.can_save_code(user, lesson):
        return None
    return Workspace.objects.filter(student=user, lesson=lesson).first()


def versions_of(workspace: Workspace | None) -> list[WorkspaceVersion]:
    if workspace is None:
        return []
    return list(workspace.versions.all()[:KEEP_VERSIONS])


@transaction.atomic
def save_code(
    user, lesson, files, allowed_paths, check=None, new_version=False
) -> tuple[Workspace, list[WorkspaceVersion]]:
    if not policy.can_save_code(user, lesson):
        raise PermissionDenied
    files = clean_files(files, allowed_paths)
    check = clean_check(check)
    now = timezone.now()
    fields = {"files": files}
    if check is not None:
        fields.update(check_passed=check["ok"], check_result=check, checked_at=now)
    workspace, _created = Workspace.objects.update_or_create(student=user, lesson=lesson, defaults=fields)
    versions = list(workspace.versions.all()[: KEEP_VERSIONS + 1])
    newest = versions[0] if versions else None
    if newest is not None and check is None and not new_version and now - newest.saved_at < NEW_VERSION_AFTER:
        newest.files, newest.saved_at = files, now
        newest.save(update_fields=["files", "saved_at"])
    else:
        newest = WorkspaceVersion.objects.create(
            workspace=workspace,
            files=files,
            saved_at=now,
            check_passed=None if check is None else check["ok"],
        )
        versions.insert(0, newest)
        if len(versions) > KEEP_VERSIONS:
            WorkspaceVersion.objects.filter(pk__in=[v.pk for v in versions[KEEP_VERSIONS:]]).delete()
    return workspace, versions[:KEEP_VERSIONS]


@dataclass(frozen=True)
class SavedCode:
    """What the class dashboard shows of a student's code for one lesson."""

    id: int  # the workspace, for the read-only code view
    passed: bool | None  # the last check: passed / failed / None = never run
    saved_at: datetime
    checked_at: datetime | None


def saved_code(student_ids, lesson_ids) -> dict[tuple[int, int], SavedCode]:
    """{(student id, lesson id): SavedCode} in one query whatever the class and course size (for
    the class dashboard, which asks the policy first); a pair with no saved code is absent.
    `student_ids` may be a subquery."""
    rows = Workspace.objects.filter(student_id__in=student_ids, lesson_id__in=lesson_ids).values_list(
        "id", "student_id", "lesson_id", "check_passed", "updated_at", "checked_at"
    )
    return {
        (s, lesson): SavedCode(pk, passed, saved, checked) for pk, s, lesson, passed, saved, checked in rows
    }


def comment_on(user, workspace, text) -> Workspace:
    if not policy.can_comment_code(user, workspace):
        raise PermissionDenied
    workspace.comment, workspace.commented_at = text.strip()[:1000], timezone.now()
    Workspace.objects.filter(pk=workspace.pk).update(
        comment=workspace.comment, commented_at=workspace.commented_at
    )
    return workspace
