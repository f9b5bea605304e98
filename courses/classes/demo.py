"""Demo class: 七年级（3）班 创客社团 with 30 students at realistic, mixed points of the first course.

Idempotent: students, memberships and progress rows are matched by natural keys, so a second run
adds nothing. Progress times are spread over the last three weeks so the dashboard has late and
stuck students.
"""

import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from makerroom.core import roles

from courses.models import CoursePage, LessonPage

from . import services
from .models import LessonDueDate, LessonProgress, QuestionAttempt, SchoolClass, StepProgress

CLASS_NAME = "七年级（3）班 创客社团"
SCHOOL_YEAR = "2026-2027"
# Display names children might choose: given names and nicknames, never full names.
STUDENT_NAMES = [
    "小雨", "思远", "一鸣", "可欣", "子涵", "浩然", "梓萱", "宇轩", "诗琪", "俊杰",
    "欣怡", "博文", "雨桐", "天佑", "若曦", "嘉豪", "语嫣", "明轩", "佳琪", "泽宇",
    "心怡", "皓轩", "雅琪", "晨阳", "乐乐", "小满", "阿杰", "豆豆", "星辰", "安安",
]  # fmt: skip
ASSIGNED_COURSES = ["first-light", "sensors-and-data"]


def _students(school_class, school):
    User = get_user_model()
    group = roles.role_group(roles.Role.STUDENT)
    students = []
    for number, name in enumerate(STUDENT_NAMES, start=1):
        user, created = User.objects.get_or_create(username=f"g7c3-{number:02d}")
        if created or user.display_name != name or user.school_id != school.pk:
            user.display_name, user.school = name, school
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        user.groups.add(group)
        services.enrol(school_class, user)
        students.append(user)
    return students


def _progress(students, lessons, now):
    """Each student got a different distance into the course; a few stalled weeks ago."""
    rng = random.Random(2026)
    for index, student in enumerate(students):
        reached = [0, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5][index % 13]
        stalled = index % 7 == 3
        days_ago = rng.randint(9, 16) if stalled else rng.randint(0, 3)
        for position, lesson in enumerate(lessons[: reached + 1]):
            when = now - timedelta(days=days_ago + (reached - position) * 2, hours=rng.randint(0, 5))
            step_ids = [block.id for block in lesson.body if block.block_type == "step"]
            finished = position < reached
            ticked = step_ids if finished else step_ids[: rng.randint(0, len(step_ids))]
            StepProgress.objects.bulk_create(
                [StepProgress(student=student, lesson=lesson, step_id=step, done_at=when) for step in ticked],
                ignore_conflicts=True,
            )
            if finished:
                LessonProgress.objects.get_or_create(
                    student=student, lesson=lesson, defaults={"completed_at": when}
                )
            for block in lesson.body:
                if block.block_type != "question" or not (finished or ticked):
                    continue
                choices = block.value["choices"]
                right = next(i for i, choice in enumerate(choices) if choice["correct"])
                choice = right if rng.random() < 0.7 else (right + 1) % len(choices)
                QuestionAttempt.objects.get_or_create(
                    student=student,
                    lesson=lesson,
                    question_id=block.id,
                    defaults={"choice": choice, "correct": choice == right, "answered_at": when},
                )


def seed(context):
    teacher = context.users["teacher"]
    school_class = SchoolClass.objects.filter(
        school=context.school, name=CLASS_NAME, school_year=SCHOOL_YEAR
    ).first()
    if school_class is None:
        school_class = services.create_class(
            teacher=teacher, name=CLASS_NAME, grade=7, school_year=SCHOOL_YEAR, school=context.school
        )
    school_class.teachers.add(teacher)
    if not school_class.join_code_valid():
        services.rotate_join_code(school_class)
    students = _students(school_class, context.school)
    services.enrol(school_class, context.users["student"])

    now = timezone.now()
    courses = {
        c.slug: c
        for c in CoursePage.objects.filter(slug__in=ASSIGNED_COURSES, locale__language_code="zh-hans")
    }
    for slug in ASSIGNED_COURSES:
        course = courses.get(slug)
        if course is None:
            continue
        assignment = services.assign_course(school_class, course, by=teacher)
        lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
        if slug == ASSIGNED_COURSES[0]:
            # Due dates a week apart; the first two are past, so students behind them show as late.
            for position, lesson in enumerate(lessons):
                due_on = (now - timedelta(days=10 - 7 * position)).date()
                LessonDueDate.objects.get_or_create(
                    assignment=assignment, lesson=lesson, defaults={"due_on": due_on}
                )
            _progress(students, lessons, now)
    context.log.append(
        f"  班级 Class:   {school_class.name}，班级码 {school_class.join_code}，{len(students)} 名演示学生 (g7c3-01 … g7c3-30)"
    )
