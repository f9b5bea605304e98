from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from courses.classes import services
from courses.classes.models import LessonProgress, Membership, QuestionAttempt, StepProgress

from .conftest import lesson_ids, step_ids

pytestmark = pytest.mark.django_db


def test_create_class_gives_a_code_that_expires_and_rotates(school_class, teacher):
    assert len(school_class.join_code) == services.CODE_LENGTH
    assert set(school_class.join_code) <= set(services.CODE_ALPHABET)
    assert services.find_class_by_code(school_class.join_code.lower()) == school_class
    old = school_class.join_code
    services.rotate_join_code(school_class)
    assert school_class.join_code != old
    assert services.find_class_by_code(old) is None
    school_class.join_code_expires_at = timezone.now() - timedelta(minutes=1)
    school_class.save()
    assert services.find_class_by_code(school_class.join_code) is None
    assert list(school_class.teachers.all()) == [teacher]


def test_several_teachers_same_school_only(school_class, make_user, other_school):
    from makerroom.core import roles

    make_user("wang", role=roles.Role.TEACHER, school=school_class.school)
    make_user("zhao", role=roles.Role.TEACHER, school=other_school)
    make_user("kid", role=roles.Role.STUDENT, school=school_class.school)
    services.add_teacher(school_class, "wang")
    assert school_class.teachers.count() == 2
    with pytest.raises(ValidationError):
        services.add_teacher(school_class, "zhao")
    with pytest.raises(ValidationError):
        services.add_teacher(school_class, "kid")


def test_join_new_student_needs_no_email(school_class):
    student = services.join_new_student(school_class, display_name=" 小明 ", password="maker-kid-2026")
    assert student.username == f"c{school_class.pk}-01"
    assert student.display_name == "小明" and student.email == "" and student.school == school_class.school
    assert student.check_password("maker-kid-2026")
    assert Membership.objects.active().filter(school_class=school_class, student=student).exists()


def test_bulk_create_is_all_or_nothing_and_names_rows(school_class):
    with translation.override("en"):
        names, errors = services.names_from_text("小明\n\n小红\n小明\n" + "长" * 41)
    assert "Row 4" in errors[0] and "row 1" in errors[0] and "Row 5" in errors[1]
    assert len(errors) == 2
    names, errors = services.names_from_text("小明\n小红\n小刚")
    assert errors == []
    credentials = services.bulk_create_students(school_class, names)
    assert [c.username for c in credentials] == [f"c{school_class.pk}-0{n}" for n in (1, 2, 3)]
    User = get_user_model()
    for credential in credentials:
        user = User.objects.get(username=credential.username)
        assert user.must_change_password and user.check_password(credential.password)
        assert user.display_name == credential.display_name
    more = services.bulk_create_students(school_class, ["小亮"])
    assert more[0].username == f"c{school_class.pk}-04"


