"""What the course pages show: the filtered, paginated listing with search facets, a course's lessons,
a lesson's neighbours, parts and program. Query counts stay constant however many lessons a course has."""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.http import urlencode
from makerroom.core.chinese_search import search as chinese_search
from makerroom.core.chinese_search import snippet
from makerroom.core.models import SchoolStage
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from .choices import Level
from .programs import program_files

COURSES_PER_PAGE = 12
MAX_LESSON_HITS = 30


def _course_models():
    from .models import CoursePage, LessonPage, Stage

    return CoursePage, LessonPage, Stage


def _with_cover(queryset):
    images = get_image_model().objects.prefetch_renditions()
    return queryset.prefetch_related(Prefetch("cover_image", queryset=images), "stages", "tags")


def course_listing(index, request):
    CoursePage, LessonPage, _Stage = _course_models()
    params = request.GET
    level = params.get("level") if params.get("level") in Level.values else ""
    stage = params.get("stage") if params.get("stage") in SchoolStage.values else ""
    tag = params.get("tag", "").strip()
    query = params.get("q", "").strip()

    courses = CoursePage.objects.child_of(index).live().public()
    lesson_hits = []
    if query:
        course_ids = [page.pk for page in chinese_search(courses, query)]
        lessons = LessonPage.objects.descendant_of(index).live().public()
        lesson_hits = list(chinese_search(lessons, query)[:MAX_LESSON_HITS])
        # A lesson that matches brings its course into the results.
        parent_paths = {lesson.path[: -lesson.steplen] for lesson in lesson_hits}
        course_ids += list(courses.filter(path__in=parent_paths).values_list("pk", flat=True))
        courses = courses.filter(pk__in=course_ids)
    if tag:
        courses = courses.filter(tags__slug=tag)

    # Each facet counts the courses the *other* active filters leave (level counts under the chosen
    # stage and the reverse), so a count says what clicking it would show.
    by_stage = courses.filter(stages__slug=stage) if stage else courses
    by_level = courses.filter(level=level) if level else courses
    level_counts = dict(by_stage.order_by().values_list("level").annotate(n=Count("pk", distinct=True)))
    stage_counts = dict(
        by_level.order_by().values_list("stages__slug").annotate(n=Count("pk", distinct=True))
    )
    if level:
        courses = courses.filter(level=level)
    if stage:
        courses = courses.filter(stages__slug=stage)
    courses = _with_cover(courses.distinct().order_by("-first_published_at", "path"))

    paginator = Paginator(courses, COURSES_PER_PAGE)
    page_obj = paginator.get_page(params.get("page"))
    if query:
        lesson_hits = _lesson_hits(lesson_hits, courses, query)

    def link(**changes):
        current = {"q": query, "level": level, "stage": stage, "tag": tag}
        current.update(changes)
        return "?" + urlencode({key: value for key, value in current.items() if value})

    return {
        "courses": page_obj,
        "page_obj": page_obj,
        "query": query,
        "lesson_hits": lesson_hits,
        "active": {"level": level, "stage": stage, "tag": tag},
        "level_facets": [
            {
                "value": value,
                "label": label,
                "count": level_counts.get(value, 0),
                "url": link(level="" if level == value else value),
                "active": level == value,
            }
            for value, label in Level.choices
        ],
        "stage_facets": [
            {
                "value": value,
                "label": label,
                "count": stage_counts.get(value, 0),
                "url": link(stage="" if stage == value else value),
                "active": stage == value,
            }
            for value, label in SchoolStage.choices
        ],
        "clear_url": link(level="", stage="", tag=""),
        "clear_level_url": link(level=""),
        "clear_stage_url": link(stage=""),
        "clear_tag_url": link(tag=""),
        "extra_query": urlencode(
            {k: v for k, v in {"q": query, "level": level, "stage": stage, "tag": tag}.items() if v}
        ),
    }


def _lesson_hits(lessons, courses, query):
    """The matching lessons of the courses left by the filters, each with its course, the course's
    level and a snippet of the lesson's text around the match (one query for the courses)."""
    CoursePage, _LessonPage, _Stage = _course_models()
    kept = {course.path: course for course in CoursePage.objects.filter(pk__in=courses.values("pk"))}
    hits = []
    for lesson in lessons:
        course = kept.get(lesson.path[: -lesson.steplen])
        if course is None:
            continue
        hits.append(
            {
                "lesson": lesson,
                "course": course,
                "where": lesson.search_result_context(course),
                "snippet": snippet(lesson.search_result_text(), query),
            }
        )
    return hits


