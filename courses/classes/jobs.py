"""Long class actions run as jobs in the task worker (docs/dev/jobs.md).

* Bulk student accounts: one password hash takes ~0.8 s, so 80 students (~66 s) never run in the
  request. The first passwords are the job's result file, read back once by the class's credentials
  page (`views.bulk_sheet`), which deletes the file as it shows it: they are held only between the
  job finishing and the teacher opening that page (and at most until jobs are pruned).
* The class dashboard as XLSX at full size.
"""

import csv
import io

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from makerroom.core import jobs, spreadsheets

from . import policy, services
from .models import SchoolClass

# Up to this many accounts are made in the request (about 2.5 s of hashing); more run as a job.
BULK_IN_REQUEST = 3
# A dashboard XLSX of more cells than this (students × lessons) is written by the worker.
XLSX_CELLS_IN_REQUEST = 600


@jobs.runner
def bulk_students_job(job, progress):
    """params: {"class_id": n, "names": [...]} -> first-passwords.csv (display name, username, password)."""
    school_class = SchoolClass.objects.select_related("school").filter(pk=job.params["class_id"]).first()
    if school_class is None or not policy.can_change_class(job.owner, school_class):
        raise jobs.JobFailed(_("You may no longer add students to this class."))
    names = job.params["names"]
    progress(0, len(names))
    try:
        credentials = services.bulk_create_students(school_class, names, progress=lambda done: progress(done))
    except ValidationError as error:
        raise jobs.JobFailed(
            _("No account was created."), rows=[{"row": "", "message": m} for m in error.messages]
        ) from error
    return jobs.Result("first-passwords.csv", credentials_csv(credentials))


def credentials_csv(credentials):
    return spreadsheets.csv_bytes([[c.display_name, c.username, c.password] for c in credentials])


def read_credentials(job):
    """The credentials of a finished bulk job, once: the result file is deleted as it is read."""
    if not job.result_file:
        return None
    with job.result_file.open("rb") as handle:
        text = handle.read().decode("utf-8-sig")
    job.result_file.delete(save=False)
    type(job).objects.filter(pk=job.pk).update(result_file="", result_name="")
    return [services.Credential(*row) for row in csv.reader(io.StringIO(text)) if row]


@jobs.runner
def dashboard_xlsx_job(job, progress):
    """params: {"class_id": n, "course_id": n, "stuck_days": n} -> the dashboard grid as XLSX."""
    try:
        board = services.dashboard_for(
            job.owner,
            job.params["class_id"],
            job.params["course_id"],
            stuck_days=job.params.get("stuck_days", services.DEFAULT_STUCK_DAYS),
        )
    except (PermissionDenied, get_user_model().DoesNotExist, services.Assignment.DoesNotExist) as exc:
        raise jobs.JobFailed(_("You may no longer export this class's progress.")) from exc
    progress(0, 1)
    content = services.export_xlsx(board)
    progress(1)
    return jobs.Result(f"class-{board.school_class.pk}-course-{board.course.pk}.xlsx", content)
