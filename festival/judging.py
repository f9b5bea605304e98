"""Judging rules: assignment of judges to entries, scoring, per-judge normalisation, ranking,
award proposals and publishing.

Assignment: every accepted entry gets `edition.judges_per_entry` (at least 3) judges; no judge
scores an entry from their own school or a school they are linked to; loads are balanced by
always giving an entry the least-loaded eligible judges (entries with the fewest eligible judges
go first, so they are not left without). Scored and hand-made assignments are kept on recompute.

Normalisation: each judge's weighted totals become z-scores, (total − the judge's mean) / the
judge's standard deviation (population), so a strict or generous judge neither sinks nor lifts
their entries; a judge with fewer than two scores, or identical scores, contributes 0.
An entry's normalised score is the mean of its judges' z-scores.

Ranking, per category and age group; ties are broken, in order, by
  1. the higher normalised score,
  2. the higher raw mean total,
  3. the higher mean score on the rubric's most heavily weighted criterion (first in order on a tie),
  4. the earlier registration (lower entry number).
"""

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from makerroom.core import audit, page_cache

from . import policy
from .models import Assignment, AwardKind, AwardLevel, Entry, EntryState, FestivalEditionPage, Judge

# --- conflicts and assignment ----------------------------------------------------------------


def judge_conflicts(edition):
    """{judge id: set of school ids the judge must not score}."""
    conflicts = {judge.pk: {judge.user.school_id} - {None} for judge in edition.judges.select_related("user")}
    for judge_id, school_id in Judge.linked_schools.through.objects.filter(
        judge__edition=edition
    ).values_list("judge_id", "school_id"):
        conflicts[judge_id].add(school_id)
    return conflicts


def judged_entries(edition):
    return Entry.objects.filter(edition=edition, state=EntryState.ACCEPTED)


@transaction.atomic
def compute_assignment(edition):
    """(Re)compute the assignment; returns the problems check_assignment finds afterwards."""
    need = edition.judges_per_entry
    conflicts = judge_conflicts(edition)
    entries = list(judged_entries(edition).values_list("pk", "school_id"))
    accepted = {pk for pk, _school in entries}
    # Keep what judges already scored and what organisers set by hand; drop the rest.
    Assignment.objects.filter(entry__edition=edition, manual=False, total__isnull=True, scores={}).delete()
    Assignment.objects.filter(entry__edition=edition).exclude(entry_id__in=accepted).filter(
        total__isnull=True
    ).delete()
    kept = defaultdict(set)
    load = dict.fromkeys(conflicts, 0)
    for entry_id, judge_id in Assignment.objects.filter(entry__edition=edition).values_list(
        "entry_id", "judge_id"
    ):
        kept[entry_id].add(judge_id)
        load[judge_id] += 1

    eligible = {
        pk: [j for j, schools in conflicts.items() if school not in schools and j not in kept[pk]]
        for pk, school in entries
    }
    new = []
    for pk, _school in sorted(entries, key=lambda e: (len(eligible[e[0]]), e[0])):
        missing = need - len(kept[pk])
        if missing <= 0:
            continue
        chosen = heapq.nsmallest(missing, eligible[pk], key=lambda j: (load[j], j))
        for judge_id in chosen:
            load[judge_id] += 1
            new.append(Assignment(entry_id=pk, judge_id=judge_id))
    Assignment.objects.bulk_create(new, batch_size=1000)
    return check_assignment(edition)


def check_assignment(edition):
    """Problems with the current assignment, as sentences (empty list: all rules hold)."""
    need = edition.judges_per_entry
    conflicts = judge_conflicts(edition)
    problems = []
    counts = defaultdict(int)
    rows = list(
        Assignment.objects.filter(entry__edition=edition).values_list(
            "entry_id", "entry__title", "entry__school_id", "judge_id", "judge__user__display_name", "total"
        )
    )
    for entry_id, title, school_id, judge_id, judge_name, _total in rows:
        counts[entry_id] += 1
        if school_id in conflicts.get(judge_id, ()):
            problems.append(
                _("%(judge)s is linked to the school of “%(entry)s”.") % {"judge": judge_name, "entry": title}
            )
    for entry_id, title in judged_entries(edition).values_list("pk", "title"):
        if counts[entry_id] < need:
            problems.append(
                _("“%(entry)s” has %(n)s judges; it needs %(need)s.")
                % {"entry": title, "n": counts[entry_id], "need": need}
            )
    problems += _load_problems(conflicts, rows)
    return problems


