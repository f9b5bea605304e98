"""Teacher dashboard (issue 16): all steps ticked but not completed is shown as such; a student who
never started is listed under 卡住了 however recently they joined."""

import pytest

from courses.classes import services

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
