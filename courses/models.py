"""Course pages: CourseIndexPage (课程) -> CoursePage -> LessonPage, and what hangs off a lesson."""

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from makerroom.core import page_cache
from makerroom.core.chinese_search import ChineseSearchable
from makerroom.core.models import SchoolStage
from makerroom.core.page_cache import MemoizedViewRestrictions
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from . import listing
from .blocks import LessonBodyBlock
from .choices import DEFAULT_LICENCE, Level, Licence, licence_url
from .forms import CoursePageForm, LessonPageForm
from .policy import CoursePagePermissionTester
from .programs import validate_program_slug
from .questions import LessonBodySerializer
from .slugs import PinyinSlugPage


def objective_lines(text):
    return [line.strip(" -•\t") for line in (text or "").splitlines() if line.strip(" -•\t")]


class Stage(models.Model):
    """A school stage a course is written for (小学 … 高校); rows mirror kits.SchoolStage."""

    slug = models.CharField(_("stage"), max_length=20, unique=True, choices=SchoolStage.choices)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("school stage")
        verbose_name_plural = _("school stages")

    def __str__(self):
        return str(SchoolStage(self.slug).label)

    @classmethod
    def ensure_all(cls):
        """Every stage exists (a data migration makes them; this restores a flushed database)."""
        for order, (slug, _label) in enumerate(SchoolStage.choices):
            cls.objects.get_or_create(slug=slug, defaults={"sort_order": order})


class CourseTag(TaggedItemBase):
    content_object = ParentalKey("courses.CoursePage", related_name="tagged_items", on_delete=models.CASCADE)


