"""PAINAD (Warden, Hurley & Volicer 2003): five items 0-2, total 0-10; 1-3 mild, 4-6 moderate,
7-10 severe (0: no pain observed)."""

from __future__ import annotations

import pytest

from writecarenotes.assessments.engine import get_tool, score

TOOL = get_tool("painad")
KEYS = ["breathing", "negative_vocalisation", "facial_expression", "body_language", "consolability"]


@pytest.mark.parametrize(
    ("points", "band"),
    [
        ((0, 0, 0, 0, 0), "no_pain"),
        ((1, 0, 0, 0, 0), "mild"),
        ((1, 1, 1, 0, 0), "mild"),
        ((2, 1, 1, 0, 0), "moderate"),
        ((2, 2, 1, 1, 0), "moderate"),
        ((2, 2, 1, 1, 1), "severe"),
        ((2, 2, 2, 2, 2), "severe"),
    ],
)
def test_bands(points, band):
    result = score(TOOL, dict(zip(KEYS, (str(p) for p in points), strict=True)))
    assert result.total == sum(points) and result.band.key == band


def test_five_items_scored_0_to_2():
    assert [i.key for i in TOOL.items] == KEYS
    assert all([o.points for o in i.options] == [0, 1, 2] for i in TOOL.items)
    assert TOOL.max_total == 10
