"""The rows behind long work: a job per request a person made, the workers' heartbeats and the
slots the scheduler has already enqueued. Behaviour lives in `makerroom.core.jobs`."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class JobState(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """One piece of long work somebody asked for (a label sheet, an import, an export).

    The job keeps what it needs to run again (`params`, `input_file`) until it is pruned, so a
    failed job loses nothing and can be retried. Only its owner (and a superuser) sees it:
    `makerroom.core.policy.may_see_job`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("job", "owner"),
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    runner = models.CharField(_("runner"), max_length=200, help_text=_("dotted path of the job function"))
    title = models.CharField(_("title"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    input_file = models.FileField(_("input file"), upload_to="jobs/input/%Y/%m/", blank=True)
    state = models.CharField(_("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    done = models.PositiveIntegerField(_("steps done"), default=0)
    total = models.PositiveIntegerField(_("steps in all"), default=0)
    result_file = models.FileField(_("result"), upload_to="jobs/result/%Y/%m/", blank=True)
    result_name = models.CharField(_("result file name"), max_length=200, blank=True)
    message = models.TextField(_("message"), blank=True)
    error_rows = models.JSONField(_("error rows"), default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(pgettext_lazy("job", "created at"), auto_now_add=True)
    started_at = models.DateTimeField(pgettext_lazy("job", "started at"), null=True, blank=True)
    finished_at = models.DateTimeField(pgettext_lazy("job", "finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [models.Index(fields=["owner", "-created_at"]), models.Index(fields=["finished_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("jobs:detail", args=[self.pk])

    @property
    def percent(self):
        if self.state == JobState.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self):
        return self.state in (JobState.DONE, JobState.FAILED)


class WorkerHeartbeat(models.Model):
    """A task worker says it is alive every few seconds; the health check reads the newest."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=200, blank=True)
    pid = models.PositiveIntegerField(default=0)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.worker_id} {self.seen_at:%Y-%m-%d %H:%M:%S}"


class ScheduledRun(models.Model):
    """One row per scheduled job and time slot: the unique pair lets only one of several workers
    enqueue a slot's run."""

    name = models.CharField(max_length=100)
    slot = models.DateTimeField()
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="core_scheduled_run_once")]
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")

    def __str__(self):
        return f"{self.name} {self.slot:%Y-%m-%d %H:%M}"