def test_names_from_xlsx(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    for row in (["姓名"], ["张小雨"], [None], ["李思远"]):
        workbook.active.append(row)
    path = tmp_path / "names.xlsx"
    workbook.save(path)
    with open(path, "rb") as handle:
        assert services.names_from_xlsx(handle) == (["张小雨", "李思远"], [])
    with pytest.raises(ValidationError):
        services.names_from_xlsx(open(__file__, "rb"))  # noqa: SIM115


def test_progress_marking_and_first_try(school_class, course_with_lessons):
    course = course_with_lessons(lessons=2)
    student = services.join_new_student(school_class, display_name="小明", password="maker-kid-2026")
    lesson = lesson_ids(course)[0]
    first, second, _third = step_ids(lesson)
    services.mark_step(student, lesson, first)
    services.mark_step(student, lesson, first)  # twice is once
    services.mark_step(student, lesson, second)
    assert StepProgress.objects.filter(student=student).count() == 2
    services.mark_step(student, lesson, second, done=False)
    assert StepProgress.objects.filter(student=student).count() == 1
    with pytest.raises(ValidationError):
        services.mark_step(student, lesson, "not-a-block")
    (question,) = step_ids(lesson, "question")
    assert services.answer_question(student, lesson, question, 1) == (False, True)
    assert services.answer_question(student, lesson, question, 0) == (True, False)
    attempt = QuestionAttempt.objects.get(student=student)
    assert attempt.correct is False and attempt.choice == 1
    with pytest.raises(ValidationError):
        services.answer_question(student, lesson, question, 5)
    services.complete_lesson(student, lesson)
    assert LessonProgress.objects.filter(student=student, lesson_id=lesson).exists()


def test_my_courses_progress_and_continue(school_class, course_with_lessons):
    course = course_with_lessons(lessons=3)
    services.assign_course(school_class, course)
    student = services.join_new_student(school_class, display_name="小明", password="maker-kid-2026")
    first, second, third = lesson_ids(course)
    (entry,) = services.my_courses(student)
    assert (entry.completed, entry.total, entry.percent) == (0, 3, 0)
    assert entry.continue_lesson.pk == first
    services.complete_lesson(student, first)
    services.mark_step(student, third, step_ids(third)[0])
    (entry,) = services.my_courses(student)
    assert (entry.completed, entry.percent) == (1, 33)
    assert entry.continue_lesson.pk == third  # where they left off, not the next in order
    services.leave_class(school_class, student)
    assert services.my_courses(student) == []


def test_leaving_keeps_records_and_rejoining_restores(school_class, course_with_lessons):
    course = course_with_lessons(lessons=1)
    student = services.join_new_student(school_class, display_name="小明", password="maker-kid-2026")
    services.complete_lesson(student, lesson_ids(course)[0])
    assert services.leave_class(school_class, student)
    membership = Membership.objects.get(student=student)
    assert membership.left_at is not None
    assert LessonProgress.objects.filter(student=student).count() == 1
    services.join_existing_student(school_class, student)
    membership.refresh_from_db()
    assert membership.left_at is None


def test_delete_student_data_keeps_anonymous_counts(school_class, course_with_lessons, teacher):
    course = course_with_lessons(lessons=1)
    services.assign_course(school_class, course)
    lesson = lesson_ids(course)[0]
    student = services.join_new_student(school_class, display_name="小明", password="maker-kid-2026")
    services.mark_step(student, lesson, step_ids(lesson)[0])
    services.complete_lesson(student, lesson)
    services.answer_question(student, lesson, step_ids(lesson, "question")[0], 0)
    username = student.username
    services.delete_student_data(school_class, student, by=teacher)
    assert not get_user_model().objects.filter(username=username).exists()
    assert not Membership.objects.filter(school_class=school_class).exists()
    assert LessonProgress.objects.filter(lesson_id=lesson, student=None).count() == 1
    assert StepProgress.objects.filter(lesson_id=lesson, student=None).count() == 1
    assert QuestionAttempt.objects.filter(lesson_id=lesson, student=None, correct=True).count() == 1
    with pytest.raises(PermissionDenied):  # a teacher is never deleted through this path
        services.delete_student_data(school_class, teacher, by=teacher)


def test_dashboard_states(school_class, course_with_lessons, teacher):
    course = course_with_lessons(lessons=3)
    first, second, third = lesson_ids(course)
    yesterday = timezone.localdate() - timedelta(days=1)
    services.assign_course(school_class, course, due_dates={third: yesterday})
    a = services.join_new_student(school_class, display_name="阿宝", password="maker-kid-2026")
    b = services.join_new_student(school_class, display_name="贝贝", password="maker-kid-2026")
    services.complete_lesson(a, first)
    services.mark_step(a, second, step_ids(second)[0])
    services.answer_question(a, first, step_ids(first, "question")[0], 0)
    services.answer_question(b, first, step_ids(first, "question")[0], 1)
    Membership.objects.filter(student=b).update(joined_at=timezone.now() - timedelta(days=10))
    board = services.dashboard_for(teacher, school_class.pk, course.pk)
    grid = {m.student.display_name: [c["state"] for c in cells] for m, cells, _s in board.rows}
    assert grid == {"阿宝": ["done", "in_progress", "late"], "贝贝": ["not_started", "not_started", "late"]}
    assert [r["percent"] for r in board.lesson_rates] == [50, 0, 0]
    assert [m.student.display_name for m, _since in board.stuck] == ["贝贝"]
    assert board.questions[0]["answered"] == 2 and board.questions[0]["right"] == 1
    rows = services.dashboard_table(board)
    with translation.override("en"):
        rows = services.dashboard_table(board)
    assert {tuple(row[:3]) for row in rows[1:]} == {("阿宝", 1, "done"), ("贝贝", 0, "not started")}


def test_dashboard_refuses_other_teachers(school_class, course_with_lessons, make_user):
    from makerroom.core import roles

    course = course_with_lessons(lessons=1)
    services.assign_course(school_class, course)
    outsider = make_user("zhang", role=roles.Role.TEACHER, school=school_class.school)
    with pytest.raises(PermissionDenied):
        services.dashboard_for(outsider, school_class.pk, course.pk)


def test_only_student_accounts_join_with_a_code_or_get_a_new_password(school_class, make_user, teacher):
    """Else a teacher could put a colleague's (or the superuser's) account in the class and reset it."""
    from makerroom.core import roles

    colleague = make_user("wang", role=roles.Role.TEACHER, school=school_class.school)
    lab = make_user("zhou", role=roles.Role.LAB_STAFF, school=school_class.school)
    root = make_user("root", is_superuser=True, is_staff=True)
    for user in (colleague, lab, root, teacher):
        with pytest.raises(ValidationError):
            services.join_existing_student(school_class, user)
    assert not Membership.objects.filter(school_class=school_class).exists()
    # Even a membership that got there another way does not let the class's teacher reset the password.
    Membership.objects.create(school_class=school_class, student=colleague)
    with pytest.raises(PermissionDenied):
        services.reset_password(school_class, colleague, by=teacher)
    colleague.refresh_from_db()
    assert colleague.check_password("pass-w0rd-123") and not colleague.must_change_password
    with pytest.raises(PermissionDenied):
        services.delete_student_data(school_class, colleague, by=teacher)


def _rival_takes(username):
    """A database hook that plays another child joining between our read of the taken usernames and
    our insert: the rival's row goes in just before the savepoint around our insert, so it stays."""
    from django.db import connection

    table = get_user_model()._meta.db_table
    state = {"read": False, "done": False}

    def hook(execute, sql, params, many, context):
        if state["read"] and not state["done"] and sql.startswith("SAVEPOINT"):
            state["done"] = True
            get_user_model().objects.create(username=username, display_name="抢先的同学")
        result = execute(sql, params, many, context)
        if sql.startswith(f'SELECT "{table}"."username"'):  # the read of the usernames taken
            state["read"] = True
        return result

    return connection.execute_wrapper(hook), state


def test_join_draws_again_when_another_child_takes_the_username(school_class):
    hook, state = _rival_takes(f"c{school_class.pk}-01")
    with hook:
        student = services.join_new_student(school_class, display_name="小明", password="maker-kid-2026")
    assert state["done"]
    assert student.username == f"c{school_class.pk}-02"
    student.refresh_from_db()
    assert student.check_password("maker-kid-2026") and student.display_name == "小明"
    assert Membership.objects.get(school_class=school_class).student == student


def test_bulk_create_draws_again_when_a_username_is_taken_meanwhile(school_class):
    hook, state = _rival_takes(f"c{school_class.pk}-02")
    with hook:
        credentials = services.bulk_create_students(school_class, ["小明", "小红", "小刚"])
    assert state["done"]
    prefix = f"c{school_class.pk}-"
    assert [c.username for c in credentials] == [f"{prefix}01", f"{prefix}03", f"{prefix}04"]
    User = get_user_model()
    for credential in credentials:
        user = User.objects.get(username=credential.username)
        assert user.display_name == credential.display_name and user.check_password(credential.password)
    assert Membership.objects.filter(school_class=school_class).count() == 3


def test_save_ticks_keeps_the_ticked_steps_only(school_class, course_with_lessons):
    course = course_with_lessons(lessons=1)
    student = services.join_new_student(school_class, display_name="小明", password="maker-kid-2026")
    lesson = lesson_ids(course)[0]
    first, second, third = step_ids(lesson)
    assert services.save_ticks(student, lesson, [first, second, "not-a-step"], complete=True) == sorted(
        [first, second]
    )
    assert set(StepProgress.objects.values_list("step_id", flat=True)) == {first, second}
    assert LessonProgress.objects.filter(student=student).exists()
    services.save_ticks(student, lesson, [third], complete=False)
    assert set(StepProgress.objects.values_list("step_id", flat=True)) == {third}
    assert not LessonProgress.objects.exists()
    services.save_ticks(student, lesson, [])  # complete=None leaves completion alone
    assert not StepProgress.objects.exists()


def test_throttle_counts_each_failure_and_opens_after_its_window():
    import time

    from makerroom.core.throttle import Throttle

    first, second = Throttle("test", "kid", limit=3, window=2), Throttle("test", "kid", limit=3, window=2)
    first.fail()
    second.fail()  # another worker, same cache: both failures count
    assert first.blocked_minutes() == 0
    first.fail()
    assert first.blocked_minutes() == second.blocked_minutes() == 1  # "wait 1 minute", never 0
    time.sleep(2.1)
    assert first.blocked_minutes() == 0
    first.fail()
    assert first.blocked_minutes() == 0  # a new window starts from one failure
    first.fail()
    first.fail()
    assert first.blocked_minutes() == 1
    second.reset()
    assert first.blocked_minutes() == 0


def test_a_teacher_keeps_no_control_over_a_student_who_left(school_class, teacher):
    """Issue 11: once a student has left the class, its teacher can neither reset their password nor
    delete their account (the records of the class stay)."""
    student = services.join_new_student(school_class, display_name="小明", password="maker-kid-2026")
    assert services.reset_password(school_class, student, by=teacher).username == student.username
    services.leave_class(school_class, student)
    with pytest.raises(PermissionDenied):
        services.reset_password(school_class, student, by=teacher)
    with pytest.raises(PermissionDenied):
        services.delete_student_data(school_class, student, by=teacher)
    assert get_user_model().objects.filter(pk=student.pk, is_active=True).exists()
    services.join_existing_student(school_class, student)  # back in the class: back in control
    assert services.reset_password(school_class, student, by=teacher).username == student.username


def test_a_teacher_of_another_class_has_no_control(school_class, make_user, teacher):
    from makerroom.core import roles

    student = services.join_new_student(school_class, display_name="小明", password="maker-kid-2026")
    outsider = make_user("zhang", role=roles.Role.TEACHER, school=school_class.school)
    with pytest.raises(PermissionDenied):
        services.reset_password(school_class, student, by=outsider)
    with pytest.raises(PermissionDenied):
        services.delete_student_data(school_class, student, by=outsider)
