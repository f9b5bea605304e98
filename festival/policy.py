"""Who may do what in the festival, and what each person sees: the only place that says it.

Services, views, forms, the Wagtail admin (judges) and the exports ask these functions; none
decides by itself.

People
  * **organisers** (the `festival.organise_festival` permission, given to the organiser role) and
    superusers run every edition: they see and change every entry, accept or disqualify, assign
    judges, award, publish and export results, and record guardian consent;
  * **students** register entries (only student accounts with a school) and see and change their
    own team's entries: changes while the entry is a draft or returned and registration is open;
  * the **mentor** teacher of an entry sees it, approves or returns it and records consent;
  * **judges** see only the entries assigned to them, on the scoring screen (photos included),
    and score them unless they are conflicted (own or linked school);
  * **the public** sees accepted entries of editions anyone may see (live, no view restriction),
    photos only when consent allows (`photo_hold_reason`), awards only once results are published.

Querysets are scoped by `entries_for`, `assignments_for` and `public_entries`.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from makerroom.core import roles
from makerroom.core.policy import SchoolPolicy, is_superuser, register, require

from .models import Assignment, Entry, EntryState, FestivalEditionPage, Judge

S = EntryState

# --- who is who ---------------------------------------------------------------------------------


def _active(user):
    return user is not None and user.is_authenticated and user.is_active


def is_organiser(user):
    return _active(user) and (is_superuser(user) or user.has_perm("festival.organise_festival"))


def is_member(user, entry):
    return _active(user) and entry.members.filter(student=user).exists()


def is_mentor(user, entry):
    return _active(user) and entry.mentor_id == user.pk


def is_assigned_judge(user, entry):
    return _active(user) and Assignment.objects.filter(entry=entry, judge__user=user).exists()


# --- dates that limit who may change what ------------------------------------------------------


def registration_deadline(edition):
    """When the team stops changing its entry: the registration deadline, or the moment results
    were published if that came first (publishing closes registration for good)."""
    return edition.registration_ends


def deadline_passed(edition, now=None):
    return (now or timezone.now()) >= registration_deadline(edition)


def localtime(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


# --- entries ------------------------------------------------------------------------------------


def registrant_refusal(user):
    """None if the user may register entries, else why not: entries are registered by a student
    of the team (organisers change them afterwards)."""
    if not roles.is_student(user):
        return _("Only student accounts register entries.")
    if user.school_id is None:
        return _("Your account has no school.")
    return None


def may_register_for(user, students):
    """Who may create an entry for a team: one of its students, or an organiser."""
    return is_organiser(user) or user in students


def may_view_entry(user, entry):
    """The team, their mentor and the organisers follow an entry; judges use the scoring screen."""
    return is_organiser(user) or is_mentor(user, entry) or is_member(user, entry)


def may_change_entry(user, entry, now=None):
    """Organisers always; the team while the entry is a draft or returned, until the deadline."""
    if is_organiser(user):
        return True
    return (
        is_member(user, entry)
        and entry.state in (S.DRAFT, S.RETURNED)
        and not deadline_passed(entry.edition, now)
    )


def change_refusal(user, entry, now=None):
    """Why the user may not change the entry (None if they may)."""
    if may_change_entry(user, entry, now):
        return None
    if deadline_passed(entry.edition, now):
        return _("Registration has closed: only organisers can change entries now.")
    if not is_member(user, entry):
        return _("You are not a member of this team.")
    return _("The entry is %(state)s and can no longer be changed by the team.") % {
        "state": entry.get_state_display()
    }


def may_act(user, entry, who):
    """Whether the user is the one who moves the entry in this workflow step: "member" (the team
    submits), "mentor" (the mentor, or an organiser standing in, approves or returns) or
    "organiser" (accepts or disqualifies)."""
    return {
        "member": lambda: is_member(user, entry),
        "mentor": lambda: is_mentor(user, entry) or is_organiser(user),
        "organiser": lambda: is_organiser(user),
    }[who]()


def may_record_consent(user, entry):
    """The mentor (who holds the signed form) or an organiser records a guardian's consent."""
    return is_mentor(user, entry) or is_organiser(user)


def may_download_certificate(user, entry):
    """Who may download it; whether there is one yet is `certificate_exists`."""
    return may_view_entry(user, entry)


def certificates_issued(edition):
    """Certificates exist while the results are published (withdrawing them stops issuing)."""
    return edition.results_published


def certificate_exists(entry):
    return entry.state == S.ACCEPTED and certificates_issued(entry.edition)


