"""Read-only Wagtail API v2 endpoints for school portals: published, public courses and lessons.

What they may list is courses.policy.public_pages (what every visitor may read). Lesson bodies go
out without the answers to "check your understanding" (courses.questions)."""

from wagtail.api.v2.views import PagesAPIViewSet

from . import policy
from .models import CoursePage, LessonPage


class CoursesAPIViewSet(PagesAPIViewSet):
    model = CoursePage
    name = "courses"

    def get_base_queryset(self):
        return policy.public_pages(super().get_base_queryset())


class LessonsAPIViewSet(PagesAPIViewSet):
    model = LessonPage
    name = "lessons"

    def get_base_queryset(self):
        return policy.public_pages(super().get_base_queryset())
