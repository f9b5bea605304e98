from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    """The roles, by stable code (see makerroom.core.roles)."""

    TEACHER = "teacher", _("Teacher")
    REVIEWER = "reviewer", _("Curriculum reviewer")
    STUDENT = "student", _("Student")
    LAB_STAFF = "lab_staff", _("Lab staff")
    CITY_COORDINATOR = "city_coordinator", _("City coordinator")
    JUDGE = "judge", _("Judge")
    ORGANISER = "organiser", _("Festival organiser")


# The names the groups get when first created: what the Chinese admin shows. Only labels.
GROUP_NAMES = {
    Role.TEACHER: "教师",
    Role.REVIEWER: "教研组长",
    Role.STUDENT: "学生",
    Role.LAB_STAFF: "实验室管理员",
    Role.CITY_COORDINATOR: "市级统筹员",
    Role.JUDGE: "评委",
    Role.ORGANISER: "创客节组织者",
}


class SchoolStage(models.TextChoices):
    """School stages from the Shenzhen action plan (小学 to 高校)."""

    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary")
    VOCATIONAL = "vocational", _("Vocational / technical school")
    UNIVERSITY = "university", _("University")


class School(models.Model):
    """A school: what courses, classes, festival entries, maker rooms and staff belong to.

    The table keeps its first name (`kits_school`): the model moved into the core without touching
    the database or any foreign key pointing at it."""

    name = models.CharField(pgettext_lazy("school", "name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    code = models.SlugField(_("school code"), max_length=20, unique=True, help_text=_("e.g. SZ-0012"))
    district = models.CharField(_("district"), max_length=30, blank=True)
    stage = models.CharField(_("school stage"), max_length=20, choices=SchoolStage.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        db_table = "kits_school"
        ordering = ["code"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")

    def __str__(self):
        return self.name


class RoleGroup(models.Model):
    """Ties a role's stable code to the Django group that carries its permissions.

    Code asks for roles by code; the group's name is only the label the admin shows (it may be
    renamed or translated without changing who may do what)."""

    code = models.CharField(_("role code"), max_length=30, choices=Role.choices, unique=True)
    group = models.OneToOneField(
        Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="role"
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self):
        return f"{Role(self.code).label} ({self.group.name})"


# The rows behind long work (jobs, worker heartbeats, scheduled slots) live in their own module.
from .jobs_models import Job, JobState, ScheduledRun, WorkerHeartbeat  # noqa: E402, F401
