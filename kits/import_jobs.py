"""The purchase import as a job: after the preview is confirmed, the worker saves the sheet in
batches (kits.imports.import_purchases with `job=`), showing progress on the job page; row errors
are listed there, and a retry continues after the rows already saved.

Previews that are never confirmed leave their uploaded file in PENDING; `prune_pending` deletes
those older than PENDING_HOURS (run on every new preview)."""

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from makerroom.core import jobs
from makerroom.core.spreadsheets import csv_bytes

from . import imports, policy
from .models import Grant

PENDING_DIR = "kits-imports/pending"
PENDING = PENDING_DIR + "/{user}/{sha}.{ext}"
PENDING_HOURS = 24


@jobs.runner
def purchase_import_job(job, progress):
    """Save the confirmed sheet (job.input_file) against job.params["grant"]."""
    user = job.owner
    if not user.has_perm("kits.add_purchase"):  # rights may have changed since the preview
        raise jobs.JobFailed(_("You may no longer record purchases."))
    grant = (
        policy.grants.scope(user, Grant.objects.select_related("room"), action="change")
        .filter(pk=job.params.get("grant"))
        .first()
    )
    if grant is None:
        raise jobs.JobFailed(_("You may no longer charge this grant."))
    with job.input_file.open("rb") as stored:
        upload = io.BytesIO(stored.read())
    name = job.params.get("filename") or "import.csv"
    result = imports.import_purchases(upload, name, grant=grant, user=user, job=job, progress=progress)
    if not result.ok:
        saved = result.rows_saved_before + len(result.rows)
        raise jobs.JobFailed(
            _("%(saved)s rows are saved; the rows below were not. Retrying continues after the saved rows.")
            % {"saved": saved}
            if saved
            else _("Nothing was saved: the rows below are wrong."),
            rows=[{"row": e.row, "message": f"{e.column}: {e.message}"} for e in result.errors],
        )
    header = [_("Row"), _("Tool type"), _("Quantity"), _("Total cost (CNY)"), _("Subsidy (CNY)")]
    lines = [[r.row, r.tool.name, r.quantity, r.total_cost, r.subsidy] for r in result.rows]
    return jobs.Result("imported-purchases.csv", csv_bytes([header, *lines]))


def start(user, grant, path, filename):
    """Start the job on a previewed file (moved out of PENDING into the job's input file)."""
    with default_storage.open(path, "rb") as stored:
        content = ContentFile(stored.read(), name=filename)
    job = jobs.start(
        user,
        purchase_import_job,
        _("Purchase import: %(file)s") % {"file": filename},
        params={"grant": grant.pk, "filename": filename},
        input_file=content,
    )
    default_storage.delete(path)
    return job


def prune_pending(now=None, hours=PENDING_HOURS):
    """Delete previewed files older than `hours` that were never confirmed; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(hours=hours)
    removed = 0
    try:
        users, _files = default_storage.listdir(PENDING_DIR)
    except FileNotFoundError:
        return 0
    for folder in users:
        _dirs, files = default_storage.listdir(f"{PENDING_DIR}/{folder}")
        for name in files:
            path = f"{PENDING_DIR}/{folder}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                removed += 1
    return removed
