"""Residents (service 1). This first cut holds identity, room and status; issue 4 builds the
full lifecycle, profile and care journey on it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.tenancy.models import Room, TenantModel, Unit
from writecarenotes.residents.nhs_number import format_nhs


class ResidentStatus(models.TextChoices):
    ENQUIRY = "enquiry", _("Enquiry")
    IN_RESIDENCE = "in_residence", _("In residence")
    TEMPORARILY_ABSENT = "temporarily_absent", _("Temporarily absent")
    DISCHARGED = "discharged", _("Discharged")
    DECEASED = "deceased", _("Deceased")


class Resident(TenantModel):
    legal_given_names = models.CharField(_("given names"), max_length=120)
    legal_family_name = models.CharField(_("family name"), max_length=120)
    preferred_name = models.CharField(_("preferred name"), max_length=80, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    nhs_number = models.CharField(_("NHS number"), max_length=10, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="residents", null=True, blank=True)
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="residents", null=True, blank=True)
    status = models.CharField(_("status"), max_length=30, choices=ResidentStatus.choices)
    admitted_on = models.DateField(_("admitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("resident")
        ordering = ["legal_family_name", "legal_given_names"]
        indexes = [models.Index(fields=["home", "status"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def nhs_number_display(self) -> str:
        """The NHS number as people read it: "999 123 4567"."""
        return format_nhs(self.nhs_number) if self.nhs_number else ""

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.legal_given_names.split(" ")[0]
        return f"{first} {self.legal_family_name}"
