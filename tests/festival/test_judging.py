from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from festival import judging
from festival.judging import Result, normalise, tie_break_key
from festival.models import Assignment, AwardLevel, Entry, EntryState, Judge

from .conftest import make_entry

pytestmark = pytest.mark.django_db


def test_normalisation_worked_example():
    """A strict judge (J1: 4, 5, 6) and a generous one (J2: 7, 8, 9) rank the same three entries the
    same way; after normalisation both give z = −1.2247, 0, +1.2247 (population sd = sqrt(2/3))."""
    rows = [(1, "a", 4), (1, "b", 5), (1, "c", 6), (2, "a", 7), (2, "b", 8), (2, "c", 9)]
    z = normalise(rows)
    for judge in (1, 2):
        assert z[(judge, "a")] == pytest.approx(-1.224745, abs=1e-6)
        assert z[(judge, "b")] == pytest.approx(0.0, abs=1e-12)
        assert z[(judge, "c")] == pytest.approx(1.224745, abs=1e-6)
    # A judge with one score, or the same score for everything, contributes 0.
    assert normalise([(3, "a", 9)]) == {(3, "a"): 0.0}
    assert normalise([(4, "a", 6), (4, "b", 6)]) == {(4, "a"): 0.0, (4, "b"): 0.0}


def test_tie_break_order():
    r = lambda pk, z, raw, top: Result(pk, 1, 1, raw=raw, normalised=z, top_criterion=top, judges=3)  # noqa: E731
    results = [
        r(5, 0.5, 7.0, 8.0),
        r(4, 0.5, 7.0, 9.0),
        r(3, 0.5, 7.5, 1.0),
        r(2, 0.9, 1.0, 1.0),
        r(1, 0.5, 7.0, 8.0),
    ]
    ordered = [x.entry_id for x in sorted(results, key=tie_break_key)]
    # normalised first, then raw mean, then the top-weighted criterion, then the earlier entry
    assert ordered == [2, 3, 4, 1, 5]


def test_weighted_total():
    class C:
        def __init__(self, pk, weight):
            self.pk, self.weight = pk, Decimal(weight)

    criteria = [C(1, "3"), C(2, "1")]
    assert judging.weighted_total(criteria, {"1": 8, "2": 4}) == Decimal("7.000")
    assert judging.weighted_total(criteria, {"1": 8}) is None


def _accepted_entries(edition, people, n_a=3, n_b=2):
    entries = [make_entry(edition, people, title=f"甲{n}", state=EntryState.ACCEPTED) for n in range(n_a)]
    entries += [
        make_entry(
            edition, people, students=("s3",), mentor="mentor_b", title=f"乙{n}", state=EntryState.ACCEPTED
        )
        for n in range(n_b)
    ]
    return entries


def test_assignment_respects_conflicts_and_balances(edition, people, judges):
    entries = _accepted_entries(edition, people)
    # judge_a works at school A and judge_x is linked to school B: each school's entries then have
    # exactly three eligible judges.
    problems = judging.compute_assignment(edition)
    assert problems == []
    for entry in entries:
        assigned = set(Assignment.objects.filter(entry=entry).values_list("judge__user__username", flat=True))
        assert len(assigned) == 3
        if entry.school.code == "SZ-T1":
            assert "judge_a" not in assigned
        else:
            assert "judge_x" not in assigned
    # the conflicts force the loads here: judges y and z are the only ones eligible for everything
    assert judging.judge_loads(edition) == {
        judges["judge_a"].pk: 2,
        judges["judge_x"].pk: 3,
        judges["judge_y"].pk: 5,
        judges["judge_z"].pk: 5,
    }


def test_assignment_balances_loads(edition, people, judges, make_user):
    Judge.objects.filter(pk__in=[judges["judge_a"].pk, judges["judge_x"].pk]).delete()
    for n in range(4):
        Judge.objects.create(edition=edition, user=make_user(f"extra{n}", display_name=f"评委{n}"))
    _accepted_entries(edition, people, n_a=6, n_b=4)
    assert judging.compute_assignment(edition) == []
    assert sorted(judging.judge_loads(edition).values()) == [5, 5, 5, 5, 5, 5]  # 10 entries × 3 judges / 6


