"""The organisation's tool settings applied to the tool library: which tools are in use, which band
set each uses and how often it is reviewed. Reads only (the change is ``services_due.set_tool_settings``).

A tool without a ``ToolSettings`` row is in use with its declared defaults.
"""

from __future__ import annotations

from dataclasses import dataclass

from writecarenotes.assessments import engine
from writecarenotes.assessments.models import ToolSettings


@dataclass(frozen=True)
class ToolConfig:
    tool: engine.Tool
    enabled: bool
    band_set: str  # the band set in use (the organisation's choice or the tool's default)
    review_days: int | None  # the organisation's review interval, or the tool's default
    row: ToolSettings | None  # the organisation's settings row, None = all defaults

    @property
    def slug(self) -> str:
        return self.tool.slug

    @property
    def default_band_set(self) -> str:
        return next(iter(self.tool.band_sets), "")

    @property
    def bands(self) -> tuple:
        return self.tool.band_sets.get(self.band_set, ())

    def has_trigger(self, reason: str) -> bool:
        return reason in self.tool.triggers


def _config(tool: engine.Tool, row: ToolSettings | None) -> ToolConfig:
    default_set = next(iter(tool.band_sets), "")
    band_set = row.band_set if row is not None and row.band_set in tool.band_sets else default_set
    review = row.review_days if row is not None and row.review_days else tool.default_review_days
    return ToolConfig(
        tool=tool, enabled=row.enabled if row is not None else True, band_set=band_set, review_days=review, row=row
    )


def configs() -> dict[str, ToolConfig]:
    """Every tool of the library with the organisation's settings (one query), in display order."""
    rows = {r.tool: r for r in ToolSettings.objects.all()}
    return {t.slug: _config(t, rows.get(t.slug)) for t in engine.all_tools()}


def config_for(slug: str) -> ToolConfig:
    """One tool with the organisation's settings; raises engine.UnknownTool."""
    tool = engine.get_tool(slug)
    return _config(tool, ToolSettings.objects.filter(tool=tool.slug).first())


def enabled_with_trigger(reason: str) -> list[ToolConfig]:
    """Tools in use that become due when ``reason`` happens (admission, fall, weight_loss ...)."""
    return [c for c in configs().values() if c.enabled and c.has_trigger(reason)]
