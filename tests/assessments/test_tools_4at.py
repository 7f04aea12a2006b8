"""4AT version 1.2 (www.the4at.com): alertness 0/4, AMT4 0/1/2, attention 0/1/2, acute change 0/4;
4+ possible delirium, 1-3 possible cognitive impairment, 0 unlikely."""

from __future__ import annotations

import pytest

from writecarenotes.assessments.engine import get_tool, score

TOOL = get_tool("4at")
CLEAR = {"alertness": "normal", "amt4": "no_mistakes", "attention": "seven_or_more", "acute_change": "no"}


def test_case_1_from_the_4at_case_examples():
    """the4at.com, 4AT case examples, case 1 (Mrs SA): clearly abnormal alertness 4, AMT4
    untestable 2, months backwards untestable 2, acute change from informant 4: 12/12."""
    result = score(
        TOOL, {"alertness": "abnormal", "amt4": "two_or_more", "attention": "untestable", "acute_change": "yes"}
    )
    assert (result.total, result.band.key) == (12, "delirium")


def test_untestable_on_both_tests_scores_4():
    """The 4AT guide: untestable on the AMT4 and the attention test gives 4, possible delirium."""
    result = score(TOOL, {**CLEAR, "amt4": "two_or_more", "attention": "untestable"})
    assert (result.total, result.band.key) == (4, "delirium")


@pytest.mark.parametrize(
    ("changes", "total", "band"),
    [
        ({}, 0, "unlikely"),
        ({"alertness": "mild_sleepiness"}, 0, "unlikely"),
        ({"amt4": "one_mistake"}, 1, "cognitive_impairment"),
        ({"attention": "fewer_than_seven"}, 1, "cognitive_impairment"),
        ({"amt4": "two_or_more", "attention": "fewer_than_seven"}, 3, "cognitive_impairment"),
        ({"alertness": "abnormal"}, 4, "delirium"),
        ({"acute_change": "yes"}, 4, "delirium"),
        ({"acute_change": "yes", "amt4": "one_mistake"}, 5, "delirium"),
    ],
)
def test_bands(changes, total, band):
    result = score(TOOL, {**CLEAR, **changes})
    assert (result.total, result.band.key) == (total, band)
