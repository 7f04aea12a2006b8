"""What other contexts may use of the assessments context (service 3).

``latest_results(resident_id)``: the resident's latest current result of each tool (summary, band,
when); ``due_items(resident_id)``: what is due and when. Both read in the caller's scope.
The tool library itself (names, sources) is ``tool_names()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

__all__ = ["DueSummary", "ResultSummary", "due_items", "latest_results", "tool_names", "trend_chart_html"]


@dataclass(frozen=True)
class ResultSummary:
    result_id: int
    tool: str
    total: str
    band: str
    band_label: str
    band_rank: int | None
    summary: str
    assessed_at: datetime
    next_due_on: date | None


@dataclass(frozen=True)
class DueSummary:
    tool: str
    due_on: date
    reason: str
    overdue: bool


def latest_results(resident_id: int) -> list[ResultSummary]:
    from writecarenotes.assessments.queries import latest_by_tool
    from writecarenotes.assessments.services import decimal_text

    return [
        ResultSummary(
            result_id=r.pk,
            tool=r.tool,
            total=decimal_text(r.total),
            band=r.band_key,
            band_label=r.band_label,
            band_rank=r.band_rank,
            summary=r.summary,
            assessed_at=r.assessed_at,
            next_due_on=r.next_due_on,
        )
        for r, _change in latest_by_tool(resident_id).values()
    ]


def due_items(resident_id: int) -> list[DueSummary]:
    from writecarenotes.assessments.queries import OVERDUE, due_for_resident
    from writecarenotes.residents.public import get_resident

    return [
        DueSummary(tool=d.config.slug, due_on=d.due_on, reason=d.reason, overdue=d.status == OVERDUE)
        for d in due_for_resident(get_resident(resident_id))
    ]


def tool_names() -> dict[str, str]:
    from writecarenotes.assessments.engine import all_tools

    return {t.slug: str(t.name) for t in all_tools()}


def trend_chart_html(resident_id: int, tool: str) -> str:
    """The resident's trend chart of ``tool`` (the last results, with the organisation's band lines)
    as an HTML fragment: an inline SVG, no script or style (CSP-safe); "" when there is no result."""
    from django.template.loader import render_to_string

    from writecarenotes.assessments import engine, queries
    from writecarenotes.assessments.charts import trend_svg
    from writecarenotes.assessments.config import config_for

    try:
        conf = config_for(tool)
    except engine.UnknownTool:
        return ""
    results = queries.trend(resident_id, tool)
    if not results:
        return ""
    band_set = results[-1].band_set or conf.band_set
    return render_to_string(
        "assessments/_chart.html", {"tool": conf.tool, "chart": trend_svg(conf.tool, results, band_set)}
    )
