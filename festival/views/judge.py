"""Judges: the list of entries assigned to them and the scoring screen (made for phones)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import judging, policy, presenters
from ..models import Assignment, EntryState


@login_required
def judge_home(request):
    worklist = presenters.judge_worklist(request.user)
    if not (worklist["current"] or worklist["finished"]) and not policy.is_judge(request.user):
        raise PermissionDenied
    return render(request, "festival/judge_home.html", worklist)


@login_required
def score(request, assignment_pk):
    assignment = get_object_or_404(
        Assignment.objects.select_related(
            "entry__edition", "entry__category", "entry__age_group", "judge__user"
        ),
        pk=assignment_pk,
    )
    policy.check_may_score(assignment, request.user)
    entry = assignment.entry
    edition = entry.edition
    criteria = list(edition.criteria.all())
    errors = []
    values = {str(c.pk): assignment.scores.get(str(c.pk), "") for c in criteria}
    comment = assignment.comment
    if request.method == "POST":
        values = {str(c.pk): request.POST.get(f"c{c.pk}", "").strip() for c in criteria}
        comment = request.POST.get("comment", "")
        try:
            judging.save_score(assignment, values, user=request.user, comment=comment)
        except ValidationError as exc:
            errors = exc.messages
        else:
            assignment.refresh_from_db()
            if assignment.total is None:
                messages.success(request, _("Saved. Some criteria still need a score."))
                return redirect("festival:score", assignment_pk=assignment.pk)
            messages.success(request, _("Scores saved."))
            following = (
                Assignment.objects.filter(
                    judge=assignment.judge, total__isnull=True, entry__state=EntryState.ACCEPTED
                )
                .order_by("entry_id")
                .first()
            )
            return (
                redirect("festival:score", assignment_pk=following.pk)
                if following
                else redirect("festival:judge_home")
            )
    rows = [{"criterion": c, "value": values.get(str(c.pk), "")} for c in criteria]
    return render(
        request,
        "festival/score.html",
        {
            "assignment": assignment,
            "entry": entry,
            "edition": edition,
            "rows": rows,
            "comment": comment,
            "errors": errors,
            "locked": policy.scores_locked(edition),
            "photos": entry.photos.all(),
        },
    )
