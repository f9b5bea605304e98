"""Read-only Wagtail API v2 endpoints for school portals: published, public courses and lessons."""

from wagtail.api.v2.views import PagesAPIViewSet

from .models import CoursePage, LessonPage


class CoursesAPIViewSet(PagesAPIViewSet):
    model = CoursePage
    name = "courses"


class LessonsAPIViewSet(PagesAPIViewSet):
    model = LessonPage
    name = "lessons"
