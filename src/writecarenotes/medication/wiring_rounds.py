"""How the rounds sub-domain plugs into the app: the "Medication round" menu item (the main medication
entry), the alerts list, the dashboard panel, the "MAR chart" link on the resident's page, the care
journey (doses refused or not given, PRN doses given) and the API path objects.

Imported by ``wiring.ready``; importing it also registers the sub-domain's scheduled job.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from writecarenotes.medication import (
    jobs_rounds,  # noqa: F401  (registers the hourly alerts job)
    reason_codes,
    views_rounds,
)
from writecarenotes.medication.api_rounds import administration_exists, alert_exists
from writecarenotes.medication.models import Administration, Outcome
from writecarenotes.platform.web.nav import NavItem

TIMELINE_LIMIT = 50


def medication_provider(request, resident_id: int, filters: dict) -> list[dict]:
    """Doses refused or not given, and when-required doses given, on the care journey (kind "medication")."""
    access = getattr(request, "access", None)
    if access is None or not access.can("medication", "view"):
        return []
    if filters.get("kind") not in ("", None, "medication"):
        return []
    qs = Administration.objects.filter(resident_id=resident_id).filter(
        ~Q(outcome__in=(Outcome.GIVEN, Outcome.SELF_ADMINISTERED)) | Q(order__is_prn=True)
    )
    if filters.get("category"):
        qs = qs.filter(outcome=filters["category"])
    start: datetime | None = filters.get("start")
    end: datetime | None = filters.get("end")
    if start is not None:
        qs = qs.filter(administered_at__gte=start)
    if end is not None:
        qs = qs.filter(administered_at__lt=end)
    rows = qs.select_related("order__medicine").order_by("-administered_at", "-pk")[
        : filters.get("limit") or TIMELINE_LIMIT
    ]
    url = reverse("medication:mar", args=[resident_id])
    items = []
    for a in rows:
        medicine = a.order.medicine.name
        if a.outcome in (Outcome.GIVEN, Outcome.SELF_ADMINISTERED):
            title = _("When-required dose given: %(m)s") % {"m": medicine}
            text = f"{a.dose.normalize():f} {a.order.medicine.get_dose_unit_display()}" if a.dose is not None else ""
            if a.order.prn_indication:
                text += f" ({a.order.prn_indication})"
            if a.effect:
                text += "; " + _("effect: %(e)s") % {"e": a.get_effect_display()}
        else:
            title = _("%(outcome)s: %(m)s") % {"outcome": a.get_outcome_display(), "m": medicine}
            rc = reason_codes.get(a.reason_code)
            text = str(rc.label) if rc else ""
            if a.note:
                text += f": {a.note}" if text else a.note
        due = f" ({_('due')} {timezone.localtime(a.due_at):%H:%M})" if a.due_at else ""
        items.append(
            {
                "at": a.administered_at,
                "kind": "medication",
                "category": a.outcome,
                "title": title + due,
                "text": text,
                "url": url,
                "struck": False,
            }
        )
    return items


NAV: list = [
    NavItem(_lazy("Medication round"), "medication:round", "medication", "record", order=14),
]
DASHBOARD_PANELS: list = [views_rounds.dashboard_panel]  # callables(request) -> dict or None
RESIDENT_LINKS: list = [(_lazy("MAR chart"), "medication:mar", "medication", "view")]
TIMELINE_PROVIDERS: list = [medication_provider]
TIMELINE_KINDS: dict = {"medication": _lazy("Medication")}
#: the API answers 404 for another home's record or alert before it reads the body
API_PATH_OBJECTS: dict = {"administration_id": administration_exists, "alert_id": alert_exists}
