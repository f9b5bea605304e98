from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class KitsConfig(AppConfig):
    name = "kits"
    verbose_name = _("Maker rooms and kits")

    def nav_items(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.has_perm("kits.add_reservation"):
            return [(_("Book kits"), reverse("kits:reservations"))]
        return []
