"""A teacher opens a student's saved code read-only and leaves a comment the student sees on the
lesson page; nobody else can open it (the policy in courses/workspace/policy.py)."""

import pytest
from django.urls import reverse
from makerroom.core import roles

from courses.classes import services as classes
from courses.workspace import policy, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(make_course, lesson_factory, school, make_user):
    lesson = lesson_factory(make_course(), "点亮 LED", program="blink")
    teacher = make_user("li", role=roles.Role.TEACHER, school=school, display_name="李老师")
    school_class = classes.create_class(
        teacher=teacher, name="七年级（3）班", grade=7, school_year="2026-2027"
    )
    student = make_user("xiaoming", school=school, display_name="小明")
    classes.enrol(school_class, student)
    workspace, _ = services.save_code(student, lesson, {"main.py": "print('小明的代码')\n"}, {"main.py"})
    return {
        "lesson": lesson,
        "teacher": teacher,
        "student": student,
        "workspace": workspace,
        "class": school_class,
    }


def test_the_teacher_reads_the_code_and_comments(client, setup):
    client.force_login(setup["teacher"])
    url = reverse("courses:workspace:code", args=[setup["workspace"].pk])
    page = client.get(url).content.decode()
    assert "小明" in page and "小明的代码" in page and "xiaoming" not in page  # display name only
    assert client.post(url, {"comment": "第 3 行可以再想想"}).status_code == 302
    client.force_login(setup["student"])
    lesson_page = client.get(setup["lesson"].url).content.decode()
    assert "第 3 行可以再想想" in lesson_page


def test_nobody_else_opens_it(client, setup, make_user, school):
    other_teacher = make_user("wang", role=roles.Role.TEACHER, school=school)
    url = reverse("courses:workspace:code", args=[setup["workspace"].pk])
    client.force_login(other_teacher)
    assert client.get(url).status_code == 404
    client.force_login(make_user("xiaohong"))
    assert client.get(url).status_code == 404
    client.force_login(setup["student"])  # the student reads their own, but does not comment
    assert client.get(url).status_code == 200
    assert client.post(url, {"comment": "x"}).status_code == 403


def test_a_student_who_left_the_class_is_no_longer_the_teachers_to_read(setup):
    assert policy.can_view_code(setup["teacher"], setup["workspace"])
    classes.leave_class(setup["class"], setup["student"])
    assert not policy.can_view_code(setup["teacher"], setup["workspace"])


def test_the_rule_is_the_classes_policy(setup, make_user):
    """One rule (courses.classes.policy.can_view_code): a superuser, who may do anything with
    classes, reads and comments on a student's code like the student's teacher."""
    root = make_user("root", is_superuser=True, is_staff=True)
    assert policy.can_view_code(root, setup["workspace"])
    assert policy.can_comment_code(root, setup["workspace"])
    root.is_active = False
    assert not policy.can_view_code(root, setup["workspace"])


def test_a_student_without_a_display_name_is_never_shown_by_their_login(client, setup, make_user, school):
    from courses.workspace.models import Workspace

    nameless = make_user("c7-xiaohu", school=school, display_name="")
    classes.enrol(setup["class"], nameless)
    workspace, _ = services.save_code(nameless, setup["lesson"], {"main.py": "print(1)\n"}, {"main.py"})
    client.force_login(setup["teacher"])
    page = client.get(reverse("courses:workspace:code", args=[workspace.pk])).content.decode()
    assert "c7-xiaohu" not in page and Workspace.objects.get(pk=workspace.pk).student.public_name in page
