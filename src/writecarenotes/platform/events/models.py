"""The transactional outbox and its bookkeeping.

OutboxEvent      one row per published domain event, written in the transaction of the change
Delivery         one row per (event x subscriber): pending -> done, or dead after too many failures
ProcessedEvent   "subscriber S has applied event E", written in the handler's own transaction
ScheduledJobRun  one row per (job, slot): a scheduled job runs once per slot, whatever the workers

Outbox events and deliveries belong to a home (TenantModel): the dead-letter page is scoped
like every other page. The dispatcher is system code and uses ``unscoped``.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.tenancy.models import TenantModel


class OutboxEvent(TenantModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("event"), max_length=100)
    version = models.PositiveSmallIntegerField(_("version"))
    payload = models.JSONField(_("payload"))
    occurred_at = models.DateTimeField(_("occurred at"))

    class Meta:
        verbose_name = _("outbox event")
        ordering = ["occurred_at"]
        indexes = [models.Index(fields=["name", "occurred_at"], name="events_outbox_name_idx")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version} {self.id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Delivered")
    DEAD = "dead", _("Failed (dead letter)")


class Delivery(TenantModel):
    event = models.ForeignKey(OutboxEvent, on_delete=models.PROTECT, related_name="deliveries")
    subscriber = models.CharField(_("subscriber"), max_length=150)
    context = models.CharField(_("context"), max_length=50)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    dispatched_at = models.DateTimeField(null=True, blank=True)  # handed to an engine (Celery), not yet done
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    dead_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["next_attempt_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "subscriber"], name="uniq_delivery_per_subscriber"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="events_delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.subscriber} <- {self.event_id} ({self.status})"


class ProcessedEvent(models.Model):
    subscriber = models.CharField(max_length=150)
    event_id = models.UUIDField()
    processed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("processed event")
        constraints = [models.UniqueConstraint(fields=["subscriber", "event_id"], name="uniq_processed_event")]
        indexes = [models.Index(fields=["processed_at"], name="events_processed_at_idx")]

    def __str__(self) -> str:
        return f"{self.subscriber} applied {self.event_id}"


class JobRunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ScheduledJobRun(models.Model):
    job = models.CharField(max_length=150)
    slot = models.DateTimeField()
    status = models.CharField(max_length=10, choices=JobRunStatus.choices, default=JobRunStatus.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    queued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("scheduled job run")
        ordering = ["-slot"]
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="uniq_job_run_per_slot")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M} ({self.status})"
