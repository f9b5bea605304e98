"""Registers the lab staff's admin screens and the audit-log actions of kits."""

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import include, path, reverse_lazy
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from . import policy, services, viewsets
from .models import Loan, Purchase


class MakerRoomGroup(SnippetViewSetGroup):
    menu_label = _("Maker room")
    menu_icon = "home"
    menu_order = 250
    # The lab staff's screens (dashboard, lending, import, stocktake) join this one menu.
    submenu_hook = "register_maker_room_menu_item"
    items = (
        viewsets.GrantViewSet,
        viewsets.PurchaseViewSet,
        viewsets.AssetViewSet,
        viewsets.StockViewSet,
        viewsets.KitViewSet,
        viewsets.LoanViewSet,
        viewsets.ReservationViewSet,
        viewsets.StocktakeViewSet,
        viewsets.FlashRecordViewSet,
        viewsets.MakerRoomViewSet,
        viewsets.KitTemplateViewSet,
        viewsets.ToolTypeViewSet,
        viewsets.ToolCategoryViewSet,
        viewsets.FundingProgrammeViewSet,
    )


register_snippet(MakerRoomGroup)


class ChangesFormatter(LogFormatter):
    """Shows the before → after of each field the audit entry recorded."""

    def format_message(self, log_entry):
        changes = (log_entry.data or {}).get("changes") or {}
        if not changes:
            return self.label
        model = log_entry.content_type.model_class() if log_entry.content_type_id else None
        return format_html_join(
            "; ",
            "{}: {} → {}",
            ((_label(model, name), _show(old), _show(new)) for name, (old, new) in sorted(changes.items())),
        )


def _label(model, name):
    """The field's verbose name (in the admin's language) where the change names a model field."""
    try:
        return model._meta.get_field(name.removesuffix("_id")).verbose_name
    except (AttributeError, FieldDoesNotExist):
        return name


def _show(value):
    return "—" if value in (None, "") else value


AUDIT_ACTIONS = {
    "kits.create": pgettext_lazy("kits audit", "Created"),
    "kits.edit": _("Changed"),
    "kits.charge": _("Grant charged"),
    "kits.approve": _("Grant approved"),
    "kits.close": _("Grant closed"),
    "kits.void": _("Purchase voided"),
    "kits.flash": _("Board flashed"),
    "kits.lend": _("Lent"),
    "kits.return": _("Returned"),
    "kits.finish": _("Stocktake finished"),
}


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    for action, label in AUDIT_ACTIONS.items():
        actions.register_action(action)(type("Formatter", (ChangesFormatter,), {"label": label}))


@hooks.register("register_admin_urls")
def register_admin_urls():
    from . import admin_views as views
    from . import pickers

    urls = [
        path("pick/tool-types/", pickers.pick_tool_types, name="pick_tool_types"),
        path("pick/assets/", pickers.pick_assets, name="pick_assets"),
        path("dashboard/", views.dashboard, name="dashboard"),
        path("dashboard/purchases/", views.purchases_export, name="purchases_export"),
        path("city/", views.city_report, name="city_report"),
        path("grants/<int:pk>/approve/", views.grant_approval, name="approve"),
        path("import/", views.purchase_import, name="import"),
        path("labels/", views.asset_labels, name="labels"),
        path("loans/", views.loans, name="loans"),
        path("loans/new/", views.lend, name="lend"),
        path("loans/<int:pk>/return/", views.return_loan, name="return"),
        path("stocktakes/new/", views.stocktake_start, name="stocktake_start"),
        path("stocktakes/<int:pk>/", views.stocktake, name="stocktake"),
    ]
    return [path("kits/", include((urls, "kits_admin"), namespace="kits_admin"))]


class PermMenuItem(MenuItem):
    def __init__(self, *args, perm=None, check=None, **kwargs):
        self.perm, self.check = perm, check
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        if self.check is not None:
            return self.check(request.user)
        return request.user.has_perm(self.perm)


def lab_screens():
    """The lab staff's own screens, in the Maker room menu and on the admin home page."""
    return [
        PermMenuItem(
            _("Grant dashboard"),
            reverse_lazy("kits_admin:dashboard"),
            icon_name="table",
            perm="kits.view_grant",
            order=-50,
        ),
        PermMenuItem(
            _("City report"),
            reverse_lazy("kits_admin:city_report"),
            icon_name="site",
            check=policy.reads_every_school_report,
            order=-40,
        ),
        PermMenuItem(
            _("Lend and return"),
            reverse_lazy("kits_admin:loans"),
            icon_name="user",
            perm="kits.view_loan",
            order=-30,
        ),
        PermMenuItem(
            _("Import purchases"),
            reverse_lazy("kits_admin:import"),
            icon_name="upload",
            perm="kits.add_purchase",
            order=-20,
        ),
        PermMenuItem(
            _("Stocktake"),
            reverse_lazy("kits_admin:stocktake_start"),
            icon_name="list-ol",
            perm="kits.add_stocktake",
            order=-10,
        ),
    ]


for _item in lab_screens():
    hooks.register("register_maker_room_menu_item", lambda item=_item: item)


class LabScreensPanel(Component):
    """The admin home page of lab staff: their screens as buttons (the same as the menu's)."""

    name = "kits_lab_screens"
    order = 50
    template_name = "kits/admin/home_panel.html"

    def __init__(self, items):
        self.items = items

    def get_context_data(self, parent_context):
        return {"items": self.items}


@hooks.register("construct_homepage_panels")
def add_lab_screens_panel(request, panels):
    # Every item of the Maker room menu (other apps add theirs there, e.g. batch flashing), in its order.
    items = sorted(
        (make() for make in hooks.get_hooks("register_maker_room_menu_item")), key=lambda item: item.order
    )
    items = [item for item in items if item.is_shown(request)]
    if items:
        panels.append(LabScreensPanel(items))


@hooks.register("before_delete_snippet")
def delete_through_the_rules(request, instances):
    """Deleting a purchase in the admin (one or in bulk) voids it: the grant gets its subsidy back and
    its untouched assets or stock go. An open loan cannot be deleted: the kit would stay lent."""
    if not instances or request.method != "POST":
        return None
    model = type(instances[0])
    if model is Loan and any(loan.is_open for loan in instances):
        messages.error(request, _("An open loan cannot be deleted; take the item back first."))
        return redirect("wagtailsnippets_kits_loan:list")
    if model is not Purchase:
        return None
    if not all(policy.purchases.can(request.user, "delete", p) for p in instances):
        raise PermissionDenied
    try:
        services.void_purchases(instances, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)s purchases voided.") % {"count": len(instances)})
    return redirect("wagtailsnippets_kits_purchase:list")
