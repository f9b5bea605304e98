"""The workspace as the workbench's JavaScript reads it."""

from django.utils import formats, timezone


def versions_json(versions):
    return [
        {
            "label": formats.date_format(timezone.localtime(v.saved_at), "SHORT_DATETIME_FORMAT")
            + {True: " ✓", False: " ✗", None: ""}[v.check_passed],
            "files": v.files,
        }
        for v in versions
    ]


def workspace_json(workspace, versions):
    if workspace is None:
        return None
    return {
        "files": workspace.files,
        "check": workspace.check_result,
        "versions": versions_json(versions),
        "comment": workspace.comment,
    }