def _course_index_of(page, course):
    """The course index above a course or lesson, for the breadcrumb: kept by CourseIndexPage.route,
    else looked up (previews, and other ways of serving a page that do not route through the index)."""
    index = getattr(page, "course_index", None)
    return index if index is not None else course.get_parent().specific


def course_detail(course):
    _CoursePage, LessonPage, _Stage = _course_models()
    lessons = list(
        LessonPage.objects.child_of(course)
        .live()
        .public()
        .order_by("path")
        .only("id", "title", "slug", "path", "depth", "url_path", "summary", "duration_minutes", "locale_id")
    )
    return {
        "breadcrumb": [_course_index_of(course, course)],
        "lessons": lessons,
        "total_minutes": sum(lesson.duration_minutes for lesson in lessons),
        "authors": list(course.authors.all()),
    }


class _LessonDetail:
    """What a lesson page shows around its own fields, each read when first asked for. The parts of
    the page every visitor sees alike are usually rendered from the fragment cache
    (lesson_page.html), and then none of this is asked for: no query for the course, the
    siblings, the body's images, the parts or the prerequisites."""

    def __init__(self, lesson):
        self.lesson = lesson

    @cached_property
    def course(self):
        CoursePage, _LessonPage, _Stage = _course_models()
        return CoursePage.objects.select_related("school").get(path=self.lesson.path[: -self.lesson.steplen])

    @cached_property
    def siblings(self):
        _CoursePage, LessonPage, _Stage = _course_models()
        # Restricted siblings are left out in the same query (the lesson itself passed Wagtail's check).
        return list(
            LessonPage.objects.child_of(self.course)
            .live()
            .exclude(pk__in=PageViewRestriction.objects.values("page_id"))
            .order_by("path")
            .only("id", "title", "slug", "path", "depth", "url_path", "duration_minutes", "locale_id")
        )

    @cached_property
    def position(self):
        return next((i for i, sibling in enumerate(self.siblings) if sibling.pk == self.lesson.pk), None)

    def previous_lesson(self):
        return self.siblings[self.position - 1] if self.position else None

    def next_lesson(self):
        position, siblings = self.position, self.siblings
        return siblings[position + 1] if position is not None and position + 1 < len(siblings) else None

    def blocks(self):
        steps, number = [], 0
        for block in self.lesson.body:
            if block.block_type == "step":
                number += 1
            steps.append((block, number if block.block_type == "step" else None))
        return steps

    def prerequisites(self):
        return [
            link.prerequisite
            for link in self.lesson.prerequisite_links.select_related("prerequisite").order_by("sort_order")
            if link.prerequisite.live
        ]


def lesson_detail(lesson, request):
    detail = _LessonDetail(lesson)
    return {
        "course": SimpleLazyObject(lambda: detail.course),
        "breadcrumb": SimpleLazyObject(lambda: [_course_index_of(lesson, detail.course), detail.course]),
        "lesson_number": SimpleLazyObject(
            lambda: detail.position + 1 if detail.position is not None else None
        ),
        "lesson_total": SimpleLazyObject(lambda: len(detail.siblings)),
        "previous_lesson": SimpleLazyObject(detail.previous_lesson),
        "next_lesson": SimpleLazyObject(detail.next_lesson),
        "blocks": SimpleLazyObject(detail.blocks),
        "safety_callouts": SimpleLazyObject(lambda: _safety_summary(lesson.body)),
        "parts": SimpleLazyObject(
            lambda: list(lesson.parts.select_related("tool_type").order_by("sort_order"))
        ),
        "prerequisites": SimpleLazyObject(detail.prerequisites),
        # Kept in this process (programs.program_files): no query, and the workbench below asks for it.
        "program_files": program_files(lesson.program) if lesson.program else [],
    }


def _safety_summary(body):
    """The safety callouts the summary at the top brings forward: each once (a callout repeated at
    two steps is one rule), and not those that already open the body right below the summary."""
    summary, seen, opening = [], set(), True
    for block in body:
        is_safety = block.block_type == "callout" and block.value["kind"] == "safety"
        if opening and is_safety:
            seen.add((block.value["title"], str(block.value["text"])))
            continue
        opening = False
        if is_safety and (key := (block.value["title"], str(block.value["text"]))) not in seen:
            seen.add(key)
            summary.append(block.value)
    return summary
