"""Every view and endpoint of classes, for every kind of visitor, with the status code each must get."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from makerroom.core import roles

from courses.classes import services
from courses.classes.models import Assignment, LessonDueDate, Membership

from .conftest import lesson_ids, step_ids

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "student_own",
    "student_other",
    "teacher_own",
    "teacher_other",
    "lab_staff",
    "superuser",
]

# (name, method, {role: expected status}); "*" is every logged-in role not listed.
# Order matters only at the end: leaving and deleting change the data.
MATRIX = [
    (
        "class_list",
        "get",
        {"anonymous": 302, "student_own": 403, "student_other": 403, "lab_staff": 403, "*": 200},
    ),
    (
        "class_create",
        "get",
        {"anonymous": 302, "student_own": 403, "student_other": 403, "lab_staff": 403, "*": 200},
    ),
    ("join", "get", {"anonymous": 200, "*": 200}),
    # With a valid code: a visitor gets the account form; logged-in users are sent on (a student of
    # this school joins, everyone else is refused with a message: see the data check below).
    ("join_post", "post", {"anonymous": 200, "*": 302}),
    ("my_courses", "get", {"anonymous": 302, "*": 200}),
    # "Delete my data" is a student's own; the page asks for the password before anything goes.
    ("delete_my_data", "get", {"anonymous": 302, "student_own": 200, "student_other": 200, "*": 403}),
    (
        "class_detail",
        "get",
        {"anonymous": 302, "student_own": 200, "teacher_own": 200, "superuser": 200, "*": 403},
    ),
    (
        "class_create_post",
        "post",
        # The superuser has no school, so the form comes back with that error.
        {
            "anonymous": 302,
            "student_own": 403,
            "student_other": 403,
            "lab_staff": 403,
            "superuser": 200,
            "*": 302,
        },
    ),
    ("join_sheet", "get", {"anonymous": 302, "teacher_own": 200, "superuser": 200, "*": 403}),
    ("bulk_create", "get", {"anonymous": 302, "teacher_own": 200, "superuser": 200, "*": 403}),
    ("dashboard", "get", {"anonymous": 302, "teacher_own": 200, "superuser": 200, "*": 403}),
    ("export_csv", "get", {"anonymous": 302, "teacher_own": 200, "superuser": 200, "*": 403}),
    ("export_xlsx", "get", {"anonymous": 302, "teacher_own": 200, "superuser": 200, "*": 403}),
    ("bulk_create_post", "post", {"anonymous": 302, "teacher_own": 200, "superuser": 200, "*": 403}),
    ("delete_student", "get", {"anonymous": 302, "teacher_own": 200, "superuser": 200, "*": 403}),
    ("rotate_code", "post", {"anonymous": 302, "teacher_own": 302, "superuser": 302, "*": 403}),
    ("add_teacher", "post", {"anonymous": 302, "teacher_own": 302, "superuser": 302, "*": 403}),
    ("assign", "post", {"anonymous": 302, "teacher_own": 302, "superuser": 302, "*": 403}),
    ("due_dates", "post", {"anonymous": 302, "teacher_own": 302, "superuser": 302, "*": 403}),
    ("reset_password", "post", {"anonymous": 302, "teacher_own": 200, "superuser": 200, "*": 403}),
    # Progress is always the visitor's own: any logged-in user may record theirs.
    ("mark_step", "post", {"anonymous": 302, "*": 200}),
    ("mark_steps_form", "post", {"anonymous": 302, "*": 302}),
    ("complete_lesson", "post", {"anonymous": 302, "*": 200}),
    ("answer", "post", {"anonymous": 302, "*": 200}),
    ("leave", "post", {"anonymous": 302, "student_own": 302, "*": 403}),
    ("delete_student_post", "post", {"anonymous": 302, "teacher_own": 302, "superuser": 302, "*": 403}),
]


@pytest.fixture
def world(make_user, school, other_school, teacher, school_class, course_with_lessons):
    course = course_with_lessons(lessons=1)
    services.assign_course(school_class, course)
    unassigned = course_with_lessons(lessons=1, title="进阶培训：传感器与数据")
    make_user("chen", role=roles.Role.TEACHER, school=school)  # a colleague not yet in the class
    lesson = lesson_ids(course)[0]
    other_teacher = make_user("zhao", role=roles.Role.TEACHER, school=other_school)
    other_class = services.create_class(
        teacher=other_teacher, name="八年级（1）班", grade=8, school_year="2026-2027"
    )
    member = services.join_new_student(school_class, display_name="小明", password="maker-kid-2026")
    users = {
        "anonymous": None,
        "student_own": member,
        "student_other": services.join_new_student(
            other_class, display_name="小红", password="maker-kid-2026"
        ),
        "teacher_own": teacher,
        "teacher_other": other_teacher,
        "lab_staff": make_user("wang", role=roles.Role.LAB_STAFF, school=school),
        "superuser": make_user("root", is_superuser=True, is_staff=True),
    }
    pk = school_class.pk
    requests = {
        "class_list": (reverse("classes:class_list"), {}),
        "class_create": (reverse("classes:class_create"), {}),
        "join": (reverse("classes:join"), {}),
        "join_post": (reverse("classes:join"), {"code": school_class.join_code, "confirm": "1"}),
        "class_create_post": (
            reverse("classes:class_create"),
            {"name": "新班", "grade": 7, "school_year": "2026-2027"},
        ),
        "bulk_create_post": (reverse("classes:bulk_create", args=[pk]), {"names": "新同学"}),
        "my_courses": (reverse("classes:my_courses"), {}),
        "delete_my_data": (reverse("classes:delete_my_data"), {}),
        "class_detail": (reverse("classes:class_detail", args=[pk]), {}),
        "join_sheet": (reverse("classes:join_sheet", args=[pk]), {}),
        "bulk_create": (reverse("classes:bulk_create", args=[pk]), {}),
        "dashboard": (reverse("classes:dashboard", args=[pk, course.pk]), {}),
        "export_csv": (reverse("classes:export", args=[pk, course.pk, "csv"]), {}),
        "export_xlsx": (reverse("classes:export", args=[pk, course.pk, "xlsx"]), {}),
        "delete_student": (reverse("classes:delete_student", args=[pk, member.pk]), {}),
        "rotate_code": (reverse("classes:rotate_code", args=[pk]), {}),
        "add_teacher": (reverse("classes:add_teacher", args=[pk]), {"username": "chen"}),
        "assign": (reverse("classes:assign", args=[pk]), {"course": unassigned.pk}),
        "due_dates": (reverse("classes:due_dates", args=[pk, course.pk]), {f"due_{lesson}": "2026-12-01"}),
        "reset_password": (reverse("classes:reset_password", args=[pk, member.pk]), {}),
        "mark_step": (reverse("classes:mark_step", args=[lesson]), {"step": step_ids(lesson)[0]}),
        "mark_steps_form": (
            reverse("classes:mark_steps_form", args=[lesson]),
            {"steps": step_ids(lesson)[:1]},
        ),
        "complete_lesson": (reverse("classes:complete_lesson", args=[lesson]), {}),
        "answer": (
            reverse("classes:answer", args=[lesson]),
            {"question": step_ids(lesson, "question")[0], "choice": 0},
        ),
        "leave": (reverse("classes:leave", args=[pk]), {}),
        "delete_student_post": (reverse("classes:delete_student", args=[pk, member.pk]), {}),
    }
    return users, requests, school_class, member


def class_state(school_class, member):
    """What the teacher-only actions change: a refused request must leave all of it as it was."""
    school_class.refresh_from_db()
    User = get_user_model()
    return {
        "code": (school_class.join_code, school_class.join_code_expires_at),
        "teachers": sorted(school_class.teachers.values_list("username", flat=True)),
        "members": sorted(
            Membership.objects.filter(school_class=school_class).values_list("student_id", flat=True)
        ),
        "courses": sorted(
            Assignment.objects.filter(school_class=school_class).values_list("course_id", flat=True)
        ),
        "due": sorted(LessonDueDate.objects.values_list("lesson_id", "due_on")),
        "member": User.objects.filter(pk=member.pk).values_list("password", "must_change_password").first(),
    }


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, world, role):
    users, requests, school_class, member = world
    before = class_state(school_class, member)
    if users[role] is not None:
        client.force_login(users[role])
    got, expected = {}, {}
    for name, method, statuses in MATRIX:
        url, data = requests[name]
        kwargs = (
            {"HTTP_ACCEPT": "application/json"} if name in {"mark_step", "complete_lesson", "answer"} else {}
        )
        response = getattr(client, method)(url, data, **kwargs)
        got[name] = response.status_code
        expected[name] = statuses.get(role, statuses["*"])
        if role == "anonymous" and response.status_code == 302:
            assert "/accounts/login/" in response.url
    assert got == expected
    after = class_state(school_class, member)
    if role in {"teacher_own", "superuser"}:
        assert all(after[key] != before[key] for key in before)  # every action took effect
    else:
        assert after == before
    left_at = Membership.objects.filter(student=member).values_list("left_at", flat=True).first()
    assert (left_at is not None) == (role == "student_own")


def test_student_never_sees_another_class_or_usernames(client, world):
    users, requests, _class, _member = world
    client.force_login(users["student_own"])
    html = client.get(requests["class_detail"][0]).content.decode()
    assert "小明" in html and "小红" not in html
    assert users["student_own"].username not in html  # classmates' display names only
