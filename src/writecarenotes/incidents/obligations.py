"""Every open required step of an incident, from every sub-domain, in one list.

Each sub-domain's ``services_<name>`` module defines ``open_steps(incident) -> list[OpenStep]``
(the steps still to do for that incident), ``open_step_counts(incidents) -> {incident id: n}`` (the
same, counted for a page of incidents in one query) and ``overdue_steps(now) -> list[OpenStep]``
(steps past their due time across the homes in scope, for the manager's dashboard). An incident cannot be
closed while ``open_steps`` is not empty (``services_report.close_incident``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from importlib import import_module

from django.utils import timezone

SUBDOMAINS = ("followups", "notifications", "duties", "investigation")


@dataclass(frozen=True)
class OpenStep:
    incident_id: int
    reference: str  # the incident's reference, e.g. "INC-2026-0007"
    kind: str  # "followup", "notification", "candour", "safeguarding", "informed", "investigation", "action"
    title: str  # what is to be done, for a person ("Notify CQC: serious injury (regulation 18)")
    due_at: datetime | None
    url: str  # the page where it is done

    def is_overdue(self, now: datetime | None = None) -> bool:
        return self.due_at is not None and self.due_at < (now or timezone.now())


def _collect(name: str, *args) -> list[OpenStep]:
    steps: list[OpenStep] = []
    for sub in SUBDOMAINS:
        fn = getattr(import_module(f"writecarenotes.incidents.services_{sub}"), name, None)
        if fn is not None:
            steps.extend(fn(*args))
    far = datetime.max.replace(tzinfo=timezone.get_current_timezone())
    return sorted(steps, key=lambda s: (s.due_at or far, s.incident_id, s.title))


def open_steps(incident) -> list[OpenStep]:
    return _collect("open_steps", incident)


def count_by_incident(queryset, incidents) -> dict[int, int]:
    """{incident id: rows of ``queryset`` for it} for a page of incidents, in one query (a sub-domain's
    ``open_step_counts`` passes its open steps)."""
    from django.db.models import Count

    ids = [i.pk for i in incidents]
    rows = queryset.filter(incident_id__in=ids).values("incident_id").annotate(n=Count("pk")).order_by()
    return {row["incident_id"]: row["n"] for row in rows}


def open_step_counts(incidents) -> dict[int, int]:
    """{incident id: open required steps} for a page of incidents: one query per sub-domain, whatever
    the number of incidents (each sub-domain's ``open_step_counts``)."""
    counts = {i.pk: 0 for i in incidents}
    open_ones = [i for i in incidents if getattr(i, "is_open", True)]
    if not open_ones:
        return counts
    for sub in SUBDOMAINS:
        module = import_module(f"writecarenotes.incidents.services_{sub}")
        for pk, n in module.open_step_counts(open_ones).items():
            if pk in counts:
                counts[pk] += n
    return counts


def overdue_steps(now: datetime | None = None) -> list[OpenStep]:
    return _collect("overdue_steps", now or timezone.now())
