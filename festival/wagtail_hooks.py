"""Admin screens for organisers: invite judges to an edition and record their linked schools.
Every view of the judges' snippet asks policy.JudgePolicy (registered in FestivalConfig.ready)."""

from django.utils.translation import gettext_lazy as _
from makerroom.core.admin_views import PolicyChooserViewSet, PolicySnippetViewSet
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet

from .models import Judge


class JudgeChooserViewSet(PolicyChooserViewSet):
    # Wagtail registers the chooser's "create" URL even without a creation form, and a POST to
    # it then fails; with these fields it is the add form again, under the same policy ("add").
    form_fields = ["edition", "user", "linked_schools"]


class JudgeViewSet(PolicySnippetViewSet):
    model = Judge
    chooser_viewset_class = JudgeChooserViewSet
    icon = "user"
    menu_label = _("Festival judges")
    add_to_admin_menu = True
    menu_order = 400
    list_display = ["user", "edition"]
    list_filter = ["edition"]
    panels = [FieldPanel("edition"), FieldPanel("user"), FieldPanel("linked_schools")]


register_snippet(JudgeViewSet)


class ResultsFormatter(LogFormatter):
    """The edition's history names who published or withdrew the results, what the override
    skipped and why results were withdrawn."""

    def format_message(self, log_entry):
        data = log_entry.data or {}
        details = data.get("skipped") or ([data["reason"]] if data.get("reason") else [])
        return f"{self.label}：{'；'.join(details)}" if details else str(self.label)


@hooks.register("register_log_actions")
def register_results_actions(actions):
    for action, label in (
        ("festival.publish_results", _("Results published")),
        ("festival.withdraw_results", _("Results withdrawn")),
    ):
        actions.register_action(action)(type("Formatter", (ResultsFormatter,), {"label": label}))
