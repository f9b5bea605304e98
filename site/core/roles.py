"""Roles, identified in code by stable codes, carried by Django groups.

A role's group name is only the label people see in the admin (教师, 实验室管理员…); code asks
`has_role(user, Role.TEACHER)`, never for a group name. `RoleGroup` (core.models) ties the code to
its group, so a group may be renamed without changing who may do what.

Each app declares the model permissions of its roles in its own `roles.py`:

    ROLE_PERMISSIONS = {Role.TEACHER: ["courses.add_coursepage", ...], ...}

`sync_role_permissions` (run after every migrate) gives each role's group exactly the permissions
all apps declare for it: a role's rights are code, reviewed in one place per app. *Where* a role
may use them (its school, its class, its entries) is each app's `policy.py`.
"""

from functools import cache
from importlib import import_module

from django.apps import apps as global_apps
from django.db import connections

from .models import GROUP_NAMES, Role, RoleGroup

__all__ = ["GROUP_NAMES", "Role", "RoleGroup"]


# What the core itself grants; apps add theirs in their own roles.py.
ROLE_PERMISSIONS = {
    Role.TEACHER: ["wagtailadmin.access_admin"],
    Role.REVIEWER: ["wagtailadmin.access_admin"],
    Role.LAB_STAFF: ["wagtailadmin.access_admin"],
    Role.CITY_COORDINATOR: ["wagtailadmin.access_admin"],
    Role.ORGANISER: ["wagtailadmin.access_admin"],
    Role.JUDGE: [],
    Role.STUDENT: [],
}


def role_codes(user):
    """The codes of the user's roles, read once per user object (requests reuse the user)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    codes = getattr(user, "_role_codes", None)
    if codes is None:
        load_access(user)
        codes = user._role_codes
    return codes


def load_access(user):
    """Read the user's role codes and model permissions in one query and keep them on the user
    object: `role_codes` and Django's permission checks (`has_perm`, through the authentication
    backend's `_perm_cache`) then ask the database no more for this user object (one request).

    A superuser's permissions are all permissions (Django's own rule); only their roles are read here."""
    if not user.pk:
        user._role_codes = frozenset()
        return
    with_perms = user.is_active and not user.is_superuser
    alias = user._state.db or "default"
    with connections[alias].cursor() as cursor:
        cursor.execute(_access_sql(with_perms, alias), [user.pk] * (3 if with_perms else 1))
        rows = cursor.fetchall()
    codes, perms = set(), set()
    for kind, app, name in rows:
        if kind == "role":
            codes.add(name)
        else:
            perms.add(f"{app}.{name}")
    user._role_codes = frozenset(codes)
    if with_perms:
        user._perm_cache = perms


@cache
def _access_sql(with_perms, alias):
    """The query of `load_access`, written out once: it runs on every logged-in request, and building
    the same three-part union through the ORM cost a millisecond each time (its run costs 0.01 ms).
    Table and column names come from the models, so a custom user model or a rename follows."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    quote = connections[alias].ops.quote_name

    def table(model):
        return quote(model._meta.db_table)

    def column(model, field):
        return quote(model._meta.get_field(field).column)

    user_groups = get_user_model().groups.through
    user_perms = get_user_model().user_permissions.through
    group_perms = Group.permissions.through
    ug_user, ug_group = column(user_groups, "user"), column(user_groups, "group")
    roles_sql = (
        f"SELECT 'role', '', r.{column(RoleGroup, 'code')} FROM {table(RoleGroup)} r "
        f"JOIN {table(user_groups)} ug ON ug.{ug_group} = r.{column(RoleGroup, 'group')} "
        f"WHERE ug.{ug_user} = %s"
    )
    if not with_perms:
        return roles_sql
    perm = (
        f"SELECT 'perm', ct.{column(ContentType, 'app_label')}, p.{column(Permission, 'codename')} "
        f"FROM {table(Permission)} p JOIN {table(ContentType)} ct ON ct.{column(ContentType, 'id')} = p.{column(Permission, 'content_type')} "
    )
    direct = (
        f"{perm}JOIN {table(user_perms)} up ON up.{column(user_perms, 'permission')} = p.{column(Permission, 'id')} "
        f"WHERE up.{column(user_perms, 'user')} = %s"
    )
    through_groups = (
        f"{perm}JOIN {table(group_perms)} gp ON gp.{column(group_perms, 'permission')} = p.{column(Permission, 'id')} "
        f"JOIN {table(user_groups)} ug ON ug.{ug_group} = gp.{column(group_perms, 'group')} "
        f"WHERE ug.{ug_user} = %s"
    )
    return f"{roles_sql} UNION {direct} UNION {through_groups}"


def forget_roles(user):
    """Call after changing a user's groups on an object that is used again."""
    for name in ("_role_codes", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(name, None)


def has_role(user, code):
    return user is not None and user.is_authenticated and user.is_active and code in role_codes(user)


def is_student(user):
    """The one definition of a student account: active, no staff rights, and no role but student.

    Teachers reset such accounts' passwords and delete them; nobody else's."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.is_staff:
        return False
    return role_codes(user) == {Role.STUDENT}


def role_group(code, using="default"):
    """The group that carries a role, created (with its label) if missing."""
    from django.contrib.auth.models import Group

    link = RoleGroup.objects.using(using).select_related("group").filter(code=code).first()
    if link:
        return link.group
    group, _created = Group.objects.using(using).get_or_create(name=GROUP_NAMES[Role(code)])
    RoleGroup.objects.using(using).create(code=code, group=group)
    return group


def add_role(user, code):
    user.groups.add(role_group(code))
    forget_roles(user)


def users_with_role(code):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(groups__role__code=code, is_active=True)


def declared_role_permissions(app_configs=None):
    """Merge every installed app's ROLE_PERMISSIONS: {role code: sorted ["app_label.codename", ...]}."""
    merged = {Role(code): set(perms) for code, perms in ROLE_PERMISSIONS.items()}
    for config in app_configs or global_apps.get_app_configs():
        if config.name == "makerroom.core":
            continue
        try:
            module = import_module(f"{config.name}.roles")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.roles":
                raise
            continue
        for code, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            merged.setdefault(Role(code), set()).update(perms)
    return {code: sorted(perms) for code, perms in merged.items()}


def sync_role_permissions(sender=None, using="default", **kwargs):
    """post_migrate: every role has its group, and each group exactly its declared permissions."""
    from django.contrib.auth.models import Permission

    for code, perm_names in declared_role_permissions().items():
        group = role_group(code, using=using)
        wanted = []
        for name in perm_names:
            app_label, codename = name.split(".", 1)
            perm = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if perm is None:
                raise LookupError(f"Role {code!r} names unknown permission {name!r}")
            wanted.append(perm)
        group.permissions.set(wanted)
