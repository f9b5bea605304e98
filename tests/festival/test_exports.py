"""Organisers export the results (XLSX, formula-safe through the core's writer) and download every
certificate of an edition at once (a ZIP made by a job: issue 16, Festival)."""

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import translation
from makerroom.core.jobs_models import Job, JobState
from openpyxl import load_workbook

from festival import exports, judging
from festival.models import Assignment, Entry, EntryState

from .conftest import make_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(edition, people, judges):
    first = make_entry(edition, people, state=EntryState.ACCEPTED)
    second = make_entry(
        edition, people, title="校园气象站", students=("s3",), mentor="mentor_b", state=EntryState.ACCEPTED
    )
    Entry.objects.filter(pk=second.pk).update(title="=1+1 气象站")  # typed by a student
    judging.compute_assignment(edition)
    criteria = list(edition.criteria.all())
    for a in Assignment.objects.filter(entry__edition=edition).select_related("judge__user", "entry"):
        score = 8 if a.entry_id == first.pk else 6
        judging.save_score(a, {str(c.pk): score for c in criteria}, user=a.judge.user)
    judging.propose_awards(edition, user=people["organiser"])
    return first, second


def test_results_export_is_an_xlsx_with_text_kept_as_text(client, edition, people, scored):
    first, _second = scored
    with translation.override("zh-hans"):  # the Chinese site: Chinese column names
        url = reverse("festival:results_export", args=[edition.pk])
    client.force_login(people["mentor"])
    assert client.get(url).status_code == 403
    client.force_login(people["organiser"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("类别", "组别", "名次", "作品")
    by_title = {row[3]: row for row in rows[1:]}
    assert by_title[first.title][2] == 1 and by_title[first.title][-1] == "一等奖"
    assert "小林、小雨" in by_title[first.title]
    formula_cell = next(c for c in sheet["D"] if c.value == "=1+1 气象站")
    assert formula_cell.data_type == "s"  # text, not a formula


def test_all_certificates_of_an_edition_at_once(
    client, edition, people, scored, django_capture_on_commit_callbacks
):
    first, second = scored
    url = reverse("festival:certificates_zip", args=[edition.pk])
    client.force_login(people["organiser"])
    assert client.post(url).status_code == 404  # no certificates before the results are published
    judging.publish_results(edition, user=people["organiser"], override=True)
    client.force_login(people["mentor"])
    assert client.post(url).status_code == 403
    client.force_login(people["organiser"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    job = Job.objects.get(owner=people["organiser"])
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.state == JobState.DONE and (job.done, job.total) == (2, 2)
    with job.result_file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        names = sorted(archive.namelist())
        assert len(names) == 2 and all(name.endswith(".pdf") for name in names)
        assert all(archive.read(name).startswith(b"%PDF") for name in names)


def test_the_certificate_generator_is_a_plain_function(edition, people, scored):
    judging.publish_results(edition, user=people["organiser"], override=True)
    steps = []
    content = exports.certificates_zip(
        edition, "https://maker.example.cn", progress=lambda d, t=None: steps.append(d)
    )
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert len(archive.namelist()) == 2
    assert steps[-1] == 2


def test_an_editions_certificates_take_the_same_queries_at_any_size(edition, people, scored):
    """The entries and the teams of the edition are read once, whatever its size (no query per
    certificate), and each certificate still names its own team and links to its own entry."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .test_views import _read_certificate

    first, _second = scored
    judging.publish_results(edition, user=people["organiser"], override=True)
    first.refresh_from_db()  # with its award
    with CaptureQueriesContext(connection) as small:
        exports.certificates_zip(edition, "https://maker.example.cn")
    for n in range(8):  # eight more accepted entries (added directly: registration is closed)
        entry = Entry.objects.create(
            edition=edition,
            title=f"作品{n}",
            category=first.category,
            age_group=first.age_group,
            school=first.school,
            mentor=first.mentor,
            description="…",
            state=EntryState.ACCEPTED,
            award=first.award if n % 2 else None,
        )
        for position, key in enumerate(("s3", "s1", "s2")[: n % 3 + 1]):
            entry.members.create(student=people[key], position=position)
    with CaptureQueriesContext(connection) as big:
        content = exports.certificates_zip(edition, "https://maker.example.cn")
    assert len(big) == len(small) <= 3, [q["sql"] for q in big.captured_queries]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        assert len(names) == 10
        text, qr = _read_certificate(archive.read(names[0]))
        assert "《智能浇花器》" in text and "小林、小雨" in text and "荣获 一等奖" in text
        assert qr == "https://maker.example.cn" + reverse("festival:verify", args=[first.token])
        last = Entry.objects.get(edition=edition, title="作品7")  # s3, s1 (two members, in order)
        text, qr = _read_certificate(archive.read(names[-1]))
        assert "《作品7》" in text and "小刚、小林" in text and "荣获" in text
        assert qr == "https://maker.example.cn" + reverse("festival:verify", args=[last.token])
