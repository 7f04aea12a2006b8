"""The administration record (the eMAR): one row per scheduled dose slot, and one per PRN dose.

A scheduled slot (``order`` + ``due_at``) has at most one record: a second "given" for the same
slot is refused by the database as well as by the service. A correction is a new version of the
record with the reason; a record is never deleted. A safety check that a nurse overrode is kept
with its reason in ``SafetyOverride`` and reported to the manager.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from writecarenotes.medication.models.orders import MedicationOrder
from writecarenotes.platform.audit.versions import Versioned
from writecarenotes.platform.tenancy.models import TenantModel

__all__ = ["Administration", "Outcome", "PrnEffect", "SafetyOverride"]


class Outcome(models.TextChoices):
    GIVEN = "given", _("Given")
    REFUSED = "refused", _("Refused")
    OMITTED = "omitted", _("Omitted")
    NOT_REQUIRED = "not_required", _("Not required")
    WITHHELD = "withheld", _("Withheld on clinical grounds")
    UNAVAILABLE = "unavailable", _("Unavailable (out of stock)")
    ABSENT = "absent", _("Resident absent")
    SELF_ADMINISTERED = "self_administered", _("Self-administered")


class PrnEffect(models.TextChoices):
    EFFECTIVE = "effective", _("Effective")
    PARTLY = "partly", _("Partly effective")
    NOT_EFFECTIVE = "not_effective", _("Not effective")


class Administration(Versioned, TenantModel):
    order = models.ForeignKey(MedicationOrder, on_delete=models.PROTECT, related_name="administrations")
    resident = models.ForeignKey("residents.Resident", on_delete=models.PROTECT, related_name="+")
    #: the scheduled slot; null for a PRN dose
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    reason_code = models.CharField(_("reason"), max_length=30, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    #: the amount given, in the medicine's dose unit (given and self-administered only)
    dose = models.DecimalField(_("dose given"), max_digits=10, decimal_places=3, null=True, blank=True)
    #: when it was given (or refused, ...); the safety checks' rolling windows read this
    administered_at = models.DateTimeField(_("time"))
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    #: recorded after the slot's window closed
    late = models.BooleanField(default=False)
    #: a second person who confirmed with their own credential (controlled drugs)
    witness = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # --- PRN: the effect looked for after the dose ---
    effect_due_at = models.DateTimeField(null=True, blank=True)
    effect = models.CharField(_("effect"), max_length=20, choices=PrnEffect.choices, blank=True)
    effect_note = models.CharField(_("what you saw"), max_length=300, blank=True)
    effect_recorded_at = models.DateTimeField(null=True, blank=True)
    effect_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta(TenantModel.Meta):
        verbose_name = _("administration record")
        ordering = ["-administered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "due_at"], condition=Q(due_at__isnull=False), name="med_one_record_per_slot"
            )
        ]
        indexes = [
            models.Index(fields=["resident", "administered_at"], name="med_admin_res_at"),
            models.Index(fields=["order", "administered_at"], name="med_admin_order_at"),
            models.Index(fields=["home", "due_at"], name="med_admin_home_due"),
        ]

    def __str__(self) -> str:
        return f"{self.order} {self.outcome} {self.administered_at:%Y-%m-%d %H:%M}"


class SafetyOverride(TenantModel):
    """A safety check a permitted person overrode, with the reason; the manager reviews each."""

    administration = models.ForeignKey(Administration, on_delete=models.PROTECT, related_name="overrides")
    rule = models.CharField(max_length=40)  # rules.Finding.rule
    message = models.CharField(max_length=500)  # what the check said
    reason = models.CharField(_("reason for the override"), max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=300, blank=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("safety override")
        ordering = ["-at"]
