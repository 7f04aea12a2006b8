"""How the report sub-domain plugs into the app: menu items, dashboard panels, links on the resident page,
the care journey, and the API's path objects.

Imported by ``wiring.ready``; importing it also registers the sub-domain's subscribers.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from writecarenotes.incidents import (
    public,
    subscribers_report,  # noqa: F401  (registers the subscribers)
)
from writecarenotes.incidents.models import Incident, IncidentStatus
from writecarenotes.platform.web.nav import NavItem


def needs_details_panel(request) -> dict | None:
    """ "Incidents to complete": raised from a care note, waiting for a nurse to complete the details."""
    access = getattr(request, "access", None)
    if access is None or not access.can("incidents", "record"):
        return None
    count = Incident.objects.filter(needs_details=True, status=IncidentStatus.OPEN).count()
    if not count:
        return None
    return {"title": _("Incidents to complete"), "template": "incidents/report/panel.html", "order": 12, "count": count}


def incidents_provider(request, resident_id: int, filters: dict) -> list[dict]:
    """The incidents a resident was affected by, on the care journey (kind "incident", category the type)."""
    access = getattr(request, "access", None)
    if access is None or not access.can("incidents", "view"):
        return []
    if filters.get("kind") not in ("", None, "incident"):
        return []
    items = []
    for i in public.incidents_of_resident(
        resident_id, start=filters.get("start"), end=filters.get("end"), limit=filters.get("limit") or 50
    ):
        if filters.get("category") and filters["category"] != i.kind:
            continue
        status = _("open") if i.status == IncidentStatus.OPEN else _("closed")
        items.append(
            {
                "at": i.occurred_at,
                "kind": "incident",
                "category": i.kind,
                "title": f"{i.title} ({i.reference})",
                "text": f"{i.severity_label}, {status}",
                "url": i.url,
                "struck": False,
            }
        )
    return items


def _incident_exists(pk: int) -> bool:
    return public.exists(pk)


NAV: list = [
    NavItem(_lazy("Report an incident"), "incidents:report", "incidents", "record", order=17),
    NavItem(_lazy("Incidents"), "incidents:index", "incidents", "view", order=18),
]
DASHBOARD_PANELS: list = [needs_details_panel]  # callables(request) -> dict or None
RESIDENT_LINKS: list = [  # (label, url name taking the resident's id, context, action)
    (_lazy("Incidents"), "incidents:resident", "incidents", "view"),
    (_lazy("Report an incident"), "incidents:report_for", "incidents", "record"),
]
TIMELINE_PROVIDERS: list = [incidents_provider]
TIMELINE_KINDS: dict = {"incident": _lazy("Incidents")}
#: the API answers 404 for another home's incident before it reads the body (platform/api/api.py)
API_PATH_OBJECTS: dict = {"incident_id": _incident_exists}

__all__ = ["API_PATH_OBJECTS", "DASHBOARD_PANELS", "NAV", "RESIDENT_LINKS", "TIMELINE_KINDS", "TIMELINE_PROVIDERS"]
