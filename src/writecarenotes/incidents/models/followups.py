"""Follow-up tasks for the nurse after an incident: the post-fall checks and the head-injury observations.

The tasks come from the protocols in ``incidents.followups_protocols`` (data, with their sources);
``services_followups`` creates them when a fall is reported and adds the head-injury observations
when the facts later say the head was struck. A task is never deleted: one no longer required is
marked so with the reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.tenancy.models import TenantModel

__all__ = ["ACVPU", "FollowUpStatus", "FollowUpTask"]


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    NOT_REQUIRED = "not_required", _("No longer required")


class ACVPU(models.TextChoices):
    """The ACVPU scale of NEWS2 (Royal College of Physicians, 2017)."""

    ALERT = "A", _("A: Alert")
    CONFUSION = "C", _("C: new Confusion")
    VOICE = "V", _("V: responds to Voice")
    PAIN = "P", _("P: responds to Pain")
    UNRESPONSIVE = "U", _("U: Unresponsive")


class FollowUpTask(TenantModel):
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="followup_tasks")
    resident = models.ForeignKey("residents.Resident", on_delete=models.PROTECT, related_name="+")
    protocol = models.CharField(max_length=20)  # followups_protocols: "post_fall", "head_injury"
    key = models.CharField(max_length=40)  # "assessment", "neuro_03", ...
    sequence = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("task"), max_length=200)
    instructions = models.TextField(_("what to do"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    neuro = models.BooleanField(default=False)  # a neurological observation: GCS or ACVPU and pupils
    due_at = models.DateTimeField(_("due by"))
    status = models.CharField(_("status"), max_length=15, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.TextField(_("outcome"), blank=True)
    escalated = models.BooleanField(_("escalated (GP, 111, 999 or the nurse in charge)"), default=False)
    gcs = models.PositiveSmallIntegerField(_("Glasgow Coma Scale (3-15)"), null=True, blank=True)
    acvpu = models.CharField(_("ACVPU"), max_length=1, choices=ACVPU.choices, blank=True)
    pupils = models.CharField(_("pupils (size and reaction)"), max_length=100, blank=True)
    status_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta(TenantModel.Meta):
        verbose_name = _("follow-up task")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["home", "status", "due_at"], name="inc_fu_home_status_due"),
            models.Index(fields=["incident", "status"], name="inc_fu_incident_status"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["incident", "resident", "key"], name="inc_fu_task_once"),
            models.CheckConstraint(
                name="inc_fu_done_has_time",
                condition=~models.Q(status="done") | models.Q(done_at__isnull=False),
            ),
            models.CheckConstraint(
                name="inc_fu_not_required_has_reason",
                condition=~models.Q(status="not_required") | ~models.Q(status_reason=""),
            ),
            models.CheckConstraint(
                name="inc_fu_gcs_3_to_15",
                condition=models.Q(gcs__isnull=True) | models.Q(gcs__gte=3, gcs__lte=15),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == FollowUpStatus.OPEN

    def is_overdue(self, now=None) -> bool:
        return self.is_open and self.due_at < (now or timezone.now())
