"""The resident: identity, lifecycle (enquiry -> ... -> discharge or death) and profile.

Lifecycle fields are written only by the transition services in ``residents.services``; the
profile is versioned (``audit.save_version``) and every change after creation needs a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.audit.versions import Versioned
from writecarenotes.platform.tenancy.models import Room, TenantModel, Unit
from writecarenotes.residents.nhs_number import format_nhs


class ResidentStatus(models.TextChoices):
    ENQUIRY = "enquiry", _("Enquiry")
    PRE_ADMISSION = "pre_admission", _("Pre-admission assessed")
    IN_RESIDENCE = "in_residence", _("In residence")
    TEMPORARILY_ABSENT = "temporarily_absent", _("Temporarily absent")
    DISCHARGED = "discharged", _("Discharged")
    DECEASED = "deceased", _("Deceased")


class PreAdmissionOutcome(models.TextChoices):
    SUITABLE = "suitable", _("Suitable: the home can meet their needs")
    NOT_SUITABLE = "not_suitable", _("Not suitable: the home cannot meet their needs")


class AbsenceKind(models.TextChoices):
    HOSPITAL = "hospital", _("Hospital")
    SOCIAL = "social", _("Social leave")
    OTHER = "other", _("Other")


class DischargeDestination(models.TextChoices):
    HOME = "home", _("Own home or family")
    CARE_HOME = "care_home", _("Another care home")
    HOSPITAL = "hospital", _("Hospital")
    OTHER = "other", _("Other")


class FundingType(models.TextChoices):
    UNKNOWN = "", _("Not recorded")
    SELF_FUNDED = "self_funded", _("Self-funded")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    NHS_CHC = "nhs_chc", _("NHS Continuing Healthcare")
    FNC = "fnc", _("NHS-funded nursing care (FNC)")
    MIXED = "mixed", _("Mixed")


class DnacprStatus(models.TextChoices):
    NOT_RECORDED = "", _("Not recorded")
    FOR_CPR = "for_cpr", _("For CPR (no DNACPR decision)")
    DNACPR = "dnacpr", _("DNACPR decision in place")
    RESPECT = "respect", _("ReSPECT form in place")


class Resident(Versioned, TenantModel):
    # Identity
    legal_given_names = models.CharField(_("given names"), max_length=120)
    legal_family_name = models.CharField(_("family name"), max_length=120)
    preferred_name = models.CharField(_("preferred name"), max_length=80, blank=True)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    #: The national health number: NHS number (England, Wales), CHI (Scotland), H&C (Northern Ireland).
    nhs_number = models.CharField(_("NHS number"), max_length=10, blank=True)
    #: Uploaded files are kept as storage names (residents.uploads): never served from MEDIA_URL.
    photo = models.CharField(_("photo"), max_length=200, blank=True, editable=False)
    photo_content_type = models.CharField(max_length=40, blank=True, editable=False)

    # Lifecycle
    status = models.CharField(_("status"), max_length=30, choices=ResidentStatus.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="residents", null=True, blank=True)
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="residents", null=True, blank=True)
    enquiry_on = models.DateField(_("enquiry date"), null=True, blank=True)
    enquiry_notes = models.TextField(_("enquiry notes"), blank=True)
    pre_admission_on = models.DateField(_("pre-admission assessment date"), null=True, blank=True)
    pre_admission_by = models.CharField(_("assessed by"), max_length=120, blank=True)
    pre_admission_summary = models.TextField(_("assessment summary"), blank=True)
    pre_admission_outcome = models.CharField(
        _("assessment outcome"), max_length=20, choices=PreAdmissionOutcome.choices, blank=True
    )
    admitted_on = models.DateField(_("admitted"), null=True, blank=True)
    admitted_at = models.DateTimeField(_("admitted at"), null=True, blank=True)
    absence_kind = models.CharField(_("absence"), max_length=20, choices=AbsenceKind.choices, blank=True)
    absence_started_at = models.DateTimeField(_("away since"), null=True, blank=True)
    absence_expected_return = models.DateField(_("expected return"), null=True, blank=True)
    absence_reason = models.CharField(_("reason for absence"), max_length=300, blank=True)
    discharged_at = models.DateTimeField(_("discharged at"), null=True, blank=True)
    discharge_destination = models.CharField(
        _("discharged to"), max_length=20, choices=DischargeDestination.choices, blank=True
    )
    discharge_reason = models.CharField(_("reason for discharge"), max_length=300, blank=True)
    died_at = models.DateTimeField(_("date and time of death"), null=True, blank=True)
    death_verified_by = models.CharField(_("death verified by"), max_length=120, blank=True)
    death_verified_role = models.CharField(_("role of the verifier"), max_length=80, blank=True)
    death_expected = models.BooleanField(_("expected death"), null=True, blank=True)
    death_place = models.CharField(_("place of death"), max_length=120, blank=True)

    # Health and care
    gp_practice_name = models.CharField(_("GP practice"), max_length=160, blank=True)
    gp_ods_code = models.CharField(_("GP practice ODS code"), max_length=10, blank=True)
    gp_phone = models.CharField(_("GP practice phone"), max_length=30, blank=True)
    funding_type = models.CharField(_("funding"), max_length=20, choices=FundingType.choices, blank=True)
    religion = models.CharField(_("religion or belief"), max_length=80, blank=True)
    first_language = models.CharField(_("first language"), max_length=60, blank=True)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    communication_needs = models.TextField(_("communication needs"), blank=True)
    height_cm = models.DecimalField(_("height (cm)"), max_digits=4, decimal_places=1, null=True, blank=True)
    no_known_allergies = models.BooleanField(_("no known allergies"), default=False)
    dnacpr_status = models.CharField(_("DNACPR / ReSPECT"), max_length=10, choices=DnacprStatus.choices, blank=True)
    dnacpr_decided_on = models.DateField(_("decision date"), null=True, blank=True)
    dnacpr_review_on = models.DateField(_("review date"), null=True, blank=True)
    dnacpr_document = models.CharField(_("DNACPR / ReSPECT document"), max_length=200, blank=True, editable=False)
    preferences = models.TextField(_("preferences"), blank=True)
    about_me = models.TextField(_("about me / life story"), blank=True)

    #: Incremented by every service that changes the row: the ETag of the API (If-Match).
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, null=True)

    version_exclude = ("version",)

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
        return self.display_name_of(self.preferred_name, self.legal_given_names, self.legal_family_name)

    @staticmethod
    def display_name_of(preferred_name: str, legal_given_names: str, legal_family_name: str) -> str:
        """What staff call the resident: the preferred (or first given) name and the family name."""
        first = preferred_name or legal_given_names.split(" ")[0]
        return f"{first} {legal_family_name}"

    @property
    def legal_name(self) -> str:
        return f"{self.legal_given_names} {self.legal_family_name}"

    @property
    def is_current(self) -> bool:
        return self.status in (ResidentStatus.IN_RESIDENCE, ResidentStatus.TEMPORARILY_ABSENT)


class Milestone(TenantModel):
    """One step of the resident's journey (enquiry, assessment, admission, absence, room move ...),
    written by the transition services: the backbone of the care journey timeline."""

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="milestones")
    kind = models.CharField(max_length=40)
    at = models.DateTimeField()
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["resident", "at"])]
