"""AMTS (Hodkinson 1972) and AMT4 (Swain & Nightingale 1997): the score counts correct answers.

AMTS cut-offs: under 8 (Jitapunkul et al. 1991; default) and 6 or below; AMT4: under 4.
"""

from __future__ import annotations

import pytest

from writecarenotes.assessments.engine import AnswerError, clean_answers, get_tool, score

AMTS = get_tool("amts")
AMT4 = get_tool("amt4")


def correct(tool, n: int) -> dict:
    """The first ``n`` questions answered correctly, the rest not."""
    return {item.key: ("yes" if i < n else "no") for i, item in enumerate(tool.items)}


def test_ten_questions_one_point_each():
    assert len(AMTS.items) == 10
    for n in range(11):
        assert score(AMTS, correct(AMTS, n)).total == n


@pytest.mark.parametrize(
    ("n", "below_8", "six_or_below"),
    [(0, "impaired", "impaired"), (6, "impaired", "impaired"), (7, "impaired", "normal"), (8, "normal", "normal")]
    + [(10, "normal", "normal")],
)
def test_amts_band_sets(n, below_8, six_or_below):
    assert score(AMTS, correct(AMTS, n)).band.key == below_8
    assert score(AMTS, correct(AMTS, n), "six_or_below").band.key == six_or_below


def test_correct_and_incorrect_are_the_answers_shown():
    assert [o.label for o in AMTS.items[0].options] == ["Correct", "Incorrect"]
    with pytest.raises(AnswerError):
        clean_answers(AMTS, {**correct(AMTS, 10), "age": "perhaps"})


@pytest.mark.parametrize(("n", "band"), [(0, "impaired"), (3, "impaired"), (4, "normal")])
def test_amt4(n, band):
    assert [i.key for i in AMT4.items] == ["age", "date_of_birth", "place", "year"]
    result = score(AMT4, correct(AMT4, n))
    assert (result.total, result.band.key) == (n, band)
