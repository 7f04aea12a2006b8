"""The 5 x 5 risk matrix of the risk register: likelihood x consequence, graded as published.

Source: National Patient Safety Agency (NPSA), "A risk matrix for risk managers", January 2008.
Its model matrix scores consequence 1-5 (negligible, minor, moderate,
major, catastrophic) against likelihood 1-5 (rare, unlikely, possible, likely, almost certain);
the risk score is consequence x likelihood, and its "Risk scoring and grading" section grades
the scores in four bands:

    1 - 3    low risk
    4 - 6    moderate risk
    8 - 12   high risk
    15 - 25  extreme risk

(7, 11, 13, 14 and the numbers between 16 and 25 other than 16, 20 and 25 cannot occur as a
product of two numbers from 1 to 5.) This module keeps the NPSA's labels and its four grades;
the register calls the impact axis "impact" as the care plan does, with the NPSA's
consequence descriptors as its labels.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

SOURCE = _('National Patient Safety Agency (NPSA), "A risk matrix for risk managers", January 2008.')

#: Likelihood score -> the NPSA descriptor.
LIKELIHOOD = {
    1: _("Rare"),
    2: _("Unlikely"),
    3: _("Possible"),
    4: _("Likely"),
    5: _("Almost certain"),
}

#: Consequence (impact) score -> the NPSA descriptor.
IMPACT = {
    1: _("Negligible"),
    2: _("Minor"),
    3: _("Moderate"),
    4: _("Major"),
    5: _("Catastrophic"),
}

LOW, MODERATE, HIGH, EXTREME = "low", "moderate", "high", "extreme"


@dataclass(frozen=True)
class Grade:
    key: str
    label: str
    low: int
    high: int
    rank: int
    badge: str  # the stylesheet's badge class


#: The NPSA grades, lowest first (inclusive score ranges).
GRADES = (
    Grade(LOW, _("Low risk"), 1, 3, 1, "working"),
    Grade(MODERATE, _("Moderate risk"), 4, 6, 2, "partial"),
    Grade(HIGH, _("High risk"), 8, 12, 3, "alert"),
    Grade(EXTREME, _("Extreme risk"), 15, 25, 4, "alert"),
)
GRADE_BY_KEY = {g.key: g for g in GRADES}
RATING_CHOICES = [(g.key, g.label) for g in GRADES]


def check_axis(value, name: str) -> int:
    """An axis score as an int from 1 to 5, or ValueError."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValueError(f"{name} must be a whole number from 1 to 5")
    return value


def score(likelihood: int, impact: int) -> int:
    """The NPSA risk score: likelihood x consequence (1-25)."""
    return check_axis(likelihood, "likelihood") * check_axis(impact, "impact")


#: Every score the matrix can give (a product of two numbers from 1 to 5).
SCORES = frozenset(a * b for a in range(1, 6) for b in range(1, 6))


def grade_of(value: int) -> Grade:
    """The NPSA grade of a risk score of the matrix."""
    if value not in SCORES:
        raise ValueError(f"{value} is not a score of the 5 x 5 matrix")
    for g in GRADES:
        if g.low <= value <= g.high:
            return g
    raise ValueError(f"{value} is not a score of the 5 x 5 matrix")


def rate(likelihood: int, impact: int) -> tuple[int, Grade]:
    s = score(likelihood, impact)
    return s, grade_of(s)


def matrix() -> list[dict]:
    """Rows of the matrix for display, likelihood 5 (top) to 1, each cell with its score and grade."""
    rows = []
    for lk in range(5, 0, -1):
        cells = [{"impact": im, "score": lk * im, "grade": grade_of(lk * im)} for im in range(1, 6)]
        rows.append({"likelihood": lk, "label": LIKELIHOOD[lk], "cells": cells})
    return rows
