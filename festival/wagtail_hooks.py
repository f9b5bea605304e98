"""Admin screens for organisers: invite judges to an edition and record their linked schools."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Judge


class JudgeViewSet(SnippetViewSet):
    model = Judge
    icon = "user"
    menu_label = _("Festival judges")
    add_to_admin_menu = True
    menu_order = 400
    list_display = ["user", "edition"]
    list_filter = ["edition"]
    panels = [FieldPanel("edition"), FieldPanel("user"), FieldPanel("linked_schools")]


register_snippet(JudgeViewSet)
