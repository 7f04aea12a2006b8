"""How the stock sub-domain plugs into the app: stock and fridges in the menu, the fridge and count alert
on the dashboard, and the API's path objects."""

from __future__ import annotations

from django.utils.translation import gettext as _

from writecarenotes.medication import (
    api_stock,
    jobs_stock,  # noqa: F401  (registers the daily job)
)
from writecarenotes.medication import services_stock_fridges as fridges
from writecarenotes.medication.models import StockItem


def fridges_panel(request) -> dict | None:
    """Fridge readings out of range in the last 7 days, fridges not read today, items needing a count."""
    access = getattr(request, "access", None)
    if access is None or not access.can("medication", "record"):
        return None
    rows = fridges.fridge_rows()
    out = sum(r.out_of_range_7d for r in rows)
    unread = sum(1 for r in rows if not r.read_today)
    needs_count = StockItem.objects.filter(needs_count=True).count()
    if not (out or unread or needs_count):
        return None
    return {
        "title": _("Medicines fridges"),
        "template": "medication/stock/panel.html",
        "order": 13,
        "out": out,
        "unread": unread,
        "needs_count": needs_count,
    }


NAV: list = []
DASHBOARD_PANELS: list = [fridges_panel]
RESIDENT_LINKS: list = []
TIMELINE_PROVIDERS: list = []
TIMELINE_KINDS: dict = {}
API_PATH_OBJECTS: dict = {"stock_item_id": api_stock.item_exists, "fridge_id": api_stock.fridge_exists}