def _load_problems(conflicts, rows):
    """Loads that a single move would even out: an unscored entry of a judge that another eligible
    judge with at least two fewer entries could take. Conflicts can make uneven loads unavoidable;
    those are not reported. The computed assignment leaves none; hand changes can.
    conflicts: judge_conflicts(edition); rows: check_assignment's assignment rows."""
    load = dict.fromkeys(conflicts, 0)
    names = {}
    on_entry = defaultdict(set)
    for entry_id, _title, _school, judge_id, judge_name, _total in rows:
        load[judge_id] += 1
        names[judge_id] = judge_name
        on_entry[entry_id].add(judge_id)
    if not load or max(load.values()) - min(load.values()) < 2:
        return []
    problems, reported = [], set()
    for entry_id, title, school_id, judge_id, _name, total in rows:
        if total is not None or judge_id in reported:
            continue
        for other, n in load.items():
            if (
                n <= load[judge_id] - 2
                and school_id not in conflicts[other]
                and other not in on_entry[entry_id]
            ):
                problems.append(
                    _("%(judge)s scores %(n)s entries and %(other)s only %(m)s; “%(entry)s” could move.")
                    % {
                        "judge": names[judge_id],
                        "n": load[judge_id],
                        "other": names.get(other) or Judge.objects.get(pk=other).user.display_name,
                        "m": n,
                        "entry": title,
                    }
                )
                reported.add(judge_id)
                break
    return problems


def mark_conflicts(edition, entries):
    """Set `conflicted` on each prefetched assignment of the given entries (for the assignment page)."""
    conflicts = judge_conflicts(edition)
    for entry in entries:
        for assignment in entry.assignments.all():
            assignment.conflicted = entry.school_id in conflicts.get(assignment.judge_id, ())
    return entries


def judge_loads(edition):
    return dict(Judge.objects.filter(edition=edition).annotate(n=Count("assignments")).values_list("pk", "n"))


@transaction.atomic
def assign_by_hand(entry, judge, *, user):
    """An organiser adds a judge to an entry; conflicts of interest are refused outright."""
    policy.check_organiser(user, entry.edition)
    if judge.edition_id != entry.edition_id:
        raise ValidationError(_("This judge is not invited to the entry's edition."))
    if entry.school_id in judge_conflicts(entry.edition)[judge.pk]:
        raise ValidationError(
            _("%(judge)s is linked to %(school)s and cannot score this entry.")
            % {"judge": judge.user, "school": entry.school}
        )
    assignment, created = Assignment.objects.get_or_create(
        entry=entry, judge=judge, defaults={"manual": True}
    )
    if not created:
        raise ValidationError(_("%(judge)s already scores this entry.") % {"judge": judge.user})
    return assignment


def unassign_by_hand(assignment, *, user):
    """An organiser removes a judge from an entry. A score stays unless the judge turned out to be
    conflicted, in which case it is discarded with the assignment."""
    policy.check_organiser(user, assignment.entry.edition)
    if assignment.total is not None and not policy.is_conflicted(assignment.judge, assignment.entry):
        raise ValidationError(_("This judge has already scored the entry; the score is kept."))
    assignment.delete()


# --- scoring ---------------------------------------------------------------------------------


def weighted_total(criteria, scores):
    """Weighted mean of the criterion scores, on the rubric's scale; None until every criterion is scored."""
    if any(str(c.pk) not in scores for c in criteria):
        return None
    weight = sum(c.weight for c in criteria)
    total = sum(c.weight * Decimal(str(scores[str(c.pk)])) for c in criteria) / weight
    return total.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


@transaction.atomic
def save_score(assignment, values, *, user, comment="", now=None):
    """A judge saves (part of) their scores; values: {criterion id: number or ""}."""
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("judge__user", "entry__edition")
        .get(pk=assignment.pk)
    )
    policy.check_may_score(assignment, user)
    edition = assignment.entry.edition
    if policy.scores_locked(edition):
        raise ValidationError(_("The results are published; scores can no longer change."))
    criteria = list(edition.criteria.all())
    scores, errors = {}, []
    for criterion in criteria:
        raw = values.get(str(criterion.pk), "")
        if raw in ("", None):
            continue
        try:
            value = Decimal(str(raw))
        except ArithmeticError:
            errors.append(_("%(criterion)s: enter a number.") % {"criterion": criterion.name})
            continue
        if not edition.score_min <= value <= edition.score_max or value * 2 != int(value * 2):
            errors.append(
                _("%(criterion)s: the score must be between %(low)s and %(high)s in half points.")
                % {"criterion": criterion.name, "low": edition.score_min, "high": edition.score_max}
            )
            continue
        scores[str(criterion.pk)] = float(value)  # halves are exact in binary
    if errors:
        raise ValidationError(errors)
    assignment.scores = scores
    assignment.comment = comment.strip()
    assignment.total = weighted_total(criteria, scores)
    assignment.scored_at = (now or timezone.now()) if assignment.total is not None else None
    assignment.save()
    return assignment


