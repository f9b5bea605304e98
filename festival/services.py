"""What happens to festival entries: the team rules, the workflow (draft → submitted → entered →
accepted, or returned / disqualified) with the registration deadline, photos and consent, and the
history every change leaves. Who may do each of these is asked of policy.py."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from makerroom.core import page_cache, roles

from . import photos as photo_rules
from . import policy
from .models import MAX_PHOTOS, MAX_TEAM, Entry, EntryEvent, EntryPhoto, EntryState, TeamMember
from .rules import age_group_problems

S = EntryState


def _public_page_changed(entry):
    """Accepted entries are on the cached edition pages and the gallery: tell the page cache
    (the core's contract) when one changes, is accepted or leaves."""
    page_cache.content_changed(Entry, entry)


def _if_public(entry):
    """The same, when the entry is accepted (read from the database: the caller's object may be stale)."""
    if Entry.objects.filter(pk=entry.pk, state=S.ACCEPTED).exists():
        _public_page_changed(entry)


def check_team(edition, students, mentor, age_group):
    """Raise ValidationError naming what is wrong with a team (1–5 students of one school, a
    mentor teacher of that school, every student in the age group)."""
    students = list(students)
    errors = []
    if not 1 <= len(students) <= MAX_TEAM:
        errors.append(_("A team has 1 to %(max)s students.") % {"max": MAX_TEAM})
    if len({s.pk for s in students}) != len(students):
        errors.append(_("A student is listed twice."))
    for student in students:
        if not roles.is_student(student):
            errors.append(_("%(name)s is not a student account.") % {"name": student.public_name})
    schools = {s.school_id for s in students}
    if None in schools or len(schools) > 1:
        errors.append(_("All team members must be students of the same school."))
    school_id = students[0].school_id if students else None
    if mentor is None or not roles.has_role(mentor, roles.Role.TEACHER):
        errors.append(_("The mentor must be a teacher."))
    elif mentor.school_id != school_id:
        errors.append(_("The mentor must teach at the team's school."))
    if age_group.edition_id != edition.pk:
        errors.append(_("The age group belongs to another edition."))
    errors.extend(age_group_problems(students, age_group))
    if errors:
        raise ValidationError(errors)


def registration_dates_refusal(edition, now=None):
    """None while registration is open, else a message saying it is not open (yet, or any more)."""
    if (now or timezone.now()) < edition.registration_opens:
        return _("Registration has not opened yet.")
    if policy.deadline_passed(edition, now):
        return _("Registration closed on %(date)s.") % {
            "date": policy.localtime(policy.registration_deadline(edition))
        }
    return None


@transaction.atomic
def create_entry(*, edition, user, students, mentor, now=None, **fields):
    """A student (one of the team) or an organiser starts a draft entry."""
    if not policy.may_register_for(user, students):
        raise PermissionDenied(_("Only a member of the team can register its entry."))
    if not policy.is_organiser(user) and (refusal := registration_dates_refusal(edition, now)):
        raise ValidationError(refusal)
    if fields["category"].edition_id != edition.pk:
        raise ValidationError(_("The category belongs to another edition."))
    check_team(edition, students, mentor, fields["age_group"])
    entry = Entry.objects.create(edition=edition, school_id=students[0].school_id, mentor=mentor, **fields)
    TeamMember.objects.bulk_create(
        TeamMember(entry=entry, student=student, position=n) for n, student in enumerate(students)
    )
    EntryEvent.objects.create(entry=entry, actor=user, from_state="", to_state=S.DRAFT)
    return entry


@transaction.atomic
def update_entry(entry, *, user, students=None, mentor=None, now=None, **fields):
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if refusal := policy.change_refusal(user, entry, now):
        raise PermissionDenied(refusal)
    if students is not None or "age_group" in fields or mentor is not None:
        team = (
            students if students is not None else [m.student for m in entry.members.select_related("student")]
        )
        check_team(entry.edition, team, mentor or entry.mentor, fields.get("age_group", entry.age_group))
    for name, value in fields.items():
        setattr(entry, name, value)
    if mentor is not None:
        entry.mentor = mentor
    if "category" in fields and entry.category.edition_id != entry.edition_id:
        raise ValidationError(_("The category belongs to another edition."))
    entry.save()
    if students is not None:
        consent = dict(entry.members.values_list("student_id", "guardian_consent"))
        entry.members.all().delete()
        TeamMember.objects.bulk_create(
            TeamMember(entry=entry, student=s, position=n, guardian_consent=consent.get(s.pk, False))
            for n, s in enumerate(students)
        )
        entry.school_id = students[0].school_id
        entry.save(update_fields=["school"])
    if entry.state == S.ACCEPTED:
        _public_page_changed(entry)
    return entry


# The workflow: action -> (states it starts from, state it leads to, who may do it, before the deadline only?)
TRANSITIONS = {
    "submit": ((S.DRAFT, S.RETURNED), S.SUBMITTED, "member", True),
    "approve": ((S.SUBMITTED,), S.ENTERED, "mentor", True),
    "return": ((S.SUBMITTED,), S.RETURNED, "mentor", True),
    "accept": ((S.ENTERED, S.DISQUALIFIED), S.ACCEPTED, "organiser", False),
    "disqualify": ((S.ENTERED, S.ACCEPTED), S.DISQUALIFIED, "organiser", False),
}
COMMENT_REQUIRED = {"return", "disqualify"}


def allowed_actions(user, entry, now=None):
    return [action for action in TRANSITIONS if _refusal(user, entry, action, now) is None]


def _refusal(user, entry, action, now):
    """None if the user may do the action now, else (exception class, message)."""
    sources, _target, who, before_deadline = TRANSITIONS[action]
    if not policy.may_act(user, entry, who):
        return PermissionDenied, _("You may not do this with this entry.")
    if entry.state not in sources:
        return ValidationError, _("The entry is %(state)s.") % {"state": entry.get_state_display()}
    if before_deadline and policy.deadline_passed(entry.edition, now) and not policy.is_organiser(user):
        return ValidationError, _("Registration closed on %(date)s.") % {
            "date": policy.localtime(policy.registration_deadline(entry.edition))
        }
    return None


@transaction.atomic
def transition(entry, action, *, user, comment="", now=None):
    """Move an entry through the workflow and record it in the history."""
    if action not in TRANSITIONS:
        raise ValidationError(_("Unknown action."))
    entry = Entry.objects.select_for_update().select_related("edition").get(pk=entry.pk)
    refusal = _refusal(user, entry, action, now)
    if refusal is not None:
        error_class, message = refusal
        raise error_class(message)
    comment = comment.strip()
    if action in COMMENT_REQUIRED and not comment:
        raise ValidationError(_("Please give a reason."))
    if action == "submit" and not entry.photos.exists():
        raise ValidationError(_("Add at least one photo before submitting."))
    source = entry.state
    entry.state = TRANSITIONS[action][1]
    if entry.state == S.DISQUALIFIED:
        entry.award = None
    entry.save(update_fields=["state", "award", "updated_at"])
    EntryEvent.objects.create(
        entry=entry,
        actor=user,
        from_state=source,
        to_state=entry.state,
        comment=comment,
        at=now or timezone.now(),
    )
    if S.ACCEPTED in (source, entry.state):
        _public_page_changed(entry)
    return entry


@transaction.atomic
def add_photo(entry, upload, *, user, alt_text, shows_people, now=None):
    """Check, clean (EXIF removed) and store a photo."""
    if refusal := policy.change_refusal(user, entry, now):
        raise PermissionDenied(refusal)
    if not alt_text.strip():
        raise ValidationError(_("Describe the photo for readers who cannot see it."))
    count = EntryPhoto.objects.select_for_update().filter(entry=entry).count()
    if count >= MAX_PHOTOS:
        raise ValidationError(_("An entry has at most %(max)s photos.") % {"max": MAX_PHOTOS})
    clean = photo_rules.clean_photo(upload)
    photo = EntryPhoto.objects.create(
        entry=entry, image=clean, alt_text=alt_text.strip(), shows_people=shows_people, position=count
    )
    _if_public(entry)
    return photo


def remove_photo(photo, *, user, now=None):
    entry = photo.entry
    if refusal := policy.change_refusal(user, entry, now):
        raise PermissionDenied(refusal)
    photo.image.delete(save=False)
    photo.delete()
    _if_public(entry)


def set_consent(member, consent, *, user):
    """The mentor (who holds the signed form) or an organiser records a guardian's consent."""
    policy.require(
        policy.may_record_consent(user, member.entry),
        _("Only the mentor or an organiser records guardian consent."),
    )
    member.guardian_consent = consent
    member.save(update_fields=["guardian_consent"])
    _if_public(member.entry)  # its photos of people appear or disappear
