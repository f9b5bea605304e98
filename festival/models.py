"""The Student Maker Festival (深圳学生创客节): edition pages with their categories, age groups,
schedule, award scheme and rubric; project entries with their team, photos and history; judging.

Who may do what is policy.py; what happens (workflow, assignment, normalisation, awards) is
services.py, judging.py and rules.py; the models only hold data.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from makerroom.core.chinese_search import ChineseSearchable
from makerroom.core.models import SchoolStage
from makerroom.core.page_cache import MemoizedViewRestrictions
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

MAX_PHOTOS = 10
MAX_TEAM = 5


class Licence(models.TextChoices):
    """Open licences a festival work may carry (SPDX identifiers)."""

    CC_BY_SA_4 = "CC-BY-SA-4.0", "CC BY-SA 4.0"
    CC_BY_4 = "CC-BY-4.0", "CC BY 4.0"
    CC_BY_NC_SA_4 = "CC-BY-NC-SA-4.0", "CC BY-NC-SA 4.0"
    CC0 = "CC0-1.0", "CC0 1.0"
    MIT = "MIT", "MIT"
    APACHE_2 = "Apache-2.0", "Apache 2.0"
    GPL_3 = "GPL-3.0-or-later", "GPL 3.0 or later"
    CERN_OHL_S = "CERN-OHL-S-2.0", "CERN OHL-S 2.0"


class FestivalIndexPage(MemoizedViewRestrictions, ChineseSearchable, Page):
    """创客节: the list of editions and the gallery across years."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    chinese_search_fields = ("title", "intro")
    search_fields = Page.search_fields + [index.SearchField("intro"), ChineseSearchable.chinese_search_field]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["festival.FestivalEditionPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("festival index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["editions"] = FestivalEditionPage.objects.child_of(self).live().public().order_by("-year")
        return context


class FestivalEditionPage(MemoizedViewRestrictions, ChineseSearchable, Page):
    """One year's festival: dates, venue, rules, categories and age groups, schedule, awards, rubric."""

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2015)])
    theme = models.CharField(_("theme"), max_length=120)
    registration_opens = models.DateTimeField(_("registration opens"))
    registration_closes = models.DateTimeField(
        _("registration closes"), help_text=_("After this moment only organisers can change entries.")
    )
    judging_starts = models.DateField(_("judging starts"))
    judging_ends = models.DateField(_("judging ends"))
    exhibition_starts = models.DateField(_("exhibition starts"))
    exhibition_ends = models.DateField(_("exhibition ends"))
    venue = models.CharField(_("venue"), max_length=200)
    rules = RichTextField(_("rules"), blank=True, features=["h3", "bold", "italic", "link", "ol", "ul"])
    score_min = models.PositiveSmallIntegerField(_("lowest score per criterion"), default=0)
    score_max = models.PositiveSmallIntegerField(
        _("highest score per criterion"), default=10, validators=[MinValueValidator(1)]
    )
    judges_per_entry = models.PositiveSmallIntegerField(
        _("judges per entry"), default=3, validators=[MinValueValidator(3), MaxValueValidator(9)]
    )
    results_published = models.BooleanField(_("results published"), default=False, editable=False)
    # Set by judging.publish_results / withdraw_results, never by editing the page (see
    # with_content_json). The certificate is dated with results_published_at.
    results_published_at = models.DateTimeField(_("results published at"), null=True, editable=False)
    registration_closed_at = models.DateTimeField(
        _("registration closed early at"),
        null=True,
        editable=False,
        help_text=_("Publishing the results closes registration, even before its deadline."),
    )

    # Judging state, not page text: a page revision (made before the results were published or
    # withdrawn) must not put the old state back when it is published.
    JUDGING_STATE_FIELDS = ("results_published", "results_published_at", "registration_closed_at")
    # Nor does a copy (next year's edition made from this one) start with published results.
    exclude_fields_in_copy = list(JUDGING_STATE_FIELDS)

    content_panels = Page.content_panels + [
        FieldPanel("year"),
        FieldPanel("theme"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("registration_opens"), FieldPanel("registration_closes")]),
                FieldRowPanel([FieldPanel("judging_starts"), FieldPanel("judging_ends")]),
                FieldRowPanel([FieldPanel("exhibition_starts"), FieldPanel("exhibition_ends")]),
                FieldPanel("venue"),
            ],
            heading=_("Dates and venue"),
        ),
        FieldPanel("rules"),
        InlinePanel("categories", heading=_("Categories"), label=_("Category"), min_num=1),
        InlinePanel("age_groups", heading=_("Age groups"), label=_("Age group"), min_num=1),
        InlinePanel("schedule", heading=_("Schedule"), label=_("Event")),
        InlinePanel("award_levels", heading=_("Award scheme"), label=_("Award")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("score_min"), FieldPanel("score_max")]),
                FieldPanel("judges_per_entry"),
                InlinePanel("criteria", label=_("Criterion"), min_num=1),
            ],
            heading=_("Rubric"),
        ),
    ]
    chinese_search_fields = ("title", "theme", "rules")
    search_fields = Page.search_fields + [index.SearchField("theme"), ChineseSearchable.chinese_search_field]
    parent_page_types = ["festival.FestivalIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("festival edition")

    def __str__(self):
        return self.title

    def with_content_json(self, content):
        page = super().with_content_json(content)
        for name in self.JUDGING_STATE_FIELDS:
            setattr(page, name, getattr(self, name))
        return page

    @property
    def registration_ends(self):
        """The registration deadline, or when publishing the results closed registration if earlier."""
        closed = self.registration_closed_at
        return min(self.registration_closes, closed) if closed else self.registration_closes

    @property
    def registration_open(self):
        now = timezone.now()
        return self.registration_opens <= now < self.registration_ends

    def get_context(self, request, *args, **kwargs):
        from . import policy
        from .gallery import gallery_context

        context = super().get_context(request, *args, **kwargs)
        context.update(gallery_context(request, edition=self))
        context["can_register"] = self.registration_open and policy.registrant_refusal(request.user) is None
        context["can_organise"] = policy.may_organise(request.user, self)
        return context


class Category(Orderable):
    edition = ParentalKey(FestivalEditionPage, related_name="categories", on_delete=models.CASCADE)
    name = models.CharField(pgettext_lazy("festival", "name"), max_length=40)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    description = models.CharField(pgettext_lazy("festival", "description"), max_length=250, blank=True)

    panels = [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name


class AgeGroup(Orderable):
    """小学 / 初中 / 高中 / 中职: the school stage and the grades (1–12) it takes."""

    edition = ParentalKey(FestivalEditionPage, related_name="age_groups", on_delete=models.CASCADE)
    name = models.CharField(pgettext_lazy("festival", "name"), max_length=40)
    stage = models.CharField(_("school stage"), max_length=20, choices=SchoolStage.choices)
    min_grade = models.PositiveSmallIntegerField(
        _("lowest grade"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    max_grade = models.PositiveSmallIntegerField(
        _("highest grade"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("stage"),
        FieldRowPanel([FieldPanel("min_grade"), FieldPanel("max_grade")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("age group")
        verbose_name_plural = _("age groups")

    def __str__(self):
        return self.name


class EventKind(models.TextChoices):
    EXHIBITION = "exhibition", _("Exhibition")
    COMPETITION = "competition", _("Competition")
    WORKSHOP = "workshop", _("Workshop")
    TALK = "talk", _("Talk")


class ScheduleItem(Orderable):
    edition = ParentalKey(FestivalEditionPage, related_name="schedule", on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=120)
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=120, blank=True)

    panels = [
        FieldPanel("kind"),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("starts"), FieldPanel("ends")]),
        FieldPanel("place"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("event")
        verbose_name_plural = _("schedule")

    def __str__(self):
        return self.title


class AwardKind(models.TextChoices):
    RANKED = "ranked", _("Ranked prize (by score)")
    SPECIAL = "special", _("Special prize (chosen by organisers)")


class AwardLevel(Orderable):
    """一等奖 … 优秀奖 (ranked, given from the top of each category and age group) or a named
    special prize. A ranked level has a quota per category and age group, or a share of it."""

    edition = ParentalKey(FestivalEditionPage, related_name="award_levels", on_delete=models.CASCADE)
    name = models.CharField(pgettext_lazy("festival", "name"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=AwardKind.choices, default=AwardKind.RANKED)
    quota = models.PositiveSmallIntegerField(
        _("quota"), null=True, blank=True, help_text=_("Entries per category and age group")
    )
    share = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Percentage of the ranked entries of each category and age group (rounded down)"),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("quota"), FieldPanel("share")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("award")
        verbose_name_plural = _("award scheme")

    def __str__(self):
        return self.name


class Criterion(Orderable):
    edition = ParentalKey(FestivalEditionPage, related_name="criteria", on_delete=models.CASCADE)
    name = models.CharField(pgettext_lazy("festival", "name"), max_length=40)
    description = models.CharField(_("what judges look for"), max_length=250, blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("weight")]

    class Meta(Orderable.Meta):
        verbose_name = _("criterion")
        verbose_name_plural = _("rubric")

    def __str__(self):
        return self.name


class EntryState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the mentor")
    RETURNED = "returned", _("Returned by the mentor")
    ENTERED = "entered", _("Entered")
    ACCEPTED = "accepted", _("Accepted")
    DISQUALIFIED = "disqualified", _("Disqualified")


class Entry(models.Model):
    """A team's project in one edition."""

    edition = models.ForeignKey(
        FestivalEditionPage, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="entries"
    )
    title = models.CharField(_("title"), max_length=80)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="entries"
    )
    age_group = models.ForeignKey(
        AgeGroup, verbose_name=_("age group"), on_delete=models.PROTECT, related_name="entries"
    )
    school = models.ForeignKey(
        "core.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="festival_entries"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor teacher"),
        on_delete=models.PROTECT,
        related_name="mentored_entries",
    )
    students = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="TeamMember",
        related_name="festival_entries",
        verbose_name=_("team"),
    )
    description = models.TextField(
        pgettext_lazy("festival", "description"), help_text=_("What the project is, in a few sentences")
    )
    what_it_does = models.TextField(_("what it does"), blank=True)
    how_made = models.TextField(_("how it was made"), blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    code_url = models.URLField(_("code or files link"), blank=True)
    lessons = models.ManyToManyField(
        "courses.LessonPage", blank=True, related_name="festival_entries", verbose_name=_("lessons used")
    )
    kit_templates = models.ManyToManyField(
        "kits.KitTemplate", blank=True, related_name="festival_entries", verbose_name=_("kits used")
    )
    licence = models.CharField(
        _("licence"), max_length=30, choices=Licence.choices, default=Licence.CC_BY_SA_4
    )
    state = models.CharField(
        _("state"), max_length=20, choices=EntryState.choices, default=EntryState.DRAFT, db_index=True
    )
    award = models.ForeignKey(
        AwardLevel,
        verbose_name=_("award"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
    )
    token = models.UUIDField(_("verification code"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = pgettext_lazy("festival", "entry")
        verbose_name_plural = _("entries")
        permissions = [("organise_festival", _("Can run the festival (accept entries, judging, awards)"))]
        indexes = [models.Index(fields=["edition", "state"])]

    def __str__(self):
        return self.title


class TeamMember(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="members")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="festival_memberships"
    )
    guardian_consent = models.BooleanField(
        _("guardian consent to publish photos"),
        default=False,
        help_text=_("A parent or guardian agreed that photos showing this student may be published."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["entry", "student"], name="festival_member_once")]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self):
        return self.student.public_name


def _photo_path(instance, filename):
    # A random name: the file name a student's phone chose can carry their name or the date.
    return f"festival/{instance.entry.edition_id}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


class EntryPhoto(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=_photo_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(
        _("description of the photo"), max_length=200, help_text=_("For readers who cannot see it")
    )
    shows_people = models.BooleanField(
        _("shows people"),
        default=True,  # fails closed: a photo nobody said anything about is treated as showing people
        help_text=_("Published only if every team member's guardian agreed."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.alt_text


class EntryEvent(models.Model):
    """The history of an entry: every state change, with who and why."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_state = models.CharField(max_length=20, choices=EntryState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=EntryState.choices)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("entry history")
        verbose_name_plural = _("entry history")

    def __str__(self):
        return f"{self.entry} {self.from_state} → {self.to_state}"


class Judge(models.Model):
    """A judge invited to an edition, with the schools they are linked to (conflicts of interest).
    Their own school (user.school) always counts as a conflict too."""

    edition = models.ForeignKey(
        FestivalEditionPage, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="judges"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="festival_judgings",
        limit_choices_to={"groups__role__code": "judge"},  # makerroom.core.roles.Role.JUDGE
    )
    linked_schools = models.ManyToManyField(
        "core.School", blank=True, related_name="+", verbose_name=_("linked schools")
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "user"], name="festival_judge_once")]
        verbose_name = _("judge")
        verbose_name_plural = _("judges")

    def __str__(self):
        return str(self.user)


class Assignment(models.Model):
    """A judge scores an entry: the scores per criterion, the weighted total and a comment."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="assignments")
    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="assignments")
    manual = models.BooleanField(default=False)
    scores = models.JSONField(default=dict, blank=True)  # {criterion id (str): score}
    total = models.DecimalField(max_digits=8, decimal_places=3, null=True, blank=True)
    comment = models.TextField(pgettext_lazy("festival", "comment"), blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "judge"], name="festival_assignment_once")]
        ordering = ["entry_id", "judge_id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self):
        return f"{self.judge} · {self.entry}"
