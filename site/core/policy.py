"""The base of every app's policy: who may do what, and where.

Each feature app has one `policy.py` that says, per model or page, who may view, add, change,
delete or export it and how a queryset is scoped for a user. Everything else (services, views,
Wagtail viewsets and choosers, reports, the REST API, management commands) asks the policy and
decides nothing by itself.

Two questions make up every rule:

* *what* a role may do at all — Django model permissions, declared per role in each app's
  `roles.py` (Wagtail's menus and buttons read them);
* *where* — an object's school. A user acts on their own school's rows; a city coordinator reads
  every school; a superuser does anything.

`SchoolPolicy` is both: a Wagtail `ModelPermissionPolicy` (so every admin view Wagtail registers
for the model — index, inspect, edit, copy, delete, history, usage, chooser, export — asks it once
it is registered with `register(model, policy)`), and the one place the school scope is written.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .roles import Role, has_role

READ_ACTIONS = frozenset({"view", "export"})


# --- who is who ---------------------------------------------------------------------------------


def is_superuser(user):
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def reads_every_school(user):
    """Superusers and city coordinators read every school's data (coordinators change little)."""
    return is_superuser(user) or has_role(user, Role.CITY_COORDINATOR)


def in_school(user, school_id):
    """The user belongs to this school (the one meaning of "same school")."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and school_id is not None
        and user.school_id == school_id
    )


def may_read_school(user, school_id):
    return reads_every_school(user) or in_school(user, school_id)


def may_change_school(user, school_id):
    """Only a school's own people (or a superuser) change its rows; the city reads."""
    return is_superuser(user) or in_school(user, school_id)


def school_filter(user, school_path, *, action="view"):
    """A Q object limiting a queryset to the rows the user may act on; None means everything."""
    if is_superuser(user) or (action in READ_ACTIONS and reads_every_school(user)):
        return None
    if user is None or not user.is_authenticated or user.school_id is None:
        return Q(pk__in=[])
    return Q(**{school_path: user.school_id})


def resolve(obj, path):
    """Follow a Django lookup path ("room__school_id") through attributes; None when it breaks."""
    value = obj
    for part in path.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def may_see_job(user, job):
    """A job, its progress and its result file (which may list students) are its owner's alone;
    a superuser sees every job. Retrying and downloading follow the same rule."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return is_superuser(user) or job.owner_id == user.pk


def require(allowed, message=None):
    """Raise PermissionDenied unless `allowed`: services use it so every caller gets the same refusal."""
    if not allowed:
        raise PermissionDenied(message)


# --- the policy base ----------------------------------------------------------------------------


class SchoolPolicy(ModelPermissionPolicy):
    """Model permissions (what) plus the row's school (where).

    `school_path` is the lookup from the model to its school's id, e.g. "room__school_id"; None
    for city-wide data (the tool catalogue), which only model permissions govern.
    """

    school_path = None

    def school_id_of(self, instance):
        return None if self.school_path is None else resolve(instance, self.school_path)

    # Wagtail asks these.

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, self._model_action(action)):
            return False
        if self.school_path is None or is_superuser(user):
            return True
        school_id = self.school_id_of(instance)
        if action in READ_ACTIONS:
            return may_read_school(user, school_id)
        return may_change_school(user, school_id)

    def instances_user_has_any_permission_for(self, user, actions):
        actions = [a for a in actions if self.user_has_permission(user, self._model_action(a))]
        queryset = self.model._default_manager.all()
        if not actions:
            return queryset.none()
        if self.school_path is None:
            return queryset
        filters = [school_filter(user, self.school_path, action=a) for a in actions]
        if any(f is None for f in filters):
            return queryset
        combined = Q(pk__in=[])
        for f in filters:
            combined |= f
        return queryset.filter(combined)

    def _model_action(self, action):
        """Exporting is reading: it needs the view permission."""
        return "view" if action == "export" else action

    # Our own code asks these (same answers, shorter names).

    def can(self, user, action, instance=None):
        if instance is None:
            return self.user_has_permission(user, self._model_action(action))
        return self.user_has_permission_for_instance(user, action, instance)

    def scope(self, user, queryset=None, action="view"):
        allowed = self.instances_user_has_permission_for(user, action)
        if queryset is None:
            return allowed
        if self.school_path is None or is_superuser(user):
            return queryset if self.can(user, action) else queryset.none()
        if not self.can(user, action):
            return queryset.none()
        q = school_filter(user, self.school_path, action=action)
        return queryset if q is None else queryset.filter(q)

    def check(self, user, action, instance=None, message=None):
        require(self.can(user, action, instance), message)

    def acts_anywhere(self, user, action):
        """May the user take `action` on some row of this model (whichever rows exist)? What a
        listing asks before offering an action on ticked rows; no query."""
        if not self.can(user, action):
            return False
        if self.school_path is None:
            return True
        # school_filter's answer without running it: everything (None), or the user's own school.
        return school_filter(user, self.school_path, action=action) is None or bool(user.school_id)


def register(model, policy):
    """Make every Wagtail view of `model` ask `policy` (Wagtail's permission-policy registry)."""
    register_permission_policy(model, policy, exact_class=True)
    return policy
