"""Teacher dashboard of a class: students × lessons, built and rendered in-process.

Prints, per size, the SQL queries and the median time of (a) building the data
(courses.classes.services.dashboard_for, target: at most 8 queries) and (b) the whole page through
Django's test client (target: under 150 ms at 50 × 40), plus the queries of marking one step
(target: at most 4).

    .venv/bin/python bench/classes_dashboard.py [--sizes 50x40,200x100] [--repeat 7]

Uses its own database: a fresh SQLite file in /tmp unless DATABASE_URL is set (use a throwaway one).
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"}
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50x40,200x100", help="students x lessons, comma-separated")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='classes-bench-')}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "makerroom.settings.dev")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    print(f"database: {os.environ['DATABASE_URL']}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - started:.1f} s")
    rng = random.Random(args.seed)
    for size in args.sizes.split(","):
        students, lessons = (int(n) for n in size.lower().split("x"))
        measure(*build(students, lessons, rng), args.repeat, f"{students}×{lessons}")


def build(n_students, n_lessons, rng):
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from makerroom.core import roles
    from makerroom.core.models import School, SchoolStage
    from makerroom.home.demo import ensure_tree

    from courses.classes import services
    from courses.classes.models import LessonProgress, Membership, QuestionAttempt, StepProgress
    from courses.models import CourseIndexPage, CoursePage, LessonPage

    started = time.perf_counter()
    tag = uuid.uuid4().hex[:6]
    home = ensure_tree()
    school = School.objects.create(code=f"SZ-B{tag}", name=f"基准测试学校{tag}", stage=SchoolStage.JUNIOR)
    User = get_user_model()
    teacher = User.objects.create_user(f"t-{tag}", password="bench-pass-123", school=school)
    teacher.groups.add(roles.role_group(roles.Role.TEACHER))
    index = home.add_child(instance=CourseIndexPage(title="课程", slug=f"bench-{tag}"))
    course = index.add_child(
        instance=CoursePage(
            title="创客启蒙：点亮第一盏灯",
            slug="course",
            school=school,
            summary="基准测试课程",
            level="first-steps",
            total_hours=40,
            objectives="认识 ESP32",
        )
    )
    step = {
        "heading": "连接电路",
        "text": "<p>把 LED 接到 GPIO2。</p>",
        "image": None,
        "video": None,
        "code": {"filename": "main.py", "code": "print(1)"},
    }
    question = {
        "question": "电阻的作用是什么？",
        "choices": [{"text": "限制电流", "correct": True}, {"text": "让 LED 更亮", "correct": False}],
        "explanation": "<p>限流。</p>",
    }
    lessons = []
    for number in range(n_lessons):
        body = [{"type": "step", "value": dict(step, heading=f"第{k + 1}步")} for k in range(5)]
        body.append({"type": "question", "value": question})
        lesson = course.add_child(
            instance=LessonPage(
                title=f"第{number + 1}课",
                slug=f"l{number}",
                summary="动手做",
                objectives="连接电路",
                body=body,
            )
        )
        lessons.append(LessonPage.objects.get(pk=lesson.pk))
    school_class = services.create_class(
        teacher=teacher, name=f"基准班{tag}", grade=7, school_year="2026-2027"
    )
    assignment = services.assign_course(school_class, course, by=teacher)
    students = User.objects.bulk_create(
        [
            User(username=f"s-{tag}-{n}", display_name=f"学生{n:03d}", school=school, password="!")
            for n in range(n_students)
        ]
    )
    Membership.objects.bulk_create([Membership(school_class=school_class, student=s) for s in students])
    now = timezone.now()
    steps, completions, answers = [], [], []
    for student in students:
        reached = rng.randint(0, n_lessons)
        for position, lesson in enumerate(lessons[: reached + 1]):
            when = now - timedelta(days=rng.randint(0, 20))
            ids = [b.id for b in lesson.body]
            finished = position < reached
            steps += [
                StepProgress(student=student, lesson=lesson, step_id=i, done_at=when)
                for i in (ids[:5] if finished else ids[: rng.randint(0, 5)])
            ]
            if finished:
                completions.append(LessonProgress(student=student, lesson=lesson, completed_at=when))
                answers.append(
                    QuestionAttempt(
                        student=student,
                        lesson=lesson,
                        question_id=ids[5],
                        choice=0,
                        correct=rng.random() < 0.7,
                    )
                )
    StepProgress.objects.bulk_create(steps, batch_size=2000)
    LessonProgress.objects.bulk_create(completions, batch_size=2000)
    QuestionAttempt.objects.bulk_create(answers, batch_size=2000)
    print(
        f"\nbuilt {n_students} students × {n_lessons} lessons: {len(steps)} ticked steps, "
        f"{len(completions)} completed lessons in {time.perf_counter() - started:.1f} s"
    )
    return teacher, school_class, course, assignment, students[0], lessons[0]


def measure(teacher, school_class, course, assignment, student, lesson, repeat, label):
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from courses.classes import services

    def timed(fn):
        """Median and worst time, and the SQL statements of the last run. SQLite logs the BEGIN and
        COMMIT of a write (PostgreSQL's driver sends them without Django logging them): counted apart."""
        times, queries = [], ""
        for _ in range(repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                fn()
                times.append((time.perf_counter() - start) * 1000)
            statements = [query["sql"].split(None, 1)[0].upper() for query in captured.captured_queries]
            control = sum(1 for word in statements if word in TRANSACTION_CONTROL)
            queries = f"{len(statements) - control}" + (f" (+{control} BEGIN/COMMIT)" if control else "")
        return statistics.median(times), max(times), queries

    median, worst, queries = timed(lambda: services.dashboard_for(teacher, school_class.pk, course.pk))
    print(f"{label}  dashboard data:  {queries} queries, median {median:.1f} ms (max {worst:.1f} ms)")
    client = Client()
    client.force_login(teacher)
    url = reverse("classes:dashboard", args=[school_class.pk, course.pk])

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    page()  # warm the template cache
    median, worst, queries = timed(page)
    print(f"{label}  dashboard page:  {queries} queries, median {median:.1f} ms (max {worst:.1f} ms)")
    client.force_login(student)
    step_id = next(b.id for b in lesson.body if b.block_type == "step")
    mark = reverse("classes:mark_step", args=[lesson.pk])
    median, worst, queries = timed(
        lambda: client.post(mark, {"step": step_id}, HTTP_ACCEPT="application/json", HTTP_HOST="localhost")
    )
    print(f"{label}  mark a step:     {queries} queries, median {median:.1f} ms (max {worst:.1f} ms)")


if __name__ == "__main__":
    main()
