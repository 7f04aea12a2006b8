"""GDS-15 (Sheikh & Yesavage 1986): one point per depressive answer; "no" is the depressive answer
to questions 1, 5, 7, 11 and 13 (reverse-keyed), "yes" to the other ten."""

from __future__ import annotations

import pytest

from writecarenotes.assessments.engine import get_tool, score

TOOL = get_tool("gds15")
REVERSED = {"satisfied", "good_spirits", "happy", "wonderful_alive", "energy"}


def depressive(n: int) -> dict:
    """The first ``n`` questions answered the depressive way, the rest not."""
    out = {}
    for i, item in enumerate(TOOL.items):
        depressed = i < n
        out[item.key] = "no" if (item.key in REVERSED) == depressed else "yes"
    return out


def test_reverse_keyed_questions_are_1_5_7_11_13():
    keys = [i.key for i in TOOL.items]
    assert [keys.index(k) + 1 for k in sorted(REVERSED, key=keys.index)] == [1, 5, 7, 11, 13]
    for item in TOOL.items:
        yes_points = item.option("yes").points
        assert yes_points == (0 if item.key in REVERSED else 1)


def test_all_yes_scores_10_all_no_scores_5():
    assert score(TOOL, {i.key: "yes" for i in TOOL.items}).total == 10
    assert score(TOOL, {i.key: "no" for i in TOOL.items}).total == 5


@pytest.mark.parametrize(
    ("n", "severity", "screen"),
    [
        (0, "normal", "unlikely"),
        (4, "normal", "unlikely"),
        (5, "mild", "suggested"),
        (8, "mild", "suggested"),
        (9, "moderate", "suggested"),
        (11, "moderate", "suggested"),
        (12, "severe", "suggested"),
        (15, "severe", "suggested"),
    ],
)
def test_band_sets(n, severity, screen):
    answers = depressive(n)
    assert score(TOOL, answers).total == n
    assert score(TOOL, answers).band.key == severity
    assert score(TOOL, answers, "screen").band.key == screen
