"""Server-drawn bar charts of incident counts (SVG coordinates for a template: no script, no inline
style). Every chart is shown next to a table of the same numbers, for screen readers and print."""

from __future__ import annotations

WIDTH = 340
BAR_GAP = 4
LABEL_W = 120  # horizontal bars: room for the label on the left
ROW_H = 20
COL_H = 140  # vertical bars: plot height
PAD = 18
COLOUR = "#1d4f91"  # the app's blue, contrast >= 4.5:1 on white


def horizontal(bars) -> dict:
    """One row per bar (type, unit, resident): the label left, the bar right, the count at its end."""
    top = max([b.count for b in bars] + [1])
    span = WIDTH - LABEL_W - 40
    rows = []
    for i, b in enumerate(bars):
        w = round(b.count / top * span, 1) if b.count else 0
        y = i * ROW_H
        rows.append(
            {
                "label": b.label if len(b.label) <= 18 else b.label[:17] + "…",
                "full_label": b.label,
                "count": b.count,
                "x": LABEL_W,
                "y": y + 3,
                "w": w,
                "h": ROW_H - 6,
                "text_y": y + ROW_H - 6,
                "count_x": LABEL_W + w + 4,
            }
        )
    return {
        "kind": "horizontal",
        "width": WIDTH,
        "height": max(len(rows), 1) * ROW_H,
        "rows": rows,
        "label_x": LABEL_W - 4,
    }


def vertical(bars, *, every: int = 1) -> dict:
    """One column per bar (hour of day, day of week); ``every``: label every n-th column."""
    n = max(len(bars), 1)
    top = max([b.count for b in bars] + [1])
    step = (WIDTH - 2 * PAD) / n
    cols = []
    for i, b in enumerate(bars):
        h = round(b.count / top * COL_H, 1) if b.count else 0
        x = round(PAD + i * step + BAR_GAP / 2, 1)
        cols.append(
            {
                "label": b.label,
                "count": b.count,
                "x": x,
                "w": round(step - BAR_GAP, 1),
                "y": round(PAD + COL_H - h, 1),
                "h": h,
                "mid": round(x + (step - BAR_GAP) / 2, 1),
                "show_label": i % every == 0,
                "count_y": round(PAD + COL_H - h - 3, 1),
            }
        )
    return {
        "kind": "vertical",
        "width": WIDTH,
        "height": PAD + COL_H + 22,
        "axis_y": PAD + COL_H,
        "label_y": PAD + COL_H + 14,
        "cols": cols,
        "left": PAD,
        "right": WIDTH - PAD,
        "top": top,
    }
