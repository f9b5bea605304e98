"""The user roles, as Django groups. Group names are Chinese because that is what the admin shows.

Each app declares what its roles may do in its own `roles.py`:

    ROLE_PERMISSIONS = {TEACHER: ["courses.add_coursepage", ...], ...}

`sync_role_permissions` (run after every migrate) gives each group exactly the permissions
all apps declare for it, so a role's permissions are defined in code and reviewed in one place per app.
"""

from importlib import import_module

from django.apps import apps as global_apps
from django.utils.translation import gettext_lazy as _

TEACHER = "教师"
STUDENT = "学生"
LAB_STAFF = "实验室管理员"
JUDGE = "评委"
ORGANISER = "创客节组织者"

BASE_ROLES = {
    TEACHER: _("Teacher"),
    STUDENT: _("Student"),
    LAB_STAFF: _("Lab staff"),
    JUDGE: _("Judge"),
    ORGANISER: _("Festival organiser"),
}

# What the site itself grants; apps add theirs in their own roles.py.
ROLE_PERMISSIONS = {
    TEACHER: ["wagtailadmin.access_admin"],
    LAB_STAFF: ["wagtailadmin.access_admin"],
    JUDGE: [],
    ORGANISER: ["wagtailadmin.access_admin"],
    STUDENT: [],
}


def declared_role_permissions(app_configs=None):
    """Merge every installed app's ROLE_PERMISSIONS: {group name: sorted ["app_label.codename", ...]}."""
    merged = {role: set(perms) for role, perms in ROLE_PERMISSIONS.items()}
    for config in app_configs or global_apps.get_app_configs():
        if config.name == "makerroom.accounts":
            continue
        try:
            module = import_module(f"{config.name}.roles")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.roles":
                raise
            continue
        for role, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            merged.setdefault(role, set()).update(perms)
    return {role: sorted(perms) for role, perms in merged.items()}


def sync_role_permissions(sender=None, apps=global_apps, using="default", **kwargs):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perm_names in declared_role_permissions().items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        wanted = []
        for name in perm_names:
            app_label, codename = name.split(".", 1)
            perm = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if perm is None:
                raise LookupError(f"Role {role!r} names unknown permission {name!r}")
            wanted.append(perm)
        group.permissions.set(wanted)
