"""Jobs: progress, result, error rows, retry, who sees a job, and the label sheet as a job.
Tasks run at once here (the immediate backend); test_worker.py runs them in a real worker."""

import io
from datetime import timedelta

import pypdfium2
import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from makerroom.core import jobs
from makerroom.core.models import Job, JobState, SchoolStage
from makerroom.core.roles import Role

from kits import labels
from kits.models import Asset, MakerRoom, ToolType
from tests.factories import make_school

from . import job_runners

pytestmark = pytest.mark.django_db


def _start(user, runner, text, **params):
    return jobs.start(
        user, runner, "数行数", params=params, input_file=ContentFile(text.encode(), name="rows.csv")
    )


def test_a_job_runs_reports_progress_and_offers_its_result(
    client, make_user, django_capture_on_commit_callbacks
):
    owner = make_user("li")
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(owner, job_runners.count_lines, "a\nb\nc\n")
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.percent) == (JobState.DONE, 3, 3, 100)

    client.force_login(owner)
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200 and "数行数" in page.content.decode()
    status = client.get(f"{job.get_absolute_url()}status/").json()
    assert status["state"] == "done" and status["percent"] == 100 and status["finished"]
    download = client.get(status["download_url"])
    assert b"".join(download.streaming_content) == b"3 lines"
    assert "attachment" in download["Content-Disposition"]


def test_a_failed_job_shows_its_error_rows_keeps_its_input_and_succeeds_on_retry(
    client, make_user, django_capture_on_commit_callbacks
):
    owner = make_user("li")
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(owner, job_runners.count_lines, "ok\n?\nok\n?\n", fail_first=True)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.message == "有 2 行有误"
    assert job.error_rows == [{"row": 2, "message": "第 2 行有误"}, {"row": 4, "message": "第 4 行有误"}]
    client.force_login(owner)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "第 4 行有误" in page and "有 2 行有误" in page

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{job.get_absolute_url()}retry/").status_code == 302
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error_rows, job.message) == (JobState.DONE, 2, [], "")
    assert job.result_file.read() == b"4 lines"


def test_an_unexpected_error_fails_the_job_without_a_traceback_for_the_owner(
    make_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start(make_user("li"), job_runners.explode, "坏任务")
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "Traceback" not in job.message and job.message


def test_only_the_owner_and_a_superuser_see_a_job(client, make_user, django_capture_on_commit_callbacks):
    owner, other = make_user("li"), make_user("zhang")
    admin = make_user("root", is_superuser=True, is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(owner, job_runners.count_lines, "a\n")
    url = job.get_absolute_url()
    for path in ("", "status/", "download/"):
        assert client.get(url + path).status_code == 302  # to the login page
    client.force_login(other)
    for path in ("", "status/", "download/"):
        assert client.get(url + path).status_code == 404
    assert client.post(url + "retry/").status_code == 404
    assert str(job.pk) not in client.get("/jobs/").content.decode()
    client.force_login(admin)
    assert client.get(url + "status/").json()["state"] == "done"
    client.force_login(owner)
    assert "数行数" in client.get("/jobs/").content.decode()


def test_pruning_removes_old_finished_jobs_and_their_files(make_user, django_capture_on_commit_callbacks):
    owner = make_user("li")
    with django_capture_on_commit_callbacks(execute=True):
        old, recent = (_start(owner, job_runners.count_lines, "a\n") for _ in range(2))
    old.refresh_from_db()
    storage, names = old.result_file.storage, [old.result_file.name, old.input_file.name]
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=15))

    assert jobs.prune(days=14) == 1
    assert list(Job.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not any(storage.exists(name) for name in names)


@pytest.fixture
def labstaff_with_assets(make_user):
    school = make_school("SZ-0077", "深圳市宝安区新桥小学", stage=SchoolStage.PRIMARY)
    room = MakerRoom.objects.create(school=school, name="创客实践室")
    tool = ToolType.objects.filter(slug="multimeter").first() or ToolType.objects.first()
    if tool is None:  # a transactional test flushed the catalogue
        from kits import catalogue
        from kits.models import ToolCategory

        catalogue.sync_catalogue(ToolCategory, ToolType)
        tool = ToolType.objects.first()
    for n in range(1, 6):
        Asset.objects.create(tag=f"SZ-0077-{n:06d}", room=room, tool_type=tool)
    return make_user("wu", role=Role.LAB_STAFF, school=school)


def test_a_big_label_sheet_runs_as_a_job_and_the_owner_downloads_the_pdf(
    client, labstaff_with_assets, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(labels, "IN_REQUEST", 3)  # 5 labels count as "many" here
    client.force_login(labstaff_with_assets)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/admin/kits/labels/")
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    status = client.get(response["Location"] + "status/").json()
    assert (status["state"], status["done"], status["total"]) == ("done", 5, 5)
    pdf = b"".join(client.get(status["download_url"]).streaming_content)
    text = pypdfium2.PdfDocument(io.BytesIO(pdf))[0].get_textpage().get_text_range()
    assert "SZ-0077-000001" in text and "SZ-0077-000005" in text


def test_a_small_label_sheet_still_prints_in_the_request(client, labstaff_with_assets):
    client.force_login(labstaff_with_assets)
    response = client.get("/admin/kits/labels/")
    assert response["Content-Type"] == "application/pdf"
    assert not Job.objects.exists()
