"""MMSE recorded from the licensed form: an external score, no items of the MMSE implemented.
Bands: 24-30 none, 18-23 mild, 0-17 severe (Tombaugh & McIntyre 1992; default); Alzheimer's disease
severity as NICE uses the MMSE (TA111 / TA217): 21-26 mild, 10-20 moderate (10-14 moderately severe),
under 10 severe."""

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


def test_the_default_band_set_is_tombaugh():
    assert TOOL.default_band_set == "tombaugh_1992"


@pytest.mark.parametrize(
    ("value", "band"),
    [(0, "severe"), (9, "severe"), (10, "moderately_severe"), (14, "moderately_severe"), (15, "moderate")]
    + [(20, "moderate"), (21, "mild"), (26, "mild"), (27, "above_mild"), (30, "above_mild")],
)
def test_nice_severity_bands(value, band):
    result = score(TOOL, {"score": str(value)}, "nice_ta217")
    assert (result.band_set, result.band.key) == ("nice_ta217", band)


@pytest.mark.parametrize("bad", ["31", "-1", "24.5", "", "twenty"])
def test_bad_scores(bad):
    with pytest.raises(AnswerError) as caught:
        clean_answers(TOOL, {"score": bad})
    assert list(caught.value.errors) == ["score"]
