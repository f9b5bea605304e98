# pyright: reportIncompatibleVariableOverride=false
# (Wagtail's bulk actions declare `models` as a class property; ours is one model)
"""The asset list's bulk actions beyond delete — 打印标签, 改状态, 移到位置, 加入套件 — and the
打印标签 buttons of a purchase's and a kit's row.

Every action asks kits/policy.py about every chosen asset: one the user may not act on (another
school's, or any asset for a read-only coordinator changing them) refuses the whole request with a
403, so a crafted POST changes nothing and the confirmation page never names a foreign asset. The
changes go through kits.services.assets, which locks the rows, checks again and writes each asset's
audit history.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from makerroom.core.admin_views import IndexView
from wagtail import hooks
from wagtail.admin.widgets import Button, ListingButton
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from . import labels, policy
from .models import Asset, AssetStatus, Kit, Purchase, ToolKind
from .services import assets as asset_services


class AssetBulkAction(SnippetBulkAction):
    models = [Asset]
    template_name = "kits/admin/asset_bulk_action.html"
    policy_action = "change"  # what the policy must allow on every chosen asset
    button_text = ""

    @classmethod
    def get_queryset(cls, model, object_ids):
        # Ids are numbers; anything else is dropped rather than reaching the database.
        ids = [i for i in object_ids if str(i).isdigit()] if isinstance(object_ids, list) else object_ids
        return list(model.objects.filter(pk__in=ids).select_related("tool_type", "room__school", "kit"))

    def get_all_objects_in_listing_query(self, parent_id):
        # "Select all" means all the assets this user may act on, not every school's.
        return policy.assets.scope(
            self.request.user, Asset.objects.all(), action=self.policy_action
        ).values_list("pk", flat=True)

    def check_perm(self, asset):
        return policy.assets.user_has_permission_for_instance(self.request.user, self.policy_action, asset)

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        if extra["items_with_no_access"] or not objects:
            raise PermissionDenied  # never name another school's assets, never act on part of a request
        return objects, extra

    needs_user = False  # the form is built for the user (its choices are their school's)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        return {**kwargs, "user": self.request.user} if self.needs_user else kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({"action_title": self.display_name, "button_text": self.button_text})
        return context

    def run(self, objects, data):
        raise NotImplementedError

    def success_message(self, changed, chosen):
        return ngettext("%(count)d asset changed.", "%(count)d assets changed.", changed) % {"count": changed}

    def form_valid(self, form):
        self.cleaned_form = form
        objects, _extra = self.get_actionable_objects()
        try:
            changed = self.run(objects, form.cleaned_data)
        except ValidationError as error:
            for field, msgs in error.message_dict.items():
                form.add_error(field if field in form.fields else None, msgs)
            return self.form_invalid(form)
        if hasattr(changed, "status_code"):
            return changed
        messages.success(self.request, self.success_message(changed, len(objects)))
        return redirect(self.next_url)


class PrintLabelsBulkAction(AssetBulkAction):
    display_name = _("Print labels")
    action_type = "print_labels"
    aria_label = _("Print the labels of the selected assets")
    button_text = _("Print labels")
    action_priority = 10
    policy_action = "view"

    def run(self, objects, data):
        return labels.sheet_response(self.request, Asset.objects.filter(pk__in=[a.pk for a in objects]))


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[(s.value, s.label) for s in asset_services.BULK_STATUSES],
        widget=forms.RadioSelect,
        help_text=_("Lent assets change only by lending and returning them."),
    )


class SetStatusBulkAction(AssetBulkAction):
    display_name = _("Change status")
    action_type = "set_status"
    aria_label = _("Change the status of the selected assets")
    button_text = _("Change status")
    action_priority = 20
    form_class = StatusForm

    def run(self, objects, data):
        return asset_services.set_status(objects, data["status"], user=self.request.user)

    def success_message(self, changed, chosen):
        status = AssetStatus(self.cleaned_form.cleaned_data["status"]).label
        return ngettext(
            "%(count)d asset is now %(status)s.", "%(count)d assets are now %(status)s.", changed
        ) % {"count": changed, "status": status}


class LocationForm(forms.Form):
    location = forms.CharField(
        label=_("Location"),
        max_length=Asset._meta.get_field("location").max_length,
        help_text=_("Shelf or cabinet, e.g. A 柜 2 层."),
    )


class MoveBulkAction(AssetBulkAction):
    display_name = _("Move to a location")
    action_type = "move"
    aria_label = _("Move the selected assets to a location")
    button_text = _("Move")
    action_priority = 25
    form_class = LocationForm

    def run(self, objects, data):
        return asset_services.move_to(objects, data["location"], user=self.request.user)

    def success_message(self, changed, chosen):
        return ngettext(
            "%(count)d asset moved to %(location)s.", "%(count)d assets moved to %(location)s.", changed
        ) % {"count": changed, "location": self.cleaned_form.cleaned_data["location"]}


class KitForm(forms.Form):
    kit = forms.ModelChoiceField(
        label=_("Kit"),
        queryset=Kit.objects.none(),
        required=False,
        empty_label=_("— none: take them out of their kit —"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kit"].queryset = policy.kits.scope(
            user, Kit.objects.exclude(status="retired").select_related("template"), action="change"
        ).order_by("code")


class AddToKitBulkAction(AssetBulkAction):
    display_name = _("Put into a kit")
    action_type = "add_to_kit"
    aria_label = _("Put the selected assets into a kit")
    button_text = _("Put into the kit")
    action_priority = 28
    form_class = KitForm
    needs_user = True

    def run(self, objects, data):
        return asset_services.add_to_kit(objects, data["kit"], user=self.request.user)

    def success_message(self, changed, chosen):
        kit = self.cleaned_form.cleaned_data["kit"]
        if kit is None:
            return ngettext(
                "%(count)d asset taken out of its kit.", "%(count)d assets taken out of their kits.", changed
            ) % {"count": changed}
        return ngettext(
            "%(count)d asset put into kit %(kit)s.", "%(count)d assets put into kit %(kit)s.", changed
        ) % {"count": changed, "kit": kit.code}


for _action in (PrintLabelsBulkAction, SetStatusBulkAction, MoveBulkAction, AddToKitBulkAction):
    hooks.register("register_bulk_action", _action)


def labels_url(**params):
    return f"{reverse('kits_admin:labels')}?{urlencode(params)}"


@hooks.register("register_snippet_listing_buttons")
def print_labels_buttons(snippet, user, next_url=None):
    """打印标签 on the row of a purchase of durable tools (its assets) and of a kit (its assets)."""
    if not user.has_perm("kits.view_asset"):
        return
    if isinstance(snippet, Purchase) and snippet.tool_type.kind == ToolKind.DURABLE:
        yield ListingButton(_("Print labels"), labels_url(purchase=snippet.pk), icon_name="tag", priority=40)
    elif isinstance(snippet, Kit):
        yield ListingButton(_("Print labels"), labels_url(kit=snippet.pk), icon_name="tag", priority=40)


class AssetIndexView(IndexView):
    """The asset list: the header's menu prints the labels never printed (尚未打印) or all of them."""

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        user = self.request.user
        if user.has_perm("kits.view_asset") and user.school_id:
            unprinted = policy.assets.scope(user, Asset.objects.filter(label_printed_at__isnull=True)).count()
            buttons += [
                Button(
                    _("Print labels not yet printed (%(count)s)") % {"count": unprinted},
                    url=labels_url(unprinted=1),
                    icon_name="tag",
                    priority=60,
                ),
                Button(_("Print all labels"), url=reverse("kits_admin:labels"), icon_name="tag", priority=61),
            ]
        return buttons