def test_uneven_loads_after_hand_changes_are_reported(edition, people, judges, make_user):
    Judge.objects.filter(pk__in=[judges["judge_a"].pk, judges["judge_x"].pk]).delete()
    for n in range(4):
        Judge.objects.create(edition=edition, user=make_user(f"extra{n}", display_name=f"评委{n}"))
    entries = _accepted_entries(edition, people, n_a=6, n_b=4)
    assert judging.compute_assignment(edition) == []
    busy = Judge.objects.get(user__username="extra0")
    free = [e for e in entries if not Assignment.objects.filter(entry=e, judge=busy).exists()]
    organiser = people["organiser"]
    added = [judging.assign_by_hand(entry, busy, user=organiser) for entry in free[:2]]  # 7 against 5
    problems = judging.check_assignment(edition)
    assert len(problems) == 1 and "评委0 scores 7 entries" in problems[0] and "could move" in problems[0]
    judging.unassign_by_hand(added[0], user=organiser)  # 6 against 5: as even as it gets by hand
    assert judging.check_assignment(edition) == []


def test_manual_adjustment_is_rechecked(edition, people, judges):
    entries = _accepted_entries(edition, people, n_a=1, n_b=0)
    judging.compute_assignment(edition)
    organiser = people["organiser"]
    with pytest.raises(ValidationError, match="linked to"):
        judging.assign_by_hand(entries[0], judges["judge_a"], user=organiser)
    with pytest.raises(PermissionDenied):
        judging.assign_by_hand(entries[0], judges["judge_a"], user=people["mentor"])
    one = Assignment.objects.filter(entry=entries[0]).first()
    judging.unassign_by_hand(one, user=organiser)
    problems = judging.check_assignment(edition)
    assert any("has 2 judges" in p for p in problems)
    # recompute fills the gap again, keeping hand-made choices
    assert judging.compute_assignment(edition) == []


def test_a_conflict_made_elsewhere_is_reported(edition, people, judges):
    entry = _accepted_entries(edition, people, n_a=1, n_b=0)[0]
    Assignment.objects.create(entry=entry, judge=judges["judge_a"], manual=True)
    assert any("linked to the school" in p for p in judging.check_assignment(edition))


def test_judges_score_only_their_entries_within_range(edition, people, judges):
    entry = _accepted_entries(edition, people, n_a=1, n_b=0)[0]
    judging.compute_assignment(edition)
    assignment = Assignment.objects.filter(entry=entry).select_related("judge__user").first()
    other = next(u for k, u in people.items() if k.startswith("judge") and u != assignment.judge.user)
    c1, c2 = edition.criteria.all()
    with pytest.raises(PermissionDenied):
        judging.save_score(assignment, {str(c1.pk): 5}, user=other)
    with pytest.raises(ValidationError, match="between 0 and 10"):
        judging.save_score(assignment, {str(c1.pk): 11}, user=assignment.judge.user)
    saved = judging.save_score(assignment, {str(c1.pk): "8.5"}, user=assignment.judge.user, comment="创意好")
    assert saved.total is None and saved.scores == {str(c1.pk): 8.5}  # saved, to finish later
    saved = judging.save_score(assignment, {str(c1.pk): "8.5", str(c2.pk): 4.5}, user=assignment.judge.user)
    assert saved.total == Decimal("7.500")


def _score_all(edition, by_entry):
    """by_entry: {entry: total}: every assigned judge gives every criterion that score."""
    criteria = list(edition.criteria.all())
    for entry, score in by_entry.items():
        for a in Assignment.objects.filter(entry=entry).select_related("judge__user"):
            judging.save_score(a, {str(c.pk): score for c in criteria}, user=a.judge.user)


