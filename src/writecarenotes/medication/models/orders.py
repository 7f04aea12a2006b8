"""Medication orders: what a prescriber asked the home to give, on what schedule or when required.

An order is never deleted. A change (dose, times, PRN protocol) or a stop is a new version of the
order with the reason (``audit.save_version``); ``version`` counts them and is the API's ETag.
A "when required" (PRN) order carries its protocol: indication, dose rule, minimum interval,
maximum in any 24 hours (rolling, not the calendar day), the effect to look for and when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from writecarenotes.medication.models.medicines import Medicine
from writecarenotes.platform.audit.versions import Versioned
from writecarenotes.platform.tenancy.models import TenantModel

__all__ = ["AdministrationMode", "Food", "MedicationOrder", "OrderSource", "OrderStatus", "Route"]


class OrderSource(models.TextChoices):
    GP = "gp", _("GP")
    HOSPITAL = "hospital", _("Hospital discharge")
    PHARMACY = "pharmacy", _("Pharmacy (repeat)")
    OUT_OF_HOURS = "out_of_hours", _("Out-of-hours or urgent care")
    SPECIALIST = "specialist", _("Specialist or clinic")
    OTHER = "other", _("Other")
    #: a homely remedy authorised for the resident under the home's protocol (services_special)
    HOMELY_REMEDY = "homely_remedy", _("Homely remedy (home's protocol)")


class Route(models.TextChoices):
    ORAL = "oral", _("By mouth")
    SUBLINGUAL = "sublingual", _("Under the tongue")
    BUCCAL = "buccal", _("Buccal")
    TOPICAL = "topical", _("On the skin")
    TRANSDERMAL = "transdermal", _("Patch on the skin")
    INHALED = "inhaled", _("Inhaled")
    SUBCUTANEOUS = "subcutaneous", _("Subcutaneous injection")
    INTRAMUSCULAR = "intramuscular", _("Intramuscular injection")
    EYE = "eye", _("Into the eye")
    EAR = "ear", _("Into the ear")
    NASAL = "nasal", _("Into the nose")
    RECTAL = "rectal", _("Rectal")
    ENTERAL = "enteral", _("Through a feeding tube (PEG)")
    OTHER = "other", _("Other")


class Food(models.TextChoices):
    ANY = "", _("No instruction")
    BEFORE = "before", _("Before food")
    WITH = "with", _("With or just after food")
    AFTER = "after", _("After food")
    EMPTY_STOMACH = "empty", _("On an empty stomach")


class OrderStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    STOPPED = "stopped", _("Stopped")


class AdministrationMode(models.TextChoices):
    """Who gives it and how: covert only with the MCA paperwork and pharmacist advice (``orders``)."""

    STAFF = "staff", _("Given by staff")
    SELF = "self", _("Self-administered")
    COVERT = "covert", _("Given covertly")


class MedicationOrder(Versioned, TenantModel):
    resident = models.ForeignKey("residents.Resident", on_delete=models.PROTECT, related_name="+")
    medicine = models.ForeignKey(Medicine, on_delete=models.PROTECT, related_name="orders")
    source = models.CharField(_("from"), max_length=20, choices=OrderSource.choices, default=OrderSource.GP)
    prescriber = models.CharField(_("prescriber"), max_length=120)
    prescribed_on = models.DateField(_("prescribed on"), null=True, blank=True)
    indication = models.CharField(_("what it is for"), max_length=200, blank=True)
    route = models.CharField(_("route"), max_length=20, choices=Route.choices, default=Route.ORAL)
    #: dose in the medicine's dose unit; a range ("1 or 2 tablets") has dose_max > dose
    dose = models.DecimalField(_("dose"), max_digits=10, decimal_places=3)
    dose_max = models.DecimalField(_("up to (for a range)"), max_digits=10, decimal_places=3, null=True, blank=True)
    is_prn = models.BooleanField(_("when required (PRN)"), default=False)
    #: regular schedule: times of day ("08:00"), days of the week (0 = Monday; empty = every day),
    #: every N days counted from the start date
    times = models.JSONField(_("times of day"), default=list, blank=True)
    days_of_week = models.JSONField(_("days of the week"), default=list, blank=True)
    every_n_days = models.PositiveSmallIntegerField(_("every N days"), default=1)
    food = models.CharField(_("food"), max_length=10, choices=Food.choices, blank=True, default="")
    start_date = models.DateField(_("start"))
    stop_date = models.DateField(_("stop"), null=True, blank=True, help_text=_("Last day it is given (a course)"))
    instructions = models.CharField(_("special instructions"), max_length=300, blank=True)
    time_critical = models.BooleanField(_("time-critical"), default=False)
    mode = models.CharField(
        _("given by"), max_length=10, choices=AdministrationMode.choices, default=AdministrationMode.STAFF
    )
    # --- PRN protocol (is_prn) ---
    prn_indication = models.CharField(_("give when"), max_length=200, blank=True)
    prn_dose_rule = models.CharField(_("dose rule"), max_length=200, blank=True)
    prn_min_interval_minutes = models.PositiveIntegerField(_("minimum interval (minutes)"), null=True, blank=True)
    prn_max_doses_24h = models.PositiveSmallIntegerField(_("most doses in any 24 hours"), null=True, blank=True)
    prn_max_amount_24h = models.DecimalField(
        _("most in any 24 hours (dose units)"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    prn_expected_effect = models.CharField(_("expected effect"), max_length=200, blank=True)
    prn_effect_check_minutes = models.PositiveIntegerField(_("check the effect after (minutes)"), null=True, blank=True)
    prn_review_date = models.DateField(_("PRN protocol review date"), null=True, blank=True)
    # --- status ---
    status = models.CharField(max_length=10, choices=OrderStatus.choices, default=OrderStatus.ACTIVE)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta(TenantModel.Meta):
        verbose_name = _("medication order")
        ordering = ["medicine__name"]
        indexes = [models.Index(fields=["resident", "status"], name="med_order_res_status")]

    def __str__(self) -> str:
        return f"{self.medicine} ({self.dose_text})"

    @property
    def dose_text(self) -> str:
        unit = self.medicine.unit_label if self.medicine_id else ""
        low = f"{self.dose.normalize():f}"
        if self.dose_max is not None and self.dose_max != self.dose:
            return f"{low}-{self.dose_max.normalize():f} {unit}"
        return f"{low} {unit}"