class CourseIndexPage(MemoizedViewRestrictions, ChineseSearchable, Page):
    """课程: the course listing, with filters by level, stage and tag, and course search."""

    intro = models.CharField(_("introduction"), max_length=250, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    chinese_search_fields = ("title", "intro")
    search_fields = Page.search_fields + [ChineseSearchable.chinese_search_field]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("course index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(listing.course_listing(self, request))
        return context

    def route(self, request, path_components):
        # A course or a lesson below this index in one query instead of two per level, and that
        # query once per publish: the live page is kept until the next publish (a draft or a lock
        # changes nothing a visitor sees).
        if 1 <= len(path_components) <= 2:
            model = CoursePage if len(path_components) == 1 else LessonPage
            url_path = self.url_path + "/".join(path_components) + "/"
            page = page_cache.memoize(
                f"route:{model._meta.label_lower}:{url_path}",
                lambda: model.objects.filter(
                    path__startswith=self.path, depth=self.depth + len(path_components), url_path=url_path
                ).first(),
                keep_none=False,
            )
            if page is None:
                raise Http404
            # The breadcrumb needs this index; keep it instead of asking the database again.
            page.course_index = self
            if len(path_components) == 1:
                page._cached_parent_obj = self
            return page.route(request, [])
        return super().route(request, path_components)


class CoursePage(PinyinSlugPage, MemoizedViewRestrictions, ChineseSearchable, Page):
    school = models.ForeignKey(
        "core.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="courses"
    )
    summary = models.CharField(_("summary"), max_length=300)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, db_index=True)
    stages = ParentalManyToManyField(Stage, verbose_name=_("school stages"), related_name="courses")
    total_hours = models.DecimalField(
        _("total hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(500)],
        help_text=_("Class hours for the whole course"),
    )
    objectives = models.TextField(_("learning objectives"), help_text=_("One objective per line"))
    tags = ClusterTaggableManager(through=CourseTag, verbose_name=_("tags"), blank=True)
    licence = models.CharField(_("licence"), max_length=30, choices=Licence.choices, default=DEFAULT_LICENCE)
    authors = ParentalManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("authors"), blank=True, related_name="authored_courses"
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldRowPanel([FieldPanel("level"), FieldPanel("total_hours")]),
        FieldPanel("stages", widget=forms.CheckboxSelectMultiple),
        FieldPanel("objectives"),
        MultiFieldPanel(
            [FieldPanel("school"), FieldPanel("authors"), FieldPanel("licence"), FieldPanel("tags")],
            heading=_("School, authors and licence"),
        ),
    ]
    base_form_class = CoursePageForm
    chinese_search_fields = ("title", "summary", "objectives")
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("objectives"),
        index.FilterField("level"),
        ChineseSearchable.chinese_search_field,
    ]
    api_fields = [
        APIField("summary"),
        APIField("level"),
        APIField("stage_slugs"),
        APIField("total_hours"),
        APIField("objective_list"),
        APIField("tag_names"),
        APIField("licence"),
        APIField("school_name"),
        APIField("author_names"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def permissions_for_user(self, user):
        return CoursePagePermissionTester(user, self)

    @property
    def course_school_id(self):
        return self.school_id

    @property
    def objective_list(self):
        return objective_lines(self.objectives)

    @property
    def stage_slugs(self):
        return [stage.slug for stage in self.stages.all()]

    @property
    def tag_names(self):
        return [tag.name for tag in self.tags.all()]

    @property
    def school_name(self):
        return self.school.name

    @property
    def author_names(self):
        # Teachers appear by their public name only.
        return [author.public_name for author in self.authors.all()]

    @property
    def licence_url(self):
        return licence_url(self.licence)

    def lessons(self):
        return LessonPage.objects.child_of(self).live().public().order_by("path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(listing.course_detail(self))
        return context


class LessonPage(PinyinSlugPage, MemoizedViewRestrictions, ChineseSearchable, Page):
    summary = models.CharField(_("summary"), max_length=300)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=45, validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    objectives = models.TextField(_("learning objectives"), help_text=_("One objective per line"))
    program = models.CharField(
        _("lesson program"),
        max_length=60,
        blank=True,
        validators=[validate_program_slug],
        help_text=_("A bundled MicroPython program (a folder of firmware/lessons/); shown and downloadable"),
    )
    licence = models.CharField(_("licence"), max_length=30, choices=Licence.choices, default=DEFAULT_LICENCE)
    body = StreamField(LessonBodyBlock(), verbose_name=_("steps"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("duration_minutes"), FieldPanel("licence")]),
        FieldPanel("objectives"),
        InlinePanel("prerequisite_links", heading=_("Prerequisites"), label=_("Prerequisite lesson")),
        InlinePanel("parts", heading=_("Kit parts"), label=_("Part")),
        FieldPanel("program"),
        FieldPanel("body"),
    ]
    base_form_class = LessonPageForm
    chinese_search_fields = ("title", "summary", "objectives", "body")

    def search_result_context(self, course):
        """What a search result says about where this lesson sits: its course and the course's level."""
        return f"{course.title} · {course.get_level_display()}"

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        ChineseSearchable.chinese_search_field,
    ]
    api_fields = [
        APIField("summary"),
        APIField("duration_minutes"),
        APIField("objective_list"),
        APIField("program"),
        APIField("licence"),
        APIField("parts_list"),
        APIField("prerequisite_ids"),
        APIField("body", serializer=LessonBodySerializer()),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def permissions_for_user(self, user):
        return CoursePagePermissionTester(user, self)

    @cached_property
    def course_school_id(self):
        parent_path = self.path[: -self.steplen]
        return CoursePage.objects.filter(path=parent_path).values_list("school_id", flat=True).first()

    @property
    def objective_list(self):
        return objective_lines(self.objectives)

    @property
    def licence_url(self):
        return licence_url(self.licence)

    @property
    def parts_list(self):
        return [
            {"tool_type": part.tool_type.slug, "name": part.tool_type.name, "quantity": part.quantity}
            for part in self.parts.select_related("tool_type")
        ]

    @property
    def prerequisite_ids(self):
        return [link.prerequisite_id for link in self.prerequisite_links.all()]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(listing.lesson_detail(self, request))
        # The template keeps the parts every visitor sees alike ({% wagtailpagecache %}: this page's
        # cache_key, which a publish changes, the site and the language) and forgets them at the
        # next publish anywhere (the course, a sibling or a prerequisite may be what changed).
        context["fragment_seconds"] = page_cache.fragment_seconds()
        context["shared_generation"] = page_cache.memo_generation()
        return context


class LessonPart(Orderable):
    """A kit part the lesson needs, from the tool catalogue, with how many per student or group."""

    lesson = ParentalKey(LessonPage, on_delete=models.CASCADE, related_name="parts")
    tool_type = models.ForeignKey(
        "kits.ToolType", verbose_name=_("part"), on_delete=models.PROTECT, related_name="lesson_parts"
    )
    quantity = models.PositiveSmallIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1), MaxValueValidator(999)]
    )

    panels = [FieldPanel("tool_type"), FieldPanel("quantity")]

    class Meta(Orderable.Meta):
        verbose_name = _("kit part")
        verbose_name_plural = _("kit parts")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "tool_type"], name="courses_lessonpart_unique_tool")
        ]

    def __str__(self):
        return f"{self.tool_type} × {self.quantity}"


class LessonPrerequisite(Orderable):
    lesson = ParentalKey(LessonPage, on_delete=models.CASCADE, related_name="prerequisite_links")
    prerequisite = models.ForeignKey(
        LessonPage, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="required_by"
    )

    panels = [PageChooserPanel("prerequisite", "courses.LessonPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("prerequisite")
        verbose_name_plural = _("prerequisites")
