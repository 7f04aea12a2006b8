"""Specialist pathways (services 29-32): dementia, mental health, palliative and end of life,
rehabilitation. Each pathway is a care plan template (``pathways_templates``) with its own records.

Three kinds of record, each linked to the resident (never to another context's internals):

- ``PathwayEnrolment``: the resident is on a pathway from a date (and, later, off it with a reason).
  ``care_plan_id`` is a plain nullable integer (no foreign key): the care plan made from the
  pathway's template, once the plans sub-domain links one.
- ``PathwayDocument``: one living document per resident and kind ("This is me", the stress-and-distress
  plan, the advance care plan ...). Its fields are declared as data in ``pathways_documents``; every
  save is a new version (``audit.save_version``), a change after the first needs a reason.
- Registers (``AnticipatoryMedicine``, ``AdvanceDecision``, ``MentalHealthContact``, ``TherapyGoal``,
  ``TherapyEquipment``): rows that are changed over time, each change a new version with a reason;
  they are ended (stopped, withdrawn, returned, closed) with a reason, never deleted.

Timed entries (symptom observations, mood entries, therapy sessions, goal measurements) are in
``pathways_entries``: never edited, corrected by striking through and replacing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from writecarenotes.care_planning.models.pathways_entries import (
    ENTRY_MODELS,
    Discipline,
    GoalMeasurement,
    MoodEntry,
    PathwayEntry,
    RatedBy,
    SymptomObservation,
    TherapySession,
)
from writecarenotes.platform.audit.versions import Versioned
from writecarenotes.platform.tenancy.models import TenantModel

__all__ = [
    "ENTRY_MODELS",
    "REGISTER_MODELS",
    "AdvanceDecision",
    "AnticipatoryMedicine",
    "Discipline",
    "DocumentKind",
    "GoalMeasure",
    "GoalMeasurement",
    "GoalStatus",
    "MedicineIndication",
    "MedicineRoute",
    "MentalHealthContact",
    "MoodEntry",
    "Pathway",
    "PathwayDocument",
    "PathwayEnrolment",
    "PathwayEntry",
    "RatedBy",
    "SymptomObservation",
    "TherapyEquipment",
    "TherapyGoal",
    "TherapySession",
]


class Pathway(models.TextChoices):
    DEMENTIA = "dementia", _("Dementia")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    PALLIATIVE = "palliative", _("Palliative and end of life")
    REHABILITATION = "rehabilitation", _("Rehabilitation")


class DocumentKind(models.TextChoices):
    THIS_IS_ME = "this_is_me", _("“This is me”")
    DISTRESS_PLAN = "distress_plan", _("Stress and distress support plan")
    WANDERING = "wandering", _("Walking about, exit-seeking and missing-person profile")
    MH_SUPPORT = "mh_support", _("Triggers and de-escalation plan")
    MH_CRISIS = "mh_crisis", _("Crisis and relapse-prevention plan")
    ADVANCE_CARE_PLAN = "advance_care_plan", _("Advance care plan")
    LAST_DAYS = "last_days", _("Last days of life care plan")
    AFTER_DEATH = "after_death", _("Care after death")
    BEREAVEMENT = "bereavement", _("Bereavement support for the family")


class PathwayEnrolment(Versioned, TenantModel):
    version_reason_required = False  # starting needs no reason; ending asks for one in the service

    resident = models.ForeignKey("residents.Resident", on_delete=models.PROTECT, related_name="+")
    pathway = models.CharField(_("pathway"), max_length=20, choices=Pathway.choices)
    started_on = models.DateField(_("started on"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("why it ended"), blank=True)
    #: the care plan made from the pathway's template (plans sub-domain); no foreign key on purpose
    care_plan_id = models.PositiveIntegerField(_("care plan"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta(TenantModel.Meta):
        verbose_name = _("pathway enrolment")
        ordering = ["pathway", "-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "pathway"],
                condition=models.Q(ended_on__isnull=True),
                name="uniq_open_pathway_per_resident",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_pathway_display()} from {self.started_on}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class PathwayDocument(Versioned, TenantModel):
    """The current version of one document; earlier versions are RecordVersions (audit)."""

    resident = models.ForeignKey("residents.Resident", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("document"), max_length=30, choices=DocumentKind.choices)
    data = models.JSONField(_("contents"), default=dict)
    review_on = models.DateField(_("review by"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("changed by")
    )

    class Meta(TenantModel.Meta):
        verbose_name = _("pathway document")
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["resident", "kind"], name="uniq_pathway_document")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class RegisterItem(Versioned, TenantModel):
    """A row of a register: created, changed with a reason (a new version), ended, never deleted."""

    resident = models.ForeignKey("residents.Resident", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        abstract = True


# --- palliative and end of life (31) ------------------------------------------------------------


class MedicineRoute(models.TextChoices):
    SUBCUTANEOUS = "subcutaneous", _("Subcutaneous injection")
    SYRINGE_DRIVER = "syringe_driver", _("Subcutaneous syringe pump (driver)")
    ORAL = "oral", _("By mouth")
    SUBLINGUAL = "sublingual", _("Under the tongue")
    BUCCAL = "buccal", _("Inside the cheek (buccal)")
    TRANSDERMAL = "transdermal", _("Skin patch")
    RECTAL = "rectal", _("Rectal")
    INTRAMUSCULAR = "intramuscular", _("Intramuscular injection")


class MedicineIndication(models.TextChoices):
    """The symptoms NICE NG31 (section 1.6) names for anticipatory prescribing."""

    PAIN = "pain", _("Pain")
    BREATHLESSNESS = "breathlessness", _("Breathlessness")
    NAUSEA_VOMITING = "nausea_vomiting", _("Nausea and vomiting")
    AGITATION = "agitation", _("Anxiety, delirium or agitation")
    SECRETIONS = "secretions", _("Noisy respiratory secretions")
    OTHER = "other", _("Other")


class AnticipatoryMedicine(RegisterItem):
    """A medicine prescribed in anticipation of symptoms in the last days of life (a record of the
    prescription and its supply; doses given are recorded on the medicines administration record)."""

    drug = models.CharField(_("medicine"), max_length=120)
    dose = models.CharField(_("dose"), max_length=120, help_text=_("As prescribed, for example 2.5 mg to 5 mg"))
    route = models.CharField(_("route"), max_length=20, choices=MedicineRoute.choices)
    frequency = models.CharField(_("how often"), max_length=120, blank=True, help_text=_("For example every 2 hours"))
    indication = models.CharField(_("for"), max_length=20, choices=MedicineIndication.choices)
    indication_detail = models.CharField(_("indication in detail"), max_length=200, blank=True)
    prescribed_on = models.DateField(_("prescribed on"))
    prescriber = models.CharField(_("prescriber"), max_length=120, blank=True)
    supply_note = models.CharField(_("supply held"), max_length=200, blank=True)
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)
    stop_reason = models.TextField(_("why stopped"), blank=True)

    class Meta(RegisterItem.Meta):
        verbose_name = _("anticipatory medicine")
        ordering = ["stopped_on", "indication", "drug", "pk"]
        indexes = [models.Index(fields=["resident", "stopped_on"], name="cp_pw_med_res")]

    def __str__(self) -> str:
        return f"{self.drug} {self.dose} ({self.get_route_display()})"

    @property
    def is_active(self) -> bool:
        return self.stopped_on is None


class AdvanceDecision(RegisterItem):
    """An advance decision to refuse treatment: the record of the document and the checks of the
    Mental Capacity Act 2005 (England and Wales) sections 24-26 made when it was read.

    s25(2): not valid if withdrawn, if a later lasting power of attorney gives the attorney authority
    over the same treatment, or if the person acted clearly inconsistently with it. s25(4)(c): not
    applicable if there are reasonable grounds to believe circumstances exist that the person did not
    anticipate. s25(5)-(6): applies to life-sustaining treatment only with a statement that it applies
    "even if life is at risk", in writing, signed, and the signature witnessed.
    """

    made_on = models.DateField(_("made on"))
    treatments_refused = models.TextField(_("treatment(s) refused"))
    circumstances = models.TextField(_("in these circumstances"), blank=True)
    document_location = models.CharField(_("where the document is kept"), max_length=200)
    copy_on_file = models.BooleanField(_("a copy is on file in the home"), default=False)
    # life-sustaining treatment: s25(5)-(6)
    refuses_life_sustaining = models.BooleanField(_("it refuses life-sustaining treatment"), default=False)
    life_at_risk_statement = models.BooleanField(_("it says it applies “even if life is at risk”"), default=False)
    in_writing = models.BooleanField(_("it is in writing"), default=False)
    signed = models.BooleanField(
        _("signed by the person (or for them, in their presence, at their direction)"), default=False
    )
    witnessed = models.BooleanField(_("the signature was witnessed and the witness signed"), default=False)
    # validity: s25(2)
    withdrawn = models.BooleanField(_("the person withdrew it"), default=False)
    later_lpa_covers_it = models.BooleanField(
        _("a later health and welfare LPA gives an attorney authority over this treatment"), default=False
    )
    inconsistent_conduct = models.BooleanField(_("the person has acted clearly inconsistently with it"), default=False)
    # applicability: s25(4)(c)
    unanticipated_circumstances = models.BooleanField(
        _("there are reasons to believe circumstances exist that the person did not anticipate"), default=False
    )
    checked_on = models.DateField(_("checked on"))
    checked_by = models.CharField(_("checked by"), max_length=120)
    notes = models.TextField(_("notes"), blank=True)

    class Meta(RegisterItem.Meta):
        verbose_name = _("advance decision to refuse treatment")
        ordering = ["-made_on", "-pk"]

    def __str__(self) -> str:
        return f"ADRT {self.made_on}: {self.treatments_refused[:60]}"

    def problems(self) -> list[str]:
        """Why the decision may not be valid or applicable (empty: no problem recorded)."""
        out = []
        if self.withdrawn:
            out.append(str(_("Withdrawn by the person: not valid (MCA 2005 s25(2)(a)).")))
        if self.later_lpa_covers_it:
            out.append(str(_("A later LPA covers this treatment: not valid (s25(2)(b)).")))
        if self.inconsistent_conduct:
            out.append(str(_("Clearly inconsistent conduct: not valid (s25(2)(c)).")))
        if self.unanticipated_circumstances:
            out.append(str(_("Circumstances the person did not anticipate: may not be applicable (s25(4)(c)).")))
        if self.refuses_life_sustaining:
            missing = [
                label
                for ok, label in (
                    (self.life_at_risk_statement, _("the “even if life is at risk” statement")),
                    (self.in_writing, _("writing")),
                    (self.signed, _("a signature")),
                    (self.witnessed, _("a witness")),
                )
                if not ok
            ]
            if missing:
                out.append(
                    str(_("Not applicable to life-sustaining treatment without %(what)s (s25(5)-(6))."))
                    % {"what": ", ".join(str(m) for m in missing)}
                )
        return out

    @property
    def is_valid(self) -> bool:
        return not (self.withdrawn or self.later_lpa_covers_it or self.inconsistent_conduct)

    @property
    def applies_to_life_sustaining(self) -> bool:
        return (
            self.refuses_life_sustaining
            and self.is_valid
            and not self.unanticipated_circumstances
            and self.life_at_risk_statement
            and self.in_writing
            and self.signed
            and self.witnessed
        )


# --- mental health (29) --------------------------------------------------------------------------


class MentalHealthContact(RegisterItem):
    """A link to the community mental health team (or another mental health service) and a named worker."""

    team = models.CharField(_("team or service"), max_length=160)
    worker_name = models.CharField(_("named worker"), max_length=120, blank=True)
    role = models.CharField(_("role"), max_length=120, blank=True, help_text=_("For example care coordinator"))
    phone = models.CharField(_("phone"), max_length=30)
    out_of_hours_phone = models.CharField(_("out-of-hours or crisis phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    ended_on = models.DateField(_("no longer involved from"), null=True, blank=True)
    end_reason = models.TextField(_("why"), blank=True)

    class Meta(RegisterItem.Meta):
        verbose_name = _("mental health team contact")
        ordering = ["ended_on", "team", "pk"]

    def __str__(self) -> str:
        return f"{self.team}: {self.worker_name}".rstrip(": ")


# --- rehabilitation (32) -------------------------------------------------------------------------


class GoalMeasure(models.TextChoices):
    """How a goal is measured: the Barthel Index (read from assessments) or a measure of the therapist's."""

    BARTHEL = "barthel", _("Barthel Index (0-20)")
    BARTHEL_100 = "barthel-100", _("Barthel Index (0-100)")
    OTHER = "other", _("Another measure")


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Working on it")
    ACHIEVED = "achieved", _("Achieved")
    STOPPED = "stopped", _("Stopped")


