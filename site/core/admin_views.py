# pyright: reportAttributeAccessIssue=false
# (mixins: the attributes they use come from the Wagtail view classes they are mixed into)
"""Wagtail admin views that ask the model's policy for the one object they show.

Wagtail's generic views check model permissions ("may this user change purchases at all?") but,
except for delete, not the object ("this purchase?"). These mixins add that question to every view
that loads one object, and scope every listing and chooser, so a viewset built on
`PolicySnippetViewSet` cannot show or change a row its policy does not allow. The copy view is off:
copying school rows makes no sense and Wagtail's copy form is bound to the original object.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.admin.widgets import BaseButton, Button, ButtonWithDropdown, ListingButton
from wagtail.permissions import policy_registry
from wagtail.snippets.views import chooser, snippets
from wagtail.snippets.views.snippets import SnippetViewSet


def _policy(model):
    return policy_registry.get_by_type(model)


class PolicyObjectMixin:
    """Load the object, then ask: may the user see it (else 404), and do this (else 403)?"""

    object_action = "view"

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        policy, user = _policy(type(obj)), self.request.user
        if not policy.user_has_permission_for_instance(user, "view", obj):
            raise Http404
        if self.object_action != "view" and not policy.user_has_permission_for_instance(
            user, self.object_action, obj
        ):
            raise PermissionDenied
        return obj


class PolicyListingMixin:
    """Listings (and their CSV/XLSX export) show only rows the policy lets the user see."""

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        allowed = _policy(self.model).instances_user_has_permission_for(self.request.user, "view")
        return queryset.filter(pk__in=allowed.values("pk"))


class IndexView(PolicyListingMixin, snippets.IndexView):
    """A listing that offers only the bulk actions the policy allows this user: Wagtail's footer
    lists every action registered for the model, so a read-only coordinator would be shown
    buttons that refuse. With none allowed, the rows have no checkboxes."""

    template_name = "core/admin/snippet_index.html"
    visible_bulk_actions = 4  # the rest go under "More", as in Wagtail's own footer

    @cached_property
    def bulk_actions(self):
        policy, user, meta = _policy(self.model), self.request.user, self._meta
        allowed = [
            action
            for action in bulk_action_registry.get_bulk_actions_for_model(meta.app_label, meta.model_name)
            if policy.acts_anywhere(user, getattr(action, "policy_action", action.action_type))
        ]
        return sorted(allowed, key=lambda action: action.action_priority)

    @cached_property
    def columns(self):
        columns = super().columns
        if self.bulk_actions:
            return columns
        return [column for column in columns if not isinstance(column, BulkActionsCheckboxColumn)]

    @property
    def _meta(self):
        return self.model._meta  # pyright: ignore[reportOptionalMemberAccess] (set on every viewset's view)

    def bulk_action_buttons(self):
        meta = self._meta

        def url(action):
            return reverse("wagtail_bulk_action", args=[meta.app_label, meta.model_name, action.action_type])

        def attrs(action):
            return {"aria-label": action.aria_label, "data-bulk-action-button": ""}

        shown, more = (
            self.bulk_actions[: self.visible_bulk_actions],
            self.bulk_actions[self.visible_bulk_actions :],
        )
        buttons: list[BaseButton] = [
            ListingButton(
                action.display_name,
                url(action),
                attrs=attrs(action),
                priority=action.action_priority,
                classname=" ".join(action.classes | {"bulk-action-btn"}),
            )
            for action in shown
        ]
        if more:
            buttons.append(
                ButtonWithDropdown(
                    label=_("More"),
                    attrs={"title": _("More bulk actions")},
                    classname="button button-secondary button-small",
                    buttons=[
                        Button(
                            action.display_name,
                            url(action),
                            attrs=attrs(action),
                            priority=action.action_priority,
                        )
                        for action in more
                    ],
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["bulk_action_buttons"] = self.bulk_action_buttons()
        return context


class EditView(PolicyObjectMixin, snippets.EditView):
    object_action = "change"


class DeleteView(PolicyObjectMixin, snippets.DeleteView):
    object_action = "delete"


class InspectView(PolicyObjectMixin, snippets.InspectView):
    pass


class HistoryView(PolicyObjectMixin, snippets.HistoryView):
    pass


class UsageView(PolicyObjectMixin, snippets.UsageView):
    pass


class ChooserScopeMixin:
    def scoped(self, queryset):
        allowed = _policy(self.model_class).instances_user_has_permission_for(self.request.user, "view")
        return queryset.filter(pk__in=allowed.values("pk"))

    def get_object_list(self):
        return self.scoped(super().get_object_list())


class ChosenScopeMixin(ChooserScopeMixin):
    def get_object(self, pk):
        try:
            return self.scoped(self.model_class._default_manager.all()).get(pk=pk)
        except self.model_class.DoesNotExist as exc:
            raise Http404 from exc

    def get_objects(self, pks):
        return self.scoped(self.model_class._default_manager.filter(pk__in=pks))


class ChooseView(ChooserScopeMixin, chooser.ChooseView):
    pass


class ChooseResultsView(ChooserScopeMixin, chooser.ChooseResultsView):
    pass


class ChosenView(ChosenScopeMixin, chooser.SnippetChosenView):
    pass


class ChosenMultipleView(ChosenScopeMixin, chooser.SnippetChosenMultipleView):
    pass


class PolicyChooserViewSet(chooser.SnippetChooserViewSet):
    choose_view_class = ChooseView
    choose_results_view_class = ChooseResultsView
    chosen_view_class = ChosenView
    chosen_multiple_view_class = ChosenMultipleView

    def get_urlpatterns(self):
        # Wagtail registers the modal's "create" URL even when the chooser has no creation form,
        # and a POST to it then fails; without a form there is no such URL.
        patterns = super().get_urlpatterns()
        if self.creation_form_class or self.form_fields or self.exclude_form_fields:
            return patterns
        return [pattern for pattern in patterns if getattr(pattern, "name", None) != "create"]


class PolicySnippetViewSet(SnippetViewSet):
    """A snippet viewset whose every view asks the model's registered policy."""

    copy_view_enabled = False
    index_view_class = IndexView
    edit_view_class = EditView
    delete_view_class = DeleteView
    inspect_view_class = InspectView
    history_view_class = HistoryView
    usage_view_class = UsageView
    chooser_viewset_class = PolicyChooserViewSet

    @cached_property
    def index_template_name(self):
        # A model's own index template still wins; the generic one is ours (it extends Wagtail's).
        generic = "wagtailsnippets/snippets/index.html"
        return [IndexView.template_name if name == generic else name for name in super().index_template_name]
