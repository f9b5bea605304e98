# pyright: reportOptionalCall=false
# (Wagtail's hooks.register decorator is untyped)
"""The core's admin hooks: the reports menu shows each role only the reports it may read
(the rules and the views are in makerroom.core.reports)."""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import policy_registry

from .policy import SchoolPolicy
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


@hooks.register("before_delete_snippet")
def refuse_bulk_deletes_the_policy_does_not_allow(request, instances):
    """Wagtail's bulk delete (`/admin/bulk/<app>/<model>/delete/`) asks only model permissions
    before it shows its confirmation page, which names the rows; for our models every row must be
    one the policy lets this user delete, and a request with nothing deletable is refused too."""
    match = getattr(request, "resolver_match", None)
    kwargs = match.kwargs if match else {}
    try:
        model = apps.get_model(kwargs["app_label"], kwargs["model_name"])
    except (KeyError, LookupError):
        model = type(instances[0]) if instances else None
    if model is None:
        return
    policy = policy_registry.get_by_type(model)
    if not isinstance(policy, SchoolPolicy):
        return
    if not instances or not all(
        policy.user_has_permission_for_instance(request.user, "delete", i) for i in instances
    ):
        raise PermissionDenied


@hooks.register("before_move_page")
def refuse_moves_the_page_policy_does_not_allow(request, page, destination):
    """Wagtail's move confirmation checks the slug before the user's right to move the page;
    every move, also "to its own parent", first asks the page's permission tester."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied
