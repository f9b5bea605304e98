from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class KitsConfig(AppConfig):
    name = "kits"
    verbose_name = _("Maker rooms and kits")

    def ready(self):
        # The policies register with Wagtail before any viewset or hook asks for one (Wagtail
        # refuses a registration once it has made a fallback policy for the model).
        from . import policy  # noqa: F401

    def nav_items(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.has_perm("kits.add_reservation"):
            return [(_("Book kits"), reverse("kits:reservations"))]
        return []
