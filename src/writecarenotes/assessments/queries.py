"""Read side of assessments: due and overdue lists, a resident's latest results, history and trend,
each answer of a result with its points. A fixed number of queries per call (no N+1): lists of
residents come from ``residents.public.current_residents`` and are joined in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from writecarenotes.assessments import engine
from writecarenotes.assessments.config import ToolConfig, configs
from writecarenotes.assessments.models import AssessmentDue, AssessmentResult
from writecarenotes.residents.public import ResidentRef, current_residents

#: The due lists show what is overdue, due today, and due within this many days.
DUE_SOON_DAYS = 7

OVERDUE, TODAY, SOON, LATER = "overdue", "today", "soon", "later"


@dataclass(frozen=True)
class DueItem:
    resident: ResidentRef
    config: ToolConfig
    due_on: date
    reason: str
    reason_label: str
    status: str  # overdue / today / soon / later
    days: int  # days until due (negative: days overdue)
    last_result: AssessmentResult | None

    @property
    def tool(self) -> engine.Tool:
        return self.config.tool

    @property
    def days_overdue(self) -> int:
        return -self.days


def _status(due_on: date, today: date) -> str:
    if due_on < today:
        return OVERDUE
    if due_on == today:
        return TODAY
    if due_on <= today + timedelta(days=DUE_SOON_DAYS):
        return SOON
    return LATER


def _due_items(residents: list[ResidentRef], today: date, *, horizon: int | None) -> list[DueItem]:
    """Due items of ``residents`` (2 queries: tool settings, due rows with their last result)."""
    if not residents:
        return []
    by_id = {r.id: r for r in residents}
    tools = {slug: c for slug, c in configs().items() if c.enabled}
    qs = AssessmentDue.objects.filter(resident_id__in=list(by_id), due_on__isnull=False, tool__in=list(tools))
    if horizon is not None:
        qs = qs.filter(due_on__lte=today + timedelta(days=horizon))
    items = []
    for row in qs.select_related("last_result").order_by("due_on", "pk"):
        items.append(
            DueItem(
                resident=by_id[row.resident_id],
                config=tools[row.tool],
                due_on=row.due_on,
                reason=row.reason,
                reason_label=str(row.get_reason_display()),
                status=_status(row.due_on, today),
                days=(row.due_on - today).days,
                last_result=row.last_result,
            )
        )
    return items


def due_list(unit_id: int | None = None, *, today: date | None = None, horizon: int | None = DUE_SOON_DAYS):
    """Overdue and soon-due assessments of the current residents of a unit (or the active scope),
    most overdue first. ``horizon`` None: every due date. Three queries whatever the size."""
    today = today or timezone.localdate()
    return _due_items(current_residents(unit_id), today, horizon=horizon)


def due_for_resident(ref: ResidentRef, *, today: date | None = None) -> list[DueItem]:
    """Every scheduled assessment of one resident, soonest first."""
    today = today or timezone.localdate()
    return _due_items([ref], today, horizon=None)


def due_counts(unit_id: int | None = None, *, today: date | None = None) -> dict:
    """Counts for the dashboard panel: overdue, due today, due within a week, and per unit."""
    items = due_list(unit_id, today=today)
    counts = {OVERDUE: 0, TODAY: 0, SOON: 0}
    units: dict[Any, dict] = {}
    for item in items:
        counts[item.status] = counts.get(item.status, 0) + 1
        if item.resident.unit_id is not None:
            u = units.setdefault(
                item.resident.unit_id,
                {"id": item.resident.unit_id, "name": item.resident.unit_name, "overdue": 0, "due": 0},
            )
            u["overdue" if item.status == OVERDUE else "due"] += 1
    return {
        "overdue": counts[OVERDUE],
        "today": counts[TODAY],
        "soon": counts[SOON],
        "total": len(items),
        "units": sorted(units.values(), key=lambda u: u["name"]),
    }


@dataclass(frozen=True)
class Change:
    """How a result compares with the resident's previous result with the same tool."""

    previous: AssessmentResult
    total: Decimal  # this total minus the previous
    direction: str  # "worse", "better", "same" (band rank), or "" when the bands cannot be compared

    @property
    def total_text(self) -> str:
        shown = self.total.normalize() if self.total == self.total.to_integral_value() else self.total
        return f"{shown:+f}" if self.total else "0"


def change_between(previous: AssessmentResult | None, result: AssessmentResult) -> Change | None:
    if previous is None:
        return None
    direction = ""
    if previous.band_set == result.band_set and previous.band_rank is not None and result.band_rank is not None:
        if result.band_rank > previous.band_rank:
            direction = "worse"
        elif result.band_rank < previous.band_rank:
            direction = "better"
        else:
            direction = "same"
    return Change(previous=previous, total=result.total - previous.total, direction=direction)


