"""Morse Fall Scale (Morse, Morse & Tylko 1989): item points, 0-125, and both band sets.

Totals move in steps of 5, so the nearest totals either side of each cut-off are tested
(24 cannot be reached: 20 and 25 are its neighbours). Worked examples computed by hand.
"""

from __future__ import annotations

import pytest

from writecarenotes.assessments.engine import AnswerError, clean_answers, get_tool, score

TOOL = get_tool("morse")
NONE = {
    "history_of_falling": "no",
    "secondary_diagnosis": "no",
    "ambulatory_aid": "none",
    "iv_access": "no",
    "gait": "normal",
    "mental_status": "oriented",
}


def test_item_points():
    result = score(
        TOOL,
        {
            "history_of_falling": "yes",
            "secondary_diagnosis": "yes",
            "ambulatory_aid": "furniture",
            "iv_access": "yes",
            "gait": "impaired",
            "mental_status": "forgets",
        },
    )
    assert result.item_points == {
        "history_of_falling": 25,
        "secondary_diagnosis": 15,
        "ambulatory_aid": 30,
        "iv_access": 20,
        "gait": 20,
        "mental_status": 15,
    }
    assert result.total == 125 == TOOL.max_total and result.band.key == "high"
    assert score(TOOL, NONE).total == 0


def test_worked_example():
    """Hand-computed: fell last month (25), several diagnoses (15), uses a walking frame (15), no IV
    (0), weak gait (10), knows own ability (0) = 65: high risk in both band sets."""
    answers = {**NONE, "history_of_falling": "yes", "secondary_diagnosis": "yes", "ambulatory_aid": "aid"}
    answers["gait"] = "weak"
    assert score(TOOL, answers).total == 65
    assert score(TOOL, answers).band.key == "high"
    assert score(TOOL, answers, "morse_51").band.key == "high"


@pytest.mark.parametrize(
    ("changes", "total", "default_band", "alt_band"),
    [
        ({"secondary_diagnosis": "yes", "gait": "weak"}, 25, "moderate", "low"),
        ({"gait": "impaired"}, 20, "low", "no_risk"),
        ({"history_of_falling": "yes", "secondary_diagnosis": "yes"}, 40, "moderate", "low"),
        ({"history_of_falling": "yes", "gait": "impaired"}, 45, "high", "low"),
        ({"history_of_falling": "yes", "iv_access": "yes", "mental_status": "forgets"}, 60, "high", "high"),
        ({"history_of_falling": "yes", "ambulatory_aid": "aid", "gait": "weak"}, 50, "high", "low"),
        ({"history_of_falling": "yes", "ambulatory_aid": "aid", "secondary_diagnosis": "yes"}, 55, "high", "high"),
    ],
)
def test_cut_offs_25_45_and_51(changes, total, default_band, alt_band):
    answers = {**NONE, **changes}
    assert score(TOOL, answers).total == total
    assert score(TOOL, answers).band.key == default_band
    assert score(TOOL, answers, "morse_51").band.key == alt_band


def test_missing_item():
    answers = dict(NONE)
    del answers["gait"]
    with pytest.raises(AnswerError) as caught:
        clean_answers(TOOL, answers)
    assert caught.value.errors == {"gait": "This is required."}
