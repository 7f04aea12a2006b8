"""How the controlled sub-domain plugs into the app: the register in the menu, open discrepancies on the
dashboard, and the API's path objects (another home's page is a 404 before the body is read)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from writecarenotes.medication import api_controlled
from writecarenotes.medication.models import CDDiscrepancy


def discrepancies_panel(request) -> dict | None:
    """ "Controlled drug discrepancies": stock checks whose count did not match, not yet resolved."""
    access = getattr(request, "access", None)
    if access is None or not access.can("medication", "record"):
        return None
    count = CDDiscrepancy.objects.filter(status=CDDiscrepancy.Status.OPEN).count()
    if not count:
        return None
    return {
        "title": _("Controlled drug discrepancies"),
        "template": "medication/controlled/panel.html",
        "order": 11,
        "count": count,
    }


NAV: list = []  # reached from the medication page (views_hub)
DASHBOARD_PANELS: list = [discrepancies_panel]
RESIDENT_LINKS: list = []
TIMELINE_PROVIDERS: list = []
TIMELINE_KINDS: dict = {}
API_PATH_OBJECTS: dict = {
    "cd_register_id": api_controlled.register_exists,
    "cd_entry_id": api_controlled.entry_exists,
    "cd_discrepancy_id": api_controlled.discrepancy_exists,
}
