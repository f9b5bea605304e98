"""Teacher dashboard (issue 16): all steps ticked but not completed is shown as such; a student who
never started is listed under 卡住了 however recently they joined. Issue 14: each student's saved
code per lesson with its last check (passed / failed / never run), in a constant number of queries."""

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from makerroom.core import roles

from courses.classes import services
from courses.models import LessonPage

from .conftest import lesson_ids, step_ids
from .test_views import en

pytestmark = pytest.mark.django_db


def test_ticked_lessons_and_never_started_students_on_the_dashboard(
    client, teacher, school_class, course_with_lessons
):
    course = course_with_lessons(lessons=2, steps=2)
    first, second = lesson_ids(course)
    services.assign_course(school_class, course)
    ticker = services.join_new_student(school_class, display_name="阿宝", password="maker-kid-2026")
    services.join_new_student(school_class, display_name="新来的", password="maker-kid-2026")
    for step in step_ids(first):
        services.mark_step(ticker, first, step)
    board = services.dashboard_for(teacher, school_class.pk, course.pk)
    grid = {m.student.display_name: [c["state"] for c in cells] for m, cells, _s in board.rows}
    assert grid == {"阿宝": [services.TICKED, "not_started"], "新来的": ["not_started", "not_started"]}
    assert [(m.student.display_name, since) for m, since in board.stuck] == [("新来的", None)]
    client.force_login(teacher)
    html = client.get(en("classes:dashboard", school_class.pk, course.pk)).content.decode()
    assert 'class="cell ticked"' in html and "All steps ticked, not marked complete" in html
    assert "not started yet" in html


def test_lesson_columns_show_short_titles_with_the_full_title_on_hover_and_tap(
    client, teacher, school_class, course_with_lessons
):
    course = course_with_lessons(lessons=1)
    lesson = course.get_children().specific().first()
    lesson.title = "用超声波传感器测量距离并报警"
    lesson.save_revision().publish()
    services.assign_course(school_class, course)
    client.force_login(teacher)
    html = client.get(en("classes:dashboard", school_class.pk, course.pk)).content.decode()
    assert "1. 用超声波传感…</span>" in html
    assert f'data-full-title="{lesson.title}"' in html and f'title="{lesson.title}"' in html
    assert 'tabindex="0" data-full-title' in html  # a tap focuses it and shows the full title


