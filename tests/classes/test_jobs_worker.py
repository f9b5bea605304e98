"""Bulk student accounts made by a real worker process (`manage.py worker`, docs/dev/jobs.md)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from makerroom.core.jobs_models import Job, JobState

from tests.ops.conftest import start_worker, wait_for  # noqa: F401 - start_worker is a fixture

from .test_jobs import NAMES, _first_password
from .test_views import en

pytestmark = pytest.mark.django_db(transaction=True)


def test_bulk_students_with_a_real_worker(client, settings, teacher, school_class, start_worker):  # noqa: F811
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(teacher)
    response = client.post(en("classes:bulk_create", school_class.pk), {"names": "\n".join(NAMES[:5])})
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.state == JobState.QUEUED
    start_worker("--no-schedule")
    done = wait_for(lambda: (j := Job.objects.get(pk=job.pk)).state in (JobState.DONE, JobState.FAILED) and j)
    assert done.state == JobState.DONE, done.message
    sheet = client.get(response.url).content.decode()
    students = get_user_model().objects.filter(class_memberships__school_class=school_class)
    assert students.count() == 5
    student = students.first()
    assert student.check_password(_first_password(sheet, student.username))
    assert reverse("accounts:login") in sheet
