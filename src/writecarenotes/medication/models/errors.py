"""Medication errors reported by staff (NICE SC1 section 1.5: reporting medicines-related safety incidents).

A report is never deleted; a correction is a new version with the reason. Each report publishes
``medication.error_reported`` and the incidents service raises a "medication error" incident from it
(the regulator's notification, duty of candour and investigation follow there). A controlled drug
discrepancy found at a stock check raises its own event (``medication.cd_discrepancy``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.audit.versions import Versioned
from writecarenotes.platform.tenancy.models import TenantModel

__all__ = ["ErrorHarm", "ErrorKind", "MedicationError"]


class ErrorKind(models.TextChoices):
    """The stage and type of error, after the categories of the NRLS/LFPSE medication incident reports."""

    OMITTED = "omitted", _("Dose omitted or delayed")
    WRONG_DOSE = "wrong_dose", _("Wrong dose or strength")
    WRONG_MEDICINE = "wrong_medicine", _("Wrong medicine")
    WRONG_RESIDENT = "wrong_resident", _("Wrong resident")
    WRONG_TIME = "wrong_time", _("Wrong time or frequency")
    WRONG_ROUTE = "wrong_route", _("Wrong route or form")
    EXTRA_DOSE = "extra_dose", _("Extra dose given")
    AFTER_STOP = "after_stop", _("Given after it was stopped")
    RECORDING = "recording", _("Recording error on the MAR")
    PRESCRIBING = "prescribing", _("Prescribing or transcribing error")
    DISPENSING = "dispensing", _("Dispensing or supply error")
    STORAGE = "storage", _("Storage error")
    OTHER = "other", _("Other")


class ErrorHarm(models.TextChoices):
    """Harm to the resident, in the grading the incidents service (and the duty of candour) uses."""

    NO_HARM = "no_harm", _("No harm")
    LOW = "low", _("Low harm")
    MODERATE = "moderate", _("Moderate harm")
    SEVERE = "severe", _("Severe harm")
    DEATH = "death", _("Death")


class MedicationError(Versioned, TenantModel):
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    order = models.ForeignKey(
        "medication.MedicationOrder", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    administration = models.ForeignKey(
        "medication.Administration", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("what went wrong"), max_length=20, choices=ErrorKind.choices)
    description = models.TextField(_("what happened"))
    occurred_at = models.DateTimeField(_("when it happened"))
    harm = models.CharField(_("harm to the resident"), max_length=20, choices=ErrorHarm.choices)
    immediate_action = models.TextField(_("what was done straight away"), blank=True)
    gp_informed = models.BooleanField(_("GP or 111 told"), default=False)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta(TenantModel.Meta):
        verbose_name = _("medication error")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["home", "occurred_at"], name="med_error_home_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"
