import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import reset_queries
from django.urls import reverse
from django.utils import translation
from makerroom.core import roles, throttle
from openpyxl import Workbook, load_workbook

from courses.classes import services
from courses.classes.models import LessonProgress, Membership, QuestionAttempt, SchoolClass, StepProgress
from courses.models import LessonPage

from .conftest import lesson_ids, step_ids

pytestmark = pytest.mark.django_db


def en(name, *args, **kwargs):
    with translation.override("en"):
        return reverse(name, args=args, kwargs=kwargs)


# ---------------------------------------------------------------- teachers make classes


def test_teacher_creates_class_and_prints_join_sheet(client, teacher):
    client.force_login(teacher)
    response = client.post(
        en("classes:class_create"), {"name": "七年级（3）班", "grade": 7, "school_year": "2026"}
    )
    assert response.status_code == 200
    assert "2026-2027" in response.content.decode()  # the error explains the expected format
    response = client.post(
        en("classes:class_create"), {"name": "七年级（3）班", "grade": 7, "school_year": "2026-2027"}
    )
    school_class = SchoolClass.objects.get()
    assert response.status_code == 302 and response.url == en("classes:class_detail", school_class.pk)
    assert school_class.school == teacher.school
    sheet = client.get(en("classes:join_sheet", school_class.pk))
    html = sheet.content.decode()
    assert sheet.status_code == 200
    assert school_class.join_code in html and "<svg" in html
    assert f"/classes/join/?code={school_class.join_code}" in html
    old = school_class.join_code
    client.post(en("classes:rotate_code", school_class.pk))
    school_class.refresh_from_db()
    assert school_class.join_code != old


# ---------------------------------------------------------------- students join


def test_student_joins_with_code_and_display_name(client, school_class):
    url = en("classes:join")
    page = client.get(url, {"code": school_class.join_code})
    assert school_class.join_code in page.content.decode()
    step = client.post(url, {"code": school_class.join_code.lower()})
    assert step.status_code == 200 and "display_name" in step.content.decode()
    assert "email" not in step.content.decode().lower()
    joined = client.post(
        url,
        {
            "code": school_class.join_code,
            "display_name": "小明",
            "password1": "maker-kid-2026",
            "password2": "maker-kid-2026",
        },
    )
    student = get_user_model().objects.get(display_name="小明")
    assert joined.status_code == 200 and student.username in joined.content.decode()
    assert student.groups.filter(role__code=roles.Role.STUDENT).exists()
    assert client.get(en("classes:my_courses")).status_code == 200  # logged in straight away
    assert Membership.objects.active().filter(school_class=school_class, student=student).exists()


def test_join_code_guessing_is_throttled(client, school_class):
    url = en("classes:join")
    for _ in range(throttle.JOIN_LIMIT):
        response = client.post(url, {"code": "WRONG1"})
        assert response.status_code == 400
        assert "does not open a class" in response.content.decode()
    blocked = client.post(url, {"code": school_class.join_code})  # even the right code waits now
    assert blocked.status_code == 429
    assert "Too many attempts. Wait 15 minutes and try again." in blocked.content.decode()
    zh = client.post("/classes/join/", {"code": school_class.join_code})
    assert zh.status_code == 429 and "尝试次数太多" in zh.content.decode()
    cache.clear()  # the window ends
    assert client.post(url, {"code": school_class.join_code}).status_code == 200


def test_expired_code_does_not_open_the_class(client, school_class):
    from datetime import timedelta

    from django.utils import timezone

    SchoolClass.objects.filter(pk=school_class.pk).update(
        join_code_expires_at=timezone.now() - timedelta(hours=1)
    )
    response = client.post(en("classes:join"), {"code": school_class.join_code})
    assert response.status_code == 400


def test_password_guessing_is_throttled(client, school_class):
    student = services.join_new_student(school_class, display_name="小明", password="maker-kid-2026")
    url = en("accounts:login")
    for _ in range(throttle.LOGIN_LIMIT):
        response = client.post(url, {"username": student.username, "password": "guess-0000"})
        assert response.status_code == 200
    response = client.post(url, {"username": student.username, "password": "maker-kid-2026"})
    assert response.status_code == 200
    assert "Too many attempts. Wait 15 minutes and try again." in response.content.decode()
    assert "_auth_user_id" not in client.session
    throttle.login_throttle(student.username, "127.0.0.1").reset()
    assert client.post(url, {"username": student.username, "password": "maker-kid-2026"}).status_code == 302


