"""Homely remedies, self-administration, covert administration, and the acknowledgement of the
prescribing checks.

Sources:
- Homely remedies: NICE SC1 "Managing medicines in care homes", non-prescription medicines and
  homely remedies (section 1.16 per the brief; UNVERIFIED): a written protocol per medicine naming the
  medicine, its dose, what it is for, the most doses and how long before a GP is asked, signed by a
  named GP or pharmacist and reviewed.
- Self-administration: NICE SC1 (residents taking their own medicines; 1.17 per the brief, UNVERIFIED)
  and NICE QS85 statement 3: an individual risk assessment of what the resident can do, lockable
  storage, agreed with the resident and reviewed.
- Covert administration: NICE SC1 (1.15 per the brief, UNVERIFIED) and NICE QS85 statement 6: only for
  a resident assessed as lacking capacity (Mental Capacity Act 2005 ss.2-3), after a best-interests
  decision (s.4), with a pharmacist's advice for each medicine on how to give it, and a review date.
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
    "AuthoriserRole",
    "CovertAuthorisation",
    "HomelyRemedy",
    "PrescribingAcknowledgement",
    "SelfAdministrationAssessment",
    "SelfAdministrationLevel",
]


class AuthoriserRole(models.TextChoices):
    GP = "gp", _("GP")
    PHARMACIST = "pharmacist", _("Pharmacist")


class HomelyRemedy(Versioned, TenantModel):
    """A line of the home's homely remedy list with its protocol."""

    medicine = models.ForeignKey(Medicine, on_delete=models.PROTECT, related_name="+")
    indication = models.CharField(_("what it is for"), max_length=200)
    dose = models.DecimalField(_("dose"), max_digits=10, decimal_places=3)
    dose_max = models.DecimalField(_("up to (for a range)"), max_digits=10, decimal_places=3, null=True, blank=True)
    min_interval_minutes = models.PositiveIntegerField(_("minimum interval (minutes)"))
    max_doses_24h = models.PositiveSmallIntegerField(_("most doses in any 24 hours"))
    max_days = models.PositiveSmallIntegerField(_("most days before the GP is asked"))
    expected_effect = models.CharField(_("expected effect"), max_length=200, blank=True)
    cautions = models.CharField(_("do not give when"), max_length=300, blank=True)
    authorised_by = models.CharField(_("authorised by (name)"), max_length=120)
    authoriser_role = models.CharField(_("who authorised it"), max_length=12, choices=AuthoriserRole.choices)
    authorised_on = models.DateField(_("authorised on"))
    review_date = models.DateField(_("review date"))
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta(TenantModel.Meta):
        verbose_name = _("homely remedy")
        ordering = ["medicine__name"]

    def __str__(self) -> str:
        return f"{self.medicine} ({self.indication})"


class SelfAdministrationLevel(models.TextChoices):
    FULL = "full", _("Looks after and takes it without help")
    PROMPTED = "prompted", _("Takes it with a prompt from staff")
    SUPERVISED = "supervised", _("Takes it while staff watch")


class SelfAdministrationAssessment(Versioned, TenantModel):
    """A risk assessment for a resident to take one medicine themselves."""

    resident = models.ForeignKey("residents.Resident", on_delete=models.PROTECT, related_name="+")
    medicine = models.ForeignKey(Medicine, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("support needed"), max_length=12, choices=SelfAdministrationLevel.choices)
    knows_purpose = models.BooleanField(_("knows what it is for"), default=False)
    knows_dose_and_times = models.BooleanField(_("knows the dose and when to take it"), default=False)
    can_open_packaging = models.BooleanField(_("can open the packaging"), default=False)
    will_report_problems = models.BooleanField(_("will tell staff about missed doses or side effects"), default=False)
    storage = models.CharField(_("where it is kept"), max_length=200)
    lockable = models.BooleanField(_("kept in a lockable place"), default=False)
    agreed_by = models.CharField(_("agreed with (resident, GP, family)"), max_length=200)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField(_("assessed on"))
    review_date = models.DateField(_("review date"))
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta(TenantModel.Meta):
        verbose_name = _("self-administration assessment")
        ordering = ["-assessed_on", "-pk"]
        indexes = [models.Index(fields=["resident", "medicine"], name="med_selfadm_res_med")]


class CovertAuthorisation(Versioned, TenantModel):
    """The paperwork that allows one order to be given covertly."""

    order = models.ForeignKey(MedicationOrder, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey("residents.Resident", on_delete=models.PROTECT, related_name="+")
    #: care_planning.public.capacity_assessments / best_interest_decisions (ids, another context)
    capacity_assessment_id = models.PositiveIntegerField(_("capacity assessment"))
    best_interest_decision_id = models.PositiveIntegerField(_("best-interests decision"))
    pharmacist_name = models.CharField(_("pharmacist"), max_length=120)
    pharmacist_advised_on = models.DateField(_("advice given on"))
    how_to_give = models.CharField(_("how to give it (pharmacist's advice)"), max_length=500)
    review_date = models.DateField(_("review date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta(TenantModel.Meta):
        verbose_name = _("covert administration authorisation")
        ordering = ["-recorded_at"]


class PrescribingAcknowledgement(TenantModel):
    """The prescribing checks' findings a nurse acknowledged, with the reason, when starting or changing
    an order (``safety.check_order``)."""

    order = models.ForeignKey(MedicationOrder, on_delete=models.PROTECT, related_name="+")
    order_version = models.PositiveIntegerField()
    #: [{"rule", "message", "source"}]
    findings = models.JSONField(default=list)
    reason = models.CharField(_("reason"), max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta(TenantModel.Meta):
        verbose_name = _("prescribing check acknowledgement")
        ordering = ["-at"]
