"""Admin screens for organisers: invite judges to an edition and record their linked schools.
Every view of the judges' snippet asks policy.JudgePolicy (registered in FestivalConfig.ready)."""

from django.utils.translation import gettext_lazy as _
from makerroom.core.admin_views import PolicySnippetViewSet
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet

from .models import Judge


class JudgeViewSet(PolicySnippetViewSet):
    model = Judge
    icon = "user"
    menu_label = _("Festival judges")
    add_to_admin_menu = True
    menu_order = 400
    list_display = ["user", "edition"]
    list_filter = ["edition"]
    panels = [FieldPanel("edition"), FieldPanel("user"), FieldPanel("linked_schools")]


register_snippet(JudgeViewSet)