# --- results ---------------------------------------------------------------------------------


@dataclass
class Result:
    entry_id: int
    category_id: int
    age_group_id: int
    raw: float  # mean weighted total
    normalised: float  # mean z-score
    top_criterion: float
    judges: int
    rank: int = 0
    totals: list = field(default_factory=list)  # [(judge id, total, z)]


def normalise(rows):
    """rows: [(judge id, entry id, total)] -> {(judge id, entry id): z-score}."""
    by_judge = defaultdict(list)
    for judge_id, _entry_id, total in rows:
        by_judge[judge_id].append(float(total))
    stats = {}
    for judge_id, totals in by_judge.items():
        mean = sum(totals) / len(totals)
        sd = math.sqrt(sum((t - mean) ** 2 for t in totals) / len(totals))
        stats[judge_id] = (mean, sd)
    z = {}
    for judge_id, entry_id, total in rows:
        mean, sd = stats[judge_id]
        z[(judge_id, entry_id)] = (
            (float(total) - mean) / sd if sd > 1e-9 and len(by_judge[judge_id]) > 1 else 0.0
        )
    return z


def results(edition):
    """Ranked results per (category id, age group id): {key: [Result, ...]} best first."""
    criteria = list(edition.criteria.all())
    top = max(
        criteria, key=lambda c: (c.weight, -c.sort_order if c.sort_order is not None else 0), default=None
    )
    top_key = str(top.pk) if top else None
    rows = list(
        Assignment.objects.filter(
            entry__edition=edition, entry__state=EntryState.ACCEPTED, total__isnull=False
        ).values_list("judge_id", "entry_id", "total", "scores")
    )
    z = normalise([(j, e, t) for j, e, t, _s in rows])
    meta = dict(
        (pk, (cat, age))
        for pk, cat, age in judged_entries(edition).values_list("pk", "category_id", "age_group_id")
    )
    per_entry = defaultdict(list)
    for judge_id, entry_id, total, scores in rows:
        per_entry[entry_id].append((judge_id, float(total), z[(judge_id, entry_id)], scores.get(top_key, 0)))
    groups = defaultdict(list)
    for entry_id, items in per_entry.items():
        n = len(items)
        category_id, age_group_id = meta[entry_id]
        groups[(category_id, age_group_id)].append(
            Result(
                entry_id=entry_id,
                category_id=category_id,
                age_group_id=age_group_id,
                raw=sum(t for _j, t, _z, _c in items) / n,
                normalised=sum(zz for _j, _t, zz, _c in items) / n,
                top_criterion=sum(c for _j, _t, _z, c in items) / n,
                judges=n,
                totals=[(j, t, zz) for j, t, zz, _c in items],
            )
        )
    for ranked in groups.values():
        ranked.sort(key=tie_break_key)
        for position, result in enumerate(ranked, start=1):
            result.rank = position
    return dict(groups)


def tie_break_key(result):
    # Rounded so that floating-point noise never decides between equal scores.
    return (
        -round(result.normalised, 9),
        -round(result.raw, 9),
        -round(result.top_criterion, 9),
        result.entry_id,
    )


def quota_for(level, ranked_count):
    if level.quota is not None:
        return level.quota
    if level.share is not None:
        return int(Decimal(ranked_count) * level.share / 100)
    return 0


@transaction.atomic
def propose_awards(edition, *, user):
    """Give the ranked prizes from the top of each category and age group by their quotas.
    Special prizes stay as organisers set them; an entry has one award."""
    policy.check_organiser(user, edition)
    if edition.results_published:
        raise ValidationError(_("The results are already published."))
    levels = list(edition.award_levels.filter(kind=AwardKind.RANKED).order_by("sort_order", "pk"))
    special = set(
        Entry.objects.filter(edition=edition, award__kind=AwardKind.SPECIAL).values_list("pk", flat=True)
    )
    Entry.objects.filter(edition=edition, award__kind=AwardKind.RANKED).update(award=None)
    changed = []
    for ranked in results(edition).values():
        queue = [r.entry_id for r in ranked if r.entry_id not in special]
        start = 0
        for level in levels:
            count = quota_for(level, len(ranked))
            for entry_id in queue[start : start + count]:
                changed.append(Entry(pk=entry_id, award=level))
            start += count
    Entry.objects.bulk_update(changed, ["award"], batch_size=500)
    return len(changed)


