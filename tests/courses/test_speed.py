"""Lesson pages render in a constant, small number of queries; the anonymous page cache is
invalidated on publish and never used for logged-in visitors."""

import traceback
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import courses

from .conftest import make_image

pytestmark = pytest.mark.django_db

# At most 12 queries on a 30-block lesson page (uncached, anonymous):
# - 5 are Wagtail's own serving: site, locale, routing from the site root down to the lesson;
#   its view-restriction check is kept until the next publish (makerroom.core.page_cache);
# - 4 are the lesson's (COURSES_LESSON_QUERIES): course, siblings, parts, prerequisites. The live
#   lesson the route found, with its body's images, is kept until the next publish;
# - the header (navigation links, language switcher) is kept until the next publish: none.
# The first view after a publish reads again what every publish makes stale (the route, the body's
# images, the view-restriction check and the header's pages): 9 from this app's code.
COURSES_LESSON_QUERIES = 4
COURSES_LESSON_QUERIES_AFTER_PUBLISH = 9
MAX_LESSON_QUERIES = 12
COURSES_DIR = str(Path(courses.__file__).parent)
CLASSES_DIR = str(Path(courses.__file__).parent / "classes")


@pytest.fixture
def no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def _courses_queries(client, url):
    """Queries made from this app's code (courses/, not courses/classes/) while serving url."""
    own = []

    def record(execute, sql, params, many, context):
        files = [frame.filename for frame in traceback.extract_stack()]
        if any(f.startswith(COURSES_DIR) and not f.startswith(CLASSES_DIR) for f in files):
            own.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert client.get(url).status_code == 200
    return len(own)


@pytest.mark.parametrize("lessons", [5, 50])
def test_lesson_page_with_30_blocks_makes_a_fixed_number_of_queries(
    client, no_page_cache, make_course, lesson_factory, lessons
):
    images = [make_image(f"图{i}") for i in range(3)]
    course = make_course(lessons=lessons - 1, blocks=2)
    lesson = lesson_factory(course, "三十个步骤的课", blocks=30, image=images[0])
    client.get(lesson.url)  # renditions are made once, on the first view
    count, response = _queries(client, lesson.url)
    assert response.content.decode().count("data-step-id=") == 30
    assert count <= MAX_LESSON_QUERIES
    assert _courses_queries(client, lesson.url) == COURSES_LESSON_QUERIES
    lesson.save_revision().publish()  # a publish forgets the kept lesson: it is read again
    assert _courses_queries(client, lesson.url) == COURSES_LESSON_QUERIES_AFTER_PUBLISH
    assert _courses_queries(client, lesson.url) == COURSES_LESSON_QUERIES


def test_query_counts_do_not_grow_with_lessons_or_blocks(client, no_page_cache, make_course, lesson_factory):
    image = make_image()
    counts = []
    for lessons, blocks in ((5, 10), (50, 30)):
        course = make_course(lessons=lessons - 1, blocks=2)
        lesson = lesson_factory(course, "课", blocks=blocks, image=image)
        client.get(lesson.url)
        client.get(course.url)
        counts.append((_queries(client, lesson.url)[0], _queries(client, course.url)[0]))
    assert counts[0] == counts[1]


def test_course_index_and_home_query_counts_are_constant(client, no_page_cache, course_index, make_course):
    image = make_image()
    make_course(cover_image=image)
    client.get(course_index.url)
    client.get("/")  # warm, as below: the header's links are kept until the next publish
    few = (_queries(client, course_index.url)[0], _queries(client, "/")[0])
    for number in range(15):
        make_course(f"课程{number}", cover_image=make_image(f"封面{number}"))
    client.get(course_index.url)
    client.get("/")
    many = (_queries(client, course_index.url)[0], _queries(client, "/")[0])
    assert few == many


