"""Coordinates of the pathways' server-drawn charts (SVG in templates: no script, no inline style;
colours are SVG presentation attributes, allowed by the strict CSP).

- ``symptom_grid``: the symptom chart, one row per symptom and one column per observation (oldest on
  the left), each cell coloured by its IPOS level with the number in it (colour is never the only cue).
- ``progress_line``: a goal's measurements over time with the baseline and the target as dashed lines.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from writecarenotes.care_planning.models.pathways_entries import SYMPTOMS

#: IPOS level 0-4 → fill colour (white text from 2 up; contrast >= 4.5:1 for the digit)
LEVEL_FILL = ("#e8f1e8", "#fff1c2", "#b35c00", "#b00020", "#5c0010")
LEVEL_TEXT = ("#1b1f23", "#1b1f23", "#ffffff", "#ffffff", "#ffffff")
NONE_FILL, NONE_TEXT = "#f3f5f6", "#4a5560"

GRID_LABEL_W, CELL_W, CELL_H, HEAD_H = 112, 34, 26, 34
#: short row labels of the chart (the form and the entry show the full ones)
SHORT = {
    "pain": _("Pain"),
    "shortness_of_breath": _("Breathlessness"),
    "nausea": _("Nausea"),
    "vomiting": _("Vomiting"),
    "sore_or_dry_mouth": _("Sore or dry mouth"),
    "agitation": _("Agitation"),
    "respiratory_secretions": _("Secretions"),
}
MAX_COLUMNS = 10
LINE_W, LINE_H, PAD_X, PAD_Y = 340, 180, 34, 18


def symptom_grid(observations: list) -> dict:
    """Observations oldest first (the last MAX_COLUMNS shown)."""
    shown = observations[-MAX_COLUMNS:]
    width = GRID_LABEL_W + CELL_W * max(len(shown), 1) + 4
    height = HEAD_H + CELL_H * len(SYMPTOMS) + 4
    columns = []
    for i, obs in enumerate(shown):
        x = GRID_LABEL_W + i * CELL_W
        cells = []
        for r, (key, label, _ipos) in enumerate(SYMPTOMS):
            level = getattr(obs, key)
            cells.append(
                {
                    "x": x,
                    "y": HEAD_H + r * CELL_H,
                    "cx": x + CELL_W / 2,
                    "cy": HEAD_H + r * CELL_H + CELL_H / 2,
                    "level": "–" if level is None else level,
                    "fill": NONE_FILL if level is None else LEVEL_FILL[level],
                    "ink": NONE_TEXT if level is None else LEVEL_TEXT[level],
                    "label": label,
                }
            )
        columns.append({"x": x + CELL_W / 2, "obs": obs, "cells": cells})
    rows = [
        {"y": HEAD_H + r * CELL_H + CELL_H / 2, "label": SHORT.get(k, label)}
        for r, (k, label, _i) in enumerate(SYMPTOMS)
    ]
    return {
        "width": width,
        "height": height,
        "cell_w": CELL_W - 2,
        "cell_h": CELL_H - 2,
        "head_y": HEAD_H - 8,
        "columns": columns,
        "rows": rows,
    }


def _text(value: Decimal) -> str:
    value = Decimal(value)
    return f"{(value.normalize() if value == value.to_integral_value() else value):f}"


def progress_line(points: list[tuple], *, baseline: Decimal, target: Decimal, low=None, high=None) -> dict:
    """``points``: (when, value) oldest first. The y range covers baseline, target and every value
    (or ``low``-``high`` for a scale with a fixed range, such as the Barthel Index)."""
    values = [Decimal(v) for _w, v in points] + [Decimal(baseline), Decimal(target)]
    lo = Decimal(low) if low is not None else min(values)
    hi = Decimal(high) if high is not None else max(values)
    if hi == lo:
        hi = lo + 1
    span_y = float(hi - lo)

    def y(v) -> float:
        return round(LINE_H - PAD_Y - float(Decimal(v) - lo) / span_y * (LINE_H - 2 * PAD_Y), 1)

    chart = {
        "width": LINE_W,
        "height": LINE_H,
        "pad": PAD_X,
        "right": LINE_W - PAD_X,
        "axis_y": LINE_H - PAD_Y,
        "top_y": PAD_Y,
        "low": _text(lo),
        "high": _text(hi),
        "baseline": {"y": y(baseline), "label": _text(baseline)},
        "target": {"y": y(target), "label": _text(target)},
        "dots": [],
        "points": "",
    }
    if not points:
        return chart
    first, last = points[0][0], points[-1][0]
    span_x = max((last - first).total_seconds(), 1)
    dots = []
    for when, value in points:
        x = PAD_X + (when - first).total_seconds() / span_x * (LINE_W - 2 * PAD_X) if len(points) > 1 else LINE_W / 2
        dots.append({"x": round(x, 1), "y": y(value), "value": _text(value), "at": when})
    chart["dots"] = dots
    chart["points"] = " ".join(f"{d['x']},{d['y']}" for d in dots)
    return chart
