"""Bulk student accounts and the full dashboard XLSX run as jobs (issue 12); the first passwords
are shown once on the class's credentials page and then no longer kept."""

import io

import pytest
from django.contrib.auth import get_user_model
from makerroom.core import roles
from makerroom.core.jobs_models import Job, JobState
from openpyxl import load_workbook

from courses.classes import jobs as class_jobs
from courses.classes import services
from courses.classes.models import Membership

from .test_views import _fill_class, en

pytestmark = pytest.mark.django_db

NAMES = [f"学生{n:02d}" for n in range(12)]


def _first_password(html, username):
    return html.split(f"<code>{username}</code>")[1].split("<code>")[1].split("</code>")[0]


def test_a_class_of_students_is_made_by_a_job_and_the_passwords_shown_once(
    client, teacher, school_class, make_user, django_capture_on_commit_callbacks
):
    client.force_login(teacher)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(en("classes:bulk_create", school_class.pk), {"names": "\n".join(NAMES)})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response.url == en("classes:bulk_sheet", school_class.pk, job.pk)
    assert Membership.objects.count() == 0  # nothing hashed in the request
    waiting = client.get(response.url)
    assert waiting.status_code == 200 and 'http-equiv="refresh"' in waiting.content.decode()
    for callback in callbacks:  # the worker's turn (immediate backend)
        callback()
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.done == job.total == len(NAMES)
    sheet = client.get(response.url).content.decode()
    users = get_user_model().objects.filter(class_memberships__school_class=school_class).order_by("username")
    assert [u.display_name for u in users] == NAMES and all(u.must_change_password for u in users)
    password = _first_password(sheet, users[0].username)
    assert users[0].check_password(password)
    # shown once: the file is gone, the page says so, the job page has nothing to download
    job.refresh_from_db()
    assert not job.result_file
    again = client.get(response.url).content.decode()
    assert password not in again and "<code>" not in again
    # a colleague who does not teach the class cannot open it
    colleague = make_user("wang", role=roles.Role.TEACHER, school=school_class.school)
    client.force_login(colleague)
    assert client.get(response.url).status_code in (403, 404)


def test_a_few_students_are_still_made_at_once(client, teacher, school_class):
    client.force_login(teacher)
    response = client.post(en("classes:bulk_create", school_class.pk), {"names": "张小雨\n李思远"})
    assert response.status_code == 200 and Job.objects.count() == 0
    assert Membership.objects.filter(school_class=school_class).count() == 2


def test_dashboard_xlsx_job_writes_the_full_grid(
    teacher, school_class, course_with_lessons, django_capture_on_commit_callbacks
):
    from makerroom.core import jobs

    course = course_with_lessons(lessons=3)
    services.assign_course(school_class, course)
    _fill_class(school_class, course, 5)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start(
            teacher,
            class_jobs.dashboard_xlsx_job,
            "xlsx",
            params={"class_id": school_class.pk, "course_id": course.pk},
        )
    job.refresh_from_db()
    assert job.state == JobState.DONE
    sheet = load_workbook(io.BytesIO(job.result_file.read())).active
    assert sheet.max_row == 6 and sheet.max_column == 2 + 3


def test_dashboard_xlsx_has_column_widths(client, teacher, school_class, course_with_lessons):
    course = course_with_lessons(lessons=2)
    services.assign_course(school_class, course)
    _fill_class(school_class, course, 2)
    client.force_login(teacher)
    sheet = load_workbook(
        io.BytesIO(client.get(en("classes:export", school_class.pk, course.pk, "xlsx")).content)
    ).active
    widths = [sheet.column_dimensions[letter].width for letter in "ABCD"]
    assert widths == [
        services.XLSX_NAME_WIDTH,
        services.XLSX_COUNT_WIDTH,
        services.XLSX_LESSON_WIDTH,
        services.XLSX_LESSON_WIDTH,
    ]


def test_a_large_dashboard_xlsx_is_a_job(client, teacher, school_class, course_with_lessons, monkeypatch):
    monkeypatch.setattr(class_jobs, "XLSX_CELLS_IN_REQUEST", 3)  # 2 students x 2 lessons is "large" here
    course = course_with_lessons(lessons=2)
    services.assign_course(school_class, course)
    _fill_class(school_class, course, 2)
    client.force_login(teacher)
    response = client.get(en("classes:export", school_class.pk, course.pk, "xlsx"))
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert job.runner == class_jobs.dashboard_xlsx_job.job_path