def latest_by_tool(resident_id: int) -> dict[str, tuple[AssessmentResult, Change | None]]:
    """The latest current result of each tool with its change since the one before (one query)."""
    rows = list(
        AssessmentResult.objects.current()
        .filter(resident_id=resident_id)
        .annotate(
            position=Window(RowNumber(), partition_by=[F("tool")], order_by=[F("assessed_at").desc(), F("pk").desc()])
        )
        .filter(position__lte=2)
        .select_related("assessed_by")
        .order_by("tool", "position")
    )
    out: dict[str, tuple[AssessmentResult, Change | None]] = {}
    for row in rows:
        if row.tool not in out:
            out[row.tool] = (row, None)
        else:
            latest = out[row.tool][0]
            out[row.tool] = (latest, change_between(row, latest))
    return out


def history(resident_id: int, tool: str, *, limit: int = 100) -> list[tuple[AssessmentResult, Change | None]]:
    """Current results of a resident with a tool, newest first, each with its change since the one before."""
    rows = list(
        AssessmentResult.objects.current()
        .filter(resident_id=resident_id, tool=tool)
        .select_related("assessed_by")
        .order_by("-assessed_at", "-pk")[: limit + 1]
    )
    out = []
    for i, row in enumerate(rows[:limit]):
        previous = rows[i + 1] if i + 1 < len(rows) else None
        out.append((row, change_between(previous, row)))
    return out


def versions_of(result: AssessmentResult) -> list[AssessmentResult]:
    """The result's chain of versions, oldest first: earlier struck versions, the result, its replacements."""
    chain = [result]
    current = result
    for _i in range(50):
        prev = AssessmentResult.objects.filter(replaced_by_id=current.pk).select_related("struck_by").first()
        if prev is None:
            break
        chain.insert(0, prev)
        current = prev
    current = result
    for _i in range(50):
        if not current.replaced_by_id:
            break
        current = AssessmentResult.objects.select_related("struck_by").get(pk=current.replaced_by_id)
        chain.append(current)
    return chain


@dataclass(frozen=True)
class AnswerRow:
    key: str
    label: str
    group: str
    answer: str  # what was answered, in words
    value: Any  # the stored value
    points: Decimal
    unit: str


def _answer_text(item: engine.Item | None, value: Any) -> str:
    if value is None or value == []:
        return "—"
    if item is None:
        return str(value)
    if item.kind == "choice":
        option = item.option(str(value))
        return str(option.label) if option else str(value)
    if item.kind == "multi":
        labels = [str(item.option(v).label) if item.option(v) else str(v) for v in value]
        return "; ".join(labels)
    if item.kind == "boolean":
        option = item.option("yes" if value else "no")
        return str(option.label) if option else ("Yes" if value else "No")
    return f"{value} {item.unit}".strip()


def answer_rows(result: AssessmentResult) -> list[AnswerRow]:
    """Every answer of the result, in the tool's order, with the answer in words and its points."""
    try:
        tool = engine.get_tool(result.tool)
    except engine.UnknownTool:
        tool = None
    answers = list(result.answers.all())
    order = {item.key: i for i, item in enumerate(tool.items)} if tool else {}
    answers.sort(key=lambda a: (order.get(a.item_key, 999), a.pk))
    rows = []
    for a in answers:
        item = tool.item(a.item_key) if tool else None
        rows.append(
            AnswerRow(
                key=a.item_key,
                label=str(item.label) if item else a.item_key,
                group=str(item.group) if item else "",
                answer=_answer_text(item, a.value),
                value=a.value,
                points=a.points,
                unit=item.unit if item else "",
            )
        )
    return rows


def derived_rows(result: AssessmentResult, tool: engine.Tool | None) -> list[dict]:
    """The result's derived values (BMI, weight loss ...) with their labels, units and points."""
    declared = {d.key: d for d in (getattr(tool, "derived", ()) if tool else ())}
    rows = []
    for key, value in (result.derived or {}).items():
        d = declared.get(key)
        rows.append(
            {
                "key": key,
                "label": str(d.label) if d else key,
                "unit": d.unit if d else "",
                "value": value,
                "points": (result.derived_points or {}).get(key),
            }
        )
    return rows


def trend(resident_id: int, tool: str, *, limit: int = 30) -> list[AssessmentResult]:
    """The last ``limit`` current results of a tool, oldest first (for the trend chart)."""
    rows = list(
        AssessmentResult.objects.current()
        .filter(resident_id=resident_id, tool=tool)
        .order_by("-assessed_at", "-pk")[:limit]
    )
    return list(reversed(rows))
