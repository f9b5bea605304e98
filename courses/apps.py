from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from . import image_privacy, publishing
        from .models import CourseIndexPage

        image_privacy.connect()  # no image in the library keeps its EXIF (GPS position, device)
        post_migrate.connect(publishing.after_migrate, sender=self, dispatch_uid="courses_publishing")
        post_save.connect(_course_index_saved, sender=CourseIndexPage, dispatch_uid="courses_index_saved")

    def nav_items(self, request):
        from django.utils import translation
        from makerroom.core.page_cache import memoize

        from .models import CourseIndexPage

        language = translation.get_language()
        url = memoize(f"courses-nav:{language}", lambda: _course_index_url(language, CourseIndexPage))
        return [(_("Courses"), url)] if url else []

    def home_section(self, request, page):
        from .models import CoursePage

        courses = list(
            CoursePage.objects.live()
            .public()
            .descendant_of(page)
            .select_related("cover_image")
            .order_by("-first_published_at")[:3]
        )
        if not courses:
            return None
        return {"template": "courses/home_section.html", "courses": courses}


def _course_index_url(language, model):
    """The course index of this language, else the first one (English readers see Chinese courses)."""
    indexes = model.objects.live().public().order_by("path")
    index = indexes.filter(locale__language_code=language).first() or indexes.first()
    return index.url if index is not None else ""


def _course_index_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .publishing import ensure_course_publishing

        ensure_course_publishing([instance])
