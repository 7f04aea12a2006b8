"""The care journey: the resident's milestones merged with the records of other contexts.

A context contributes without being imported: its AppConfig declares
``wcn_timeline_providers = [provider]`` where ``provider(request, resident_id, filters)`` returns
a list of dicts ``{at, kind, category, title, text, url, struck}`` (``at`` an aware datetime).
``filters`` holds ``kind`` (a context's kind such as "milestone", "note", "chart"), ``category``,
``date_from`` and ``date_to`` (dates or None); a provider may pre-filter with them, and the
collector filters again so a lax provider cannot break the page.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.apps import apps
from django.utils import timezone

from writecarenotes.residents.models import Milestone

logger = logging.getLogger(__name__)
MAX_ITEMS = 500


def milestones_provider(request, resident_id: int, filters: dict) -> list[dict]:
    qs = Milestone.objects.filter(resident_id=resident_id)
    if filters.get("date_from"):
        qs = qs.filter(at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(at__date__lte=filters["date_to"])
    return [
        {
            "at": m.at,
            "kind": "milestone",
            "category": m.kind,
            "title": m.title,
            "text": m.text,
            "url": "",
            "struck": False,
        }
        for m in qs.order_by("-at")[:MAX_ITEMS]
    ]


def providers() -> list:
    out = []
    for config in apps.get_app_configs():
        out.extend(getattr(config, "wcn_timeline_providers", []) or [])
    return out


def _local_date(value) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def collect(request, resident_id: int, filters: dict) -> list[dict]:
    """Every provider's items matching ``filters``, newest first (at most MAX_ITEMS)."""
    items: list[dict] = []
    for provider in providers():
        try:
            items.extend(provider(request, resident_id, filters) or [])
        except Exception:  # a broken provider must not hide the rest of the journey
            logger.exception("timeline provider %r failed", provider)
    kind, category = filters.get("kind") or "", filters.get("category") or ""
    start, end = filters.get("date_from"), filters.get("date_to")
    out = []
    for item in items:
        if kind and item.get("kind") != kind:
            continue
        if category and item.get("category") != category:
            continue
        day = _local_date(item["at"])
        if (start and day < start) or (end and day > end):
            continue
        out.append(item)
    out.sort(key=lambda i: i["at"], reverse=True)
    return out[:MAX_ITEMS]
