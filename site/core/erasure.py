# pyright: reportAttributeAccessIssue=false, reportOptionalMemberAccess=false
# (walks Django's model meta: relation fields the stubs do not type)
"""Erasing a student's personal data ("Delete my data"): the one procedure, and the hook apps join.

Students are minors: when they or their teacher ask, the person goes and the anonymous counts stay.

What `erase_student` does, in one transaction:

1. sends `student_data_erased(sender=User, student=…, by=…)` while the account still holds its
   name. Each app that keeps rows pointing at a student which must outlive the person (a loan's
   borrower, a festival team) says what becomes of them in its own `erasure.py`, a module with
   receivers of this signal that is imported here (like `roles.py`): kits keeps the loan with an
   anonymous borrower, festival keeps the team without the name;
2. treats every other row pointing at the account as deleting the account would: rows that would
   go with it (`CASCADE`: class memberships, saved code, the admin profile) are deleted; rows that
   would be kept without it (`SET_NULL`, `DO_NOTHING`: progress counts, revisions, Wagtail's log)
   no longer point at it;
3. removes the account's sessions, and takes the student's names out of audit entries (Wagtail's
   log: the label and the data);
4. deletes the account; only when an app kept rows that must point at an account (a festival
   team member) the row stays, as a nameless, inactive stand-in (random username, no display
   name, no school, no password, no roles) so that those rows stay valid and counts stay right.
   Nobody can log in as it, and `User.public_name` shows it as "former student".

Who may erase whom is the app's policy (courses.classes.policy.can_erase_student); this module
does not decide it.
"""

import uuid
from importlib import import_module

from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone

# Sent before the account is anonymised; receivers get `student` (still with its names) and `by`.
student_data_erased = Signal()

# What audit entries say instead of an erased student's name.
ERASED_NAME = "某同学"
# The stand-in's username starts so (User.is_erased reads it when erased_at was not loaded).
ERASED_USERNAME_PREFIX = "erased-"

_receivers_loaded = False


def load_app_receivers():
    """Import each installed app's `erasure.py` once, so its receivers are connected."""
    global _receivers_loaded
    if _receivers_loaded:
        return
    for config in global_apps.get_app_configs():
        try:
            import_module(f"{config.name}.erasure")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.erasure":
                raise
    _receivers_loaded = True


def names_of(user):
    """Every name the account was known by (what must not remain in the audit log)."""
    names = {user.username, user.display_name, user.first_name, user.last_name, user.get_full_name()}
    names.update(str(name) for name in (user.public_name, str(user)))
    return sorted({name.strip() for name in names if name and name.strip()}, key=len, reverse=True)


@transaction.atomic
def erase_student(student, *, by=None):
    """Erase the student's personal data (see the module docstring). Returns the names removed."""
    load_app_receivers()
    names = names_of(student)
    student_data_erased.send(sender=get_user_model(), student=student, by=by)
    _detach_rows(student)
    end_sessions(student)
    forget_in_audit(student, names)
    try:
        with transaction.atomic():
            student.delete()
    except (models.ProtectedError, models.RestrictedError):
        _anonymise(student)  # an app keeps rows that need an account to point at
    return names


def _reverse_relations(model):
    """Every foreign key and one-to-one field of any model that points at `model`, hidden ones too
    (Wagtail's log entries use related_name="+")."""
    for field in model._meta.get_fields(include_hidden=True):
        if field.auto_created and not field.concrete and (field.one_to_many or field.one_to_one):
            yield field


def _detach_rows(user):
    for relation in _reverse_relations(get_user_model()):
        rows = relation.related_model._base_manager.filter(**{relation.field.name: user.pk})
        on_delete = relation.on_delete
        if on_delete is models.CASCADE:
            rows.delete()
        elif on_delete in (models.SET_NULL, models.DO_NOTHING) and relation.field.null:
            rows.update(**{relation.field.name: None})
        # PROTECT and the rest: rows the app's receiver kept on purpose; they point at the stand-in.
    user.groups.clear()
    user.user_permissions.clear()


def end_sessions(user):
    """Log the account out everywhere (database sessions; other engines end with the password)."""
    from django.conf import settings

    if settings.SESSION_ENGINE not in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ):
        return 0
    from django.contrib.sessions.models import Session

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore

    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            ended.append(session.session_key)
    for key in ended:
        SessionStore(session_key=key).delete()  # the cached copy too (cached_db)
    return len(ended)


def _scrub(value, names):
    if isinstance(value, str):
        for name in names:
            value = value.replace(name, ERASED_NAME)
        return value
    if isinstance(value, list):
        return [_scrub(item, names) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, names) for key, item in value.items()}
    return value


def _log_entry_models():
    from wagtail.models import BaseLogEntry

    return [model for model in global_apps.get_models() if issubclass(model, BaseLogEntry)]


def forget_in_audit(user, names):
    """Audit entries keep what happened, without the student: no user, no name in label or data."""
    import json

    for model in _log_entry_models():
        model._base_manager.filter(user_id=user.pk).update(user=None)
        mentions = models.Q()
        for name in names:
            # JSON may be stored with \\u escapes (SQLite) or as the characters (PostgreSQL).
            escaped = json.dumps(name)[1:-1]
            mentions |= models.Q(label__contains=name) | models.Q(data__icontains=name)
            if escaped != name:
                mentions |= models.Q(data__icontains=escaped)
        if not names:
            continue
        for entry in model._base_manager.filter(mentions).iterator():
            entry.label = _scrub(entry.label, names)
            entry.data = _scrub(entry.data, names)
            entry.save(update_fields=["label", "data"])


def _anonymise(user):
    user.username = f"{ERASED_USERNAME_PREFIX}{uuid.uuid4().hex[:16]}"
    user.display_name = ""
    user.first_name = user.last_name = user.email = ""
    user.school = None
    user.is_active = user.is_staff = user.is_superuser = False
    user.must_change_password = False
    user.last_login = None
    user.date_joined = timezone.now()
    user.erased_at = timezone.now()
    user.set_unusable_password()
    user.save()


def is_erased(user):
    return getattr(user, "erased_at", None) is not None


def erased_accounts():
    return get_user_model().objects.filter(erased_at__isnull=False)
