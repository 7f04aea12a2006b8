"""NEWS2 against the Royal College of Physicians chart (NEWS2, 2017, Chart 1 and Chart 3/4).

Every boundary of every parameter is tested on both sides, then Scale 2, bands, and worked
examples computed by hand from the chart (each documented).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from writecarenotes.care_records import news2
from writecarenotes.care_records.news2 import Observations

# (value, expected score): both sides of every boundary in Chart 1.
RESPIRATION = [(0, 3), (8, 3), (9, 1), (11, 1), (12, 0), (20, 0), (21, 2), (24, 2), (25, 3), (60, 3)]
SPO2_SCALE1 = [(70, 3), (91, 3), (92, 2), (93, 2), (94, 1), (95, 1), (96, 0), (100, 0)]
SYSTOLIC = [(50, 3), (90, 3), (91, 2), (100, 2), (101, 1), (110, 1), (111, 0), (219, 0), (220, 3), (260, 3)]
PULSE = [(30, 3), (40, 3), (41, 1), (50, 1), (51, 0), (90, 0), (91, 1), (110, 1), (111, 2), (130, 2), (131, 3)]
TEMPERATURE = [
    ("33.0", 3),
    ("35.0", 3),
    ("35.1", 1),
    ("36.0", 1),
    ("36.1", 0),
    ("38.0", 0),
    ("38.1", 1),
    ("39.0", 1),
    ("39.1", 2),
    ("41.0", 2),
]


@pytest.mark.parametrize(("rate", "expected"), RESPIRATION)
def test_respiration_rate_boundaries(rate, expected):
    assert news2.score_respiration_rate(rate) == expected


@pytest.mark.parametrize(("spo2", "expected"), SPO2_SCALE1)
@pytest.mark.parametrize("on_oxygen", [False, True])
def test_spo2_scale1_boundaries_same_on_air_and_oxygen(spo2, expected, on_oxygen):
    obs = _obs(spo2=spo2, on_oxygen=on_oxygen)
    assert news2.score_spo2_scale1(spo2) == expected
    assert news2.score(obs).scores["spo2"] == expected


# Scale 2: <=83 3; 84-85 2; 86-87 1; 88-92 0; >=93 on air 0; on oxygen 93-94 1, 95-96 2, >=97 3.
SPO2_SCALE2_AIR = [(80, 3), (83, 3), (84, 2), (85, 2), (86, 1), (87, 1), (88, 0), (92, 0), (93, 0), (97, 0), (100, 0)]
SPO2_SCALE2_OXYGEN = [
    (83, 3),
    (84, 2),
    (85, 2),
    (86, 1),
    (87, 1),
    (88, 0),
    (92, 0),
    (93, 1),
    (94, 1),
    (95, 2),
    (96, 2),
    (97, 3),
    (100, 3),
]


@pytest.mark.parametrize(("spo2", "expected"), SPO2_SCALE2_AIR)
def test_spo2_scale2_on_air(spo2, expected):
    assert news2.score_spo2_scale2(spo2, on_oxygen=False) == expected


@pytest.mark.parametrize(("spo2", "expected"), SPO2_SCALE2_OXYGEN)
def test_spo2_scale2_on_oxygen(spo2, expected):
    assert news2.score_spo2_scale2(spo2, on_oxygen=True) == expected


def test_scale2_is_used_only_when_the_observations_say_so():
    # 90% on air: Scale 1 scores 3, Scale 2 (target 88-92%) scores 0.
    assert news2.score(_obs(spo2=90)).scores["spo2"] == 3
    assert news2.score(_obs(spo2=90, spo2_scale=2)).scores["spo2"] == 0
    # 97% on oxygen: Scale 1 scores 0, Scale 2 scores 3 (over-oxygenated) plus 2 for oxygen.
    s1 = news2.score(_obs(spo2=97, on_oxygen=True))
    s2 = news2.score(_obs(spo2=97, on_oxygen=True, spo2_scale=2))
    assert (s1.scores["spo2"], s1.total) == (0, 2)
    assert (s2.scores["spo2"], s2.total, s2.band) == (3, 5, news2.MEDIUM)


def test_air_or_oxygen():
    assert news2.score_air_or_oxygen(False) == 0
    assert news2.score_air_or_oxygen(True) == 2


@pytest.mark.parametrize(("sbp", "expected"), SYSTOLIC)
def test_systolic_bp_boundaries(sbp, expected):
    assert news2.score_systolic_bp(sbp) == expected


@pytest.mark.parametrize(("pulse", "expected"), PULSE)
def test_pulse_boundaries(pulse, expected):
    assert news2.score_pulse(pulse) == expected


@pytest.mark.parametrize(("level", "expected"), [("A", 0), ("C", 3), ("V", 3), ("P", 3), ("U", 3)])
def test_consciousness_acvpu_new_confusion_scores_3(level, expected):
    assert news2.score_consciousness(level) == expected


def test_consciousness_refuses_unknown_level():
    with pytest.raises(ValueError):
        news2.score_consciousness("X")


@pytest.mark.parametrize(("temp", "expected"), TEMPERATURE)
def test_temperature_boundaries(temp, expected):
    assert news2.score_temperature(Decimal(temp)) == expected
    assert news2.score_temperature(float(temp)) == expected


def test_temperature_between_printed_bands_has_one_score():
    assert news2.score_temperature("36.05") == 0
    assert news2.score_temperature("35.05") == 1
    assert news2.score_temperature("38.05") == 1


# --- bands and monitoring frequency (Chart 3 and Chart 4) -------------------------------------


@pytest.mark.parametrize(
    ("total", "red", "band", "hours"),
    [
        (0, False, news2.LOW, 12),
        (1, False, news2.LOW, 4),
        (4, False, news2.LOW, 4),
        (3, True, news2.LOW_MEDIUM, 1),
        (4, True, news2.LOW_MEDIUM, 1),
        (5, False, news2.MEDIUM, 1),
        (6, False, news2.MEDIUM, 1),
        (5, True, news2.MEDIUM, 1),
        (6, True, news2.MEDIUM, 1),
        (7, False, news2.HIGH, None),
        (7, True, news2.HIGH, None),
        (20, True, news2.HIGH, None),
    ],
)
def test_bands_and_monitoring(total, red, band, hours):
    assert news2.band_for(total, red) == band
    assert news2.monitoring_hours_for(total, band) == hours


def _obs(**over) -> Observations:
    """A well person on air, every parameter scoring 0."""
    base = dict(
        respiration_rate=16,
        spo2=97,
        on_oxygen=False,
        systolic_bp=130,
        pulse=72,
        consciousness="A",
        temperature=Decimal("36.8"),
    )
    base.update(over)
    return Observations(**base)


def test_incomplete_observations_are_not_scored():
    obs = Observations(respiration_rate=16, spo2=97, pulse=70)
    assert obs.missing() == ["on_oxygen", "systolic_bp", "consciousness", "temperature"]
    with pytest.raises(ValueError, match="missing"):
        news2.score(obs)


# --- worked examples, computed by hand from Chart 1 -------------------------------------------


def test_example_well_resident_scores_zero():
    # RR 16 (0), SpO2 97 S1 (0), air (0), SBP 130 (0), pulse 72 (0), Alert (0), 36.8 (0) = 0: low, 12-hourly.
    r = news2.score(_obs())
    assert (r.total, r.band, r.red_score, r.monitoring_hours) == (0, news2.LOW, False, 12)


def test_example_new_confusion_alone_is_a_red_score():
    # Everything 0 except new confusion (3): total 3 with a single 3 -> low-medium, urgent ward-based response.
    r = news2.score(_obs(consciousness="C"))
    assert (r.total, r.band, r.red_score, r.red_parameters) == (3, news2.LOW_MEDIUM, True, ["consciousness"])


def test_example_red_score_with_total_four():
    # RR 8 (3), pulse 45 (1), the rest 0: total 4, red -> low-medium.
    r = news2.score(_obs(respiration_rate=8, pulse=45))
    assert (r.total, r.band) == (4, news2.LOW_MEDIUM)


def test_example_medium_chest_infection():
    # RR 22 (2), SpO2 95 (1), air (0), SBP 105 (1), pulse 95 (1), Alert (0), 38.3 (1) = 6: medium, hourly.
    r = news2.score(_obs(respiration_rate=22, spo2=95, systolic_bp=105, pulse=95, temperature=Decimal("38.3")))
    assert r.scores == {
        "respiration_rate": 2,
        "spo2": 1,
        "on_oxygen": 0,
        "systolic_bp": 1,
        "pulse": 1,
        "consciousness": 0,
        "temperature": 1,
    }
    assert (r.total, r.band, r.red_score, r.monitoring_hours) == (6, news2.MEDIUM, False, 1)


def test_example_high_sepsis_picture():
    # RR 26 (3), SpO2 90 S1 (3), oxygen (2), SBP 95 (2), pulse 115 (2), Voice (3), 39.2 (2) = 17: high.
    r = news2.score(
        _obs(
            respiration_rate=26,
            spo2=90,
            on_oxygen=True,
            systolic_bp=95,
            pulse=115,
            consciousness="V",
            temperature=Decimal("39.2"),
        )
    )
    assert (r.total, r.band, r.monitoring_hours) == (17, news2.HIGH, None)


def test_example_copd_on_scale2_at_target_on_air():
    # Scale 2, SpO2 89 on air (0), RR 20 (0), SBP 120 (0), pulse 88 (0), Alert, 37.0 = 0.
    # On Scale 1 the same 89% would score 3 (a red score).
    r = news2.score(_obs(spo2=89, respiration_rate=20, systolic_bp=120, pulse=88, spo2_scale=2))
    assert (r.total, r.band) == (0, news2.LOW)
    assert news2.score(_obs(spo2=89)).band == news2.LOW_MEDIUM


def test_example_scale2_on_oxygen_93():
    # Scale 2, SpO2 93 on oxygen (1) + oxygen (2) = 3, no single 3 -> low, 4-hourly.
    r = news2.score(_obs(spo2=93, on_oxygen=True, spo2_scale=2))
    assert (r.scores["spo2"], r.scores["on_oxygen"], r.total, r.band) == (1, 2, 3, news2.LOW)


# --- escalation advice for a care home --------------------------------------------------------


def test_advice_high_says_call_999():
    advice = news2.escalation_advice(news2.score(_obs(respiration_rate=26, pulse=131, consciousness="V")))
    assert advice.call_999 and advice.urgency == "emergency"
    assert "999" in advice.headline


def test_advice_medium_says_contact_gp_or_111_now():
    advice = news2.escalation_advice(news2.score(_obs(respiration_rate=22, spo2=94, pulse=95, systolic_bp=105)))
    assert advice.band == news2.MEDIUM and not advice.call_999
    assert any("GP" in a and "111" in a for a in advice.actions)


def test_advice_low_medium_names_the_red_score():
    advice = news2.escalation_advice(news2.score(_obs(consciousness="C")))
    assert advice.band == news2.LOW_MEDIUM and "3" in advice.headline


def test_advice_low_mentions_soft_signs_only_when_present():
    r = news2.score(_obs(pulse=95))
    assert not any("Soft signs" in a for a in news2.escalation_advice(r).actions)
    assert any("Soft signs" in a for a in news2.escalation_advice(r, soft_signs=True).actions)
    assert news2.escalation_advice(news2.score(_obs())).urgency == "routine"
