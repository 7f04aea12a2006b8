"""NEWS2 as an assessment: the items, and scoring delegated to the one implementation
(``writecarenotes.care_records.public.news2_score``, RCP 2017) shared with the vital-signs chart.

Worked examples are computed by hand from RCP NEWS2 Chart 1 and Chart 3.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from writecarenotes.assessments.engine import AnswerError, clean_answers, get_tool, score
from writecarenotes.care_records import public as care_records_public

TOOL = get_tool("news2")

NORMAL = {
    "respiration_rate": "16",
    "spo2_scale": "1",
    "spo2": "97",
    "on_oxygen": "no",
    "systolic_bp": "128",
    "pulse": "72",
    "consciousness": "A",
    "temperature": "36.8",
}


def test_scoring_calls_the_shared_implementation(monkeypatch):
    calls = []
    real = care_records_public.news2_score

    def spy(obs):
        calls.append(obs)
        return real(obs)

    monkeypatch.setattr(care_records_public, "news2_score", spy)
    score(TOOL, NORMAL)
    assert len(calls) == 1
    assert calls[0].temperature == Decimal("36.8") and calls[0].consciousness == "A" and calls[0].spo2_scale == 1


def test_all_normal_scores_0_low():
    result = score(TOOL, NORMAL)
    assert (result.total, result.band.key) == (0, "low")
    assert result.summary == "NEWS2 0: low clinical risk"
    assert set(result.item_points) == {i.key for i in TOOL.items} and not any(result.item_points.values())


@pytest.mark.parametrize(
    ("changes", "total", "band", "red"),
    [
        # respiration 21 (2) + pulse 95 (1) = 3: low
        ({"respiration_rate": "21", "pulse": "95"}, 3, "low", False),
        # new confusion scores 3 on its own: low-medium
        ({"consciousness": "C"}, 3, "low_medium", True),
        # temperature 38.5 (1) + systolic 95 (2) + pulse 115 (2) = 5: medium
        ({"temperature": "38.5", "systolic_bp": "95", "pulse": "115"}, 5, "medium", False),
        # respiration 25 (3) + SpO2 93 (2) + oxygen (2) = 7: high
        ({"respiration_rate": "25", "spo2": "93", "on_oxygen": "yes"}, 7, "high", True),
        # red score with a total of 5 is medium, not low-medium
        ({"systolic_bp": "90", "pulse": "115"}, 5, "medium", True),
    ],
)
def test_worked_examples(changes, total, band, red):
    answers = {**NORMAL, **changes}
    result = score(TOOL, answers)
    assert (result.total, result.band.key) == (total, band)
    assert bool(result.notes) is red
    expected = care_records_public.news2_score(
        care_records_public.News2Observations(
            respiration_rate=int(answers["respiration_rate"]),
            spo2=int(answers["spo2"]),
            on_oxygen=answers["on_oxygen"] == "yes",
            systolic_bp=int(answers["systolic_bp"]),
            pulse=int(answers["pulse"]),
            consciousness=answers["consciousness"],
            temperature=Decimal(answers["temperature"]),
        )
    )
    assert {k: int(v) for k, v in result.item_points.items() if k != "spo2_scale"} == expected.scores
    assert result.total == expected.total and result.band.key == expected.band


def test_scale_2_on_oxygen():
    """Scale 2 (prescribed 88-92 %): SpO2 95 on oxygen scores 2, plus 2 for oxygen = 4: low."""
    result = score(TOOL, {**NORMAL, "spo2_scale": "2", "spo2": "95", "on_oxygen": "yes"})
    assert result.item_points["spo2"] == 2 and result.item_points["on_oxygen"] == 2
    assert (result.total, result.band.key) == (4, "low")
    on_air = score(TOOL, {**NORMAL, "spo2_scale": "2", "spo2": "95"})
    assert on_air.total == 0


def test_maximum_total_is_20():
    worst = {
        "respiration_rate": "30",
        "spo2_scale": "1",
        "spo2": "85",
        "on_oxygen": "yes",
        "systolic_bp": "85",
        "pulse": "140",
        "consciousness": "U",
        "temperature": "34.0",
    }
    result = score(TOOL, worst)
    assert (result.total, result.band.key) == (TOOL.max_total, "high")


def test_option_points_shown_on_the_form_match_the_implementation():
    from writecarenotes.care_records import news2

    for option in TOOL.item("consciousness").options:
        assert option.points == news2.score_consciousness(option.value)
    assert {o.value: o.points for o in TOOL.item("on_oxygen").options} == {
        "yes": news2.score_air_or_oxygen(True),
        "no": news2.score_air_or_oxygen(False),
    }


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"pulse": ""}, "pulse"),
        ({"temperature": "36.85"}, "temperature"),
        ({"spo2": "101"}, "spo2"),
        ({"respiration_rate": "16.5"}, "respiration_rate"),
        ({"consciousness": "X"}, "consciousness"),
        ({"spo2_scale": "3"}, "spo2_scale"),
    ],
)
def test_bad_observations(changes, key):
    with pytest.raises(AnswerError) as caught:
        clean_answers(TOOL, {**NORMAL, **changes})
    assert list(caught.value.errors) == [key]
