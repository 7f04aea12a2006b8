"""The care journey collector: pages merged from several providers, newest first, nothing lost
or repeated between pages (ties at one instant included), bounds passed to the providers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from writecarenotes.residents import timeline

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def fake(kind: str, times: list[datetime], asked: list | None = None):
    """A provider honouring start/end/limit like the real ones do."""

    def provider(request, resident_id, filters):
        if asked is not None:
            asked.append(dict(filters))
        got = sorted(
            (
                t
                for t in times
                if (filters["start"] is None or t >= filters["start"])
                and (filters["end"] is None or t < filters["end"])
            ),
            reverse=True,
        )[: filters["limit"]]
        return [
            {
                "at": t,
                "kind": kind,
                "category": "",
                "title": f"{kind} {t:%H:%M}",
                "text": "",
                "url": "",
                "struck": False,
            }
            for t in got
        ]

    return provider


def walk(limit: int, filters: dict | None = None) -> list[list[dict]]:
    pages, before = [], None
    for _ in range(100):
        page = timeline.collect(None, 1, {**(filters or {}), "before": before}, limit=limit)
        pages.append(page.items)
        if page.next_before is None:
            return pages
        before = page.next_before
    raise AssertionError("the pages never ended")


@pytest.fixture
def three(monkeypatch):
    notes = [T0 - timedelta(minutes=7 * i) for i in range(40)]
    charts = [T0 - timedelta(minutes=5 * i) for i in range(60)]
    # ties: three milestones at one instant, and one at the same instant as a note
    milestones = [T0 - timedelta(minutes=35)] * 3 + [T0 - timedelta(minutes=70)]
    monkeypatch.setattr(
        timeline, "providers", lambda: [fake("note", notes), fake("chart", charts), fake("milestone", milestones)]
    )
    return sorted(
        [(t, "note") for t in notes] + [(t, "chart") for t in charts] + [(t, "milestone") for t in milestones]
    )


@pytest.mark.parametrize("limit", [1, 2, 5, 7, 50, 200])
def test_pages_cover_every_item_once_newest_first(three, limit):
    pages = walk(limit)
    seen = [i for p in pages for i in p]
    assert sorted((i["at"], i["kind"]) for i in seen) == three  # every item, once
    ats = [i["at"] for i in seen]
    assert ats == sorted(ats, reverse=True)
    assert all(len(p) >= 1 for p in pages)
    # a page holds `limit` items, plus those sharing the instant of its last item
    for p in pages[:-1]:
        assert len(p) >= limit and all(i["at"] == p[limit - 1]["at"] for i in p[limit:])


def test_dates_and_cursor_become_bounds_for_the_providers(monkeypatch):
    asked: list = []
    monkeypatch.setattr(timeline, "providers", lambda: [fake("note", [T0], asked)])
    timeline.collect(None, 1, {"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 1)}, limit=10)
    got = asked[-1]
    assert got["limit"] == 11  # one more than a page: tells whether there is more
    assert got["start"] == timeline.day_start(date(2026, 3, 1))
    assert got["end"] == timeline.day_start(date(2026, 3, 2))
    timeline.collect(None, 1, {"date_to": date(2026, 3, 1), "before": T0}, limit=10)
    assert asked[-1]["end"] == T0 and asked[-1]["start"] is None


def test_a_broken_or_lax_provider_does_not_break_the_page(monkeypatch):
    def broken(request, resident_id, filters):
        raise RuntimeError("boom")

    def lax(request, resident_id, filters):  # ignores every filter
        return [{"at": T0 + timedelta(days=1), "kind": "note", "category": "x", "title": "future", "struck": False}]

    monkeypatch.setattr(timeline, "providers", lambda: [broken, lax, fake("note", [T0])])
    page = timeline.collect(None, 1, {"before": T0 + timedelta(hours=1)})
    assert [i["title"] for i in page.items] == ["note 12:00"] and page.next_before is None
