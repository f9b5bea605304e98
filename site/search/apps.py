from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "makerroom.search"
    label = "site_search"
    verbose_name = _("Site search")
