"""Alerts of the medication round for the nurse: a regular medicine refused or not given on consecutive days.

NICE SC1 (section 1.14, administering medicines; paragraph number UNVERIFIED) asks care home staff
to tell the prescriber when a resident refuses or misses doses of a medicine, so the prescriber can
review it. ``services_rounds_alerts`` raises one open alert per order while the run of days lasts (a
further day lengthens it); the nurse acknowledges it with the "GP contacted" note. Never deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from writecarenotes.medication.models.orders import MedicationOrder
from writecarenotes.platform.tenancy.models import TenantModel

__all__ = ["AlertStatus", "MedicationAlert"]


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("GP contact recorded")


class MedicationAlert(TenantModel):
    order = models.ForeignKey(MedicationOrder, on_delete=models.PROTECT, related_name="alerts")
    resident = models.ForeignKey("residents.Resident", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, default="consecutive_not_given")
    #: the run of days with a dose refused or not given (local dates, inclusive)
    first_day = models.DateField()
    last_day = models.DateField()
    days = models.PositiveSmallIntegerField()
    #: the outcomes seen in the run, e.g. ["refused", "omitted"]
    outcomes = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    raised_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    gp_contact_note = models.CharField(_("GP contacted: what was said and agreed"), max_length=1000, blank=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("medication alert")
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(fields=["order"], condition=Q(status="open"), name="med_one_open_alert_per_order")
        ]
        indexes = [models.Index(fields=["home", "status"], name="med_alert_home_status")]

    def __str__(self) -> str:
        return f"{self.order} {self.first_day}..{self.last_day}"
