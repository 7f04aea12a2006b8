"""MMSE recorded from the licensed form: an external score, no items of the MMSE implemented.
Bands: 24-30 none, 18-23 mild, 0-17 severe (Tombaugh & McIntyre 1992)."""

from __future__ import annotations

import pytest

from writecarenotes.assessments.engine import AnswerError, clean_answers, get_tool, score

TOOL = get_tool("mmse-external")


def test_one_number_item_and_a_licence_note():
    assert TOOL.external and TOOL.rule == "external"
    assert [(i.key, i.kind) for i in TOOL.items] == [("score", "number")]
    assert "PAR" in TOOL.licence and "NOT implemented" in TOOL.licence


@pytest.mark.parametrize(
    ("value", "band"),
    [(0, "severe"), (17, "severe"), (18, "mild"), (23, "mild"), (24, "none"), (30, "none")],
)
def test_total_is_the_entered_score(value, band):
    result = score(TOOL, {"score": str(value)})
    assert (result.total, result.band.key) == (value, band)
    assert result.item_points == {"score": value}, "the entered score is the only item's points"
    assert result.summary.startswith(f"MMSE {value}: ")


@pytest.mark.parametrize("bad", ["31", "-1", "24.5", "", "twenty"])
def test_bad_scores(bad):
    with pytest.raises(AnswerError) as caught:
        clean_answers(TOOL, {"score": bad})
    assert list(caught.value.errors) == ["score"]
