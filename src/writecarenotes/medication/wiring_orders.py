"""How the orders sub-domain plugs into the app: the "Medicines" menu item (the home's formulary and
homely remedies; the round is the main medication entry), the dashboard panel of reconciliations due,
the "Medicines" link on the resident's page, and the API's path objects.

Importing it registers the reconciliation subscribers (admission, hospital stays).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from writecarenotes.medication import subscribers_reconciliation  # noqa: F401  (registers the subscribers)
from writecarenotes.medication.models import (
    HomelyRemedy,
    MedicationOrder,
    Medicine,
    Reconciliation,
    ReconciliationStatus,
)
from writecarenotes.platform.web.nav import NavItem


def reconciliations_due_panel(request) -> dict | None:
    """Residents admitted or back from hospital whose medicines are not reconciled yet (QS85 statement 1)."""
    access = getattr(request, "access", None)
    if access is None or not access.can("medication", "record"):
        return None
    rows = list(Reconciliation.objects.filter(status=ReconciliationStatus.OPEN).order_by("occasion_at", "pk")[:20])
    if not rows:
        return None
    from writecarenotes.residents.public import current_residents

    names = {r.id: r.display_name for r in current_residents()}
    for r in rows:
        r.resident_name = names.get(r.resident_id, _("Resident %(id)s") % {"id": r.resident_id})
    return {
        "title": _("Medicines to reconcile"),
        "template": "medication/orders/panel.html",
        "order": 11,
        "count": len(rows),
        "rows": rows,
    }


def _exists(model):
    def check(pk: int) -> bool:
        try:
            return model.objects.filter(pk=pk).exists()
        except (TypeError, ValueError):
            return False

    return check


NAV: list = [NavItem(_lazy("Medicines"), "medication:home", "medication", "view", order=21)]
DASHBOARD_PANELS: list = [reconciliations_due_panel]
RESIDENT_LINKS: list = [(_lazy("Medicines"), "medication:record", "medication", "view")]
TIMELINE_PROVIDERS: list = []
TIMELINE_KINDS: dict = {}
API_PATH_OBJECTS: dict = {
    "order_id": _exists(MedicationOrder),
    "medicine_id": _exists(Medicine),
    "reconciliation_id": _exists(Reconciliation),
    "remedy_id": _exists(HomelyRemedy),
}

__all__ = ["API_PATH_OBJECTS", "DASHBOARD_PANELS", "NAV", "RESIDENT_LINKS", "TIMELINE_KINDS", "TIMELINE_PROVIDERS"]