def test_students_see_their_own_overdue_lessons_on_my_courses(
    client, teacher, school_class, course_with_lessons
):
    from datetime import timedelta

    from django.utils import timezone

    course = course_with_lessons(lessons=2)
    first, second = lesson_ids(course)
    today = timezone.localdate()
    services.assign_course(
        school_class, course, due_dates={first: today - timedelta(days=3), second: today + timedelta(days=2)}
    )
    student = services.join_new_student(school_class, display_name="阿宝", password="maker-kid-2026")
    client.force_login(student)
    html = client.get("/classes/my/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert html.count("已逾期 3 天") == 1
    services.complete_lesson(student, first)
    assert "已逾期" not in client.get("/classes/my/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


# ---------------------------------------------------------------- students' code on the dashboard

PASSED = {"ok": True, "first_wrong_us": None, "results": [{"index": 0, "kind": "toggle", "ok": True}]}
FAILED = {"ok": False, "first_wrong_us": 800000, "results": [{"index": 0, "kind": "toggle", "ok": False}]}


def _bench_course(course_with_lessons, lessons):
    """A course whose lessons run the blink program on the workbench, and one lesson without."""
    from tests.courses.conftest import make_lesson

    course = course_with_lessons(lessons=1)  # no bundled program: no workbench, no code column
    for number in range(lessons):
        make_lesson(course, f"闪烁{number}", program="blink", parts=())
    return course


def _save_code(school_class, course, students, start=0):
    """Students who join and save code: a passed check, a failed one, never checked, no code."""
    from courses.workspace import services as workspace

    _no_bench, *bench = lesson_ids(course)
    lessons = {lesson.pk: lesson for lesson in LessonPage.objects.filter(pk__in=bench)}
    joined = []
    for n in range(students):
        student = services.join_new_student(
            school_class, display_name=f"学生{start + n:03d}", password="maker-kid-2026"
        )
        joined.append(student)
        for index, lesson_id in enumerate(bench):
            kind = (n + index) % 4
            if kind < 3:
                check = (PASSED, FAILED, None)[kind]
                workspace.save_code(student, lessons[lesson_id], {"main.py": f"# {n}\n"}, {"main.py"}, check)
    return joined


def test_the_dashboard_shows_each_students_code_and_last_check(
    client, teacher, school_class, course_with_lessons, make_user, school
):
    from courses.workspace.models import Workspace

    course = _bench_course(course_with_lessons, 1)
    services.assign_course(school_class, course)
    passed, failed, unchecked, nothing = _save_code(school_class, course, 4)
    board = services.dashboard_for(teacher, school_class.pk, course.pk)
    code = {m.student.display_name: [(c["bench"], c["code"]) for c in cells] for m, cells, _s in board.rows}
    assert [bench for bench, _c in code["学生000"]] == [False, True]  # only a workbench lesson saves code
    assert code["学生000"][1][1].passed is True and code["学生001"][1][1].passed is False
    assert code["学生002"][1][1].passed is None and code["学生003"][1][1] is None
    assert code["学生000"][0][1] is None

    client.force_login(teacher)
    html = client.get(en("classes:dashboard", school_class.pk, course.pk)).content.decode()
    links = {
        student.display_name: en("courses:workspace:code", Workspace.objects.get(student=student).pk)
        for student in (passed, failed, unchecked)
    }
    assert f'<a class="code-state passed" href="{links["学生000"]}"' in html
    assert f'<a class="code-state failed" href="{links["学生001"]}"' in html
    assert f'<a class="code-state unchecked" href="{links["学生002"]}"' in html
    assert html.count('<span class="code-state none" title=') == 1  # 学生003 saved nothing: never checked
    assert "Code: check passed" in html and "Code: check not passed" in html
    # Display names only: never a child's login.
    assert all(student.username not in html for student in (passed, failed, unchecked, nothing))
    # The link opens the student's code read-only, with its last check, for the class's teacher.
    page = client.get(links["学生001"]).content.decode()
    assert "学生001" in page and "# 1" in page and failed.username not in page
    assert "not right yet" in page

    # In Chinese: the legend and the labels.
    with translation.override("zh-hans"):
        zh = client.get(reverse("classes:dashboard", args=[school_class.pk, course.pk])).content.decode()
    assert "代码：检查通过" in zh and "还没有保存代码" in zh and "保存于" in zh


def test_a_teacher_of_another_class_sees_neither_the_board_nor_the_code(
    client, teacher, school_class, course_with_lessons, make_user, school
):
    from courses.workspace.models import Workspace

    course = _bench_course(course_with_lessons, 1)
    services.assign_course(school_class, course)
    _save_code(school_class, course, 1)
    other = make_user("wang", role=roles.Role.TEACHER, school=school)
    services.create_class(teacher=other, name="七年级（4）班", grade=7, school_year="2026-2027")
    client.force_login(other)
    assert client.get(en("classes:dashboard", school_class.pk, course.pk)).status_code == 403
    code = en("courses:workspace:code", Workspace.objects.get().pk)
    assert client.get(code).status_code == 404


def _code_cells(html):
    return html.count('<a class="code-state ') + html.count('<span class="code-state none" title=')


def _counts(client, url, teacher, school_class, course):
    """Queries of the dashboard's data and of the whole page (warm: Wagtail's site caches filled).
    The query log is a bounded deque that the setup filled: counts start from an empty log."""
    reset_queries()
    with CaptureQueriesContext(connection) as data:
        board = services.dashboard_for(teacher, school_class.pk, course.pk)
    client.get(url)
    reset_queries()
    with CaptureQueriesContext(connection) as page:
        response = client.get(url)
    assert response.status_code == 200
    return len(data), len(page), board, response.content.decode()


def test_the_code_column_keeps_the_dashboards_query_count_constant(
    client, teacher, school_class, course_with_lessons
):
    from tests.courses.conftest import make_lesson

    course = _bench_course(course_with_lessons, 2)
    services.assign_course(school_class, course)
    _save_code(school_class, course, 3)
    client.force_login(teacher)
    url = en("classes:dashboard", school_class.pk, course.pk)
    small_data, small_page, board, html = _counts(client, url, teacher, school_class, course)
    assert len(board.rows) == 3 and len(board.lessons) == 3
    assert _code_cells(html) == 3 * 2
    assert small_data == 7  # six for progress, one for the students' code

    # Four times the students, more lessons with a workbench, every cell with code or not.
    for number in range(3):
        make_lesson(course, f"加课{number}", program="blink", parts=())
    _save_code(school_class, course, 9, start=100)
    big_data, big_page, board, html = _counts(client, url, teacher, school_class, course)
    assert len(board.rows) == 12 and len(board.lessons) == 6
    assert _code_cells(html) == 12 * 5  # the first three get the new lessons too
    assert (big_data, big_page) == (small_data, small_page)