def test_ranking_awards_and_publishing(edition, people, judges):
    entries = _accepted_entries(edition, people, n_a=3, n_b=0)
    Judge.objects.filter(pk=judges["judge_a"].pk).delete()  # conflicted with all of them anyway
    judging.compute_assignment(edition)
    _score_all(edition, {entries[0]: 6, entries[1]: 9, entries[2]: 7.5})
    ranked = judging.results(edition)[(entries[0].category_id, entries[0].age_group_id)]
    assert [r.entry_id for r in ranked] == [entries[1].pk, entries[2].pk, entries[0].pk]
    assert ranked[0].raw == pytest.approx(9.0) and ranked[0].normalised > 0 > ranked[2].normalised

    organiser = people["organiser"]
    special = AwardLevel.objects.get(edition=edition, name="最佳创意奖")
    judging.set_award(entries[0], special, user=organiser)
    assert judging.propose_awards(edition, user=organiser) == 2
    awards = {e.pk: e.award.name if e.award else None for e in edition.entries.select_related("award")}
    assert awards == {entries[1].pk: "一等奖", entries[2].pk: "二等奖", entries[0].pk: "最佳创意奖"}
    with pytest.raises(PermissionDenied):
        judging.publish_results(edition, user=people["judge_x"])
    judging.publish_results(edition, user=organiser, override=True)
    edition.refresh_from_db()
    assert edition.results_published
    with pytest.raises(ValidationError, match="published"):
        judging.propose_awards(edition, user=organiser)


def test_a_special_prize_is_not_given_beyond_its_quota(edition, people):
    entries = _accepted_entries(edition, people, n_a=2, n_b=0)
    organiser = people["organiser"]
    special = AwardLevel.objects.get(edition=edition, name="最佳创意奖")  # quota 1
    judging.set_award(entries[0], special, user=organiser)
    judging.set_award(entries[0], special, user=organiser)  # giving it again to the same entry is fine
    with pytest.raises(ValidationError, match="最佳创意奖"):
        judging.set_award(entries[1], special, user=organiser)
    assert Entry.objects.filter(award=special).count() == 1
    judging.set_award(entries[0], None, user=organiser)  # taken back, it can go to another entry
    judging.set_award(entries[1], special, user=organiser)
    assert list(Entry.objects.filter(award=special)) == [entries[1]]


def test_share_quota_rounds_down():
    level = AwardLevel(name="优秀奖", share=Decimal("30"))
    assert judging.quota_for(level, 10) == 3
    assert judging.quota_for(level, 9) == 2
    assert judging.quota_for(AwardLevel(name="一等奖", quota=2), 1) == 2


def test_normalisation_lifts_the_entry_a_strict_judge_scored(edition, people, judges, make_user):
    """A worked example through results(). Four judges, four entries (P, Q, R, T), three judges each:

        judge   scores                 mean   sd (population)   z-scores
        x       Q 6,  R 4,  T 5        5.0    0.8165            Q +1.2247, R −1.2247, T 0
        y       P 9,  R 8,  T 8.5      8.5    0.4082            P +1.2247, R −1.2247, T 0
        z       P 7,  Q 7.5, R 6       6.833  0.6236            P +0.2673, Q +1.0690, R −1.3363
        w       P 7,  Q 7.5, T 6.5     7.0    0.4082            P 0,       Q +1.2247, T −1.2247

    Raw means: P 7.667, Q 7.0, T 6.667, R 6.0, so P would win; but P had the generous judge y and Q
    the strict judge x. Normalised (mean z): Q +1.1728, P +0.4973, T −0.4082, R −1.2619: Q wins."""
    organiser = people["organiser"]
    Judge.objects.filter(pk=judges["judge_a"].pk).delete()  # works at the school of every entry here
    w = Judge.objects.create(edition=edition, user=make_user("judge_w", display_name="评委己"))
    x, y, z = judges["judge_x"], judges["judge_y"], judges["judge_z"]
    p, q, r, t = (make_entry(edition, people, title=n, state=EntryState.ACCEPTED) for n in "PQRT")
    sheet = {
        x: {q: 6, r: 4, t: 5},
        y: {p: 9, r: 8, t: 8.5},
        z: {p: 7, q: 7.5, r: 6},
        w: {p: 7, q: 7.5, t: 6.5},
    }
    criteria = list(edition.criteria.all())
    for judge, scores in sheet.items():
        for entry, score in scores.items():
            assignment = judging.assign_by_hand(entry, judge, user=organiser)
            judging.save_score(assignment, {str(c.pk): score for c in criteria}, user=judge.user)
    assert judging.check_assignment(edition) == []

    ranked = judging.results(edition)[(p.category_id, p.age_group_id)]
    by_entry = {res.entry_id: res for res in ranked}
    assert [res.entry_id for res in ranked] == [q.pk, p.pk, t.pk, r.pk]
    assert [round(by_entry[e.pk].raw, 3) for e in (p, q, r, t)] == [7.667, 7.0, 6.0, 6.667]
    assert [round(by_entry[e.pk].normalised, 4) for e in (p, q, r, t)] == [0.4973, 1.1728, -1.2619, -0.4082]
    z_of = {(j, e.pk): zz for e in (p, q, r, t) for j, _total, zz in by_entry[e.pk].totals}
    assert z_of[(x.pk, q.pk)] == pytest.approx(1.224745, abs=1e-6)
    assert z_of[(z.pk, r.pk)] == pytest.approx(-1.336306, abs=1e-6)


