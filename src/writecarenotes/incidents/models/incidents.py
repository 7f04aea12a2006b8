"""The incident itself: what happened, to whom, how badly, and the facts the regulators' rules need.

An incident is never deleted. Every change goes through ``services_report`` and is a new version
(``audit.save_version``, with the reason); ``version`` counts the changes and is the API's ETag. The
facts below (``severity``, ``serious_injury_tests``, ``police_involved``, ...) are what the rules of
each nation read (``incidents.rules``); when they change, the required notifications and duties are
worked out again (``incidents.lifecycle``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.audit.versions import Versioned
from writecarenotes.platform.tenancy.models import TenantModel

__all__ = [
    "Incident",
    "IncidentInjury",
    "IncidentPerson",
    "IncidentPhoto",
    "IncidentSource",
    "IncidentStatus",
    "IncidentType",
    "InjuryKind",
    "MedicalAttention",
    "PersonKind",
    "PersonRole",
    "PressureUlcerCategory",
    "SERIOUS_INJURY_TESTS",
    "Severity",
]


class IncidentType(models.TextChoices):
    FALL = "fall", _("Fall")
    PRESSURE_ULCER = "pressure_ulcer", _("Pressure ulcer")
    MEDICATION_ERROR = "medication_error", _("Medication error")
    CONTROLLED_DRUG = "controlled_drug", _("Controlled drug discrepancy")
    SKIN_TEAR_INJURY = "skin_tear_injury", _("Skin tear or other injury")
    CHOKING = "choking", _("Choking")
    BEHAVIOUR = "behaviour", _("Behaviour and aggression")
    ABUSE = "abuse", _("Abuse or allegation of abuse")
    MISSING_PERSON = "missing_person", _("Missing person")
    INFECTION_OUTBREAK = "infection_outbreak", _("Infection outbreak")
    DEATH = "death", _("Death")
    PROPERTY_DAMAGE = "property_damage", _("Property damage")
    UTILITY_FAILURE = "utility_failure", _("Utility failure (power, water, gas, heating)")
    FIRE = "fire", _("Fire")
    NEAR_MISS = "near_miss", _("Near miss")
    OTHER = "other", _("Other")


class PressureUlcerCategory(models.TextChoices):
    """NPUAP/EPUAP/PPPIA international classification, as used by NHS England (2018 recommendations)."""

    CATEGORY_1 = "1", _("Category 1")
    CATEGORY_2 = "2", _("Category 2")
    CATEGORY_3 = "3", _("Category 3")
    CATEGORY_4 = "4", _("Category 4")
    UNSTAGEABLE = "unstageable", _("Unstageable")
    DEEP_TISSUE = "deep_tissue", _("Suspected deep tissue injury")


class Severity(models.TextChoices):
    """Harm to the person, in the NRLS / LFPSE grading the duty of candour thresholds use."""

    NO_HARM = "no_harm", _("No harm")
    LOW = "low", _("Low harm")
    MODERATE = "moderate", _("Moderate harm")
    SEVERE = "severe", _("Severe harm")
    DEATH = "death", _("Death")


#: CQC (Registration) Regulations 2009, regulation 18(2)(a): an injury which, in the reasonable
#: opinion of a health care professional, has resulted in one of these.
SERIOUS_INJURY_TESTS: dict[str, str] = {
    "impairment": _("Impairment of sensory, motor or intellectual functions not likely to be temporary"),
    "body_structure": _("Changes to the structure of the body (for example a fracture)"),
    "prolonged_pain": _("Prolonged pain or prolonged psychological harm"),
    "life_shortened": _("Shortening of life expectancy"),
}


class MedicalAttention(models.TextChoices):
    NONE = "none", _("None")
    FIRST_AID = "first_aid", _("First aid in the home")
    NURSE_GP = "nurse_gp", _("Seen by a nurse, GP or paramedic")
    HOSPITAL = "hospital", _("Taken to hospital (A&E)")
    ADMITTED = "admitted", _("Admitted to hospital")


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class IncidentSource(models.TextChoices):
    REPORTED = "reported", _("Reported by staff")
    CARE_NOTE = "care_note", _("A fall in the daily notes")
    MEDICATION = "medication", _("Medication (eMAR)")
    RESIDENT_DIED = "resident_died", _("A resident's death")


class Incident(Versioned, TenantModel):
    reference = models.CharField(_("reference"), max_length=20, editable=False)  # "INC-2026-0001", per home
    kind = models.CharField(_("type"), max_length=30, choices=IncidentType.choices)
    other_kind = models.CharField(_("what kind (other)"), max_length=120, blank=True)
    pressure_ulcer_category = models.CharField(
        _("pressure ulcer category"), max_length=12, choices=PressureUlcerCategory.choices, blank=True
    )
    occurred_at = models.DateTimeField(_("when it happened"))
    unit = models.ForeignKey("tenancy.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    location = models.CharField(_("where"), max_length=200)
    what_happened = models.TextField(_("what happened"))
    immediate_actions = models.TextField(_("immediate actions taken"), blank=True)
    severity = models.CharField(_("harm"), max_length=10, choices=Severity.choices)
    # facts the regulators' rules read (incidents.rules)
    witnessed = models.BooleanField(_("witnessed"), null=True, blank=True)
    head_struck = models.BooleanField(_("head struck or possibly struck"), null=True, blank=True)
    serious_injury_tests = models.JSONField(
        _("serious injury (health professional's opinion)"), default=list, blank=True
    )  # keys of SERIOUS_INJURY_TESTS
    treatment_to_prevent_serious_injury = models.BooleanField(
        _("needed treatment to prevent death or a serious injury"), default=False
    )
    medical_attention = models.CharField(
        _("medical attention"), max_length=12, choices=MedicalAttention.choices, default=MedicalAttention.NONE
    )
    abuse_alleged = models.BooleanField(_("abuse or an allegation of abuse"), default=False)
    police_involved = models.BooleanField(_("reported to or investigated by the police"), default=False)
    disruption_hours = models.PositiveIntegerField(
        _("hours the service was disrupted (utilities, premises, staffing)"), null=True, blank=True
    )
    unexpected_or_unintended = models.BooleanField(
        _("unexpected or unintended (not the natural course of an illness)"), default=True
    )
    # who reported, from where
    source = models.CharField(max_length=20, choices=IncidentSource.choices, default=IncidentSource.REPORTED)
    source_ref = models.CharField(max_length=60, blank=True)  # e.g. "care_records.note:123"
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now, editable=False)
    # None when the system raised it from another service's event (a fall in the daily notes, a
    # death): there is no system user; the audit trail names the system and the event instead.
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    # Raised from another service's event with only the facts it carried: a nurse completes it
    # (``services_report.change_incident`` clears it).
    needs_details = models.BooleanField(_("details to complete"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=IncidentStatus.choices, default=IncidentStatus.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    closing_summary = models.TextField(_("closing summary"), blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now, editable=False)

    class Meta(TenantModel.Meta):
        verbose_name = _("incident")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["home", "status", "occurred_at"], name="inc_home_status_when"),
            models.Index(fields=["home", "kind", "occurred_at"], name="inc_home_kind_when"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["home", "reference"], name="inc_reference_per_home"),
            # one incident per source record (a care note, a death): a redelivered event raises nothing
            models.UniqueConstraint(
                fields=["home", "source", "source_ref"],
                condition=~models.Q(source_ref=""),
                name="inc_source_ref_once",
            ),
            models.CheckConstraint(
                name="inc_closed_has_summary",
                condition=models.Q(status="open") | (models.Q(status="closed") & ~models.Q(closing_summary="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def title(self) -> str:
        return self.other_kind if self.kind == IncidentType.OTHER and self.other_kind else str(self.get_kind_display())

    @property
    def is_open(self) -> bool:
        return self.status == IncidentStatus.OPEN

    @property
    def is_serious_injury(self) -> bool:
        """CQC regulation 18(2)(a) or (b): one of the four harm tests, or treatment to prevent them."""
        return bool(self.serious_injury_tests) or self.treatment_to_prevent_serious_injury


class PersonRole(models.TextChoices):
    AFFECTED = "affected", _("Affected")
    INVOLVED = "involved", _("Involved")
    WITNESS = "witness", _("Witness")
    ALLEGED = "alleged", _("Alleged to have caused harm")


class PersonKind(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    STAFF = "staff", _("Staff member")
    VISITOR = "visitor", _("Visitor")
    OTHER = "other", _("Other")


class IncidentPerson(TenantModel):
    """A person in the incident. A resident or staff member is linked; others are named."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="people")
    role = models.CharField(_("role in the incident"), max_length=10, choices=PersonRole.choices)
    kind = models.CharField(_("who"), max_length=10, choices=PersonKind.choices)
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120, blank=True)  # visitors and others; a copy for staff
    contact = models.CharField(_("contact details"), max_length=200, blank=True)
    statement = models.TextField(_("account or statement"), blank=True)
    added_at = models.DateTimeField(default=timezone.now, editable=False)
    added_by = models.ForeignKey(  # None: added by the system with an incident raised from an event
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta(TenantModel.Meta):
        verbose_name = _("person in an incident")
        ordering = ["incident", "pk"]
        indexes = [models.Index(fields=["resident", "role"], name="inc_person_resident")]
        constraints = [
            models.CheckConstraint(
                name="inc_person_resident_linked",
                condition=~models.Q(kind="resident") | models.Q(resident__isnull=False),
            ),
        ]


class InjuryKind(models.TextChoices):
    BRUISE = "bruise", _("Bruise")
    SKIN_TEAR = "skin_tear", _("Skin tear")
    CUT = "cut", _("Cut or laceration")
    SWELLING = "swelling", _("Swelling")
    HEAD_INJURY = "head_injury", _("Head injury")
    SUSPECTED_FRACTURE = "suspected_fracture", _("Suspected fracture")
    BURN = "burn", _("Burn or scald")
    PRESSURE_DAMAGE = "pressure_damage", _("Pressure damage")
    PAIN = "pain", _("Pain without visible injury")
    OTHER = "other", _("Other")


class IncidentInjury(TenantModel):
    """An injury on the body map: a region of care_records' body map (``care_records.public.BODY_LOCATIONS``)."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="injuries")
    person = models.ForeignKey(IncidentPerson, on_delete=models.PROTECT, related_name="injuries")
    body_location = models.CharField(_("where on the body"), max_length=30)
    kind = models.CharField(_("injury"), max_length=20, choices=InjuryKind.choices)
    description = models.CharField(_("description (size, colour)"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(TenantModel.Meta):
        verbose_name = _("injury")
        ordering = ["incident", "pk"]


class IncidentPhoto(TenantModel):
    """A photo of the scene or an injury, stored like the other uploads (never served publicly)."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="photos")
    file = models.CharField(max_length=200, editable=False)
    content_type = models.CharField(max_length=40, editable=False)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(TenantModel.Meta):
        verbose_name = _("photo")
        ordering = ["incident", "pk"]
