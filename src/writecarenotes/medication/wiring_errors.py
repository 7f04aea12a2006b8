"""How medication error reporting plugs into the app: its menu item (under the medication pages)."""

from __future__ import annotations

NAV: list = []  # reached from the medication page (views_hub)
DASHBOARD_PANELS: list = []
RESIDENT_LINKS: list = []
TIMELINE_PROVIDERS: list = []
TIMELINE_KINDS: dict = {}


def _error_exists(pk: int) -> bool:
    from writecarenotes.medication.models import MedicationError

    try:
        return MedicationError.objects.filter(pk=pk).exists()
    except (TypeError, ValueError, OverflowError):
        return False


#: the API answers 404 for another home's report before it reads the body (platform/api/api.py)
API_PATH_OBJECTS: dict = {"error_id": _error_exists}
