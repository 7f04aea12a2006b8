"""Parts of a resident's profile that come in lists: allergies, diagnoses, contacts, LPAs.

Allergies and diagnoses are never deleted: an allergy recorded in error is ended with a reason
(``ended_at``, ``end_reason``) and stays in the history. Every change is audited with the
resident as subject (``residents.services_profile``).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.tenancy.models import TenantModel
from writecarenotes.residents.models.resident import Resident


class AllergySeverity(models.TextChoices):
    MILD = "mild", _("Mild")
    MODERATE = "moderate", _("Moderate")
    SEVERE = "severe", _("Severe")
    LIFE_THREATENING = "life_threatening", _("Life-threatening")


class Allergy(TenantModel):
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="allergies")
    substance = models.CharField(_("substance"), max_length=120)
    reaction = models.CharField(_("reaction"), max_length=200, blank=True)
    severity = models.CharField(_("severity"), max_length=20, choices=AllergySeverity.choices)
    is_sensitivity = models.BooleanField(_("sensitivity or intolerance (not an allergy)"), default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("allergy")
        ordering = ["substance"]

    def __str__(self) -> str:
        return self.substance


class DiagnosisStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RESOLVED = "resolved", _("Resolved")
    HISTORY = "history", _("Past medical history")


class Diagnosis(TenantModel):
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="diagnoses")
    condition = models.CharField(_("condition"), max_length=160)
    diagnosed_on = models.DateField(_("date diagnosed"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=DiagnosisStatus.choices)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("diagnosis")
        verbose_name_plural = _("diagnoses")
        ordering = ["status", "condition"]

    def __str__(self) -> str:
        return self.condition


class Contact(TenantModel):
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="contacts")
    name = models.CharField(_("name"), max_length=120)
    relationship = models.CharField(_("relationship"), max_length=60)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    next_of_kin = models.BooleanField(_("next of kin"), default=False)
    emergency_contact = models.BooleanField(_("emergency contact"), default=False)
    priority = models.PositiveSmallIntegerField(
        _("contact priority"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("contact")
        ordering = ["priority", "name"]

    def __str__(self) -> str:
        return self.name


class AttorneyKind(models.TextChoices):
    HEALTH_WELFARE = "health_welfare", _("Health and welfare")
    PROPERTY_FINANCE = "property_finance", _("Property and financial affairs")


class PowerOfAttorney(TenantModel):
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="attorneys")
    kind = models.CharField(_("type of LPA"), max_length=20, choices=AttorneyKind.choices)
    attorney_name = models.CharField(_("attorney"), max_length=120)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    document = models.CharField(_("document"), max_length=200, blank=True, editable=False)
    document_content_type = models.CharField(max_length=40, blank=True, editable=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("lasting power of attorney")
        ordering = ["kind", "attorney_name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.attorney_name}"
