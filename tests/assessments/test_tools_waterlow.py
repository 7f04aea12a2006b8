"""Waterlow score card (revised 2005): scores as printed, several scores per category, the category
maximums (neurological 6, medication 4), the MST nutrition score and the bands 10 / 15 / 20.

Worked examples are computed by hand from the card.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from writecarenotes.assessments.engine import AnswerError, clean_answers, get_tool, score

TOOL = get_tool("waterlow")

# 2 points: the lowest possible total (male 1, age 14-49 1)
BASE = {
    "build": "average",
    "skin": ["healthy"],
    "sex": "male",
    "age": "14_49",
    "mst_weight_loss": "no",
    "mst_eating_poorly": "no",
    "continence": "complete",
    "mobility": "fully",
    "neurological_deficit": "none",
    "surgery_orthopaedic": "no",
    "surgery_table_time": "none",
}


def total(**changes) -> Decimal:
    return score(TOOL, {**BASE, **changes}).total


def test_lowest_and_highest_totals():
    assert total() == 2 and score(TOOL, BASE).band.key == "not_at_risk"
    everything = {
        "build": "below_average",
        "skin": ["tissue_paper", "dry", "oedematous", "clammy", "discoloured", "broken"],
        "sex": "female",
        "age": "81_plus",
        "mst_weight_loss": "yes_over_15",
        "mst_eating_poorly": "yes",
        "continence": "urine_faecal",
        "mobility": "chairbound",
        "tissue_malnutrition": ["terminal_cachexia", "multiple_organ_failure", "single_organ_failure", "pvd"]
        + ["anaemia", "smoking"],
        "neurological_deficit": "6",
        "surgery_orthopaedic": "yes",
        "surgery_table_time": "over_6h",
        "medication": ["cytotoxics", "steroids", "anti_inflammatory"],
    }
    result = score(TOOL, everything)
    assert result.total == TOOL.max_total == 84
    assert result.band.key == "very_high"


def test_worked_example_care_home_resident():
    """Hand-computed from the card: woman (2) aged 86 (5), BMI 19 (below average 3), dry and
    tissue-paper skin (1 + 1), no recent weight loss (0) but eating poorly (1), urinary
    incontinence (1), restricted mobility (3) = 17, high risk; with peripheral vascular disease
    (5) = 22, very high risk."""
    answers = {
        **BASE,
        "sex": "female",
        "age": "81_plus",
        "build": "below_average",
        "skin": ["dry", "tissue_paper"],
        "mst_eating_poorly": "yes",
        "continence": "urine",
        "mobility": "restricted",
    }
    result = score(TOOL, answers)
    assert (result.total, result.band.key) == (17, "high")
    assert result.summary == "Waterlow 17: high risk"
    assert result.item_points["skin"] == 2 and result.derived == {"nutrition_score": Decimal(1)}
    result = score(TOOL, {**answers, "tissue_malnutrition": ["pvd"]})
    assert (result.total, result.band.key) == (22, "very_high")


@pytest.mark.parametrize(
    ("changes", "expected", "band"),
    [
        ({"age": "75_80", "mobility": "bedbound"}, 9, "not_at_risk"),  # 1 + 4 + 4
        ({"age": "81_plus", "mobility": "bedbound"}, 10, "at_risk"),  # 1 + 5 + 4
        ({"age": "81_plus", "mobility": "bedbound", "continence": "urine_faecal", "sex": "female"}, 14, "at_risk"),
        ({"age": "81_plus", "mobility": "chairbound", "continence": "urine_faecal", "sex": "female"}, 15, "high"),
        (
            {"age": "81_plus", "mobility": "chairbound", "continence": "urine_faecal", "sex": "female"}
            | {"build": "below_average", "mst_eating_poorly": "yes"},
            19,
            "high",
        ),
        (
            {"age": "81_plus", "mobility": "chairbound", "continence": "urine_faecal", "sex": "female"}
            | {"build": "below_average", "mst_weight_loss": "yes_0_5_to_5", "mst_eating_poorly": "yes"},
            20,
            "very_high",
        ),
    ],
)
def test_band_boundaries_9_10_14_15_19_20(changes, expected, band):
    result = score(TOOL, {**BASE, **changes})
    assert (result.total, result.band.key) == (expected, band)


def test_several_skin_scores_add_up_and_healthy_stands_alone():
    assert total(skin=["oedematous", "discoloured", "broken"]) == 2 + 1 + 2 + 3
    with pytest.raises(AnswerError) as caught:
        clean_answers(TOOL, {**BASE, "skin": ["healthy", "dry"]})
    assert list(caught.value.errors) == ["skin"]
    with pytest.raises(AnswerError):
        clean_answers(TOOL, {**BASE, "skin": []})


def test_tissue_malnutrition_scores_add_up_and_may_be_blank():
    assert total(tissue_malnutrition=["terminal_cachexia", "anaemia", "smoking"]) == 2 + 8 + 2 + 1
    assert score(TOOL, BASE).item_points["tissue_malnutrition"] == 0


def test_medication_scores_at_most_4():
    assert total(medication=["steroids"]) == 2 + 4
    assert total(medication=["cytotoxics", "steroids", "anti_inflammatory"]) == 2 + 4


@pytest.mark.parametrize(("value", "points"), [("none", 0), ("4", 4), ("5", 5), ("6", 6)])
def test_neurological_deficit_scores_4_to_6(value, points):
    assert total(neurological_deficit=value) == 2 + points


def test_major_surgery_orthopaedic_plus_time_on_table():
    assert total(surgery_orthopaedic="yes") == 2 + 5
    assert total(surgery_table_time="over_2h") == 2 + 5
    assert total(surgery_orthopaedic="yes", surgery_table_time="over_6h") == 2 + 5 + 8


@pytest.mark.parametrize(
    ("loss", "eating", "nutrition", "refer"),
    [
        ("no", "no", 0, False),
        ("yes_0_5_to_5", "yes", 2, False),
        ("unsure", "no", 2, False),
        ("unsure", "yes", 3, True),
        ("yes_5_to_10", "yes", 3, True),
        ("yes_unsure_amount", "no", 2, False),
        ("yes_10_to_15", "no", 3, True),
        ("yes_over_15", "yes", 5, True),
    ],
)
def test_malnutrition_screening_score_and_referral_over_2(loss, eating, nutrition, refer):
    """MST on the card: unsure 2; 0.5-5 kg 1, 5-10 kg 2, 10-15 kg 3, >15 kg 4, amount unsure 2;
    eating poorly 1. Nutrition score over 2: refer for nutrition assessment / intervention."""
    result = score(TOOL, {**BASE, "mst_weight_loss": loss, "mst_eating_poorly": eating})
    assert result.derived["nutrition_score"] == nutrition
    assert result.total == 2 + nutrition, "the MST points count in the Waterlow total"
    assert bool(result.notes) is refer
    if refer:
        assert "refer for nutritional assessment" in result.notes[0]


@pytest.mark.parametrize(
    ("item", "values"),
    [
        ("build", {"average": 0, "above_average": 1, "obese": 2, "below_average": 3}),
        ("continence", {"complete": 0, "urine": 1, "faecal": 2, "urine_faecal": 3}),
        ("mobility", {"fully": 0, "restless": 1, "apathetic": 2, "restricted": 3, "bedbound": 4, "chairbound": 5}),
        ("age", {"14_49": 1, "50_64": 2, "65_74": 3, "75_80": 4, "81_plus": 5}),
        ("sex", {"male": 1, "female": 2}),
    ],
)
def test_card_points(item, values):
    assert {o.value: o.points for o in TOOL.item(item).options} == values


def test_required_main_categories():
    with pytest.raises(AnswerError) as caught:
        clean_answers(TOOL, {"skin": ["healthy"]})
    assert {"build", "sex", "age", "continence", "mobility", "mst_weight_loss"} <= set(caught.value.errors)
