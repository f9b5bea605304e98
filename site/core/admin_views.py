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
    pass


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
