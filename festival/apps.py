from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FestivalConfig(AppConfig):
    name = "festival"
    verbose_name = _("Student maker festival")

    def nav_items(self, request):
        from .models import FestivalIndexPage

        index = _index_for_language(FestivalIndexPage)
        return [(_("Maker festival"), index.url)] if index is not None else []


def _index_for_language(model):
    from django.utils import translation
    from wagtail.models import Locale

    try:
        locale = Locale.objects.get_for_language(translation.get_language())
    except Locale.DoesNotExist:
        return None
    return model.objects.live().filter(locale=locale).order_by("path").first()
