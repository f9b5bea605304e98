from django.apps import apps
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from makerroom.core.chinese_search import ChineseSearchable
from makerroom.core.page_cache import MemoizedViewRestrictions, memoize
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page
from wagtail.search import index


class HomePage(MemoizedViewRestrictions, ChineseSearchable, Page):
    """The site root of each language."""

    intro = models.CharField(_("introduction"), max_length=250, blank=True)
    body = RichTextField(_("body"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    chinese_search_fields = ("title", "intro", "body")
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        ChineseSearchable.chinese_search_field,
    ]
    max_count_per_parent = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["home_sections"] = home_sections(request, self)
        return context

    def route(self, request, path_components):
        # The top-level pages (课程, 创客节, …), each as its specific type, are kept until the next
        # publish (makerroom.core.page_cache; saving one also forgets them): routing below the
        # home page starts without the two queries Wagtail makes for the child and its type.
        if not path_components:
            return super().route(request, path_components)
        children = memoize(
            f"home-children:{self.pk}",
            lambda: {child.slug: child for child in self.get_children().specific()},
        )
        child = children.get(path_components[0])
        if child is None:
            raise Http404
        child._cached_parent_obj = self
        return child.route(request, path_components[1:])


def home_sections(request, page):
    """Sections that apps contribute to the home page: an AppConfig with
    `home_section(request, page)` returns `{"template": ..., **context}` or None."""
    sections = []
    for config in apps.get_app_configs():
        section = getattr(config, "home_section", None)
        if section is not None and (found := section(request, page)):
            sections.append(found)
    return sections


class ContentPage(MemoizedViewRestrictions, ChineseSearchable, Page):
    """An information page such as 关于 or the policy background."""

    summary = models.CharField(_("summary"), max_length=250, blank=True)
    body = StreamField(
        [
            ("heading", blocks.CharBlock(label=_("Heading"), form_classname="title")),
            ("paragraph", blocks.RichTextBlock(label=_("Paragraph"))),
            ("image", ImageBlock(label=pgettext_lazy("content block", "Image"))),
            ("quote", blocks.BlockQuoteBlock(label=_("Quote"))),
        ],
        verbose_name=_("body"),
        blank=True,
    )

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    chinese_search_fields = ("title", "summary", "body")
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        ChineseSearchable.chinese_search_field,
    ]
    parent_page_types = ["home.HomePage", "home.ContentPage"]

    class Meta:
        verbose_name = _("information page")
