"""Vital signs with NEWS2, RESTORE2 soft signs, SBARD escalations and each resident's SpO2 scale.

NEWS2 scores are computed by ``care_records.news2`` in ``services_vitals`` and stored with the
entry (never typed in). A set with any of the seven NEWS2 parameters missing is kept, but has no
score: the page says "incomplete, NEWS2 not calculated" and lists what is missing.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from writecarenotes.care_records import news2
from writecarenotes.care_records.models.base import CareRecordBase
from writecarenotes.platform.tenancy.models import TenantModel

__all__ = [
    "Consciousness",
    "ContactedService",
    "News2Band",
    "SbardEscalation",
    "SoftSign",
    "Spo2Scale",
    "VitalSigns",
    "VitalSignsPlan",
]


class Spo2Scale(models.IntegerChoices):
    SCALE_1 = 1, _("Scale 1 (usual)")
    SCALE_2 = 2, _("Scale 2 (prescribed target 88-92%)")


class Consciousness(models.TextChoices):
    ALERT = "A", _("Alert")
    CONFUSION = "C", _("New confusion")
    VOICE = "V", _("Responds to voice")
    PAIN = "P", _("Responds to pain")
    UNRESPONSIVE = "U", _("Unresponsive")


class News2Band(models.TextChoices):
    LOW = news2.LOW, _("Low")
    LOW_MEDIUM = news2.LOW_MEDIUM, _("Low-medium")
    MEDIUM = news2.MEDIUM, _("Medium")
    HIGH = news2.HIGH, _("High")


class SoftSign(models.TextChoices):
    """Soft signs of possible deterioration, after the RESTORE2 list (West Hampshire CCG / Wessex AHSN)."""

    CONFUSION = "confusion", _("New or increased confusion or agitation")
    DROWSY = "drowsy", _("More sleepy or drowsy than usual")
    MOBILITY = "mobility", _("Less mobile than usual, or a fall")
    NOT_EATING = "not_eating", _("Not eating, or eating much less")
    NOT_DRINKING = "not_drinking", _("Not drinking, or drinking much less")
    URINE = "urine", _("Passing less urine, or a change in continence")
    DIARRHOEA_VOMITING = "diarrhoea_vomiting", _("Diarrhoea or vomiting")
    BREATHING = "breathing", _("Breathless or a change in breathing")
    PAIN = "pain", _("New or worse pain")
    SKIN = "skin", _("Change in skin: colour, mottling, new pressure damage")
    BEHAVIOUR = "behaviour", _("Change in behaviour or mood")
    SHIVERING = "shivering", _("Hot, cold or shivering")
    NOT_THEMSELVES = "not_themselves", _("Not themselves: staff or family are worried")


class ContactedService(models.TextChoices):
    GP = "gp", _("GP")
    NHS_111 = "nhs_111", _("NHS 111")
    EMERGENCY_999 = "999", _("999 (ambulance)")
    COMMUNITY = "community", _("Urgent community response or community nursing team")
    NURSE_ON_DUTY = "nurse", _("Nurse or manager on duty")
    OTHER = "other", _("Other")


#: Physiologically possible ranges (inclusive); outside them the value is refused as a typing error.
RANGES: dict[str, tuple] = {
    "respiration_rate": (0, 80),
    "spo2": (40, 100),
    "systolic_bp": (40, 300),
    "diastolic_bp": (20, 200),
    "pulse": (20, 250),
    "temperature": (Decimal("25.0"), Decimal("45.0")),
}
_RANGE_MESSAGES = {
    "respiration_rate": _("Enter breaths per minute between 0 and 80."),
    "spo2": _("Enter an oxygen saturation between 40 and 100%."),
    "systolic_bp": _("Enter a systolic pressure between 40 and 300 mmHg."),
    "diastolic_bp": _("Enter a diastolic pressure between 20 and 200 mmHg."),
    "pulse": _("Enter a pulse between 20 and 250 beats per minute."),
    "temperature": _("Enter a temperature between 25.0 and 45.0 °C."),
}


def check_ranges(values: dict) -> dict:
    """{field: message} for every value outside its possible range."""
    errors = {}
    for name, (low, high) in RANGES.items():
        value = values.get(name)
        if value is None or value == "":
            continue
        try:
            ok = low <= Decimal(str(value)) <= high
        except (ArithmeticError, ValueError):
            ok = False
        if not ok:
            errors[name] = _RANGE_MESSAGES[name]
    return errors


class VitalSignsPlan(TenantModel):
    """A resident's vital-signs setting: which SpO2 scale applies. Only a nurse or manager sets it
    (``care_records:manage``), with a reason (Scale 2 needs a prescribed 88-92% target)."""

    resident = models.OneToOneField("residents.Resident", on_delete=models.PROTECT, related_name="+")
    spo2_scale = models.PositiveSmallIntegerField(_("SpO2 scale"), choices=Spo2Scale.choices, default=1)
    reason = models.TextField(_("reason"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("set at"))

    class Meta(TenantModel.Meta):
        verbose_name = _("vital signs plan")


class VitalSigns(CareRecordBase):
    record_kind = "vital_signs"

    respiration_rate = models.PositiveSmallIntegerField(
        _("respiration rate (breaths per minute)"), null=True, blank=True
    )
    spo2 = models.PositiveSmallIntegerField(_("oxygen saturation SpO2 (%)"), null=True, blank=True)
    on_oxygen = models.BooleanField(_("on oxygen"), null=True, blank=True)
    systolic_bp = models.PositiveSmallIntegerField(_("systolic blood pressure (mmHg)"), null=True, blank=True)
    diastolic_bp = models.PositiveSmallIntegerField(_("diastolic blood pressure (mmHg)"), null=True, blank=True)
    pulse = models.PositiveSmallIntegerField(_("pulse (beats per minute)"), null=True, blank=True)
    consciousness = models.CharField(
        _("consciousness (ACVPU)"), max_length=1, choices=Consciousness.choices, blank=True
    )
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=3, decimal_places=1, null=True, blank=True)
    soft_signs = models.JSONField(_("soft signs"), default=list, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    # Computed by news2.py in services_vitals, never typed in. Null when a parameter is missing.
    spo2_scale = models.PositiveSmallIntegerField(_("SpO2 scale"), choices=Spo2Scale.choices, default=1)
    news2_scores = models.JSONField(_("NEWS2 parameter scores"), null=True, blank=True, editable=False)
    news2_total = models.PositiveSmallIntegerField(_("NEWS2 total"), null=True, blank=True, editable=False)
    news2_band = models.CharField(_("NEWS2 risk"), max_length=12, choices=News2Band.choices, blank=True, editable=False)
    news2_red = models.BooleanField(_("3 in a single parameter"), default=False, editable=False)

    class Meta(CareRecordBase.Meta):
        verbose_name = _("vital signs")
        verbose_name_plural = _("vital signs")

    def clean(self) -> None:
        """Refuse impossible values (field messages) and compute NEWS2. Runs in full_clean, so a
        correction (``services_notes.correct_entry``) re-scores its replacement too."""
        errors = check_ranges({p: getattr(self, p) for p in RANGES})
        if self.diastolic_bp is not None and self.systolic_bp is not None and self.diastolic_bp >= self.systolic_bp:
            errors.setdefault("diastolic_bp", _("The diastolic pressure must be lower than the systolic."))
        unknown = [s for s in (self.soft_signs or []) if s not in SoftSign.values]
        if not isinstance(self.soft_signs, list) or unknown:
            errors["soft_signs"] = _("Choose soft signs from the list.")
        if all(getattr(self, p) in (None, "") for p in news2.PARAMETERS) and not self.soft_signs:
            errors["__all__"] = _("Enter at least one observation.")
        if errors:
            raise ValidationError(errors)
        self.compute_news2()

    def observations(self) -> news2.Observations:
        return news2.Observations(
            respiration_rate=self.respiration_rate,
            spo2=self.spo2,
            on_oxygen=self.on_oxygen,
            systolic_bp=self.systolic_bp,
            pulse=self.pulse,
            consciousness=self.consciousness or None,
            temperature=self.temperature,
            spo2_scale=self.spo2_scale,
        )

    def compute_news2(self) -> None:
        """Fill the stored NEWS2 fields from the observations (all cleared when any is missing)."""
        obs = self.observations()
        if obs.missing():
            self.news2_scores, self.news2_total, self.news2_band, self.news2_red = None, None, "", False
            return
        result = news2.score(obs)
        self.news2_scores = result.scores
        self.news2_total = result.total
        self.news2_band = result.band
        self.news2_red = result.red_score

    @property
    def is_complete(self) -> bool:
        return self.news2_total is not None

    def missing_parameters(self) -> list[str]:
        return self.observations().missing()

    def result(self) -> news2.News2Result | None:
        if not self.is_complete:
            return None
        return news2.score(self.observations())

    @property
    def needs_escalation(self) -> bool:
        return self.news2_band in (news2.MEDIUM, news2.HIGH) or self.news2_red

    def summary(self) -> str:
        if self.is_complete:
            return str(
                _("NEWS2 %(total)s (%(band)s)") % {"total": self.news2_total, "band": self.get_news2_band_display()}
            )
        return str(_("Vital signs, incomplete: NEWS2 not calculated"))

    def __str__(self) -> str:
        return self.summary()


class SbardEscalation(CareRecordBase):
    """An escalation told in SBARD (Situation, Background, Assessment, Recommendation, Decision)."""

    record_kind = "sbard"

    vital_signs = models.ForeignKey(
        VitalSigns, on_delete=models.PROTECT, related_name="escalations", null=True, blank=True
    )
    situation = models.TextField(_("Situation"))
    background = models.TextField(_("Background"))
    assessment = models.TextField(_("Assessment"))
    recommendation = models.TextField(_("Recommendation"))
    decision = models.TextField(_("Decision"), blank=True)
    contacted = models.CharField(_("who was contacted"), max_length=20, choices=ContactedService.choices)
    contacted_name = models.CharField(_("name of the person spoken to"), max_length=200, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta(CareRecordBase.Meta):
        verbose_name = _("SBARD escalation")

    def summary(self) -> str:
        return str(
            _("Escalated to %(who)s: %(situation)s")
            % {"who": self.get_contacted_display(), "situation": self.situation[:80]}
        )

    def __str__(self) -> str:
        return self.summary()