class TherapyGoal(RegisterItem):
    description = models.CharField(_("goal"), max_length=300)
    discipline = models.CharField(_("discipline"), max_length=30, choices=Discipline.choices)
    measure = models.CharField(_("measured by"), max_length=20, choices=GoalMeasure.choices)
    measure_label = models.CharField(_("measure"), max_length=120, blank=True, help_text=_("For example metres walked"))
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    higher_is_better = models.BooleanField(_("a higher value is better"), default=True)
    baseline_value = models.DecimalField(_("baseline"), max_digits=8, decimal_places=2)
    baseline_on = models.DateField(_("baseline date"))
    #: the assessments result the baseline was read from (assessments.public), when it was
    baseline_result_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    target_value = models.DecimalField(_("target"), max_digits=8, decimal_places=2)
    target_on = models.DateField(_("target date"))
    status = models.CharField(_("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.TextField(_("closing note"), blank=True)

    class Meta(RegisterItem.Meta):
        verbose_name = _("therapy goal")
        ordering = ["status", "target_on", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def measure_name(self) -> str:
        return self.measure_label if self.measure == GoalMeasure.OTHER else str(self.get_measure_display())


class TherapyEquipment(RegisterItem):
    """Equipment issued to the resident and its servicing (hoists and slings: a thorough examination
    at least every 6 months, LOLER 1998 regulation 9(3)(a)(i))."""

    item = models.CharField(_("item"), max_length=160)
    serial_number = models.CharField(_("serial or asset number"), max_length=80, blank=True)
    supplier = models.CharField(_("issued by"), max_length=160, blank=True)
    issued_on = models.DateField(_("issued on"))
    last_serviced_on = models.DateField(_("last serviced on"), null=True, blank=True)
    next_service_due = models.DateField(_("next service or check due"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    return_reason = models.TextField(_("why returned"), blank=True)
    #: the due date for which "service due" and "service overdue" were published (once each)
    due_notified_for = models.DateField(null=True, blank=True, editable=False)
    overdue_notified_for = models.DateField(null=True, blank=True, editable=False)

    version_exclude = ("due_notified_for", "overdue_notified_for")

    class Meta(RegisterItem.Meta):
        verbose_name = _("therapy equipment")
        verbose_name_plural = _("therapy equipment")
        ordering = ["returned_on", "next_service_due", "item", "pk"]
        indexes = [models.Index(fields=["home", "next_service_due"], name="cp_pw_equip_due")]

    def __str__(self) -> str:
        return f"{self.item} {self.serial_number}".strip()


REGISTER_MODELS: dict[str, type[RegisterItem]] = {
    "medicines": AnticipatoryMedicine,
    "advance-decisions": AdvanceDecision,
    "contacts": MentalHealthContact,
    "goals": TherapyGoal,
    "equipment": TherapyEquipment,
}