def test_logged_in_student_joins_a_second_class(client, school_class, teacher):
    student = services.join_new_student(school_class, display_name="小明", password="maker-kid-2026")
    other = services.create_class(teacher=teacher, name="创客社团", grade=7, school_year="2026-2027")
    client.force_login(student)
    confirm = client.post(en("classes:join"), {"code": other.join_code})
    assert confirm.status_code == 200 and "创客社团" in confirm.content.decode()
    done = client.post(en("classes:join"), {"code": other.join_code, "confirm": "1"})
    assert done.status_code == 302
    assert Membership.objects.filter(student=student).count() == 2


# ---------------------------------------------------------------- bulk accounts


def test_bulk_create_from_paste_prints_credentials_and_forces_password_change(client, teacher, school_class):
    client.force_login(teacher)
    url = en("classes:bulk_create", school_class.pk)
    bad = client.post(url, {"names": "张小雨\n李思远\n张小雨"})
    assert bad.status_code == 200 and "Row 3" in bad.content.decode()
    assert Membership.objects.count() == 0  # all or nothing
    sheet = client.post(url, {"names": "张小雨\n李思远\n王一鸣"})
    html = sheet.content.decode()
    assert sheet.status_code == 200 and "@media print" not in html  # the print CSS is a static file
    assert "classes/classes.css" in html
    users = get_user_model().objects.filter(class_memberships__school_class=school_class).order_by("username")
    assert [u.display_name for u in users] == ["张小雨", "李思远", "王一鸣"]
    assert all(u.must_change_password and u.email == "" for u in users)
    # The sheet carries each first password; it works once, and the login sends the student to change it.
    first = users[0]
    password = html.split(f"<code>{first.username}</code>")[1].split("<code>")[1].split("</code>")[0]
    client.logout()
    login = client.post(en("accounts:login"), {"username": first.username, "password": password})
    assert login.status_code == 302 and login.url == reverse("accounts:password_change")


def test_bulk_create_from_xlsx(client, teacher, school_class):
    workbook = Workbook()
    for row in (["姓名"], ["陈可欣"], ["刘子涵"]):
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "名单.xlsx"
    client.force_login(teacher)
    response = client.post(en("classes:bulk_create", school_class.pk), {"names": "", "sheet": buffer})
    assert response.status_code == 200
    assert Membership.objects.filter(school_class=school_class).count() == 2


def test_teacher_resets_a_password(client, teacher, school_class):
    student = services.join_new_student(school_class, display_name="小明", password="maker-kid-2026")
    client.force_login(teacher)
    response = client.post(en("classes:reset_password", school_class.pk, student.pk))
    student.refresh_from_db()
    assert response.status_code == 200 and student.must_change_password
    assert not student.check_password("maker-kid-2026")


# ---------------------------------------------------------------- progress on the lesson page


@pytest.fixture
def enrolled(school_class, course_with_lessons):
    course = course_with_lessons(lessons=2)
    services.assign_course(school_class, course)
    student = services.join_new_student(school_class, display_name="小明", password="maker-kid-2026")
    return course, student


def test_lesson_page_shows_ticks_only_to_logged_in_users(client, enrolled):
    course, student = enrolled
    lesson = LessonPage.objects.get(pk=lesson_ids(course)[0])
    assert "data-lesson-progress" not in client.get(lesson.url).content.decode()
    client.force_login(student)
    html = client.get(lesson.url).content.decode()
    assert "data-lesson-progress" in html
    for step_id in step_ids(lesson.pk):
        assert f'value="{step_id}"' in html