def entries_for(user, queryset=None):
    """The entries the user follows: organisers every entry; others their team's and mentored ones."""
    queryset = Entry.objects.all() if queryset is None else queryset
    if is_organiser(user):
        return queryset
    if not _active(user):
        return queryset.none()
    return queryset.filter(Q(members__student=user) | Q(mentor=user)).distinct()


# --- photos: the one consent rule ---------------------------------------------------------------


def photo_hold_reason(photo, members):
    """None when the photo may be public as far as consent goes, else why it is held back.

    Fails closed: a photo that shows people ("people can be recognised", ticked by default) is
    public only when every team member — each of them may be the one shown — has a guardian's
    consent on record; a team with no members recorded holds its photos of people back too.
    `members`: the entry's TeamMember rows (pass prefetched ones to save queries)."""
    if not photo.shows_people:
        return None
    members = list(members)
    if not members:
        return _("It shows people, and the team has no members on record.")
    missing = [m for m in members if not m.guardian_consent]
    if missing:
        return _("It shows people, and no guardian consent is recorded for: %(names)s.") % {
            "names": "、".join(m.student.public_name for m in missing)
        }
    return None


def photo_is_public(photo, members):
    return photo_hold_reason(photo, members) is None


def may_view_photo(user, photo):
    """The file of a photo: the team, mentor, organisers and the entry's judges always; everyone
    else only for accepted entries of public editions when consent allows."""
    entry = photo.entry
    if may_view_entry(user, entry) or is_assigned_judge(user, entry):
        return True
    if entry.state != S.ACCEPTED or not edition_is_public(entry.edition):
        return False
    return photo_is_public(photo, entry.members.select_related("student"))


# --- the public ---------------------------------------------------------------------------------


def public_editions():
    """Published editions anyone may see (Wagtail view restrictions on the edition or above count)."""
    return FestivalEditionPage.objects.live().public()


def edition_is_public(edition):
    """One edition, without a query once known: its view restrictions are kept until the next publish."""
    return edition.live and not edition.get_view_restrictions().exists()


def public_entries(editions=None):
    """Accepted entries of public editions. Pass the editions when you have them: Wagtail's
    `.public()` reads the view restrictions with a query of its own."""
    editions = public_editions() if editions is None else editions
    return Entry.objects.filter(state=S.ACCEPTED, edition__in=editions)


def shown_award(entry):
    """Awards are hidden (even from the team) until the results are published."""
    return entry.award if entry.award_id and entry.edition.results_published else None


# --- judging and organising ---------------------------------------------------------------------


def is_conflicted(judge, entry):
    """The judge works at, or is linked to, the entry's school (links can be added after the assignment)."""
    return judge.user.school_id == entry.school_id or judge.linked_schools.filter(pk=entry.school_id).exists()


def check_may_score(assignment, user):
    """Raise PermissionDenied unless the user is the assignment's judge and has no conflict with it."""
    if assignment.judge.user_id != user.pk:
        raise PermissionDenied(_("This entry is not assigned to you."))
    if is_conflicted(assignment.judge, assignment.entry):
        raise PermissionDenied(
            _("You are linked to the school of this entry and cannot score it; please tell the organisers.")
        )


def scores_locked(edition):
    """Scores can no longer change once the edition's results are published; the judge still sees
    them, read-only."""
    return edition.results_published


def is_judge(user):
    """Has a judging screen: invited to an edition as a judge."""
    return _active(user) and Judge.objects.filter(user=user).exists()


def assignments_for(user, queryset=None):
    """A judge's own assignments (organisers see all of them on the assignment page)."""
    queryset = Assignment.objects.all() if queryset is None else queryset
    if not _active(user):
        return queryset.none()
    return queryset.filter(judge__user=user)


def may_organise(user, edition=None):
    """Run an edition: acceptance, assignment, awards, publishing, held-back photos, exports."""
    return is_organiser(user)


def check_organiser(user, edition=None):
    require(may_organise(user, edition))


def may_export_results(user, edition):
    """The results XLSX and every certificate of the edition at once: organisers."""
    return may_organise(user, edition)


# --- the Wagtail admin --------------------------------------------------------------------------


class JudgePolicy(SchoolPolicy):
    """Judges are invited to a city-wide festival: only model permissions (organisers) govern,
    no school scope. Every Wagtail view of Judge (index, edit, delete, inspect, history, usage,
    chooser) asks this policy."""

    school_path = None


judge_policy = register(Judge, JudgePolicy(Judge))
