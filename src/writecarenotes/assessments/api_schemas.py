"""Schemas of the assessments API and the functions that fill them. Decimals are exact strings."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from writecarenotes.assessments import engine, queries
from writecarenotes.assessments.config import ToolConfig
from writecarenotes.assessments.models import AssessmentResult


def dec(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return f"{(value.normalize() if value == value.to_integral_value() else value):f}"


# --- tools --------------------------------------------------------------------------------------


class OptionOut(Schema):
    value: str
    label: str
    points: str


class ItemOut(Schema):
    key: str
    label: str
    kind: str
    group: str
    help: str
    unit: str
    min_value: str | None
    max_value: str | None
    decimals: int
    required: bool
    options: list[OptionOut]


class BandOut(Schema):
    key: str
    label: str
    low: str
    high: str | None
    rank: int
    action: str


class BandSetOut(Schema):
    key: str
    label: str
    default: bool
    bands: list[BandOut]


class ToolSummaryOut(Schema):
    slug: str
    name: str
    version: str
    purpose: str
    external: bool
    enabled: bool
    band_set: str
    review_days: int | None
    triggers: list[str]
    source: str
    licence: str
    acknowledgement: str


class ToolOut(ToolSummaryOut):
    items: list[ItemOut]
    band_sets: list[BandSetOut]


def band_out(b: engine.Band) -> dict:
    return {
        "key": b.key,
        "label": str(b.label),
        "low": dec(b.low),
        "high": dec(b.high),
        "rank": b.rank,
        "action": str(b.action),
    }


def tool_summary(conf: ToolConfig) -> dict:
    t = conf.tool
    return {
        "slug": t.slug,
        "name": str(t.name),
        "version": t.version,
        "purpose": str(t.purpose),
        "external": t.external,
        "enabled": conf.enabled,
        "band_set": conf.band_set,
        "review_days": conf.review_days,
        "triggers": list(t.triggers),
        "source": str(t.source),
        "licence": str(t.licence),
        "acknowledgement": str(t.acknowledgement),
    }


def tool_out(conf: ToolConfig) -> dict:
    t = conf.tool
    labels = getattr(t, "band_set_labels", {}) or {}
    return {
        **tool_summary(conf),
        "items": [
            {
                "key": i.key,
                "label": str(i.label),
                "kind": i.kind,
                "group": str(i.group),
                "help": str(i.help),
                "unit": i.unit,
                "min_value": dec(i.min_value),
                "max_value": dec(i.max_value),
                "decimals": i.decimals,
                "required": i.required,
                "options": [{"value": o.value, "label": str(o.label), "points": dec(o.points)} for o in i.options],
            }
            for i in t.items
        ],
        "band_sets": [
            {
                "key": key,
                "label": str(labels.get(key, key)),
                "default": n == 0,
                "bands": [band_out(b) for b in bands],
            }
            for n, (key, bands) in enumerate(t.band_sets.items())
        ],
    }


# --- results ------------------------------------------------------------------------------------


class ResultBandOut(Schema):
    key: str
    label: str
    rank: int | None
    action: str


class ResultOut(Schema):
    id: int
    resident_id: int
    tool: str
    tool_version: str
    band_set: str
    total: str
    band: ResultBandOut | None
    summary: str
    derived: dict[str, Any]
    findings: list[str]
    assessed_at: datetime
    recorded_at: datetime
    assessed_by_id: int
    is_late: bool
    notes: str
    next_due_on: date | None
    struck_at: datetime | None
    strike_reason: str
    replaced_by_id: int | None


class AnswerOut(Schema):
    item_key: str
    label: str
    value: Any
    answer: str
    points: str


class ChangeOut(Schema):
    previous_result_id: int
    total_change: str
    direction: str


class ResultDetailOut(ResultOut):
    answers: list[AnswerOut]
    change: ChangeOut | None
    versions: list[ResultOut]


def result_out(r: AssessmentResult) -> dict:
    return {
        "id": r.pk,
        "resident_id": r.resident_id,
        "tool": r.tool,
        "tool_version": r.tool_version,
        "band_set": r.band_set,
        "total": dec(r.total),
        "band": (
            {"key": r.band_key, "label": r.band_label, "rank": r.band_rank, "action": r.band_action}
            if r.band_key
            else None
        ),
        "summary": r.summary,
        "derived": r.derived or {},
        "findings": list(r.findings or []),
        "assessed_at": r.assessed_at,
        "recorded_at": r.recorded_at,
        "assessed_by_id": r.assessed_by_id,
        "is_late": r.is_late,
        "notes": r.notes,
        "next_due_on": r.next_due_on,
        "struck_at": r.struck_at,
        "strike_reason": r.strike_reason,
        "replaced_by_id": r.replaced_by_id,
    }


def result_detail(r: AssessmentResult, change: queries.Change | None) -> dict:
    return {
        **result_out(r),
        "answers": [
            {"item_key": a.key, "label": a.label, "value": a.value, "answer": a.answer, "points": dec(a.points)}
            for a in queries.answer_rows(r)
        ],
        "change": (
            {"previous_result_id": change.previous.pk, "total_change": dec(change.total), "direction": change.direction}
            if change
            else None
        ),
        "versions": [result_out(v) for v in queries.versions_of(r)],
    }


class ResultIn(Schema):
    tool: str = Field(..., max_length=40, description="The tool's slug, e.g. braden (GET /tools)")
    answers: dict[str, Any] = Field(..., description="item key -> answer (option value, list, number, yes/no)")
    assessed_at: datetime | None = Field(None, description="When assessed (default now); over 1 hour ago: late")
    notes: str = Field("", max_length=5000)
    band_set: str | None = Field(None, max_length=40, description="Default: the organisation's choice")


class CorrectionIn(Schema):
    reason: str = Field(..., min_length=1, max_length=1000)
    answers: dict[str, Any] = Field(..., description="Every answer of the corrected assessment")
    notes: str | None = Field(None, max_length=5000, description="Default: the original's notes")


# --- due, trend, settings -----------------------------------------------------------------------


class DueOut(Schema):
    resident_id: int
    resident_name: str
    room: str
    unit_id: int | None
    unit_name: str
    tool: str
    tool_name: str
    due_on: date
    reason: str
    status: str = Field(..., description="overdue, today, soon or later")
    days: int = Field(..., description="days until due (negative: days overdue)")
    last_result_id: int | None


def due_out(d: queries.DueItem) -> dict:
    return {
        "resident_id": d.resident.id,
        "resident_name": d.resident.display_name,
        "room": d.resident.room,
        "unit_id": d.resident.unit_id,
        "unit_name": d.resident.unit_name,
        "tool": d.config.slug,
        "tool_name": str(d.tool.name),
        "due_on": d.due_on,
        "reason": d.reason,
        "status": d.status,
        "days": d.days,
        "last_result_id": d.last_result.pk if d.last_result else None,
    }


class TrendPointOut(Schema):
    result_id: int
    assessed_at: datetime
    total: str
    band: str
    band_label: str
    band_rank: int | None


class TrendOut(Schema):
    resident_id: int
    tool: str
    points: list[TrendPointOut]


class SettingsOut(Schema):
    tool: str
    enabled: bool
    band_set: str
    band_sets: list[str]
    review_days: int | None = Field(..., description="The interval in use")
    review_days_override: int | None = Field(..., description="The organisation's own interval, if any")
    default_review_days: int | None


def settings_out(conf: ToolConfig) -> dict:
    return {
        "tool": conf.slug,
        "enabled": conf.enabled,
        "band_set": conf.band_set,
        "band_sets": list(conf.tool.band_sets),
        "review_days": conf.review_days,
        "review_days_override": conf.row.review_days if conf.row is not None else None,
        "default_review_days": conf.tool.default_review_days,
    }


class SettingsIn(Schema):
    enabled: bool = True
    band_set: str = Field("", max_length=40, description="Empty: the tool's default")
    review_days: int | None = Field(None, ge=1, le=730, description="Empty: the tool's default")
    reason: str = Field("", max_length=500)
