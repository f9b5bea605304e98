"""The core's admin hooks: the reports menu shows each role only the reports it may read
(the rules and the views are in makerroom.core.reports)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .reports import MENU_RULES, reads_site_history


class SiteHistoryMenuItem(MenuItem):
    """Wagtail shows its own item only to users with pages to explore, which leaves out the city
    coordinator, who is one of the two roles that may read the report."""

    def is_shown(self, request):
        return reads_site_history(request.user)


@hooks.register("register_reports_menu_item")
def register_site_history_menu_item():
    return SiteHistoryMenuItem(
        _("Site history"),
        reverse("wagtailadmin_reports:site_history"),
        name="city-site-history",
        icon_name="history",
        order=1000,
    )


@hooks.register("construct_reports_menu")
def hide_reports_the_user_may_not_read(request, menu_items):
    menu_items[:] = [
        item
        for item in menu_items
        if item.name != "site-history" and MENU_RULES.get(item.name, lambda user: True)(request.user)
    ]