def test_ties_are_broken_by_the_top_criterion_then_the_entry_number(edition, people, judges):
    """创新性 weighs 3, 完成度 1. V (创新性 6, 完成度 10) and U (创新性 8, 完成度 4) both total 7.0 from
    every judge, so their z-scores and raw means are equal: U wins on 创新性 although V registered
    first. X is scored exactly like V and registered after it, so it comes after V."""
    Judge.objects.filter(pk=judges["judge_a"].pk).delete()
    v, u, low, x = (
        make_entry(edition, people, title=n, state=EntryState.ACCEPTED) for n in ("V", "U", "L", "X")
    )
    assert judging.compute_assignment(edition) == []
    innovation, completion = edition.criteria.order_by("sort_order")
    sheet = {v: (6, 10), u: (8, 4), low: (5, 5), x: (6, 10)}
    for entry, (a, b) in sheet.items():
        for assignment in Assignment.objects.filter(entry=entry).select_related("judge__user"):
            saved = judging.save_score(
                assignment, {str(innovation.pk): a, str(completion.pk): b}, user=assignment.judge.user
            )
            assert saved.total == (Decimal("7.000") if entry != low else Decimal("5.000"))
    ranked = judging.results(edition)[(v.category_id, v.age_group_id)]
    assert [res.entry_id for res in ranked] == [u.pk, v.pk, x.pk, low.pk]
    assert ranked[0].normalised == pytest.approx(ranked[1].normalised)
    assert [res.rank for res in ranked] == [1, 2, 3, 4]


def test_a_conflict_found_after_the_assignment_stops_scoring(edition, people, judges, schools):
    entry = _accepted_entries(edition, people, n_a=1, n_b=0)[0]
    judging.compute_assignment(edition)
    assignment = Assignment.objects.select_related("judge__user").get(entry=entry, judge=judges["judge_y"])
    c1, c2 = edition.criteria.all()
    assignment = judging.save_score(assignment, {str(c1.pk): 9, str(c2.pk): 9}, user=people["judge_y"])
    with pytest.raises(ValidationError, match="already scored"):
        judging.unassign_by_hand(assignment, user=people["organiser"])
    # The organisers learn that judge y coaches at the team's school.
    judges["judge_y"].linked_schools.add(schools[0])
    with pytest.raises(PermissionDenied, match="linked to the school"):
        judging.save_score(assignment, {str(c1.pk): 10, str(c2.pk): 10}, user=people["judge_y"])
    assert any("评委丙 is linked to the school" in p for p in judging.check_assignment(edition))
    judging.unassign_by_hand(assignment, user=people["organiser"])  # the conflicted score goes
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
