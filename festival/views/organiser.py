"""Organisers: the edition dashboard, the judge assignment and the results and awards."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from makerroom.core import jobs

from .. import exports, judging, policy, presenters
from ..forms import AddJudgeForm, CommentForm, WithdrawForm
from ..models import Assignment, Entry
from .common import errors, get_edition


def _require_organiser(user, edition=None):
    if not policy.may_organise(user, edition):
        raise PermissionDenied


@login_required
def organise(request, edition_pk):
    _require_organiser(request.user)
    edition = get_edition(edition_pk)
    return render(
        request,
        "festival/organise.html",
        {
            "edition": edition,
            "comment_form": CommentForm(),
            "held_photos": presenters.held_back_photos(edition),
            **presenters.edition_summary(edition),
        },
    )


@login_required
@require_POST
def compute_assignment(request, edition_pk):
    _require_organiser(request.user)
    edition = get_edition(edition_pk)
    problems = judging.compute_assignment(edition)
    if problems:
        for problem in problems[:20]:
            messages.error(request, problem)
    else:
        messages.success(
            request,
            _("Judges assigned: every entry has %(n)s judges and no conflicts.")
            % {"n": edition.judges_per_entry},
        )
    return redirect("festival:assignments", edition_pk=edition.pk)


@login_required
def assignments(request, edition_pk):
    _require_organiser(request.user)
    edition = get_edition(edition_pk)
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                assignment = get_object_or_404(Assignment, pk=request.POST["remove"], entry__edition=edition)
                judging.unassign_by_hand(assignment, user=request.user)
            else:
                entry = get_object_or_404(Entry, pk=request.POST.get("entry"), edition=edition)
                form = AddJudgeForm(request.POST, edition=edition)
                if not form.is_valid():
                    raise ValidationError(_("Choose a judge."))
                judging.assign_by_hand(entry, form.cleaned_data["judge"], user=request.user)
        except ValidationError as exc:
            for message in errors(exc):
                messages.error(request, message)
        for problem in judging.check_assignment(edition)[:20]:
            messages.warning(request, problem)
        return redirect(
            reverse("festival:assignments", args=[edition.pk]) + f"?page={request.GET.get('page', 1)}"
        )
    return render(
        request,
        "festival/assignments.html",
        {
            "edition": edition,
            "add_form": AddJudgeForm(edition=edition),
            **presenters.assignment_page(edition, request.GET.get("page")),
        },
    )


@login_required
def results(request, edition_pk):
    _require_organiser(request.user)
    edition = get_edition(edition_pk)
    if request.method == "POST":
        try:
            if "propose" in request.POST:
                n = judging.propose_awards(edition, user=request.user)
                messages.success(request, _("%(n)s ranked awards proposed from the quotas.") % {"n": n})
            elif "publish" in request.POST:  # publishing is confirmed on a page of its own
                return redirect("festival:publish_results", edition_pk=edition.pk)
            else:
                entry = get_object_or_404(Entry, pk=request.POST.get("entry"), edition=edition)
                award_id = request.POST.get("award") or None
                award = get_object_or_404(edition.award_levels, pk=award_id) if award_id else None
                judging.set_award(entry, award, user=request.user)
        except ValidationError as exc:
            for message in errors(exc):
                messages.error(request, message)
        return redirect("festival:results", edition_pk=edition.pk)
    return render(
        request,
        "festival/results.html",
        {
            "edition": edition,
            "groups": presenters.results_groups(edition),
            "levels": edition.award_levels.all(),
            "counts": judging.award_counts(edition),
            "withdraw_form": WithdrawForm(),
        },
    )


@login_required
def publish_results(request, edition_pk):
    """The confirmation step: what publishing does, which checks fail (judging still running,
    scores missing) and an override that names them; nothing is published by a GET."""
    _require_organiser(request.user)
    edition = get_edition(edition_pk)
    if edition.results_published:
        return redirect("festival:results", edition_pk=edition.pk)
    problems = []
    if request.method == "POST" and request.POST.get("confirm"):
        try:
            skipped = judging.publish_results(
                edition, user=request.user, override=bool(request.POST.get("override"))
            )
        except ValidationError as exc:
            problems = errors(exc)
        else:
            messages.success(request, _("Results published: the gallery now shows the awards."))
            for check in skipped:
                messages.warning(request, _("Published although: %(check)s") % {"check": check})
            return redirect("festival:results", edition_pk=edition.pk)
    return render(
        request,
        "festival/publish_confirm.html",
        {"edition": edition, "problems": problems, **presenters.publish_summary(edition)},
    )


@login_required
@require_POST
def withdraw_results(request, edition_pk):
    _require_organiser(request.user)
    edition = get_edition(edition_pk)
    form = WithdrawForm(request.POST)
    try:
        judging.withdraw_results(edition, user=request.user, reason=form.data.get("reason", ""))
    except ValidationError as exc:
        for message in errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Results withdrawn: the awards are hidden again and can be changed."))
    return redirect("festival:results", edition_pk=edition.pk)


@login_required
def results_export(request, edition_pk):
    edition = get_edition(edition_pk)
    if not policy.may_export_results(request.user, edition):
        raise PermissionDenied
    response = HttpResponse(
        exports.results_xlsx(edition),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="results-{edition.year}.xlsx"'
    return response


@login_required
@require_POST
def certificates_zip(request, edition_pk):
    """Every certificate of the edition: a job (one PDF per accepted entry takes a while), whose
    page shows the progress and offers the ZIP."""
    edition = get_edition(edition_pk)
    if not policy.may_export_results(request.user, edition):
        raise PermissionDenied
    if not policy.certificates_issued(edition):
        raise Http404
    job = jobs.start(
        request.user,
        exports.certificates_job,
        _("Certificates of %(edition)s") % {"edition": edition.title},
        params={"edition": edition.pk, "base_url": request.build_absolute_uri("/")},
    )
    return redirect(job.get_absolute_url())