def test_marking_a_step_is_one_small_request(client, enrolled, django_assert_max_num_queries):
    course, student = enrolled
    lesson = lesson_ids(course)[0]
    first = step_ids(lesson)[0]
    client.force_login(student)
    url = reverse("classes:mark_step", args=[lesson])
    with django_assert_max_num_queries(4):
        response = client.post(url, {"step": first}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json() == {"step": first, "done": True}
    with django_assert_max_num_queries(4):
        client.post(url, {"step": first, "done": "0"}, HTTP_ACCEPT="application/json")
    assert not StepProgress.objects.exists()
    bad = client.post(url, {"step": "nope"}, HTTP_ACCEPT="application/json")
    assert bad.status_code == 400 and "error" in bad.json()


def test_no_javascript_form_post_saves_ticks_and_completion(client, enrolled):
    course, student = enrolled
    lesson = LessonPage.objects.get(pk=lesson_ids(course)[0])
    first, second, _third = step_ids(lesson.pk)
    client.force_login(student)
    response = client.post(
        reverse("classes:mark_steps_form", args=[lesson.pk]),
        {"steps": [first, second], "complete": "1", "next": lesson.url},
    )
    assert response.status_code == 302 and response.url == lesson.url
    assert set(StepProgress.objects.values_list("step_id", flat=True)) == {first, second}
    assert LessonProgress.objects.filter(student=student, lesson=lesson).exists()
    client.post(reverse("classes:mark_steps_form", args=[lesson.pk]), {"steps": [first]})
    assert set(StepProgress.objects.values_list("step_id", flat=True)) == {first}
    evil = client.post(
        reverse("classes:mark_steps_form", args=[lesson.pk]), {"steps": [], "next": "https://evil.example/"}
    )
    assert evil.url == lesson.url


def test_answers_record_first_try(client, enrolled):
    course, student = enrolled
    lesson = lesson_ids(course)[0]
    (question,) = step_ids(lesson, "question")
    client.force_login(student)
    url = reverse("classes:answer", args=[lesson])
    first = client.post(url, {"question": question, "choice": 1}, HTTP_ACCEPT="application/json")
    result = first.json()
    assert {key: result[key] for key in ("correct", "first_try")} == {"correct": False, "first_try": True}
    # Once answered, the server hands over the correct choice and the explanation.
    assert result["correct_choices"] == [0] and "电阻限制电流" in result["explanation"]
    again = client.post(url, {"question": question, "choice": 0}, HTTP_ACCEPT="application/json")
    result = again.json()
    assert {key: result[key] for key in ("correct", "first_try")} == {"correct": True, "first_try": False}
    assert QuestionAttempt.objects.get().correct is False


def test_the_lesson_page_holds_no_answer_until_the_student_has_answered(client, enrolled):
    """Issue 11: "check your understanding" is checked on the server; before answering, neither a
    visitor nor the student finds the correct choice or the explanation in the page."""
    course, student = enrolled
    lesson = LessonPage.objects.get(pk=lesson_ids(course)[0])
    (question,) = step_ids(lesson.pk, "question")

    def secrets_in(html):
        return [marker for marker in ("data-correct", "answer-correct", "电阻限制电流") if marker in html]

    assert "限制电流" in client.get(lesson.url).content.decode()  # the choices are there
    assert secrets_in(client.get(lesson.url).content.decode()) == []
    client.force_login(student)
    assert secrets_in(client.get(lesson.url).content.decode()) == []
    client.post(
        reverse("classes:answer", args=[lesson.pk]),
        {"question": question, "choice": 1},
        HTTP_ACCEPT="application/json",
    )
    html = client.get(lesson.url).content.decode()
    assert "answer-correct" in html and "电阻限制电流" in html  # now the student sees the answer
    client.logout()
    assert secrets_in(client.get(lesson.url).content.decode()) == []


def test_my_courses_shows_progress_and_continue(client, enrolled):
    course, student = enrolled
    first, second = lesson_ids(course)
    services.complete_lesson(student, first)
    client.force_login(student)
    html = client.get(en("classes:my_courses")).content.decode()
    assert 'aria-valuenow="50"' in html
    assert LessonPage.objects.get(pk=second).url in html.split("data-continue")[0].rsplit("href=", 1)[1]


# ---------------------------------------------------------------- the dashboard


def _fill_class(school_class, course, students, start=0):
    lessons = lesson_ids(course)
    names = [f"学生{start + n:03d}" for n in range(students)]
    created = services.bulk_create_students(school_class, names)
    User = get_user_model()
    for index, credential in enumerate(created):
        user = User.objects.get(username=credential.username)
        for lesson in lessons[: index % (len(lessons) + 1)]:
            services.complete_lesson(user, lesson)
        if index % 2:
            services.mark_step(user, lessons[-1], step_ids(lessons[-1])[0])
            services.answer_question(user, lessons[0], step_ids(lessons[0], "question")[0], index % 2)


def test_dashboard_queries_do_not_grow(
    client,
    teacher,
    school_class,
    course_with_lessons,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    course = course_with_lessons(lessons=3)
    services.assign_course(school_class, course)
    _fill_class(school_class, course, 4)
    client.force_login(teacher)
    url = en("classes:dashboard", school_class.pk, course.pk)
    with django_assert_max_num_queries(8) as small:
        services.dashboard_for(teacher, school_class.pk, course.pk)
    # captured_queries slices the live query log, which later requests reset: keep the counts now.
    data_queries = len(small)
    response = client.get(url)
    assert response.status_code == 200
    # The page adds the session, the user and the site header (navigation, language switcher).
    # The test client's request_started signal resets the query log; start both counts from empty.
    reset_queries()
    with django_assert_max_num_queries(16) as page_small:
        client.get(url)
    page_queries = len(page_small)
    # A bigger class and course: same number of queries for the data and for the whole page.
    for number in range(3):
        from tests.courses.conftest import make_lesson

        from .conftest import body

        lesson = make_lesson(course, f"加课{number}", program="", parts=())
        lesson.body = body(3, 1)
        lesson.save_revision().publish()
    _fill_class(school_class, course, 12, start=100)
    with django_assert_num_queries(data_queries):
        board = services.dashboard_for(teacher, school_class.pk, course.pk)
    assert len(board.rows) == 16 and len(board.lessons) == 6
    client.get(url)  # publishing pages cleared Wagtail's site caches; compare warm requests
    reset_queries()
    with django_assert_num_queries(page_queries):
        response = client.get(url)
    html = response.content.decode()
    assert html.count('<td class="cell ') == 16 * 6
    assert "学生105" in html


def test_exports(client, teacher, school_class, course_with_lessons):
    course = course_with_lessons(lessons=2)
    services.assign_course(school_class, course)
    _fill_class(school_class, course, 3)
    client.force_login(teacher)
    response = client.get(en("classes:export", school_class.pk, course.pk, "csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][:2] == ["Student", "Lessons done"] and len(rows) == 4
    assert {row[0] for row in rows[1:]} == {"学生000", "学生001", "学生002"}
    response = client.get(en("classes:export", school_class.pk, course.pk, "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 4 and sheet.cell(2, 1).value.startswith("学生")
    assert client.get(f"/en/classes/{school_class.pk}/courses/{course.pk}/export.pdf").status_code == 404


def test_teacher_deletes_student_data(client, teacher, enrolled, school_class):
    course, student = enrolled
    services.complete_lesson(student, lesson_ids(course)[0])
    client.force_login(teacher)
    url = en("classes:delete_student", school_class.pk, student.pk)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not get_user_model().objects.filter(pk=student.pk).exists()
    assert LessonProgress.objects.filter(student=None).count() == 1


def test_exports_keep_a_childs_formula_as_text(client, teacher, school_class, course_with_lessons):
    course = course_with_lessons(lessons=1)
    services.assign_course(school_class, course)
    evil = '=HYPERLINK("https://evil.example","点我")'
    services.join_new_student(school_class, display_name=evil, password="maker-kid-2026")
    services.join_new_student(school_class, display_name="-小明", password="maker-kid-2026")
    client.force_login(teacher)
    response = client.get(en("classes:export", school_class.pk, course.pk, "csv"))
    names = {row[0] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))}
    assert names == {"Student", f"'{evil}", "'-小明"}
    response = client.get(en("classes:export", school_class.pk, course.pk, "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {sheet.cell(row, 1).value: sheet.cell(row, 1).data_type for row in range(2, sheet.max_row + 1)}
    assert cells == {evil: "s", "-小明": "s"}  # text cells, not formulas


def test_a_teacher_cannot_join_a_class_and_be_taken_over(client, teacher, school_class, make_user):
    colleague = make_user("wang", role=roles.Role.TEACHER, school=school_class.school)
    client.force_login(colleague)
    response = client.post(en("classes:join"), {"code": school_class.join_code, "confirm": "1"}, follow=True)
    assert "Only student accounts can join a class with a code." in response.content.decode()
    assert not Membership.objects.filter(student=colleague).exists()
    Membership.objects.create(school_class=school_class, student=colleague)  # however it got there
    client.force_login(teacher)
    assert client.post(en("classes:reset_password", school_class.pk, colleague.pk)).status_code == 403
    assert client.post(en("classes:delete_student", school_class.pk, colleague.pk)).status_code == 403
    colleague.refresh_from_db()
    assert colleague.check_password("pass-w0rd-123") and not colleague.must_change_password


def test_first_password_must_be_changed_before_my_courses(client, school_class):
    (credential,) = services.bulk_create_students(school_class, ["小明"])
    student = get_user_model().objects.get(username=credential.username)
    client.force_login(student)
    response = client.get(en("classes:my_courses"))
    assert response.status_code == 302 and response.url == reverse("accounts:password_change")
    student.must_change_password = False
    student.save()
    assert client.get(en("classes:my_courses")).status_code == 200


def test_teacher_sets_and_clears_due_dates(client, teacher, school_class, course_with_lessons):
    from courses.classes.models import LessonDueDate

    course = course_with_lessons(lessons=2)
    first, second = lesson_ids(course)
    client.force_login(teacher)
    response = client.post(en("classes:assign", school_class.pk), {"course": course.pk})
    assert response.status_code == 302 and school_class.assignments.get().course_id == course.pk
    url = en("classes:due_dates", school_class.pk, course.pk)
    bad = client.post(url, {f"due_{first}": "2026-12-01", f"due_{second}": "next week"}, follow=True)
    assert "“next week” is not a date." in bad.content.decode()
    assert not LessonDueDate.objects.exists()  # nothing saved while one date is wrong
    client.post(url, {f"due_{first}": "2026-12-01", f"due_{second}": "2026-12-08"})
    assert dict(LessonDueDate.objects.values_list("lesson_id", "due_on__day")) == {first: 1, second: 8}
    page = client.get(en("classes:class_detail", school_class.pk)).content.decode()
    assert 'value="2026-12-08"' in page
    client.post(url, {f"due_{first}": "", f"due_{second}": "2026-12-08"})
    assert list(LessonDueDate.objects.values_list("lesson_id", flat=True)) == [second]


def test_teacher_adds_a_colleague_of_the_same_school_only(
    client, teacher, school_class, make_user, other_school
):
    make_user("wang", role=roles.Role.TEACHER, school=school_class.school, display_name="王老师")
    make_user("zhao", role=roles.Role.TEACHER, school=other_school)
    client.force_login(teacher)
    url = en("classes:add_teacher", school_class.pk)
    response = client.post(url, {"username": "wang"}, follow=True)
    assert "王老师 now teaches this class too." in response.content.decode()
    response = client.post(url, {"username": "zhao"}, follow=True)
    assert "zhao teaches at another school." in response.content.decode()
    assert sorted(school_class.teachers.values_list("username", flat=True)) == ["li", "wang"]


def test_student_leaves_keeps_progress_and_teacher_sees_it(client, teacher, enrolled, school_class):
    course, student = enrolled
    services.complete_lesson(student, lesson_ids(course)[0])
    client.force_login(student)
    response = client.post(en("classes:leave", school_class.pk))
    assert response.status_code == 302 and response.url == en("classes:my_courses")
    assert client.get(en("classes:class_detail", school_class.pk)).status_code == 403
    assert f'data-course="{course.pk}"' not in client.get(en("classes:my_courses")).content.decode()
    assert LessonProgress.objects.filter(student=student).count() == 1
    client.force_login(teacher)
    assert "left the class" in client.get(en("classes:class_detail", school_class.pk)).content.decode()


def test_teacher_cannot_reset_or_delete_a_student_who_left(client, teacher, school_class):
    student = services.join_new_student(school_class, display_name="小明", password="maker-kid-2026")
    services.leave_class(school_class, student)
    client.force_login(teacher)
    password = get_user_model().objects.get(pk=student.pk).password
    assert client.post(en("classes:reset_password", school_class.pk, student.pk)).status_code == 403
    assert client.get(en("classes:delete_student", school_class.pk, student.pk)).status_code == 403
    assert client.post(en("classes:delete_student", school_class.pk, student.pk)).status_code == 403
    assert get_user_model().objects.get(pk=student.pk).password == password