@transaction.atomic
def set_award(entry, award, *, user):
    """An organiser gives (or takes back, award=None) an award by hand. Ranked levels may be
    adjusted freely after a proposal; a special prize is never given more often than its quota."""
    policy.check_organiser(user, entry.edition)
    if entry.edition.results_published:
        raise ValidationError(_("The results are already published."))
    if award is not None and award.edition_id != entry.edition_id:
        raise ValidationError(_("This award belongs to another edition."))
    if award is not None and entry.state != EntryState.ACCEPTED:
        raise ValidationError(_("Only accepted entries can win an award."))
    if award is not None and award.kind == AwardKind.SPECIAL and award.quota is not None:
        # The lock makes two organisers giving the last one at once queue up.
        AwardLevel.objects.select_for_update().filter(pk=award.pk).first()
        given = Entry.objects.filter(award=award).exclude(pk=entry.pk).count()
        if given >= award.quota:
            raise ValidationError(
                _("%(award)s can be given %(quota)s times and has been given that often already.")
                % {"award": award.name, "quota": award.quota}
            )
    entry.award = award
    entry.save(update_fields=["award", "updated_at"])


def publish_blockers(edition, now=None):
    """What speaks against publishing now, as sentences (empty: judging has closed). An organiser
    may publish anyway with `override=True`, which skips exactly these checks."""
    today = timezone.localdate(now) if now else timezone.localdate()
    blockers = []
    if today <= edition.judging_ends:
        blockers.append(_("Judging runs until %(date)s.") % {"date": edition.judging_ends.isoformat()})
    assigned = Assignment.objects.filter(entry__edition=edition, entry__state=EntryState.ACCEPTED)
    total = assigned.count()
    missing = assigned.filter(total__isnull=True).count()
    if missing:
        blockers.append(
            _("%(missing)s of %(total)s scores are missing.") % {"missing": missing, "total": total}
        )
    return blockers


@transaction.atomic
def publish_results(edition, *, user, override=False, now=None):
    """Publish the awards: the gallery and edition pages show them, teams download certificates
    dated today, scores and awards freeze, and registration closes (for good: withdrawing the
    results does not reopen it). Only after judging has closed (`publish_blockers` is empty) or
    with `override=True`; returns the blockers the override skipped (also kept in the history)."""
    policy.check_organiser(user, edition)
    locked = FestivalEditionPage.objects.select_for_update().get(pk=edition.pk)
    if locked.results_published:
        raise ValidationError(_("The results are already published."))
    if not Entry.objects.filter(edition=edition, award__isnull=False).exists():
        raise ValidationError(_("No awards to publish yet: propose or set them first."))
    blockers = publish_blockers(locked, now)
    if blockers and not override:
        raise ValidationError(
            [*blockers, _("Publish after judging has closed, or confirm that these checks are skipped.")]
        )
    moment = now or timezone.now()
    fields = {"results_published": True, "results_published_at": moment}
    if locked.registration_ends > moment:
        fields["registration_closed_at"] = moment
    # Not a page revision: publishing results is a judging act, not an edit of the page's text.
    FestivalEditionPage.objects.filter(pk=edition.pk).update(**fields)
    for name, value in fields.items():  # the caller's object shows the new state too
        setattr(edition, name, value)
    audit.record(
        edition, "festival.publish_results", user, after=audit.snapshot(edition, fields), skipped=blockers
    )
    page_cache.content_changed(FestivalEditionPage, edition)
    return blockers


@transaction.atomic
def withdraw_results(edition, *, user, reason):
    """Take published results back (a mistake in the awards): the pages hide the awards again,
    certificates are no longer issued, awards can be changed and published again. Registration
    stays closed. The reason is kept in the history."""
    policy.check_organiser(user, edition)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Please give a reason for withdrawing the results."))
    if not FestivalEditionPage.objects.select_for_update().get(pk=edition.pk).results_published:
        raise ValidationError(_("The results are not published."))
    FestivalEditionPage.objects.filter(pk=edition.pk).update(
        results_published=False, results_published_at=None
    )
    edition.results_published, edition.results_published_at = False, None
    audit.record(edition, "festival.withdraw_results", user, reason=reason)
    page_cache.content_changed(FestivalEditionPage, edition)


def award_counts(edition):
    return dict(
        AwardLevel.objects.filter(edition=edition).annotate(n=Count("entries")).values_list("pk", "n")
    )
