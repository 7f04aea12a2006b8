"""Braden Scale (Bergstrom et al. 1987; levels of risk Ayello & Braden 2002).

Worked examples are computed by hand from the published subscale points; every band boundary is
scored on both sides, in both band sets.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from writecarenotes.assessments.engine import AnswerError, clean_answers, get_tool, score

TOOL = get_tool("braden")
KEYS = ("sensory_perception", "moisture", "activity", "mobility", "nutrition", "friction_shear")


def answers(*points) -> dict:
    return dict(zip(KEYS, (str(p) for p in points), strict=True))


def test_six_subscales_scored_one_to_four_and_friction_one_to_three():
    assert [i.key for i in TOOL.items] == list(KEYS)
    for item in TOOL.items[:5]:
        assert [o.points for o in item.options] == [1, 2, 3, 4]
    assert [o.points for o in TOOL.items[5].options] == [1, 2, 3]
    assert (TOOL.min_total, TOOL.max_total) == (6, 23)


def test_worked_example():
    """Hand-computed: slightly limited perception (3), very moist (2), chairfast (2), very limited
    mobility (2), probably inadequate nutrition (2), potential friction problem (2) = 13: moderate risk."""
    result = score(TOOL, answers(3, 2, 2, 2, 2, 2))
    assert result.total == Decimal(13)
    assert result.band.key == "moderate"
    assert result.summary == "Braden 13: moderate risk"


@pytest.mark.parametrize(
    ("points", "total", "band"),
    [
        ((1, 1, 1, 1, 1, 1), 6, "very_high"),
        ((2, 2, 2, 1, 1, 1), 9, "very_high"),
        ((2, 2, 2, 2, 1, 1), 10, "high"),
        ((2, 2, 2, 2, 2, 2), 12, "high"),
        ((3, 2, 2, 2, 2, 2), 13, "moderate"),
        ((3, 3, 2, 2, 2, 2), 14, "moderate"),
        ((3, 3, 3, 2, 2, 2), 15, "at_risk"),
        ((3, 3, 3, 3, 3, 3), 18, "at_risk"),
        ((4, 3, 3, 3, 3, 3), 19, "no_risk"),
        ((4, 4, 4, 4, 4, 3), 23, "no_risk"),
    ],
)
def test_default_band_boundaries(points, total, band):
    result = score(TOOL, answers(*points))
    assert (result.total, result.band.key, result.band_set) == (total, band, "ayello_braden")


@pytest.mark.parametrize(("points", "band"), [((3, 3, 3, 3, 2, 2), "at_risk"), ((3, 3, 3, 3, 3, 2), "not_at_risk")])
def test_cutoff_16_band_set(points, band):
    """Bergstrom et al. 1987: 16 or less at risk; 17 not at risk."""
    result = score(TOOL, answers(*points), "cutoff_16")
    assert result.band.key == band and result.band_set == "cutoff_16"


def test_ranks_worsen_as_the_score_falls():
    ranks = [b.rank for b in TOOL.band_sets["ayello_braden"]]
    assert ranks == sorted(ranks, reverse=True)


def test_friction_has_no_level_four():
    with pytest.raises(AnswerError) as caught:
        clean_answers(TOOL, answers(4, 4, 4, 4, 4, 4))
    assert list(caught.value.errors) == ["friction_shear"]
