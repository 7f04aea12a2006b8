"""Care records on the resident's care journey (registered as ``wcn_timeline_providers``).

Items: notes (kind "note", category = the note's category) and chart entries (kind "chart",
category = the chart slug, e.g. "food-fluid"); struck entries are included with ``struck`` set.
Only shown to people who can view care records. One query per record kind, each loading at most a
page of rows (``filters["limit"]``, newest first, within ``filters["start"]``/``["end"]``).
"""

from __future__ import annotations

from django.urls import reverse

from writecarenotes.care_records.forms import CHART_TITLES
from writecarenotes.care_records.models import CareNote
from writecarenotes.care_records.services_charts import CHARTS


def _filtered(qs, filters: dict):
    """``qs`` within the page's time bounds, newest first, at most a page of rows."""
    if filters.get("start") is not None:
        qs = qs.filter(occurred_at__gte=filters["start"])
    if filters.get("end") is not None:
        qs = qs.filter(occurred_at__lt=filters["end"])
    return qs.order_by("-occurred_at", "-pk")[: filters.get("limit") or 50]


def _entry_url(resident_id: int, kind: str):
    """A function pk -> the entry page's URL (one reverse() per kind, not per row)."""
    marker = 999999999
    template = reverse("care_records:entry", args=[resident_id, kind, marker])
    head, tail = template.rsplit(str(marker), 1)
    return lambda pk: f"{head}{pk}{tail}"


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
        url = _entry_url(resident_id, "notes")
        labels = {value: str(label) for value, label in CareNote._meta.get_field("category").flatchoices}
        fall = " · " + str(CareNote._meta.get_field("fall").verbose_name)
        for n in _filtered(qs, filters):
            items.append(
                {
                    "at": n.occurred_at,
                    "kind": "note",
                    "category": n.category,
                    "title": labels.get(n.category, n.category) + (fall if n.fall else ""),
                    "text": n.text,
                    "url": url(n.pk),
                    "struck": n.is_struck,
                }
            )
    if kind in ("", "chart"):
        for slug, model in CHARTS.items():
            if category and category != slug:
                continue
            url, title = _entry_url(resident_id, slug), str(CHART_TITLES[slug])
            for e in _filtered(model.objects.filter(resident_id=resident_id), filters):
                items.append(
                    {
                        "at": e.occurred_at,
                        "kind": "chart",
                        "category": slug,
                        "title": title,
                        "text": e.summary(),
                        "url": url(e.pk),
                        "struck": e.is_struck,
                    }
                )
    return items
