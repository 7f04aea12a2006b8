"""6CIT, Kingshill version 2000: weighted error scores (year 4, month 3, time 3, counting back 2/4,
months in reverse 2/4, address 2 per error up to 10), total 0-28; 0-7 normal, 8-9 mild, 10-28
significant; and the 8-or-more cut-off of Brooke & Bullock 1999. Examples computed by hand."""

from __future__ import annotations

import pytest

from writecarenotes.assessments.engine import get_tool, score

TOOL = get_tool("6cit")
RIGHT = {
    "year": "correct",
    "month": "correct",
    "time": "correct",
    "count_backwards": "0",
    "months_reverse": "0",
    "address_recall": "0",
}


def test_weights():
    weights = {i.key: [o.points for o in i.options] for i in TOOL.items}
    assert weights == {
        "year": [0, 4],
        "month": [0, 3],
        "time": [0, 3],
        "count_backwards": [0, 2, 4],
        "months_reverse": [0, 2, 4],
        "address_recall": [0, 2, 4, 6, 8, 10],
    }


def test_all_wrong_scores_28():
    wrong = {
        "year": "incorrect",
        "month": "incorrect",
        "time": "incorrect",
        "count_backwards": "2_or_more",
        "months_reverse": "2_or_more",
        "address_recall": "5",
    }
    result = score(TOOL, wrong)
    assert (result.total, result.band.key) == (28, "significant")


@pytest.mark.parametrize(
    ("changes", "total", "band", "cutoff_band"),
    [
        ({}, 0, "normal", "normal"),
        ({"year": "incorrect", "month": "incorrect"}, 7, "normal", "normal"),
        ({"year": "incorrect", "count_backwards": "1", "address_recall": "1"}, 8, "mild", "impaired"),
        ({"year": "incorrect", "month": "incorrect", "address_recall": "1"}, 9, "mild", "impaired"),
        ({"year": "incorrect", "month": "incorrect", "time": "incorrect"}, 10, "significant", "impaired"),
    ],
)
def test_cut_offs(changes, total, band, cutoff_band):
    answers = {**RIGHT, **changes}
    assert score(TOOL, answers).total == total
    assert score(TOOL, answers).band.key == band
    assert score(TOOL, answers, "cutoff_8").band.key == cutoff_band
