"""A student's code for one lesson (the workbench's editor), its last check, and a few versions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Workspace(models.Model):
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="workspaces",
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="workspaces"
    )
    files = models.JSONField(_("files"), default=dict)  # {"main.py": text, "lib/x.py": text}
    updated_at = models.DateTimeField(_("saved at"), auto_now=True)
    # The last "检查我的程序": None = never checked.
    check_passed = models.BooleanField(_("check passed"), null=True)
    check_result = models.JSONField(_("check result"), null=True, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    # The teacher's latest comment, shown to the student on the lesson page.
    comment = models.TextField(_("teacher's comment"), blank=True, max_length=1000)
    commented_at = models.DateTimeField(_("commented at"), null=True, blank=True)

    class Meta:
        verbose_name = _("student code")
        verbose_name_plural = _("student code")
        constraints = [models.UniqueConstraint(fields=["student", "lesson"], name="workspace_one_per_lesson")]

    def __str__(self):
        return f"{self.student_id} · {self.lesson_id}"


class WorkspaceVersion(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="versions")
    files = models.JSONField(_("files"))
    saved_at = models.DateTimeField(_("saved at"))
    check_passed = models.BooleanField(_("check passed"), null=True)

    class Meta:
        ordering = ["-saved_at", "-pk"]
        verbose_name = _("code version")
        verbose_name_plural = _("code versions")

    def __str__(self):
        return f"{self.workspace_id} · {self.saved_at:%Y-%m-%d %H:%M}"
