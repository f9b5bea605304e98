"""The header's "我的课程" link is shown to students only (issue 16)."""

import pytest
from django.urls import reverse
from django.utils import translation
from makerroom.core import roles

pytestmark = pytest.mark.django_db


def _header_links(client, user):
    client.force_login(user)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return response.content.decode()


def test_my_courses_in_the_header_for_a_student_only(client, make_user, school, home_page):
    with translation.override("zh-hans"):  # the page below is the Chinese one
        my_courses = f'href="{reverse("classes:my_courses")}"'
    student = make_user("xiaoming", role=roles.Role.STUDENT, school=school)
    assert my_courses in _header_links(client, student)
    for name, role in (
        ("li", roles.Role.TEACHER),
        ("lab", roles.Role.LAB_STAFF),
        ("judge", roles.Role.JUDGE),
    ):
        assert my_courses not in _header_links(client, make_user(name, role=role, school=school)), name
