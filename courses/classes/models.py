"""Classes (班级), who is in them, what they are assigned, and each student's progress.

Progress rows point at the student with SET_NULL: deleting a student's data removes the person
and keeps the anonymous counts (how many finished a lesson, how many got a question right first try).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SchoolClass(models.Model):
    name = models.CharField(
        pgettext_lazy("class", "name"), max_length=60, help_text=_("e.g. 七年级（3）班 创客社团")
    )
    school = models.ForeignKey(
        "core.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="classes"
    )
    grade = models.PositiveSmallIntegerField(
        _("grade"),
        validators=[MinValueValidator(1), MaxValueValidator(16)],
        help_text=_("1–12, 13+ for university"),
    )
    school_year = models.CharField(_("school year"), max_length=9, help_text=_("e.g. 2026-2027"))
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("teachers"), related_name="taught_classes"
    )
    join_code = models.CharField(_("join code"), max_length=12, unique=True, null=True, blank=True)
    join_code_expires_at = models.DateTimeField(_("join code expires"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-school_year", "grade", "name"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")

    def __str__(self):
        return f"{self.name}（{self.school_year}）"

    def join_code_valid(self, now=None):
        now = now or timezone.now()
        return bool(self.join_code) and (self.join_code_expires_at is None or self.join_code_expires_at > now)


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(left_at__isnull=True)


class Membership(models.Model):
    """A student in a class. Leaving sets `left_at`; the row and the progress stay."""

    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="memberships")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="class_memberships"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["joined_at"]
        verbose_name = _("class membership")
        verbose_name_plural = _("class memberships")
        constraints = [
            models.UniqueConstraint(fields=["school_class", "student"], name="classes_membership_unique")
        ]

    def __str__(self):
        return f"{self.student} @ {self.school_class}"


class Assignment(models.Model):
    """A course a class follows."""

    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="assignments")
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="class_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assigned_at"]
        verbose_name = _("course assignment")
        verbose_name_plural = _("course assignments")
        constraints = [
            models.UniqueConstraint(fields=["school_class", "course"], name="classes_assignment_unique")
        ]

    def __str__(self):
        return f"{self.course} → {self.school_class}"


class LessonDueDate(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="due_dates")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(_("due on"))

    class Meta:
        verbose_name = _("lesson due date")
        verbose_name_plural = _("lesson due dates")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "lesson"], name="classes_duedate_unique")
        ]

    def __str__(self):
        return f"{self.lesson} {self.due_on}"


class StepProgress(models.Model):
    """A step (a top-level block of the lesson body, by its stable block id) a student ticked."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="step_progress"
    )
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    step_id = models.CharField(max_length=64)
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["student", "lesson", "step_id"], name="classes_step_unique")
        ]
        indexes = [models.Index(fields=["lesson", "student"])]

    def __str__(self):
        return f"{self.student_id}:{self.lesson_id}:{self.step_id}"


class LessonProgress(models.Model):
    """A lesson the student marked complete."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="lesson_progress"
    )
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "lesson"], name="classes_lesson_unique")]

    def __str__(self):
        return f"{self.student_id}:{self.lesson_id}"


class QuestionAttempt(models.Model):
    """The first answer a student gave to a "check your understanding" question (later tries are not stored)."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="question_attempts"
    )
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    question_id = models.CharField(max_length=64)
    choice = models.PositiveSmallIntegerField()
    correct = models.BooleanField()
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["student", "lesson", "question_id"], name="classes_question_unique"
            )
        ]

    def __str__(self):
        return f"{self.student_id}:{self.lesson_id}:{self.question_id}"