def test_anonymous_page_cache_serves_hits_and_shows_edits_after_publishing(
    client, make_course, lesson_factory
):
    lesson = lesson_factory(make_course(), "点亮第一盏灯")
    first = client.get(lesson.url)
    assert first["X-Page-Cache"] == "miss"
    count, second = _queries(client, lesson.url)
    assert second["X-Page-Cache"] == "hit" and second.content == first.content
    # a draft edit does not change the public page ...
    lesson.title = "点亮第一盏灯（修订版）"
    lesson.save_revision()
    assert "修订版" not in client.get(lesson.url).content.decode()
    # ... publishing it does, at once
    lesson.get_latest_revision().publish()
    response = client.get(lesson.url)
    assert response["X-Page-Cache"] == "miss" and "修订版" in response.content.decode()
    # and pages that list it (the course page) are refreshed too
    course_html = client.get(lesson.get_parent().url).content.decode()
    assert "修订版" in course_html


def test_unpublishing_removes_the_cached_page(client, make_course, lesson_factory):
    lesson = lesson_factory(make_course(), "临时课")
    client.get(lesson.url)
    assert client.get(lesson.url)["X-Page-Cache"] == "hit"
    lesson.unpublish()
    assert client.get(lesson.url).status_code == 404


def test_logged_in_visitors_never_get_or_fill_the_shared_cache(
    client, make_user, make_course, lesson_factory
):
    lesson = lesson_factory(make_course(), "点亮第一盏灯")
    client.force_login(make_user("teacher-a", is_superuser=True, is_staff=True))
    response = client.get(lesson.url)
    assert "X-Page-Cache" not in response
    assert "userbar" in response.content.decode()  # the logged-in view (Wagtail's user bar)
    client.logout()
    anonymous = client.get(lesson.url)
    assert anonymous["X-Page-Cache"] == "miss"  # the logged-in view was not stored
    assert "userbar" not in anonymous.content.decode()
    client.force_login(make_user("teacher-b", is_superuser=True, is_staff=True))
    assert "X-Page-Cache" not in client.get(lesson.url)


