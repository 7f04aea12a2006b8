"""'MUST' (BAPEN): BMI score, weight loss score, acute disease effect and overall risk.

Exact boundaries from BAPEN's chart: BMI over 20 -> 0, 18.5-20 -> 1, under 18.5 -> 2 (20.0 and
18.5 both score 1); unplanned weight loss under 5 % -> 0, 5-10 % -> 1, over 10 % -> 2 (exactly 5 %
and exactly 10 % score 1). BMI and weight loss are calculated to one decimal place. The worked
examples are computed by hand.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from writecarenotes.assessments.engine import AnswerError, clean_answers, get_tool, score

TOOL = get_tool("must")
D = Decimal


def must(**answers):
    return score(TOOL, {"acute_disease": "no", **answers})


@pytest.mark.parametrize(
    ("weight", "height", "bmi", "points"),
    [
        ("58.0", "1.70", "20.1", 0),  # 20.069 -> 20.1
        ("57.8", "1.70", "20.0", 1),  # exactly 20.0 (57.8 / 2.89)
        ("57.9", "1.70", "20.0", 1),  # 20.035 -> 20.0: the value shown is the value scored
        ("53.5", "1.70", "18.5", 1),  # 18.51 -> 18.5
        ("53.2", "1.70", "18.4", 2),  # 18.41 -> 18.4
        ("90.0", "1.70", "31.1", 0),
    ],
)
def test_bmi_score_boundaries_from_measurements(weight, height, bmi, points):
    result = must(weight_kg=weight, height_m=height, weight_loss_entered="0")
    assert result.derived["bmi"] == D(bmi)
    assert result.derived_points["bmi"] == points
    assert result.total == points


@pytest.mark.parametrize(("bmi", "points"), [("30.0", 0), ("20.1", 0), ("20.0", 1), ("18.5", 1), ("18.4", 2)])
def test_bmi_score_boundaries_from_an_estimated_bmi(bmi, points):
    result = must(bmi_entered=bmi, weight_loss_entered="0")
    assert (result.derived["bmi"], result.derived_points["bmi"]) == (D(bmi), points)


@pytest.mark.parametrize(
    ("previous", "current", "percent", "points"),
    [
        ("100.0", "95.1", "4.9", 0),
        ("60.0", "57.0", "5.0", 1),  # exactly 5 %
        ("70.0", "66.5", "5.0", 1),  # exactly 5 %
        ("60.0", "54.0", "10.0", 1),  # exactly 10 %
        ("100.0", "89.9", "10.1", 2),
        ("80.0", "60.0", "25.0", 2),
        ("60.0", "63.0", "-5.0", 0),  # a gain
    ],
)
def test_weight_loss_score_boundaries(previous, current, percent, points):
    result = must(weight_kg=current, previous_weight_kg=previous, bmi_entered="22.0")
    assert result.derived["weight_loss_percent"] == D(percent)
    assert result.derived_points["weight_loss_percent"] == points
    assert result.total == points


@pytest.mark.parametrize(("percent", "points"), [("4.9", 0), ("5.0", 1), ("10.0", 1), ("10.1", 2)])
def test_weight_loss_score_from_an_estimate(percent, points):
    assert must(bmi_entered="22.0", weight_loss_entered=percent).derived_points["weight_loss_percent"] == points


def test_acute_disease_effect_scores_2():
    result = must(bmi_entered="22.0", weight_loss_entered="0", acute_disease="yes")
    assert result.item_points["acute_disease"] == 2 and result.total == 2 and result.band.key == "high"


@pytest.mark.parametrize(
    ("bmi", "loss", "acute", "expected", "band"),
    [
        ("22.0", "0", "no", 0, "low"),
        ("19.0", "0", "no", 1, "medium"),
        ("22.0", "7.0", "no", 1, "medium"),
        ("19.0", "7.0", "no", 2, "high"),
        ("17.0", "12.0", "yes", 6, "high"),
    ],
)
def test_overall_risk_0_low_1_medium_2_or_more_high(bmi, loss, acute, expected, band):
    result = score(TOOL, {"bmi_entered": bmi, "weight_loss_entered": loss, "acute_disease": acute})
    assert (result.total, result.band.key) == (expected, band)


def test_worked_example():
    """Hand-computed: 1.65 m and 50.0 kg give BMI 18.4 (score 2); 55.0 kg four months ago gives a
    9.1 % loss (score 1); not acutely ill (0). MUST 3: high risk, treat."""
    result = must(weight_kg="50.0", height_m="1.65", previous_weight_kg="55.0")
    assert result.derived == {"bmi": D("18.4"), "weight_loss_percent": D("9.1")}
    assert result.derived_points == {"bmi": 2, "weight_loss_percent": 1}
    assert result.total == 3 and result.band.key == "high"
    assert result.summary == "MUST 3: high risk"
    assert "dietitian" in str(result.band.action)
    assert set(result.item_points) == {i.key for i in TOOL.items}


def test_obesity_is_noted_but_scores_0():
    result = must(bmi_entered="30.1", weight_loss_entered="0")
    assert result.total == 0 and "obese" in result.notes[0]
    assert must(bmi_entered="30.0", weight_loss_entered="0").notes == ()


def test_care_homes_rescreen_monthly():
    assert TOOL.default_review_days == 30


@pytest.mark.parametrize(
    ("answers", "key", "message"),
    [
        (
            {"weight_kg": "60.0", "weight_loss_entered": "0"},
            "height_m",
            "Enter weight and height, or an estimated BMI.",
        ),
        ({"height_m": "1.60", "weight_loss_entered": "0"}, "weight_kg", "Enter weight and height"),
        (
            {"weight_kg": "60.0", "height_m": "1.60", "bmi_entered": "23.0", "weight_loss_entered": "0"},
            "bmi_entered",
            "Leave this blank",
        ),
        ({"bmi_entered": "22.0"}, "previous_weight_kg", "Enter the weight 3 to 6 months ago"),
        (
            {"weight_kg": "60.0", "height_m": "1.60", "previous_weight_kg": "62.0", "weight_loss_entered": "3"},
            "weight_loss_entered",
            "Leave this blank",
        ),
        ({"weight_kg": "60.05", "height_m": "1.60", "weight_loss_entered": "0"}, "weight_kg", "1 decimal places"),
        ({"weight_kg": "60.0", "height_m": "16.0", "weight_loss_entered": "0"}, "height_m", "at most 2.30"),
    ],
)
def test_missing_or_conflicting_measurements(answers, key, message):
    with pytest.raises(AnswerError) as caught:
        clean_answers(TOOL, {"acute_disease": "no", **answers})
    assert message in caught.value.errors[key]


def test_acute_disease_question_is_required():
    with pytest.raises(AnswerError) as caught:
        clean_answers(TOOL, {"bmi_entered": "22.0", "weight_loss_entered": "0"})
    assert list(caught.value.errors) == ["acute_disease"]
