"""The public gallery: accepted entries only, consented photos only, display names only.
A fixed number of queries per page whatever the number of entries."""

from django.core.paginator import Paginator
from django.db.models import Case, F, Prefetch, Q, When
from django.utils.http import urlencode
from makerroom.core.models import School

from . import policy
from .models import AgeGroup, AwardLevel, Category, EntryPhoto, EntryState, TeamMember

PER_PAGE = 24


def public_entries(editions=None):
    """The public's entries (policy.public_entries) with what a card or an entry page shows."""
    return (
        policy.public_entries(editions)
        .select_related("category", "age_group", "school", "edition", "award")
        .prefetch_related(
            Prefetch("photos", queryset=EntryPhoto.objects.order_by("position", "pk")),
            Prefetch("members", queryset=TeamMember.objects.select_related("student")),
        )
    )


def public_photos(entry):
    """The photos consent allows (policy.photo_is_public), from the prefetched photos and members."""
    members = list(entry.members.all())
    return [p for p in entry.photos.all() if policy.photo_is_public(p, members)]


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def gallery_context(request, edition=None):
    """Filters (edition, category, age group, award, school) from the query string, one page of entries."""
    params = request.GET
    editions = policy.public_editions().order_by("-year")
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
            "award": policy.shown_award(e),
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
