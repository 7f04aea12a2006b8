"""Timed entries of the specialist pathways: symptom observations (31), mood and behaviour entries (29),
therapy sessions and goal measurements (32).

- ``occurred_at`` is when it happened; ``recorded_at`` when it was written down; more than an hour
  later the entry is marked late (as daily care records).
- Entries are never edited or deleted. A correction strikes the entry through (``struck_at``,
  ``struck_by``, ``struck_reason``) and points at its replacement (``replaced_by``), in one
  transaction (``services_pathways.correct_entry``).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.tenancy.models import TenantModel
from writecarenotes.platform.tenancy.scope import ScopedManager, ScopedQuerySet

__all__ = [
    "ENTRY_MODELS",
    "LATE_ENTRY_AFTER",
    "MOOD_OBSERVATIONS",
    "MOOD_SCORES",
    "PROGRESS_RATINGS",
    "SYMPTOMS",
    "SYMPTOM_LEVELS",
    "Discipline",
    "RatedBy",
    "GoalMeasurement",
    "MoodEntry",
    "PathwayEntry",
    "SymptomObservation",
    "TherapySession",
]

LATE_ENTRY_AFTER = timedelta(hours=1)

#: Symptoms on the chart: the first five are symptom items of the Integrated Palliative care Outcome
#: Scale (IPOS, Cicely Saunders Institute, King's College London; pos-pal.org); agitation and
#: respiratory secretions are ADDED items in the same format, as the POS conditions of use allow
#: ("you may add items"), and are not part of IPOS.
SYMPTOMS: tuple[tuple[str, str, bool], ...] = (
    ("pain", _("Pain"), True),
    ("shortness_of_breath", _("Shortness of breath"), True),
    ("nausea", _("Nausea (feeling like being sick)"), True),
    ("vomiting", _("Vomiting (being sick)"), True),
    ("sore_or_dry_mouth", _("Sore or dry mouth"), True),
    ("agitation", _("Agitation or restlessness"), False),
    ("respiratory_secretions", _("Noisy respiratory secretions"), False),
)

#: The IPOS response levels for a symptom: how much it has affected the person.
SYMPTOM_LEVELS: tuple[tuple[int, str], ...] = (
    (0, _("Not at all")),
    (1, _("Slightly")),
    (2, _("Moderately")),
    (3, _("Severely")),
    (4, _("Overwhelmingly")),
)
#: "Severely" or "Overwhelmingly": a severe symptom (published with ``pathway.symptoms_recorded``).
SEVERE_FROM = 3

#: Mood on the monitoring chart: a plain five-point description of how the person seems, for
#: noticing change between shifts. It is NOT a validated scale and has no cut-offs: measure
#: depression with GDS-15 or the Cornell Scale in the assessments service.
MOOD_SCORES: tuple[tuple[int, str], ...] = (
    (1, _("Very low")),
    (2, _("Low")),
    (3, _("Settled")),
    (4, _("Good")),
    (5, _("Very good")),
)

#: What staff noticed. The last two are early warning signs that always need a senior's attention.
MOOD_OBSERVATIONS: tuple[tuple[str, str], ...] = (
    ("withdrawn", _("Withdrawn or quiet")),
    ("tearful", _("Tearful")),
    ("anxious", _("Anxious or worried")),
    ("agitated", _("Agitated or restless")),
    ("irritable", _("Irritable or angry")),
    ("elated", _("Elated or over-active")),
    ("suspicious", _("Suspicious or fearful")),
    ("poor_sleep", _("Not sleeping")),
    ("not_eating", _("Not eating or drinking")),
    ("perceptions", _("Seeing or hearing things others do not")),
    ("self_harm", _("Talking about self-harm or suicide")),
)
MOOD_CONCERNS = ("perceptions", "self_harm")

#: How a therapist rated progress at a session (the home's own wording, not a published scale).
PROGRESS_RATINGS: tuple[tuple[int, str], ...] = (
    (1, _("Worse than last time")),
    (2, _("No change")),
    (3, _("Some progress")),
    (4, _("Good progress")),
    (5, _("Goal reached")),
)


class EntryQuerySet(ScopedQuerySet):
    def current(self):
        """Entries that have not been struck through (corrected)."""
        return self.filter(struck_at__isnull=True)


class EntryManager(ScopedManager.from_queryset(EntryQuerySet)):  # type: ignore[misc]
    pass


class PathwayEntry(TenantModel):
    #: short name of the kind (URLs, audit actions, the correction event)
    record_kind: str = "entry"

    resident = models.ForeignKey("residents.Resident", on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    recorded_at = models.DateTimeField(_("time of entry"), default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    is_late = models.BooleanField(_("late entry"), default=False, editable=False)
    struck_at = models.DateTimeField(_("struck through at"), null=True, blank=True, editable=False)
    struck_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True, editable=False
    )
    struck_reason = models.TextField(_("reason for correction"), blank=True, editable=False)
    replaced_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="+", null=True, blank=True, editable=False
    )

    objects = EntryManager()

    class Meta(TenantModel.Meta):
        abstract = True
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["resident", "occurred_at"], name="%(class)s_res_occ")]

    @property
    def is_struck(self) -> bool:
        return self.struck_at is not None

    def mark_late(self) -> None:
        self.is_late = self.recorded_at - self.occurred_at > LATE_ENTRY_AFTER

    def snapshot(self) -> dict:
        out = {}
        for field in self._meta.concrete_fields:
            if field.name in {"organisation", "home"}:
                continue
            value = getattr(self, field.attname)
            out[field.attname] = value.isoformat() if hasattr(value, "isoformat") else _plain(value)
        return out


def _plain(value):
    from decimal import Decimal

    return str(value) if isinstance(value, Decimal) else value


def _score_field(label):
    return models.PositiveSmallIntegerField(label, null=True, blank=True, choices=SYMPTOM_LEVELS)


class Discipline(models.TextChoices):
    PHYSIOTHERAPY = "physiotherapy", _("Physiotherapy")
    OCCUPATIONAL_THERAPY = "occupational_therapy", _("Occupational therapy")


class RatedBy(models.TextChoices):
    RESIDENT = "resident", _("The resident said")
    STAFF = "staff", _("Staff observed (the resident could not say)")


class SymptomObservation(PathwayEntry):
    """One observation of the symptom chart; an empty score is "cannot assess"."""

    record_kind = "symptoms"

    rated_by = models.CharField(_("who rated"), max_length=10, choices=RatedBy.choices, default=RatedBy.STAFF)
    pain = _score_field(_("Pain"))
    shortness_of_breath = _score_field(_("Shortness of breath"))
    nausea = _score_field(_("Nausea"))
    vomiting = _score_field(_("Vomiting"))
    sore_or_dry_mouth = _score_field(_("Sore or dry mouth"))
    agitation = _score_field(_("Agitation or restlessness"))
    respiratory_secretions = _score_field(_("Noisy respiratory secretions"))
    actions = models.TextField(_("what was done"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta(PathwayEntry.Meta):
        verbose_name = _("symptom observation")

    def scores(self) -> dict[str, int | None]:
        return {key: getattr(self, key) for key, _label, _ipos in SYMPTOMS}

    def score_rows(self) -> list[tuple[str, int | None]]:
        return [(label, getattr(self, key)) for key, label, _ipos in SYMPTOMS]

    def severe(self) -> list[str]:
        return [k for k, v in self.scores().items() if v is not None and v >= SEVERE_FROM]

    def __str__(self) -> str:
        scored = [f"{k}={v}" for k, v in self.scores().items() if v is not None]
        return ", ".join(scored)


class MoodEntry(PathwayEntry):
    record_kind = "mood"

    mood_score = models.PositiveSmallIntegerField(_("mood"), choices=MOOD_SCORES)
    observations = models.JSONField(_("noticed"), default=list, blank=True)
    behaviour = models.TextField(_("what happened"), blank=True)
    triggers = models.TextField(_("possible triggers"), blank=True)
    de_escalation = models.TextField(_("what was tried and how it worked"), blank=True)

    class Meta(PathwayEntry.Meta):
        verbose_name = _("mood and behaviour entry")
        verbose_name_plural = _("mood and behaviour entries")

    @property
    def concern(self) -> bool:
        return self.mood_score == 1 or any(o in MOOD_CONCERNS for o in self.observations or [])

    def observation_labels(self) -> list[str]:
        labels = dict(MOOD_OBSERVATIONS)
        return [str(labels.get(o, o)) for o in self.observations or []]

    def __str__(self) -> str:
        return f"{self.get_mood_score_display()}"


class TherapySession(PathwayEntry):
    record_kind = "sessions"

    therapist = models.CharField(_("therapist"), max_length=120)
    discipline = models.CharField(_("discipline"), max_length=30, choices=Discipline.choices)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    activity = models.CharField(_("activity"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    progress_rating = models.PositiveSmallIntegerField(_("progress"), choices=PROGRESS_RATINGS)
    goal = models.ForeignKey(
        "care_planning.TherapyGoal",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("goal worked on"),
    )

    class Meta(PathwayEntry.Meta):
        verbose_name = _("therapy session")

    def __str__(self) -> str:
        return f"{self.get_discipline_display()}: {self.activity}"


class GoalMeasurement(PathwayEntry):
    record_kind = "measurements"

    goal = models.ForeignKey("care_planning.TherapyGoal", on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("value"), max_digits=8, decimal_places=2)
    #: the assessments result this value was read from (assessments.public), when it was
    assessment_result_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta(PathwayEntry.Meta):
        verbose_name = _("goal measurement")
        indexes = [models.Index(fields=["goal", "occurred_at"], name="cp_pw_measure_goal")]

    def __str__(self) -> str:
        return f"{self.value}"


ENTRY_MODELS: dict[str, type[PathwayEntry]] = {
    "symptoms": SymptomObservation,
    "mood": MoodEntry,
    "sessions": TherapySession,
    "measurements": GoalMeasurement,
}
