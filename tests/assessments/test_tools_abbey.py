"""Abbey Pain Scale (Abbey et al. 2004): six items 0-3, total 0-18; 0-2 no pain, 3-7 mild, 8-13
moderate, 14+ severe; the type of pain is recorded and does not score."""

from __future__ import annotations

import pytest

from writecarenotes.assessments.engine import AnswerError, clean_answers, get_tool, score

TOOL = get_tool("abbey")
KEYS = [i.key for i in TOOL.items if i.key != "pain_type"]


def answers(*points, **extra) -> dict:
    return {**dict(zip(KEYS, (str(p) for p in points), strict=True)), **extra}


@pytest.mark.parametrize(
    ("points", "total", "band"),
    [
        ((0, 0, 0, 0, 0, 0), 0, "no_pain"),
        ((1, 1, 0, 0, 0, 0), 2, "no_pain"),
        ((1, 1, 1, 0, 0, 0), 3, "mild"),
        ((2, 2, 2, 1, 0, 0), 7, "mild"),
        ((2, 2, 2, 2, 0, 0), 8, "moderate"),
        ((3, 3, 3, 2, 1, 1), 13, "moderate"),
        ((3, 3, 3, 3, 1, 1), 14, "severe"),
        ((3, 3, 3, 3, 3, 3), 18, "severe"),
    ],
)
def test_bands(points, total, band):
    result = score(TOOL, answers(*points))
    assert (result.total, result.band.key) == (total, band)


def test_pain_type_is_recorded_and_does_not_score():
    plain = score(TOOL, answers(1, 1, 1, 0, 0, 0))
    typed = score(TOOL, answers(1, 1, 1, 0, 0, 0, pain_type="acute_on_chronic"))
    assert plain.total == typed.total == 3 and typed.item_points["pain_type"] == 0
    assert clean_answers(TOOL, answers(0, 0, 0, 0, 0, 0, pain_type="chronic"))["pain_type"] == "chronic"


def test_six_items_scored_0_to_3():
    assert len(KEYS) == 6
    for key in KEYS:
        assert [o.points for o in TOOL.item(key).options] == [0, 1, 2, 3]
    with pytest.raises(AnswerError):
        clean_answers(TOOL, answers(4, 0, 0, 0, 0, 0))
