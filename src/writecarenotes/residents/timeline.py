"""The care journey: the resident's milestones merged with the records of other contexts, a page at a time.

A context contributes without being imported: its AppConfig declares
``wcn_timeline_kinds = {kind: label}`` and ``wcn_timeline_providers = [provider]`` where
``provider(request, resident_id, filters)`` returns a list of dicts
``{at, kind, category, title, text, url, struck}`` (``at`` an aware datetime), newest first. ``filters`` holds:

- ``kind`` (a context's kind such as "milestone", "note", "chart") and ``category``;
- ``start`` and ``end``: aware datetimes bounding ``at`` (``start <= at < end``), or None. They come
  from the page's dates (``date_from``/``date_to``, local days, both inclusive) and from the page
  cursor (``before``: only items strictly older);
- ``limit``: a provider returns at most this many items *of each query it runs* (the newest).

Each provider loads only a page's worth of rows per record kind (its index on
``(resident, occurred_at)`` serves ``ORDER BY occurred_at DESC LIMIT n``), so the page costs the
same for a resident with two weeks of records and one with two years. The collector filters again,
so a lax provider cannot break the page, merges, and cuts the page where every provider's items are
complete; the cursor of the next page is the time of the page's oldest item.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.utils import timezone

from writecarenotes.residents.models import Milestone

logger = logging.getLogger(__name__)
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


@dataclass
class Page:
    items: list[dict]
    next_before: datetime | None  # pass as ``before`` for the next (older) page; None = no more


def day_start(day: date) -> datetime:
    """The first instant of ``day`` in the home's time zone (an aware datetime)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def bounds(filters: dict) -> tuple[datetime | None, datetime | None]:
    """``(start, end)`` for ``start <= at < end`` from the dates and the cursor in ``filters``."""
    start = day_start(filters["date_from"]) if filters.get("date_from") else None
    end = day_start(filters["date_to"] + timedelta(days=1)) if filters.get("date_to") else None
    before = filters.get("before")
    if before is not None and (end is None or before < end):
        end = before
    return start, end


def in_bounds(qs, filters: dict, field: str = "occurred_at"):
    """``qs`` limited to ``filters``' time bounds and page size, newest first (for providers)."""
    if filters.get("start") is not None:
        qs = qs.filter(**{f"{field}__gte": filters["start"]})
    if filters.get("end") is not None:
        qs = qs.filter(**{f"{field}__lt": filters["end"]})
    return qs.order_by(f"-{field}", "-pk")[: filters.get("limit") or PAGE_SIZE]


def milestones_provider(request, resident_id: int, filters: dict) -> list[dict]:
    if filters.get("kind") not in ("", None, "milestone"):
        return []
    qs = Milestone.objects.filter(resident_id=resident_id)
    if filters.get("category"):
        qs = qs.filter(kind=filters["category"])
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
        for m in in_bounds(qs, filters, "at")
    ]


def providers() -> list:
    out = []
    for config in apps.get_app_configs():
        out.extend(getattr(config, "wcn_timeline_providers", []) or [])
    return out


def kinds() -> list[tuple[str, str]]:
    """``(kind, label)`` of every kind of journey item, from the contexts' ``wcn_timeline_kinds``."""
    out: dict[str, str] = {}
    for config in apps.get_app_configs():
        out.update(getattr(config, "wcn_timeline_kinds", {}) or {})
    return [(k, str(label)) for k, label in out.items()]


def _gather(request, resident_id: int, asked: dict) -> tuple[list[dict], datetime | None]:
    """Every provider's items for ``asked`` (filtered again here), newest first, and the horizon:
    the newest instant at or before which some provider, having filled its limit, may hold more."""
    kind, category, start, end = asked["kind"], asked["category"], asked["start"], asked["end"]
    items: list[dict] = []
    horizon: datetime | None = None
    for provider in providers():
        try:
            got = [
                i
                for i in provider(request, resident_id, dict(asked)) or []
                if (not kind or i.get("kind") == kind)
                and (not category or i.get("category") == category)
                and (start is None or i["at"] >= start)
                and (end is None or i["at"] < end)
            ]
        except Exception:  # a broken provider must not hide the rest of the journey
            logger.exception("timeline provider %r failed", provider)
            continue
        if len(got) >= asked["limit"]:  # this provider stopped at its limit: it may have older items
            oldest = min(i["at"] for i in got)
            horizon = oldest if horizon is None or oldest > horizon else horizon
        items.extend(got)
    items.sort(key=lambda i: i["at"], reverse=True)
    return items, horizon


def collect(request, resident_id: int, filters: dict, limit: int = PAGE_SIZE) -> Page:
    """One page of the journey matching ``filters`` (kind, category, date_from, date_to, before),
    newest first: ``limit`` items, plus any more at exactly the time of the last one."""
    limit = max(1, min(int(limit or PAGE_SIZE), MAX_PAGE_SIZE))
    start, end = bounds(filters)
    kind, category = filters.get("kind") or "", filters.get("category") or ""
    # one more than a page: a provider that fills it has older items, and still gives a full page
    asked = {"kind": kind, "category": category, "start": start, "end": end, "limit": limit + 1}
    items, horizon = _gather(request, resident_id, asked)
    complete = [i for i in items if horizon is None or i["at"] > horizon]
    if not complete and horizon is not None:
        # more than a page of items share the newest instant: take every item at that instant
        exact = {**asked, "start": horizon, "end": horizon + timedelta(microseconds=1), "limit": 100_000}
        complete, _ = _gather(request, resident_id, exact)
        items = complete + [i for i in items if i["at"] < horizon]
    page = complete[:limit]
    if page:  # items at the same instant as the last one are never split across pages
        last = page[-1]["at"]
        page += [i for i in complete[limit:] if i["at"] == last]
    more = len(page) < len(items) or horizon is not None
    return Page(items=page, next_before=page[-1]["at"] if page and more else None)
