"""Medicines reconciliation: on admission and after every hospital stay, the resident's medicines are
listed and checked against the sources, each with a decision and its reason.

Sources: NICE QS85 statement 1 (a resident who transfers into a care home has their medicines listed by
the care home on the day of the transfer, including a return after a hospital stay); NICE SC1 "Managing
medicines in care homes", the section "accurately listing a resident's medicines (medicines
reconciliation)" (who is involved, which sources: GP record, discharge letter, the resident and family,
the pharmacy, medicines brought in; section number UNVERIFIED); NICE NG5 "Medicines optimisation",
section 1.3 (medicines reconciliation; UNVERIFIED numbering).

A reconciliation is opened by a nurse (or by the system when a resident is admitted or comes back from
hospital), holds one line per medicine with what each source says and the decision, and is completed
by a named checker (a second checker may confirm). Completing it starts, changes and stops the orders
in the same transaction. Nothing is deleted: a line added in error is withdrawn with a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from writecarenotes.medication.models.medicines import Medicine
from writecarenotes.medication.models.orders import MedicationOrder
from writecarenotes.platform.audit.versions import Versioned
from writecarenotes.platform.tenancy.models import TenantModel

__all__ = [
    "Decision",
    "Occasion",
    "Reconciliation",
    "ReconciliationLine",
    "ReconciliationSource",
    "ReconciliationStatus",
]


class Occasion(models.TextChoices):
    ADMISSION = "admission", _("Admission")
    HOSPITAL_RETURN = "hospital_return", _("Back from hospital")
    TRANSFER = "transfer", _("Transfer from another care setting")
    OTHER = "other", _("Other (review)")


class ReconciliationSource(models.TextChoices):
    """Where the list came from (NICE SC1, medicines reconciliation)."""

    GP_RECORD = "gp_record", _("GP record or repeat list")
    DISCHARGE_LETTER = "discharge_letter", _("Hospital discharge letter")
    RESIDENT_FAMILY = "resident_family", _("Resident or family")
    PHARMACY = "pharmacy", _("Community pharmacy")
    BROUGHT_IN = "brought_in", _("Medicines brought in")
    PREVIOUS_MAR = "previous_mar", _("Previous MAR chart")


class ReconciliationStatus(models.TextChoices):
    #: the resident is in hospital: the reconciliation opens when they are back
    AWAITING_RETURN = "awaiting_return", _("In hospital")
    OPEN = "open", _("To reconcile")
    COMPLETED = "completed", _("Completed")


class Decision(models.TextChoices):
    CONTINUE = "continue", _("Continue as it is")
    CHANGE = "change", _("Continue with a change")
    STOP = "stop", _("Stop")
    NEW = "new", _("Start (new)")
    QUERY = "query", _("Query with the GP")


class Reconciliation(Versioned, TenantModel):
    resident = models.ForeignKey("residents.Resident", on_delete=models.PROTECT, related_name="+")
    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices)
    #: when the resident arrived (admission, return from hospital); due the same day (QS85 statement 1)
    occasion_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    sources_checked = models.JSONField(_("sources checked"), default=list, blank=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=ReconciliationStatus.choices, default=ReconciliationStatus.OPEN)
    #: the residents event that opened it (system-opened reconciliations are applied once)
    event_id = models.CharField(max_length=40, blank=True, default="")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField()
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    second_checker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    second_checked_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta(TenantModel.Meta):
        verbose_name = _("medicines reconciliation")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["home", "status"], name="med_recon_home_status")]

    def __str__(self) -> str:
        return f"{self.get_occasion_display()} {self.started_at:%Y-%m-%d}"


class ReconciliationLine(TenantModel):
    """One medicine: what each source says, the decision and why; for "new" and "change" the order."""

    reconciliation = models.ForeignKey(Reconciliation, on_delete=models.PROTECT, related_name="lines")
    medicine = models.ForeignKey(Medicine, on_delete=models.PROTECT, related_name="+")
    #: the resident's current order this line is about (continue, change, stop)
    order = models.ForeignKey(MedicationOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    #: {source: what it says}, e.g. {"gp_record": "1 tablet at 08:00", "discharge_letter": "stopped"}
    sources = models.JSONField(_("what each source says"), default=dict, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    #: the order's fields for "new" and "change" (services_orders.clean_order's input)
    order_values = models.JSONField(default=dict, blank=True)
    #: the order started or changed on completion
    result_order = models.ForeignKey(MedicationOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()
    withdrawn_reason = models.CharField(max_length=300, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("reconciliation line")
        ordering = ["pk"]
