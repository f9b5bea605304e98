from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FestivalConfig(AppConfig):
    name = "festival"
    verbose_name = _("Student maker festival")

    def ready(self):
        # Registers the Wagtail permission policies (judges) before any viewset or hook asks for
        # one: Wagtail refuses a registration once it has made a fallback policy for the model.
        from . import policy  # noqa: F401

    def nav_items(self, request):
        from django.utils import translation
        from makerroom.core.page_cache import memoize

        from .models import FestivalIndexPage

        language = translation.get_language()
        # Kept until the next publish, like the courses link: the header costs no query.
        url = memoize(f"festival-nav:{language}", lambda: _index_url(FestivalIndexPage, language))
        return [(_("Maker festival"), url)] if url else []


def _index_url(model, language):
    index = model.objects.live().filter(locale__language_code=language).order_by("path").first()
    return index.url if index is not None else ""