def test_requests_with_a_query_string_bypass_the_cache(client, course_index, make_course):
    make_course()
    client.get(course_index.url)
    assert client.get(course_index.url)["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in client.get(course_index.url + "?level=advanced")


def test_making_a_page_private_stops_serving_it_from_the_cache(client, make_course, lesson_factory):
    from wagtail.models import PageViewRestriction

    lesson = lesson_factory(make_course(), "内部课")
    client.get(lesson.url)
    assert client.get(lesson.url)["X-Page-Cache"] == "hit"
    PageViewRestriction.objects.create(page=lesson, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(lesson.url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_restriction_added_after_a_view_applies_at_once(client, no_page_cache, make_course, lesson_factory):
    from wagtail.models import PageViewRestriction

    lesson = lesson_factory(make_course(), "内部课")
    assert client.get(lesson.url).status_code == 200  # the unrestricted ancestry is now remembered
    PageViewRestriction.objects.create(page=lesson.get_parent(), restriction_type="login")
    response = client.get(lesson.url)
    assert response.status_code == 302 and "/login/" in response["Location"]


# A logged-in student's lesson page (issue 12): at most 10 queries, the same number for 5 lessons of
# 10 blocks and 50 lessons of 30 blocks, with the student enrolled in a class the course is assigned to.
# The parts every visitor sees alike (breadcrumb, header, parts, prerequisites, the steps, the licence
# and the pager) come from the fragment cache ({% wagtailpagecache %} in lesson_page.html), and the
# site, its root page and the top-level pages are kept until the next publish; what is left is
# 8 queries: session, user, the lesson (routing), the student's roles and permissions (one query),
# Session, user, roles and permissions, 3 progress reads (ticks, completion, answers) and the workspace
# (+1 for its versions once it exists); the lesson itself is kept until the next publish. With the
# shared parts rendered on every request (no fragment cache) 4 more: course, siblings, parts,
# prerequisites (the body's images are kept with the lesson), also constant.
MAX_STUDENT_LESSON_QUERIES = 10
STUDENT_LESSON_QUERIES = 7
FIRST_STUDENT_LESSON_QUERIES = 11


@pytest.fixture
def enrolled(make_user, school):
    """A teacher's class with two students; enrolled.assign(course) assigns a course to it."""
    from makerroom.core import roles

    from courses.classes import services

    class Enrolled:
        teacher = make_user("li", role=roles.Role.TEACHER, school=school)
        students = [
            make_user(name, role=roles.Role.STUDENT, school=school) for name in ("xiaoming", "xiaohong")
        ]
        school_class = services.create_class(
            teacher=teacher, name="七年级（3）班", grade=7, school_year="2026-2027"
        )

        def assign(self, course):
            services.assign_course(self.school_class, course)

    enrolled = Enrolled()
    for student in enrolled.students:
        services.enrol(enrolled.school_class, student)
    return enrolled


def _class_lessons_of_two_sizes(make_course, lesson_factory, enrolled):
    """(lesson, its blocks) for a lesson of 10 blocks in a course of 5 and one of 30 blocks in a
    course of 50, each assigned to the class."""
    image = make_image()
    for lessons, blocks in ((5, 10), (50, 30)):
        course = make_course(lessons=lessons - 1, blocks=2)
        enrolled.assign(course)
        yield lesson_factory(course, "课", blocks=blocks, image=image), blocks


def _student_lesson_query_counts(client, make_course, lesson_factory, enrolled):
    client.force_login(enrolled.students[0])
    counts = []
    for lesson, blocks in _class_lessons_of_two_sizes(make_course, lesson_factory, enrolled):
        client.get(lesson.url)  # renditions are made once, on the first view (and the shared parts kept)
        count, response = _queries(client, lesson.url)
        assert response.content.decode().count("data-step-id=") == blocks
        counts.append(count)
    return counts


def test_a_logged_in_students_lesson_page_makes_at_most_10_queries_however_big(
    client, make_course, lesson_factory, enrolled
):
    counts = _student_lesson_query_counts(client, make_course, lesson_factory, enrolled)
    assert counts == [STUDENT_LESSON_QUERIES] * 2, counts
    assert STUDENT_LESSON_QUERIES <= MAX_STUDENT_LESSON_QUERIES


# A logged-in student's lesson page asks Redis two things: the session, and the memo generation (read
# once per request). The menus, site and routing it keys are kept in the worker, and so are the two
# fragments of the lesson every student sees alike (above and below the student's own progress) once
# the worker has read them (makerroom.core.cache_backend.FragmentCache).
STUDENT_LESSON_CACHE_CALLS = 2


def _count_cache_calls(monkeypatch):
    """Count the commands Django's Redis cache client sends (get, set, incr, …)."""
    from django.core.cache.backends.redis import RedisCacheClient

    calls = []
    for name in (
        "get",
        "set",
        "add",
        "touch",
        "delete",
        "get_many",
        "set_many",
        "delete_many",
        "incr",
        "has_key",
    ):
        original = getattr(RedisCacheClient, name)

        def counted(self, *args, _original=original, _name=name, **kwargs):
            calls.append((_name, args[0] if args else None))
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(RedisCacheClient, name, counted)
    return calls


def test_a_logged_in_students_lesson_page_makes_one_cache_round_trip_however_big(
    client, production_caches, monkeypatch, make_course, lesson_factory, enrolled
):
    calls = _count_cache_calls(monkeypatch)
    client.force_login(enrolled.students[0])
    counts = []
    for lesson, blocks in _class_lessons_of_two_sizes(make_course, lesson_factory, enrolled):
        client.get(lesson.url)  # the first view renders and keeps what every student sees alike
        client.force_login(enrolled.students[1])  # the next student: their own progress, the shared body
        calls.clear()
        assert client.get(lesson.url).content.decode().count("data-step-id=") == blocks
        counts.append(len(calls))
    assert counts == [STUDENT_LESSON_CACHE_CALLS] * 2, calls
    assert any(key.endswith(client.session.session_key) for _, key in calls)  # the session, from Redis


def test_the_first_students_render_of_a_lesson_also_makes_a_fixed_number_of_queries(
    client, settings, make_course, lesson_factory, enrolled
):
    settings.PAGE_FRAGMENT_SECONDS = 0  # every request renders the shared parts
    counts = _student_lesson_query_counts(client, make_course, lesson_factory, enrolled)
    assert counts == [FIRST_STUDENT_LESSON_QUERIES] * 2, counts


def _rendered_templates(response):
    return {template.name for template in response.templates}


def _between(html, start, end):
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


def test_the_next_student_gets_the_lesson_body_from_the_cache_with_their_own_progress(
    client, make_course, lesson_factory, enrolled
):
    from courses.classes import services

    course = make_course(lessons=3)
    enrolled.assign(course)
    lesson = lesson_factory(course, "点亮第一盏灯", blocks=12, image=make_image())
    first, second = enrolled.students
    step_id = next(block.id for block in lesson.body if block.block_type == "step")
    services.mark_step(first, lesson.pk, step_id)

    client.force_login(first)
    first_count, first_page = _queries(client, lesson.url)
    assert "courses/blocks/step.html" in _rendered_templates(first_page)  # the first view renders it
    client.force_login(second)
    second_count, second_page = _queries(client, lesson.url)
    assert "courses/blocks/step.html" not in _rendered_templates(second_page)  # ... the next one does not
    assert second_count < first_count
    first_html, second_html = first_page.content.decode(), second_page.content.decode()
    body = ('<nav aria-label="', '<section class="lesson-progress')
    assert _between(first_html, *body) == _between(second_html, *body)
    assert second_html.count("data-step-id=") == 12
    # the per-student parts are each student's own
    assert f'data-done="[&quot;{step_id}&quot;]"' in first_html
    assert 'data-done="[]"' in second_html
    assert 'data-done="[]"' not in first_html


def test_publishing_a_lesson_shows_its_new_body_to_the_next_student(
    client, make_course, lesson_factory, enrolled
):
    course = make_course(lessons=2)
    enrolled.assign(course)
    lesson = lesson_factory(course, "点亮第一盏灯", blocks=6)
    client.force_login(enrolled.students[0])
    assert "连接电路" in _between(
        client.get(lesson.url).content.decode(), '<ol class="steps">', "lesson-progress"
    )
    assert "courses/blocks/step.html" not in _rendered_templates(client.get(lesson.url))  # kept
    # a draft changes nothing ...
    lesson.body = [
        {"type": "step", "value": {**block["value"], "heading": "焊接电路"}, "id": block["id"]}
        if block["type"] == "step"
        else block
        for block in lesson.body.raw_data
    ]
    revision = lesson.save_revision()
    client.force_login(enrolled.students[1])
    draft_html = client.get(lesson.url).content.decode()
    assert "焊接电路" not in draft_html  # nowhere, the checklist included
    # ... publishing it shows the new body to the next student at once
    revision.publish()
    steps = _between(client.get(lesson.url).content.decode(), '<ol class="steps">', "lesson-progress")
    assert "焊接电路" in steps and "连接电路" not in steps


def test_publishing_a_sibling_refreshes_the_pager_of_a_kept_lesson(
    client, make_course, lesson_factory, enrolled
):
    course = make_course()
    enrolled.assign(course)
    lesson = lesson_factory(course, "第一课")
    client.force_login(enrolled.students[0])
    assert "lesson-pager" in client.get(lesson.url).content.decode()
    lesson_factory(course, "第二课：呼吸灯")
    html = client.get(lesson.url).content.decode()
    assert 'rel="next"' in html and "第二课：呼吸灯" in html and "第 1 课 / 共 2 课" in html


def test_a_lesson_that_asks_nothing_does_not_look_up_the_students_answers(
    client, make_course, lesson_factory, enrolled
):
    client.force_login(enrolled.students[0])
    course = make_course(lessons=1, blocks=2)
    enrolled.assign(course)
    asking = lesson_factory(course, "有问题的课", blocks=12)
    silent = lesson_factory(course, "只有步骤的课", blocks=1)
    assert any(b["type"] == "question" for b in asking.body.raw_data)
    assert not any(b["type"] == "question" for b in silent.body.raw_data)
    sql = {}
    for lesson in (asking, silent):
        client.get(lesson.url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(lesson.url).status_code == 200
        sql[lesson.pk] = [q["sql"] for q in captured.captured_queries]
    assert any("questionattempt" in q for q in sql[asking.pk])
    assert not any("questionattempt" in q for q in sql[silent.pk])
    assert len(sql[silent.pk]) == len(sql[asking.pk]) - 1
