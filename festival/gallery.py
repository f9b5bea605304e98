"""The public gallery: accepted entries only, consented photos only, display names only.
A fixed number of queries per page whatever the number of entries."""

from django.core.paginator import Paginator
from django.db.models import Case, Count, F, Prefetch, Q, When
from django.utils.http import urlencode
from makerroom.core.models import School

from .models import (
    AgeGroup,
    AwardLevel,
    Category,
    Entry,
    EntryPhoto,
    EntryState,
    FestivalEditionPage,
    TeamMember,
)

PER_PAGE = 24


def public_editions():
    """Published editions that anyone may see (Wagtail view restrictions on the edition or above count)."""
    return FestivalEditionPage.objects.live().public()


def edition_is_public(edition):
    """One edition, without a query once known: its view restrictions are kept until the next publish."""
    return edition.live and not edition.get_view_restrictions().exists()


def public_entries(editions=None):
    """Accepted entries of public editions. Pass the editions when you have them: Wagtail's
    `.public()` reads the view restrictions with a query of its own."""
    editions = public_editions() if editions is None else editions
    return (
        Entry.objects.filter(state=EntryState.ACCEPTED, edition__in=editions)
        .select_related("category", "age_group", "school", "edition", "award")
        .annotate(unconsented=Count("members", filter=Q(members__guardian_consent=False)))
        .prefetch_related(
            Prefetch("photos", queryset=EntryPhoto.objects.order_by("position", "pk")),
            Prefetch("members", queryset=TeamMember.objects.select_related("student")),
        )
    )


def public_photos(entry):
    """Photos that show people need every member's guardian consent (entry.unconsented == 0)."""
    return [p for p in entry.photos.all() if not p.shows_people or entry.unconsented == 0]


def shown_award(entry):
    return entry.award if entry.award_id and entry.edition.results_published else None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def gallery_context(request, edition=None):
    """Filters (edition, category, age group, award, school) from the query string, one page of entries."""
    params = request.GET
    editions = public_editions().order_by("-year")
    entries = public_entries(editions)
    chosen = {}
    if edition is not None:
        entries = entries.filter(edition=edition)
    elif (value := _int(params.get("edition"))) is not None:
        entries = entries.filter(edition_id=value)
        chosen["edition"] = value
    scope = Q(edition=edition) if edition is not None else Q(edition__in=editions)
    if chosen.get("edition"):
        scope = Q(edition_id=chosen["edition"])
    # Categories and age groups are per edition: filter by name so one filter spans the years.
    if category := params.get("category"):
        entries = entries.filter(category__name=category)
        chosen["category"] = category
    if age := params.get("age"):
        entries = entries.filter(age_group__name=age)
        chosen["age"] = age
    if award := params.get("award"):
        entries = entries.filter(award__name=award, edition__results_published=True)
        chosen["award"] = award
    if (school := _int(params.get("school"))) is not None:
        entries = entries.filter(school_id=school)
        chosen["school"] = school
    # Awards order the entries only once they are published: before that the order would give them away.
    published_award = Case(When(edition__results_published=True, then=F("award__sort_order")), default=None)
    ordered = entries.order_by("-edition__year", published_award.asc(nulls_last=True), "pk")
    paginator = Paginator(ordered, PER_PAGE)
    page_obj = paginator.get_page(params.get("page"))
    cards = [
        {
            "entry": e,
            "photo": next(iter(public_photos(e)), None),
            "award": shown_award(e),
            "team": [m.student.public_name for m in e.members.all()],
        }
        for e in page_obj.object_list
    ]
    published = Q(edition__results_published=True) & scope
    return {
        "cards": cards,
        "page_obj": page_obj,
        "filters": {
            "editions": editions if edition is None else [],
            "categories": sorted(set(Category.objects.filter(scope).values_list("name", flat=True))),
            "age_groups": sorted(set(AgeGroup.objects.filter(scope).values_list("name", flat=True))),
            "awards": sorted(set(AwardLevel.objects.filter(published).values_list("name", flat=True))),
            "schools": School.objects.filter(festival_entries__state=EntryState.ACCEPTED)
            .distinct()
            .order_by("name"),
        },
        "chosen": chosen,
        "extra_query": urlencode(chosen),
    }
