"""Statutory notifications to the regulators, and HIQA's periodic returns.

A ``StatutoryNotification`` is one requirement of one incident (unique per incident and rule code):
worked out from the facts (``incidents.rules``) when the incident is reported or its facts change,
or one requirement about a resident that is not an incident (``incident`` empty, ``resident`` set):
the outcome of a Deprivation of Liberty Safeguards application, raised from care planning's
``dols.changed`` event (``subscribers_notifications``), once per source record (``source_ref``, e.g.
"care_planning.liberty:<record id>"; the event's details are kept in ``source_details``). It is
prepared in one click (the form's fields filled from the incident, the home and the resident),
and marked as submitted with the regulator's reference. It is never deleted: a notification that
the corrected facts no longer require is marked "not required" with the reason; one already
submitted stays submitted and is flagged ``no_longer_applies``. Every change is a new version
(``audit.save_version``).

A ``PeriodicReturn`` is an Irish home's quarterly NF39 return or six-monthly nil return: the counts
the system holds (computed from incidents) and the figures only the manager knows (restraint).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.audit.versions import Versioned
from writecarenotes.platform.tenancy.models import TenantModel

__all__ = ["NotificationStatus", "PeriodicReturn", "ReturnKind", "ReturnStatus", "StatutoryNotification"]


class NotificationStatus(models.TextChoices):
    REQUIRED = "required", _("Required")
    PREPARED = "prepared", _("Prepared")
    SUBMITTED = "submitted", _("Submitted")
    NOT_REQUIRED = "not_required", _("Not required")


OPEN_STATUSES = (NotificationStatus.REQUIRED, NotificationStatus.PREPARED)
REGULATOR_SHORT = {
    "cqc": "CQC",
    "ciw": "CIW",
    "care_inspectorate": "the Care Inspectorate",
    "rqia": "RQIA",
    "hiqa": "HIQA",
}


class StatutoryNotification(Versioned, TenantModel):
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.PROTECT, related_name="notifications", null=True, blank=True
    )
    #: the resident a notification that is not about an incident concerns (a DoLS outcome)
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: what raised a resident's notification, e.g. "care_planning.liberty:12" (empty for an incident's)
    source_ref = models.CharField(_("raised from"), max_length=120, blank=True, default="")
    #: the raising event's details as it carried them (framework, kind, change, status, end date)
    source_details = models.JSONField(_("details from the source"), default=dict, blank=True)
    code = models.CharField(_("rule"), max_length=40)  # rules.notifications Rule.code
    regulator = models.CharField(_("regulator"), max_length=20)  # tenancy.Regulator
    title = models.CharField(_("notification"), max_length=200)
    form = models.CharField(_("form"), max_length=200)
    source = models.CharField(_("source"), max_length=400)
    guidance = models.CharField(_("regulator's guidance"), max_length=300, blank=True)
    deadline_text = models.CharField(_("deadline"), max_length=120)
    why = models.TextField(_("why it is required"))
    due_at = models.DateTimeField(_("due by"))
    status = models.CharField(
        _("status"), max_length=14, choices=NotificationStatus.choices, default=NotificationStatus.REQUIRED
    )
    required_at = models.DateTimeField(_("required since"), default=timezone.now, editable=False)
    content = models.JSONField(_("prepared content"), default=dict, blank=True)  # sections -> [[label, value]]
    content_text = models.TextField(_("prepared text"), blank=True)
    prepared_at = models.DateTimeField(_("prepared at"), null=True, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    regulator_reference = models.CharField(_("regulator's reference"), max_length=100, blank=True)
    not_required_reason = models.TextField(_("why it is no longer required"), blank=True)
    no_longer_applies = models.BooleanField(_("submitted, but the corrected facts no longer require it"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now, editable=False)

    version_reason_required = False  # re-evaluation and preparation record their reason when they have one

    class Meta(TenantModel.Meta):
        verbose_name = _("statutory notification")
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["home", "status", "due_at"], name="inc_notif_home_status_due")]
        constraints = [
            models.UniqueConstraint(fields=["incident", "code"], name="inc_notif_one_per_rule"),
            models.UniqueConstraint(
                fields=["home", "code", "source_ref"],
                condition=~models.Q(source_ref=""),
                name="inc_notif_one_per_source",
            ),
            models.CheckConstraint(
                name="inc_notif_incident_or_resident",
                condition=models.Q(incident__isnull=False) | models.Q(resident__isnull=False),
            ),
            models.CheckConstraint(
                name="inc_notif_submitted_has_time",
                condition=~models.Q(status="submitted") | models.Q(submitted_at__isnull=False),
            ),
            models.CheckConstraint(
                name="inc_notif_not_required_has_reason",
                condition=~models.Q(status="not_required") | ~models.Q(not_required_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def regulator_label(self) -> str:
        """The regulator's short name, as staff say it ("CQC", "the Care Inspectorate")."""
        return REGULATOR_SHORT.get(self.regulator, self.regulator)

    def is_overdue(self, now=None) -> bool:
        return self.is_open and self.due_at < (now or timezone.now())

    @property
    def about_incident(self) -> bool:
        return self.incident_id is not None

    @property
    def reference(self) -> str:
        """The incident's reference, or for a resident's notification what it is about ("DoLS")."""
        if self.incident_id is not None:
            return self.incident.reference
        return "DoLS" if self.source_ref.startswith("care_planning.liberty:") else ""


class ReturnKind(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly return (NF39)")
    NIL = "nil", _("Six-monthly nil return")


class ReturnStatus(models.TextChoices):
    DUE = "due", _("Due")
    SUBMITTED = "submitted", _("Submitted")


class PeriodicReturn(Versioned, TenantModel):
    """HIQA's quarterly NF39 return or six-monthly nil return of an Irish designated centre."""

    kind = models.CharField(_("return"), max_length=10, choices=ReturnKind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    due_on = models.DateField(_("due by"))
    form = models.CharField(_("form"), max_length=100)
    source = models.CharField(_("source"), max_length=400)
    counts = models.JSONField(_("counts from the incidents"), default=dict, blank=True)
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True)
    # figures the system does not hold
    restraint_occasions = models.PositiveIntegerField(_("occasions restraint was used"), null=True, blank=True)
    restraint_details = models.TextField(_("restraint: kinds and reasons"), blank=True)
    fire_alarm_activations = models.PositiveIntegerField(
        _("fire alarm operated other than for a drill or test"), null=True, blank=True
    )
    theft_pattern = models.TextField(_("recurring pattern of theft or burglary"), blank=True)
    manager_notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.DUE)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    regulator_reference = models.CharField(_("HIQA reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now, editable=False)

    version_reason_required = False

    class Meta(TenantModel.Meta):
        verbose_name = _("periodic return")
        ordering = ["-period_start", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["home", "kind", "period_start"], name="inc_return_one_per_period"),
            models.CheckConstraint(
                name="inc_return_submitted_has_date",
                condition=~models.Q(status="submitted") | models.Q(submitted_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start:%d %b %Y} to {self.period_end:%d %b %Y}"

    def is_overdue(self, today=None) -> bool:
        return self.status == ReturnStatus.DUE and self.due_on < (today or timezone.localdate())
