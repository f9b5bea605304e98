"""Thin views over services.py (entries) and judging.py (assignment, scoring, results)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import judging, policy, services
from .certificates import certificate_pdf
from .forms import AddJudgeForm, CommentForm, EntryForm, PhotoForm
from .gallery import gallery_context, public_entries, public_photos
from .models import Assignment, Entry, EntryPhoto, EntryState, FestivalEditionPage, Judge, TeamMember


def _errors(exc):
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]


def _entry(pk):
    return get_object_or_404(
        Entry.objects.select_related("edition", "category", "age_group", "school", "mentor", "award"), pk=pk
    )


def _edition(pk):
    return get_object_or_404(FestivalEditionPage, pk=pk)


def _require_organiser(user, edition=None):
    if not policy.may_organise(user, edition):
        raise PermissionDenied


# --- the team and the mentor -----------------------------------------------------------------


@login_required
def my_entries(request):
    user = request.user
    entries = Entry.objects.select_related("edition", "category", "award")
    mine = entries.filter(members__student=user)
    mentored = entries.filter(mentor=user)
    open_editions = [e for e in FestivalEditionPage.objects.live().order_by("-year") if e.registration_open]
    judging_for = policy.assignments_for(user).count()
    return render(
        request,
        "festival/my_entries.html",
        {
            "mine": mine,
            "mentored": mentored,
            "open_editions": open_editions,
            "judging_for": judging_for,
            "organising": policy.is_organiser(user),
            "editions": FestivalEditionPage.objects.order_by("-year"),
        },
    )


def _save_entry_form(request, form, *, owner, edition, entry=None):
    """The team is the form's owner (the student editing, or the first member when an organiser
    edits) and the teammates ticked in the form."""
    data = dict(form.cleaned_data)
    students = [owner, *data.pop("teammates")]
    lessons = data.pop("lessons")
    kit_templates = data.pop("kit_templates")
    mentor = data.pop("mentor")
    if entry is None:
        entry = services.create_entry(
            edition=edition, user=request.user, students=students, mentor=mentor, **data
        )
    else:
        entry = services.update_entry(entry, user=request.user, students=students, mentor=mentor, **data)
    entry.lessons.set(lessons)
    entry.kit_templates.set(kit_templates)
    return entry


@login_required
def entry_create(request, edition_pk):
    edition = _edition(edition_pk)
    if refusal := policy.registrant_refusal(request.user):
        raise PermissionDenied(refusal)
    if closed := services.registration_dates_refusal(edition):
        messages.error(request, closed)
        return redirect(edition.url or reverse("festival:my_entries"))
    form = EntryForm(request.POST or None, edition=edition, school=request.user.school, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            entry = _save_entry_form(request, form, owner=request.user, edition=edition)
        except (ValidationError, PermissionDenied) as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Entry saved as a draft. Add photos, then submit it to your mentor."))
            return redirect("festival:entry", pk=entry.pk)
    return render(request, "festival/entry_form.html", {"form": form, "edition": edition})


@login_required
def entry_edit(request, pk):
    entry = _entry(pk)
    if not policy.may_view_entry(request.user, entry):
        raise PermissionDenied
    if refusal := policy.change_refusal(request.user, entry):
        messages.error(request, refusal)
        return redirect("festival:entry", pk=entry.pk)
    if policy.is_member(request.user, entry):
        owner = request.user
    else:  # an organiser: the team stays anchored on its first member
        owner = entry.members.select_related("student").first().student
    form = EntryForm(
        request.POST or None, instance=entry, edition=entry.edition, school=entry.school, owner=owner
    )
    if request.method == "POST" and form.is_valid():
        try:
            _save_entry_form(request, form, owner=owner, edition=entry.edition, entry=entry)
        except (ValidationError, PermissionDenied) as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Entry saved."))
            return redirect("festival:entry", pk=entry.pk)
    return render(
        request, "festival/entry_form.html", {"form": form, "edition": entry.edition, "entry": entry}
    )


@login_required
def entry_detail(request, pk):
    entry = _entry(pk)
    user = request.user
    if not policy.may_view_entry(user, entry):
        raise PermissionDenied
    return render(
        request,
        "festival/entry_detail.html",
        {
            "entry": entry,
            "members": entry.members.select_related("student"),
            "photos": entry.photos.all(),
            "events": entry.events.select_related("actor"),
            "actions": services.allowed_actions(user, entry),
            "can_edit": policy.may_change_entry(user, entry),
            "can_consent": policy.may_record_consent(user, entry),
            "is_organiser": policy.is_organiser(user),
            "photo_form": PhotoForm(),
            "comment_form": CommentForm(),
            "award": policy.shown_award(entry),
        },
    )


@login_required
@require_POST
def entry_action(request, pk):
    entry = _entry(pk)
    if not policy.may_view_entry(request.user, entry):
        raise PermissionDenied
    form = CommentForm(request.POST)
    form.is_valid()
    try:
        services.transition(
            entry,
            request.POST.get("action", ""),
            user=request.user,
            comment=form.cleaned_data.get("comment", ""),
        )
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        entry.refresh_from_db()
        messages.success(request, _("The entry is now: %(state)s.") % {"state": entry.get_state_display()})
    # The organiser's dashboard sends people back to itself.
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("festival:entry", pk=entry.pk)


@login_required
@require_POST
def photo_add(request, pk):
    entry = _entry(pk)
    if not policy.may_view_entry(request.user, entry):
        raise PermissionDenied
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect("festival:entry", pk=entry.pk)
    try:
        services.add_photo(
            entry,
            form.cleaned_data["image"],
            user=request.user,
            alt_text=form.cleaned_data["alt_text"],
            shows_people=form.cleaned_data["shows_people"],
        )
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, _("Photo not added: %(reason)s") % {"reason": message})
    else:
        messages.success(request, _("Photo added; location and camera data were removed."))
    return redirect("festival:entry", pk=entry.pk)


@login_required
@require_POST
def photo_delete(request, pk, photo_pk):
    photo = get_object_or_404(EntryPhoto.objects.select_related("entry__edition"), pk=photo_pk, entry_id=pk)
    if not policy.may_view_entry(request.user, photo.entry):
        raise PermissionDenied
    services.remove_photo(photo, user=request.user)
    messages.success(request, _("Photo removed."))
    return redirect("festival:entry", pk=pk)


@login_required
@require_POST
def consent(request, pk, member_pk):
    member = get_object_or_404(TeamMember.objects.select_related("entry"), pk=member_pk, entry_id=pk)
    services.set_consent(member, request.POST.get("consent") == "yes", user=request.user)
    return redirect("festival:entry", pk=pk)


def photo_file(request, photo_pk):
    """Photos are served through here so that unconsented or unpublished photos stay private."""
    photo = get_object_or_404(EntryPhoto.objects.select_related("entry__edition"), pk=photo_pk)
    if not policy.may_view_photo(request.user, photo):
        raise Http404
    response = FileResponse(photo.image.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def certificate(request, pk):
    entry = _entry(pk)
    if not policy.may_download_certificate(request.user, entry):
        raise PermissionDenied
    if not policy.certificate_exists(entry):
        raise Http404
    verify_url = request.build_absolute_uri(reverse("festival:verify", args=[entry.token]))
    response = HttpResponse(certificate_pdf(entry, verify_url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{entry.pk}.pdf"'
    return response


def verify(request, token):
    entry = get_object_or_404(
        Entry.objects.select_related("edition", "school", "award").prefetch_related("members__student"),
        token=token,
        state=EntryState.ACCEPTED,
        edition__results_published=True,
    )
    return render(
        request,
        "festival/verify.html",
        {
            "entry": entry,
            "award": policy.shown_award(entry),
            "team": [m.student.public_name for m in entry.members.all()],
        },
    )


# --- judges ----------------------------------------------------------------------------------


@login_required
def judge_home(request):
    assignments = (
        policy.assignments_for(request.user)
        .filter(entry__state=EntryState.ACCEPTED)
        .select_related("entry__category", "entry__age_group", "entry__edition")
        .order_by("entry__edition_id", "total", "entry_id")
    )
    if not assignments and not policy.is_judge(request.user):
        raise PermissionDenied
    done = sum(1 for a in assignments if a.total is not None)
    return render(request, "festival/judge_home.html", {"assignments": assignments, "done": done})


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
            "photos": entry.photos.all(),
        },
    )


# --- organisers ------------------------------------------------------------------------------


@login_required
def organise(request, edition_pk):
    _require_organiser(request.user)
    edition = _edition(edition_pk)
    states = dict(edition.entries.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    waiting = edition.entries.filter(state=EntryState.ENTERED).select_related(
        "school", "category", "age_group"
    )
    return render(
        request,
        "festival/organise.html",
        {
            "edition": edition,
            "states": [(label, states.get(value, 0)) for value, label in EntryState.choices],
            "waiting": waiting,
            "problems": judging.check_assignment(edition),
            "judges": edition.judges.select_related("user").annotate(
                n=Count("assignments"),
                scored=Count("assignments", filter=Q(assignments__total__isnull=False)),
            ),
            "comment_form": CommentForm(),
        },
    )


@login_required
@require_POST
def compute_assignment(request, edition_pk):
    _require_organiser(request.user)
    edition = _edition(edition_pk)
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
    edition = _edition(edition_pk)
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
            for message in _errors(exc):
                messages.error(request, message)
        for problem in judging.check_assignment(edition)[:20]:
            messages.warning(request, problem)
        return redirect(
            reverse("festival:assignments", args=[edition.pk]) + f"?page={request.GET.get('page', 1)}"
        )
    from django.core.paginator import Paginator

    entries = (
        judging.judged_entries(edition)
        .select_related("school")
        .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.select_related("judge__user")))
        .order_by("pk")
    )
    page_obj = Paginator(entries, 50).get_page(request.GET.get("page"))
    judging.mark_conflicts(edition, page_obj.object_list)
    return render(
        request,
        "festival/assignments.html",
        {
            "edition": edition,
            "page_obj": page_obj,
            "add_form": AddJudgeForm(edition=edition),
            "problems": judging.check_assignment(edition),
            "loads": judging.judge_loads(edition),
        },
    )


@login_required
def results(request, edition_pk):
    _require_organiser(request.user)
    edition = _edition(edition_pk)
    if request.method == "POST":
        try:
            if "propose" in request.POST:
                n = judging.propose_awards(edition, user=request.user)
                messages.success(request, _("%(n)s ranked awards proposed from the quotas.") % {"n": n})
            elif "publish" in request.POST:
                judging.publish_results(edition, user=request.user)
                messages.success(request, _("Results published: the gallery now shows the awards."))
            else:
                entry = get_object_or_404(Entry, pk=request.POST.get("entry"), edition=edition)
                award_id = request.POST.get("award") or None
                award = get_object_or_404(edition.award_levels, pk=award_id) if award_id else None
                judging.set_award(entry, award, user=request.user)
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
        return redirect("festival:results", edition_pk=edition.pk)
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
    return render(
        request,
        "festival/results.html",
        {
            "edition": edition,
            "groups": groups,
            "levels": edition.award_levels.all(),
            "counts": judging.award_counts(edition),
        },
    )


# --- public ----------------------------------------------------------------------------------


def gallery(request):
    return render(request, "festival/gallery.html", gallery_context(request))


def gallery_entry(request, pk):
    entry = get_object_or_404(public_entries(), pk=pk)
    return render(
        request,
        "festival/gallery_entry.html",
        {
            "entry": entry,
            "photos": public_photos(entry),
            "award": policy.shown_award(entry),
            "team": [m.student.public_name for m in entry.members.all()],
            "share_url": request.build_absolute_uri(),
        },
    )
