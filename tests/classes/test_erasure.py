"""Issue 11, minors' data: "Delete my data" works for every student, also one on a festival team or
with a kit on loan. Personal data goes; loans keep an anonymous borrower; entries keep the team
without the name; counts stay; sessions end; audit entries no longer name the student.
Checked on the database rows afterwards."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from makerroom.core import audit, roles
from wagtail.models import ModelLogEntry

from courses.classes import services
from courses.classes.models import LessonProgress, Membership, QuestionAttempt, StepProgress
from courses.workspace.models import Workspace
from festival.models import Entry, TeamMember
from kits.models import BorrowerKind, Kit, KitTemplate, Loan
from tests.festival.conftest import build_edition

from .conftest import lesson_ids, step_ids

pytestmark = pytest.mark.django_db

NAME = "林小雨"


@pytest.fixture
def world(client, school_class, teacher, course_with_lessons, home_page, make_user):
    course = course_with_lessons(lessons=1)
    services.assign_course(school_class, course)
    lesson = lesson_ids(course)[0]
    student = services.join_new_student(school_class, display_name=NAME, password="maker-kid-2026")
    teammate = services.join_new_student(school_class, display_name="小刚", password="maker-kid-2026")
    services.mark_step(student, lesson, step_ids(lesson)[0])
    services.complete_lesson(student, lesson)
    services.answer_question(student, lesson, step_ids(lesson, "question")[0], 0)
    Workspace.objects.create(student=student, lesson_id=lesson, files={"main.py": f"# {NAME} 的程序"})

    edition = build_edition(home_page)
    entry = Entry.objects.create(
        edition=edition,
        title="智能浇花器",
        category=edition.categories.first(),
        age_group=edition.age_groups.get(name="初中"),
        school=school_class.school,
        mentor=teacher,
        description="用土壤湿度传感器自动给花浇水。",
    )
    TeamMember.objects.create(entry=entry, student=student, guardian_consent=True, position=0)
    TeamMember.objects.create(entry=entry, student=teammate, guardian_consent=True, position=1)

    labstaff = make_user("lab", role=roles.Role.LAB_STAFF, school=school_class.school)
    kit = Kit.objects.create(
        code="SZ-0100-K01", school=school_class.school, template=KitTemplate.objects.create(name="入门套件")
    )
    loan = Loan.objects.create(
        kit=kit,
        school=school_class.school,
        borrower_kind=BorrowerKind.STUDENT,
        borrower=student,
        due_on=date.today() + timedelta(days=7),
        lent_by=labstaff,
    )
    audit.record(loan, "kits.lend", labstaff, borrower=loan.borrower_label, note=f"借给 {NAME}")
    audit.record(student, "wagtail.edit", student, before={"display_name": ""}, after={"display_name": NAME})

    client.force_login(student)  # a session of the student's, on some browser
    return {
        "student": student,
        "teammate": teammate,
        "entry": entry,
        "loan": loan,
        "lesson": lesson,
        "username": student.username,
    }


def _check_erased(world):
    student, User = world["student"], get_user_model()
    assert not User.objects.filter(username=world["username"]).exists()
    assert not User.objects.filter(display_name=NAME).exists()
    stand_in = User.objects.get(pk=student.pk)
    assert stand_in.erased_at is not None and not stand_in.is_active
    assert stand_in.display_name == "" and stand_in.school_id is None
    assert not stand_in.has_usable_password() and not stand_in.groups.exists()
    with translation.override("en"):
        assert stand_in.public_name == "former student"
    # personal data goes: memberships and saved code
    assert not Membership.objects.filter(student_id=student.pk).exists()
    assert not Workspace.objects.filter(student_id=student.pk).exists()
    # counts stay, linked to no one
    lesson = world["lesson"]
    assert LessonProgress.objects.filter(lesson_id=lesson, student=None).count() == 1
    assert StepProgress.objects.filter(lesson_id=lesson, student=None).count() == 1
    assert QuestionAttempt.objects.filter(lesson_id=lesson, student=None, correct=True).count() == 1
    # the loan stays with an anonymous borrower
    loan = Loan.objects.get(pk=world["loan"].pk)
    assert loan.borrower_id is None and loan.borrower_kind == BorrowerKind.STUDENT
    assert NAME not in str(loan)
    # the entry keeps its team (two members) without the name
    members = TeamMember.objects.filter(entry=world["entry"]).select_related("student")
    assert members.count() == 2
    assert NAME not in [m.student.public_name for m in members]
    assert world["teammate"].display_name in [m.student.public_name for m in members]
    # sessions are removed
    for session in Session.objects.all():
        assert str(session.get_decoded().get("_auth_user_id")) != str(student.pk)
    # audit entries no longer name the student
    assert not ModelLogEntry.objects.filter(user_id=student.pk).exists()
    entries = list(ModelLogEntry.objects.all())
    assert len(entries) >= 2  # what happened stays
    for entry in entries:
        assert NAME not in entry.label and NAME not in str(entry.data)
        assert world["username"] not in entry.label and world["username"] not in str(entry.data)


def test_teacher_deletes_the_data_of_a_student_on_a_team_with_a_loan(client, world, teacher, school_class):
    other = client.__class__()
    other.force_login(teacher)
    url = reverse("classes:delete_student", args=[school_class.pk, world["student"].pk])
    response = other.post(url)
    assert response.status_code == 302
    _check_erased(world)
    assert client.get(reverse("classes:my_courses")).status_code == 302  # the student's browser is out


def test_a_student_deletes_their_own_data(client, world):
    with translation.override("en"):
        url = reverse("classes:delete_my_data")
    page = client.get(url)
    assert page.status_code == 200 and "Delete my data" in page.content.decode()
    wrong = client.post(url, {"password": "not-my-password"})
    assert wrong.status_code == 200
    assert get_user_model().objects.filter(username=world["username"]).exists()
    done = client.post(url, {"password": "maker-kid-2026"})
    assert done.status_code == 302
    _check_erased(world)
    assert "_auth_user_id" not in client.session


def test_only_students_erase_and_only_their_own_data(world, make_user, school_class):
    teacher_account = make_user("wu", role=roles.Role.TEACHER, school=school_class.school)
    with pytest.raises(PermissionDenied):
        services.erase_my_data(teacher_account)
    with pytest.raises(PermissionDenied):  # a classmate cannot erase another student
        services.delete_student_data(school_class, world["student"], by=world["teammate"])
    assert get_user_model().objects.filter(username=world["username"]).exists()


def test_a_student_on_no_team_is_deleted_outright_and_the_loan_stays(school_class, teacher, make_user):
    student = services.join_new_student(school_class, display_name=NAME, password="maker-kid-2026")
    kit = Kit.objects.create(
        code="SZ-0100-K02", school=school_class.school, template=KitTemplate.objects.create(name="进阶套件")
    )
    loan = Loan.objects.create(
        kit=kit,
        school=school_class.school,
        borrower_kind=BorrowerKind.STUDENT,
        borrower=student,
        due_on=date.today() + timedelta(days=7),
    )
    services.delete_student_data(school_class, student, by=teacher)
    assert not get_user_model().objects.filter(pk=student.pk).exists()
    loan.refresh_from_db()
    assert loan.borrower_id is None and loan.borrower_kind == BorrowerKind.STUDENT
