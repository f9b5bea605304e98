"""What organisers take away from an edition: the results as XLSX (through the core's formula-safe
writer) and every certificate at once as a ZIP of PDFs.

`certificates_zip` is a plain function (edition, base URL, optional progress callback) so that a
job can call it: the view starts `certificates_job`, which the task worker runs.
"""

import io
import re
import zipfile

from django.urls import reverse
from django.utils.translation import gettext as _
from makerroom.core import jobs, spreadsheets

from . import policy, presenters
from .certificates import certificate_pdf
from .models import EntryState, FestivalEditionPage


def results_rows(edition):
    """A header and one row per ranked entry, in the order of the results page."""
    rows = [
        [
            _("Category"),
            _("Age group"),
            _("Rank"),
            _("Entry"),
            _("School"),
            _("Team"),
            _("Mentor"),
            _("Raw mean"),
            _("Normalised"),
            _("Judges"),
            _("Award"),
        ]
    ]
    members = presenters.team_names(edition)
    for group in presenters.results_groups(edition):
        for row in group["rows"]:
            entry, result = row["entry"], row["result"]
            rows.append(
                [
                    group["category"].name,
                    group["age_group"].name,
                    result.rank,
                    entry.title,
                    entry.school.name,
                    members.get(entry.pk, ""),
                    entry.mentor.public_name,
                    round(result.raw, 3),
                    round(result.normalised, 3),
                    result.judges,
                    entry.award.name if entry.award_id else "",
                ]
            )
    return rows


def results_xlsx(edition):
    return spreadsheets.xlsx_sheet(_("Festival results"), results_rows(edition), freeze="A2")


def _file_name(number, entry):
    title = re.sub(r'[\\/:*?"<>|\s]+', "-", entry.title).strip("-")[:40] or "entry"
    return f"{number:03d}-{entry.pk}-{title}.pdf"


# Any UUID: the verification URL is reversed once per edition, then each entry's token filled in.
_TOKEN = "00000000-0000-0000-0000-000000000000"


def certificates_zip(edition, base_url, progress=None):
    """Every certificate of a published edition (accepted entries: 获奖证书 or 参与证书) as a ZIP.
    base_url: the site's address ("https://maker.example.cn") for the QR codes' verification links.

    The same queries whatever the edition's size: the entries (with their school, mentor, category,
    age group and award), the teams of the edition; the edition is the one given."""
    entries = list(
        edition.entries.filter(state=EntryState.ACCEPTED)
        .select_related("school", "mentor", "category", "age_group", "award")
        .order_by("pk")
    )
    teams = presenters.team_names(edition)
    before, _sep, after = (base_url.rstrip("/") + reverse("festival:verify", args=[_TOKEN])).partition(_TOKEN)
    if progress:
        progress(0, len(entries))
    buffer = io.BytesIO()
    # The PDFs are compressed already: stored, not deflated again.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for number, entry in enumerate(entries, start=1):
            entry.edition = edition
            verify_url = f"{before}{entry.token}{after}"
            pdf = certificate_pdf(entry, verify_url, team=teams.get(entry.pk, ""))
            archive.writestr(_file_name(number, entry), pdf)
            if progress:
                progress(number)
    return buffer.getvalue()


@jobs.runner
def certificates_job(job, progress):
    """The ZIP as a job. The owner must still be allowed to export when it runs."""
    edition = FestivalEditionPage.objects.filter(pk=job.params["edition"]).first()
    if edition is None or not policy.may_export_results(job.owner, edition):
        raise jobs.JobFailed(_("You may no longer download this edition's certificates."))
    if not policy.certificates_issued(edition):
        raise jobs.JobFailed(_("The results of this edition are not published (any more)."))
    content = certificates_zip(edition, job.params["base_url"], progress=progress)
    return jobs.Result(f"certificates-{edition.year}.zip", content)
