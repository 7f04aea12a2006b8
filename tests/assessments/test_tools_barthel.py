"""Barthel Index: the 20-point version (Collin et al. 1988) and the 100-point index (Mahoney &
Barthel 1965), with the dependency categories of Shah, Vanclay & Cooper (1989).
"""

from __future__ import annotations

import pytest

from tests.assessments.test_engine import answers_for_total
from writecarenotes.assessments.engine import get_tool, score

B20 = get_tool("barthel")
B100 = get_tool("barthel-100")

B20_POINTS = {
    "bowels": 2,
    "bladder": 2,
    "grooming": 1,
    "toilet_use": 2,
    "feeding": 2,
    "transfer": 3,
    "mobility": 3,
    "dressing": 2,
    "stairs": 2,
    "bathing": 1,
}
B100_POINTS = {
    "feeding": 10,
    "transfer": 15,
    "grooming": 5,
    "toilet": 10,
    "bathing": 5,
    "walking": 15,
    "stairs": 10,
    "dressing": 10,
    "bowels": 10,
    "bladder": 10,
}


def _max(tool) -> dict:
    return {i.key: max(i.options, key=lambda o: o.points).value for i in tool.items}


def test_ten_items_and_their_maximums():
    assert {i.key: max(o.points for o in i.options) for i in B20.items} == B20_POINTS
    assert {i.key: max(o.points for o in i.options) for i in B100.items} == B100_POINTS
    assert score(B20, _max(B20)).total == 20 and score(B100, _max(B100)).total == 100
    assert score(B20, _max(B20)).band.key == score(B100, _max(B100)).band.key == "independent"


def test_the_20_point_version_is_the_100_point_index_divided_by_5():
    """Collin et al. 1988: the same ten items; each step is one point instead of five."""
    for item in B20.items:
        assert [o.points for o in item.options] == list(range(len(item.options)))


def test_worked_example_100():
    """A published worked example (calculatorlib.com, Barthel Index calculator): independent in
    feeding, bathing, grooming, dressing, bowels, bladder and toilet use; minor help with transfers
    (10); walks with help (10); needs help on stairs (5): 85, moderate dependency (61-90)."""
    answers = {**_max(B100), "transfer": "10", "walking": "10", "stairs": "5"}
    result = score(B100, answers)
    assert (result.total, result.band.key) == (85, "moderate")


def test_worked_example_20():
    """The same person on the 20-point scale: transfer 2, mobility 2, stairs 1: 17, moderate."""
    answers = {**_max(B20), "transfer": "2", "mobility": "2", "stairs": "1"}
    assert (score(B20, answers).total, score(B20, answers).band.key) == (17, "moderate")


def test_wheelchair_scores_5_only_as_the_walking_answer():
    assert B100.item("walking").option("wheelchair_5").points == 5


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "total"), (4, "total"), (5, "severe"), (12, "severe"), (13, "moderate"), (18, "moderate"), (19, "slight")]
    + [(20, "independent")],
)
def test_20_point_bands(total, band):
    assert score(B20, answers_for_total(B20, total)).band.key == band


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "total"), (20, "total"), (25, "severe"), (60, "severe"), (65, "moderate"), (90, "moderate")]
    + [(95, "slight"), (100, "independent")],
)
def test_100_point_bands(total, band):
    assert score(B100, answers_for_total(B100, total)).band.key == band
