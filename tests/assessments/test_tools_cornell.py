"""Cornell Scale for Depression in Dementia (Alexopoulos et al. 1988): 19 items, a = unable to
evaluate (0), 0 absent, 1 mild or intermittent, 2 severe; above 10 probable, above 18 definite major
depression; below 6 no significant depressive symptoms."""

from __future__ import annotations

import pytest

from writecarenotes.assessments.engine import AnswerError, clean_answers, get_tool, score

TOOL = get_tool("cornell")


def rated(total: int, rest: str = "0") -> dict:
    """Items rated 2 then 1 to reach ``total``; the others ``rest``."""
    out, left = {}, total
    for item in TOOL.items:
        if left >= 2:
            out[item.key], left = "2", left - 2
        elif left == 1:
            out[item.key], left = "1", 0
        else:
            out[item.key] = rest
    return out


def test_19_items_and_unable_to_evaluate_scores_0():
    assert len(TOOL.items) == 19
    for item in TOOL.items:
        assert {o.value: o.points for o in item.options} == {"a": 0, "0": 0, "1": 1, "2": 2}
    result = score(TOOL, {i.key: "a" for i in TOOL.items})
    assert (result.total, result.band.key) == (0, "none")
    assert score(TOOL, rated(7, rest="a")).total == 7


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "none"), (5, "none"), (6, "some"), (10, "some"), (11, "probable"), (18, "probable"), (19, "definite")]
    + [(38, "definite")],
)
def test_bands(total, band):
    result = score(TOOL, rated(total))
    assert (result.total, result.band.key) == (total, band)


def test_every_item_must_be_rated():
    answers = rated(3)
    del answers["suicide"]
    with pytest.raises(AnswerError) as caught:
        clean_answers(TOOL, answers)
    assert list(caught.value.errors) == ["suicide"]
