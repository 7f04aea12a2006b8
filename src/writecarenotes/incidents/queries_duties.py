"""Reads of the duties sub-domain (candour, safeguarding, relatives and GP told): the steps of an
incident, its open and overdue steps for ``obligations``, and the candour decision."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse

from writecarenotes.incidents.models import DutyKind, DutyStep, Incident, IncidentStatus, StepStatus
from writecarenotes.incidents.obligations import OpenStep, count_by_incident
from writecarenotes.incidents.rules import candour
from writecarenotes.incidents.rules.facts import facts_of

__all__ = ["candour_decision", "incident_url", "open_step_counts", "open_steps", "overdue_steps", "steps_of"]


def incident_url(incident_id: int) -> str:
    return reverse("incidents:duties_incident", args=[incident_id])


_KIND_ORDER = {DutyKind.SAFEGUARDING: 0, DutyKind.CANDOUR: 1, DutyKind.INFORMED: 2}


def steps_of(incident_id: int) -> list[DutyStep]:
    steps = list(DutyStep.objects.filter(incident_id=incident_id).select_related("done_by"))
    return sorted(steps, key=lambda s: (_KIND_ORDER.get(s.kind, 9), s.pk))


def candour_decision(incident: Incident) -> candour.CandourDecision:
    return candour.candour_for(facts_of(incident))


def open_steps(incident: Incident) -> list[OpenStep]:
    url = incident_url(incident.pk)
    return [
        OpenStep(incident.pk, incident.reference, s.kind, s.title, s.due_at, url)
        for s in DutyStep.objects.filter(incident_id=incident.pk, status=StepStatus.OPEN).order_by("due_at", "pk")
    ]


def overdue_steps(now: datetime) -> list[OpenStep]:
    rows = (
        DutyStep.objects.filter(status=StepStatus.OPEN, due_at__lt=now, incident__status=IncidentStatus.OPEN)
        .select_related("incident")
        .only("kind", "title", "due_at", "incident_id", "incident__reference")
        .order_by("due_at", "pk")
    )
    return [
        OpenStep(s.incident_id, s.incident.reference, s.kind, s.title, s.due_at, incident_url(s.incident_id))
        for s in rows
    ]


def open_step_counts(incidents) -> dict[int, int]:
    """{incident id: open duty steps} for a page of incidents, in one query."""
    return count_by_incident(DutyStep.objects.filter(status=StepStatus.OPEN), incidents)
