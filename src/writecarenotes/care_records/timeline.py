"""Care records on the resident's care journey (registered as ``wcn_timeline_providers``).

Items: notes (kind "note", category = the note's category) and chart entries (kind "chart",
category = the chart slug, e.g. "food-fluid"); struck entries are included with ``struck`` set.
Only shown to people who can view care records. One query per record kind.
"""

from __future__ import annotations

from django.urls import reverse

from writecarenotes.care_records.forms import CHART_TITLES
from writecarenotes.care_records.models import CareNote
from writecarenotes.care_records.services_charts import CHARTS

MAX_ITEMS = 500


def _filtered(qs, filters: dict):
    if filters.get("date_from"):
        qs = qs.filter(occurred_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(occurred_at__date__lte=filters["date_to"])
    return qs.order_by("-occurred_at", "-pk")[:MAX_ITEMS]


def care_records_provider(request, resident_id: int, filters: dict) -> list[dict]:
    access = getattr(request, "access", None)
    if access is None or not access.can("care_records", "view"):
        return []
    kind = filters.get("kind") or ""
    category = filters.get("category") or ""
    items: list[dict] = []
    if kind in ("", "note"):
        qs = CareNote.objects.filter(resident_id=resident_id)
        if category:
            qs = qs.filter(category=category)
        for n in _filtered(qs, filters):
            items.append(
                {
                    "at": n.occurred_at,
                    "kind": "note",
                    "category": n.category,
                    "title": str(n.get_category_display())
                    + (" · " + str(CareNote._meta.get_field("fall").verbose_name) if n.fall else ""),
                    "text": n.text,
                    "url": reverse("care_records:entry", args=[resident_id, "notes", n.pk]),
                    "struck": n.is_struck,
                }
            )
    if kind in ("", "chart"):
        for slug, model in CHARTS.items():
            if category and category != slug:
                continue
            for e in _filtered(model.objects.filter(resident_id=resident_id), filters):
                items.append(
                    {
                        "at": e.occurred_at,
                        "kind": "chart",
                        "category": slug,
                        "title": str(CHART_TITLES[slug]),
                        "text": e.summary(),
                        "url": reverse("care_records:entry", args=[resident_id, slug, e.pk]),
                        "struck": e.is_struck,
                    }
                )
    return items
