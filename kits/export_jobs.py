"""The city report as XLSX at full size, written by the task worker (docs/dev/jobs.md).

A city has about a thousand schools: their sheet takes most of a second to write on SQLite, so past
CITY_XLSX_ROWS_IN_REQUEST schools the export is a job, with its file on the job page. CSV stays in
the request: it is plain text and fast at any size."""

from django.utils.translation import gettext as _
from makerroom.core import jobs

from . import exports, policy, services
from .models import FundingProgramme

CITY_XLSX_ROWS_IN_REQUEST = 300
CITY_FILENAME = "city-maker-room-grants"


def city_table():
    """The city report's rows, as the page and both exports show them."""
    cap = FundingProgramme.objects.get(slug=services.MAKER_ROOM_PROGRAMME).cap
    return list(services.city_report()), cap


@jobs.runner
def city_report_xlsx_job(job, progress):
    """params: {} -> the city report of every school as XLSX."""
    if not policy.reads_every_school_report(job.owner):  # rights may have changed since the click
        raise jobs.JobFailed(_("You may no longer read the city report."))
    rows, cap = city_table()
    progress(0, len(rows))
    content = exports.sheet_bytes(exports.CITY_COLUMNS, exports.city_rows(rows, cap), CITY_FILENAME, "xlsx")
    progress(len(rows))
    return jobs.Result(f"{CITY_FILENAME}.xlsx", content)
