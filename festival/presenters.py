"""Tables the organiser's and the judge's pages show, computed here so the views stay thin: the
edition summary, one page of the judge assignment, the ranked results per category and age group,
and a judge's work list."""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from . import judging, policy
from .models import Assignment, EntryState, Judge, TeamMember

ASSIGNMENTS_PER_PAGE = 50


def edition_summary(edition):
    """Entries per state, the entries waiting for acceptance, the judges with their loads."""
    states = dict(edition.entries.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    return {
        "states": [(label, states.get(value, 0)) for value, label in EntryState.choices],
        "waiting": edition.entries.filter(state=EntryState.ENTERED).select_related(
            "school", "category", "age_group"
        ),
        "problems": judging.check_assignment(edition),
        "judges": edition.judges.select_related("user").annotate(
            n=Count("assignments"),
            scored=Count("assignments", filter=Q(assignments__total__isnull=False)),
        ),
    }


def assignment_page(edition, page_number):
    """One page of judged entries with their judges, each assignment marked `conflicted`."""
    entries = (
        judging.judged_entries(edition)
        .select_related("school")
        .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.select_related("judge__user")))
        .order_by("pk")
    )
    page_obj = Paginator(entries, ASSIGNMENTS_PER_PAGE).get_page(page_number)
    judging.mark_conflicts(edition, page_obj.object_list)
    return {
        "page_obj": page_obj,
        "problems": judging.check_assignment(edition),
        "loads": judging.judge_loads(edition),
    }


def results_groups(edition):
    """[{category, age_group, rows: [{result, entry, totals: [(judge name, total, z)]}]}] in the
    order of the rubric's categories and age groups, each group ranked best first."""
    ranked = judging.results(edition)
    entries = {e.pk: e for e in edition.entries.select_related("award", "school")}
    categories = {c.pk: c for c in edition.categories.all()}
    age_groups = {a.pk: a for a in edition.age_groups.all()}
    judges = dict(Judge.objects.filter(edition=edition).values_list("pk", "user__display_name"))
    groups = []
    for (category_id, age_group_id), rows in sorted(
        ranked.items(), key=lambda kv: (categories[kv[0][0]].sort_order, age_groups[kv[0][1]].sort_order)
    ):
        groups.append(
            {
                "category": categories[category_id],
                "age_group": age_groups[age_group_id],
                "rows": [
                    {
                        "result": r,
                        "entry": entries[r.entry_id],
                        "totals": [(judges.get(j), t, z) for j, t, z in r.totals],
                    }
                    for r in rows
                ],
            }
        )
    return groups


def held_back_photos(edition):
    """Photos of accepted entries the public does not see because of consent, each with why:
    [{entry, photo, reason}] (policy.photo_hold_reason is the rule)."""
    entries = (
        judging.judged_entries(edition)
        .select_related("school")
        .prefetch_related(
            "photos", Prefetch("members", queryset=TeamMember.objects.select_related("student"))
        )
        .order_by("pk")
    )
    rows = []
    for entry in entries:
        members = list(entry.members.all())
        for photo in entry.photos.all():
            if reason := policy.photo_hold_reason(photo, members):
                rows.append({"entry": entry, "photo": photo, "reason": reason})
    return rows


def publish_summary(edition):
    """What the confirmation page says before results are published: the checks an override
    would skip, how many awards go out, and whether registration closes now."""
    return {
        "blockers": judging.publish_blockers(edition),
        "awarded": edition.entries.filter(award__isnull=False).count(),
        "closes_registration": edition.registration_ends > timezone.now(),
    }


def team_names(edition):
    """{entry id: "小林、小雨"}: the teams' public names, in team order."""
    names = {}
    members = (
        TeamMember.objects.filter(entry__edition=edition)
        .select_related("student")
        .order_by("entry_id", "position", "pk")
    )
    for member in members:
        names.setdefault(member.entry_id, []).append(member.student.public_name)
    return {entry_id: "、".join(team) for entry_id, team in names.items()}


def judge_worklist(user):
    """A judge's assignments: those of editions still being judged (entries still to score first,
    newest edition first), and apart from them the finished editions, whose scores are locked."""
    assignments = (
        policy.assignments_for(user)
        .filter(entry__state=EntryState.ACCEPTED)
        .select_related("entry__category", "entry__age_group", "entry__edition")
        .order_by("-entry__edition__year", "entry_id")
    )
    current, finished = [], []
    for assignment in assignments:
        assignment.locked = policy.scores_locked(assignment.entry.edition)
        (finished if assignment.locked else current).append(assignment)
    current.sort(key=lambda a: a.total is not None)  # stable: still newest edition first within each
    return {
        "current": current,
        "finished": finished,
        "done": sum(1 for a in current if a.total is not None),
    }
