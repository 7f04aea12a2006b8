"""What other contexts may use of the incidents context (service 22).

Reads go through the scoped manager: call inside a request's scope or ``tenancy.scope.acting_for``;
another home's incident is simply not found. Events: ``incidents.events``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse

from writecarenotes.incidents.models import Incident, IncidentPerson, IncidentStatus, PersonKind, PersonRole

__all__ = ["IncidentRef", "exists", "incidents_of_resident", "open_incident_count", "open_incident_counts"]


@dataclass(frozen=True)
class IncidentRef:
    id: int
    home_id: int
    reference: str  # "INC-2026-0007"
    kind: str  # IncidentType value
    title: str  # "Fall", or what the "other" incident was
    severity: str  # Severity value
    severity_label: str
    occurred_at: datetime
    status: str  # "open" or "closed"
    needs_details: bool
    url: str


def _ref(i: Incident) -> IncidentRef:
    return IncidentRef(
        id=i.pk,
        home_id=i.home_id,
        reference=i.reference,
        kind=i.kind,
        title=i.title,
        severity=i.severity,
        severity_label=str(i.get_severity_display()),
        occurred_at=i.occurred_at,
        status=i.status,
        needs_details=i.needs_details,
        url=reverse("incidents:detail", args=[i.pk]),
    )


def exists(pk: int) -> bool:
    """True when the incident ``pk`` is in the active scope (the API's 404 before the body is read)."""
    try:
        return Incident.objects.filter(pk=pk).exists()
    except (TypeError, ValueError, OverflowError):
        return False


def _of_resident(resident_id: int):
    ids = IncidentPerson.objects.filter(
        resident_id=resident_id, kind=PersonKind.RESIDENT, role=PersonRole.AFFECTED
    ).values("incident_id")
    return Incident.objects.filter(pk__in=ids)


def incidents_of_resident(
    resident_id: int, *, start: datetime | None = None, end: datetime | None = None, limit: int | None = None
) -> list[IncidentRef]:
    """Incidents in which the resident was affected, newest first (``start <= occurred_at < end``)."""
    qs = _of_resident(resident_id)
    if start is not None:
        qs = qs.filter(occurred_at__gte=start)
    if end is not None:
        qs = qs.filter(occurred_at__lt=end)
    qs = qs.order_by("-occurred_at", "-pk")
    if limit is not None:
        qs = qs[:limit]
    return [_ref(i) for i in qs]


def open_incident_count(resident_id: int) -> int:
    """How many open incidents the resident was affected by."""
    return _of_resident(resident_id).filter(status=IncidentStatus.OPEN).count()


def open_incident_counts(resident_ids: list[int]) -> dict[int, int]:
    """{resident_id: open incidents} for many residents in one query (residents without any are absent)."""
    rows = (
        IncidentPerson.objects.filter(
            resident_id__in=list(resident_ids),
            kind=PersonKind.RESIDENT,
            role=PersonRole.AFFECTED,
            incident__status=IncidentStatus.OPEN,
        )
        .values_list("resident_id", "incident_id")
        .distinct()
    )
    out: dict[int, int] = {}
    for resident_id, _incident_id in rows:
        out[resident_id] = out.get(resident_id, 0) + 1
    return out
