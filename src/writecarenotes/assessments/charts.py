"""Coordinates of a server-drawn trend chart (an SVG in a template: no script, no inline style)."""

from __future__ import annotations

from decimal import Decimal

from writecarenotes.assessments import engine

WIDTH, HEIGHT, PAD_X, PAD_Y = 340, 180, 34, 18
#: colours by band rank (0 = best): blue, amber, dark orange, red, dark red; contrast >= 4.5:1 on white
RANK_COLOURS = ("#1d4f91", "#8a5a00", "#b35c00", "#b00020", "#7a0016")


def _range(tool: engine.Tool, totals: list[Decimal]) -> tuple[Decimal, Decimal]:
    low = tool.min_total
    high = tool.max_total
    if high is None:
        try:
            low, high = engine.theoretical_range(tool)
        except Exception:  # noqa: BLE001  (a chart must never break the page)
            high = None
    if high is None or high <= low:
        low, high = min([*totals, Decimal(0)]), max([*totals, Decimal(1)])
    low = min([low, *totals])
    high = max([high, *totals])
    if high == low:
        high = low + 1
    return low, high


def colour(rank: int | None) -> str:
    if rank is None:
        return RANK_COLOURS[0]
    return RANK_COLOURS[min(rank, len(RANK_COLOURS) - 1)]


def trend_svg(tool: engine.Tool, results: list, band_set: str) -> dict:
    """Points (x by time, y by total) and the band boundaries of ``band_set`` as dashed lines."""
    chart = {"width": WIDTH, "height": HEIGHT, "pad": PAD_X, "right": WIDTH - PAD_X, "dots": [], "points": ""}
    if not results:
        return chart
    totals = [r.total for r in results]
    low, high = _range(tool, totals)
    span_y = float(high - low)
    first, last = results[0].assessed_at, results[-1].assessed_at
    span_x = max((last - first).total_seconds(), 1)

    def y(value: Decimal) -> float:
        return round(HEIGHT - PAD_Y - float(value - low) / span_y * (HEIGHT - 2 * PAD_Y), 1)

    dots = []
    for r in results:
        if len(results) > 1:
            x = PAD_X + (r.assessed_at - first).total_seconds() / span_x * (WIDTH - 2 * PAD_X)
        else:
            x = WIDTH / 2
        shown = r.total.normalize() if r.total == r.total.to_integral_value() else r.total
        dots.append(
            {
                "x": round(x, 1),
                "y": y(r.total),
                "total": f"{shown:f}",
                "band": r.band_label,
                "at": r.assessed_at,
                "colour": colour(r.band_rank),
            }
        )
    lines = []
    bands = sorted(tool.band_sets.get(band_set, ()), key=lambda b: b.low)
    for b in bands[1:]:
        if low < b.low <= high:
            shown = b.low.normalize() if b.low == b.low.to_integral_value() else b.low
            lines.append({"y": y(b.low), "label": f"{shown:f}", "colour": colour(b.rank)})
    chart.update(
        {
            "dots": dots,
            "points": " ".join(f"{d['x']},{d['y']}" for d in dots),
            "lines": lines,
            "axis_y": HEIGHT - PAD_Y,
            "top_y": PAD_Y,
            "low": f"{(low.normalize() if low == low.to_integral_value() else low):f}",
            "high": f"{(high.normalize() if high == high.to_integral_value() else high):f}",
        }
    )
    return chart
