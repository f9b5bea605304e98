"""The team's pages: my festival, registering and editing an entry, its page, photos and the
certificate (the mentor and organisers use the same entry page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import policy, services
from ..certificates import certificate_pdf
from ..forms import CommentForm, EntryForm, PhotoForm
from ..models import Entry, EntryPhoto, FestivalEditionPage
from .common import errors, get_edition, get_entry


@login_required
def my_entries(request):
    user = request.user
    entries = Entry.objects.select_related("edition", "category", "award")
    mine = entries.filter(members__student=user)
    mentored = entries.filter(mentor=user)
    open_editions = (
        [e for e in FestivalEditionPage.objects.live().order_by("-year") if e.registration_open]
        if policy.registrant_refusal(user) is None  # teachers mentor entries, students register them
        else []
    )
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
    edition = get_edition(edition_pk)
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
            for message in errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Entry saved as a draft. Add photos, then submit it to your mentor."))
            return redirect("festival:entry", pk=entry.pk)
    return render(request, "festival/entry_form.html", {"form": form, "edition": edition})


@login_required
def entry_edit(request, pk):
    entry = get_entry(pk)
    if not policy.may_view_entry(request.user, entry):
        raise PermissionDenied
    if refusal := policy.change_refusal(request.user, entry):
        if not policy.is_member(request.user, entry):  # the mentor follows the entry, never edits it
            raise PermissionDenied(refusal)
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
            for message in errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Entry saved."))
            return redirect("festival:entry", pk=entry.pk)
    return render(
        request, "festival/entry_form.html", {"form": form, "edition": entry.edition, "entry": entry}
    )


@login_required
def entry_detail(request, pk):
    entry = get_entry(pk)
    user = request.user
    if not policy.may_view_entry(user, entry):
        raise PermissionDenied
    members = list(entry.members.select_related("student"))
    photos = list(entry.photos.all())
    for photo in photos:  # the team and the mentor see why a photo stays out of the gallery
        photo.hold_reason = policy.photo_hold_reason(photo, members)
    return render(
        request,
        "festival/entry_detail.html",
        {
            "entry": entry,
            "members": members,
            "photos": photos,
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
def photo_add(request, pk):
    entry = get_entry(pk)
    if not policy.may_view_entry(request.user, entry):
        raise PermissionDenied
    if not (policy.is_member(request.user, entry) or policy.may_change_entry(request.user, entry)):
        raise PermissionDenied(policy.change_refusal(request.user, entry))
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
        for message in errors(exc):
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
def certificate(request, pk):
    entry = get_entry(pk)
    if not policy.may_download_certificate(request.user, entry):
        raise PermissionDenied
    if not policy.certificate_exists(entry):
        raise Http404
    verify_url = request.build_absolute_uri(reverse("festival:verify", args=[entry.token]))
    response = HttpResponse(certificate_pdf(entry, verify_url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{entry.pk}.pdf"'
    return response
