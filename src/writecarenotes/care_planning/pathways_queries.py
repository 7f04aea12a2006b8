"""Read side of the pathways: what a resident's pathway pages and the API show. Each function runs a
fixed number of queries whatever the number of rows (no N+1)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from writecarenotes.care_planning.models.pathways import (
    AdvanceDecision,
    AnticipatoryMedicine,
    GoalMeasurement,
    GoalStatus,
    MentalHealthContact,
    MoodEntry,
    Pathway,
    PathwayDocument,
    PathwayEnrolment,
    SymptomObservation,
    TherapyEquipment,
    TherapyGoal,
    TherapySession,
)
from writecarenotes.care_planning.pathways_charts import progress_line, symptom_grid
from writecarenotes.care_planning.pathways_documents import specs_for
from writecarenotes.care_planning.services_pathways_rehab import BARTHEL_RANGE, maintenance_due, reached

RECENT = 20


def enrolments(resident_id: int) -> dict[str, PathwayEnrolment]:
    """The open enrolment of each pathway (1 query)."""
    rows = PathwayEnrolment.objects.filter(resident_id=resident_id, ended_on__isnull=True)
    return {e.pathway: e for e in rows}


def documents(resident_id: int, pathway: str | None = None) -> list[dict]:
    """The pathway's documents in their declared order, each with its current row or None (1 query)."""
    specs = specs_for(pathway) if pathway else [s for p in Pathway.values for s in specs_for(p)]
    rows = {
        d.kind: d
        for d in PathwayDocument.objects.filter(
            resident_id=resident_id, kind__in=[s.kind for s in specs]
        ).select_related("updated_by")
    }
    today = timezone.localdate()
    return [
        {
            "spec": s,
            "doc": rows.get(s.kind),
            "review_due": bool(rows.get(s.kind) and rows[s.kind].review_on and rows[s.kind].review_on <= today),
        }
        for s in specs
    ]


def observations(resident_id: int, limit: int = RECENT) -> list[SymptomObservation]:
    """The latest current observations, oldest first (1 query)."""
    rows = list(
        SymptomObservation.objects.current()
        .filter(resident_id=resident_id)
        .select_related("recorded_by")
        .order_by("-occurred_at", "-pk")[:limit]
    )
    return list(reversed(rows))


def palliative(resident_id: int) -> dict:
    obs = observations(resident_id)
    return {
        "documents": documents(resident_id, Pathway.PALLIATIVE),
        "observations": list(reversed(obs)),
        "grid": symptom_grid(obs),
        "medicines": list(AnticipatoryMedicine.objects.filter(resident_id=resident_id)),
        "decisions": list(AdvanceDecision.objects.filter(resident_id=resident_id)),
    }


def dementia(resident_id: int) -> dict:
    return {"documents": documents(resident_id, Pathway.DEMENTIA)}


def mental_health(resident_id: int) -> dict:
    return {
        "documents": documents(resident_id, Pathway.MENTAL_HEALTH),
        "moods": list(
            MoodEntry.objects.current()
            .filter(resident_id=resident_id)
            .select_related("recorded_by")
            .order_by("-occurred_at", "-pk")[:RECENT]
        ),
        "contacts": list(MentalHealthContact.objects.filter(resident_id=resident_id)),
    }


@dataclass
class GoalView:
    goal: TherapyGoal
    measurements: list[GoalMeasurement]
    latest: Decimal | None
    progress_percent: int | None
    reached: bool

    @property
    def chart(self) -> dict:
        low, high = (None, None)
        if self.goal.measure in BARTHEL_RANGE:
            low, high = BARTHEL_RANGE[self.goal.measure][:2]
        points = [(m.occurred_at, m.value) for m in self.measurements]
        return progress_line(
            points, baseline=self.goal.baseline_value, target=self.goal.target_value, low=low, high=high
        )


def goal_view(goal: TherapyGoal, measurements: list[GoalMeasurement]) -> GoalView:
    latest = measurements[-1].value if measurements else None
    percent = None
    if latest is not None and goal.target_value != goal.baseline_value:
        raw = (latest - goal.baseline_value) / (goal.target_value - goal.baseline_value) * 100
        percent = int(max(Decimal(0), min(Decimal(100), raw)))
    return GoalView(goal, measurements, latest, percent, latest is not None and reached(goal, latest))


def goals(resident_id: int) -> list[GoalView]:
    """Goals with their current measurements, oldest first (2 queries)."""
    rows = list(TherapyGoal.objects.filter(resident_id=resident_id))
    by_goal: dict[int, list[GoalMeasurement]] = defaultdict(list)
    for m in GoalMeasurement.objects.current().filter(goal_id__in=[g.pk for g in rows]).order_by("occurred_at", "pk"):
        by_goal[m.goal_id].append(m)
    return [goal_view(g, by_goal[g.pk]) for g in rows]


def rehabilitation(resident_id: int) -> dict:
    views = goals(resident_id)
    return {
        "goals": views,
        "active_goals": [v for v in views if v.goal.status == GoalStatus.ACTIVE],
        "sessions": list(
            TherapySession.objects.current()
            .filter(resident_id=resident_id)
            .select_related("goal", "recorded_by")
            .order_by("-occurred_at", "-pk")[:RECENT]
        ),
        "equipment": list(TherapyEquipment.objects.filter(resident_id=resident_id)),
        "maintenance": maintenance_due(resident_id=resident_id),
        "today": timezone.localdate(),
    }


SECTIONS = {
    Pathway.DEMENTIA: dementia,
    Pathway.MENTAL_HEALTH: mental_health,
    Pathway.PALLIATIVE: palliative,
    Pathway.REHABILITATION: rehabilitation,
}


def overview(resident_id: int) -> dict:
    """One line per pathway for the resident's pathways page (a fixed 7 queries)."""
    open_ = enrolments(resident_id)
    docs = documents(resident_id)
    last_obs = (
        SymptomObservation.objects.current().filter(resident_id=resident_id).order_by("-occurred_at", "-pk").first()
    )
    last_mood = MoodEntry.objects.current().filter(resident_id=resident_id).order_by("-occurred_at", "-pk").first()
    active_goals = TherapyGoal.objects.filter(resident_id=resident_id, status=GoalStatus.ACTIVE).count()
    due = maintenance_due(resident_id=resident_id)
    by_pathway: dict[str, list[dict]] = defaultdict(list)
    for d in docs:
        by_pathway[d["spec"].pathway].append(d)
    return {
        "enrolments": open_,
        "documents": by_pathway,
        "last_observation": last_obs,
        "last_mood": last_mood,
        "active_goals": active_goals,
        "maintenance": due,
    }
