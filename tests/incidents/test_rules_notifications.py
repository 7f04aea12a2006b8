"""The regulators' notification rules, nation by nation, case by case (pure: no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from writecarenotes.incidents.rules.facts import Facts
from writecarenotes.incidents.rules.notifications import NATIONS, required_notifications, rule, rules_for

LONDON = ZoneInfo("Europe/London")
WHEN = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)  # a Wednesday


def facts(nation="england", **kw) -> Facts:
    base = dict(
        nation=nation,
        care_type="nursing",
        kind="fall",
        severity="low",
        occurred_at=WHEN,
        reported_at=WHEN,
    )
    base.update(kw)
    return Facts(**base)


def codes(f: Facts) -> list[str]:
    return [r.code for r in required_notifications(f)]


# --- England: CQC ------------------------------------------------------------------------------------


def test_a_fall_without_serious_injury_needs_no_cqc_notification():
    assert codes(facts(kind="fall", severity="low", medical_attention="first_aid")) == []


@pytest.mark.parametrize("test", ["impairment", "body_structure", "prolonged_pain", "life_shortened"])
def test_each_of_the_four_harm_tests_requires_regulation_18(test):
    reqs = required_notifications(facts(serious_injury_tests=frozenset({test}), severity="severe"))
    assert [r.code for r in reqs] == ["cqc_reg18_serious_injury"]
    assert "18(2)(a)" in reqs[0].why
    assert "regulation 18(2)(a) and (b)" in reqs[0].source
    assert reqs[0].deadline_text.startswith("Without delay")


def test_treatment_to_prevent_serious_injury_is_regulation_18_2_b():
    (req,) = required_notifications(facts(treatment_to_prevent_serious_injury=True))
    assert req.code == "cqc_reg18_serious_injury"
    assert "18(2)(b)" in req.why


def test_a_serious_injury_to_a_visitor_only_is_not_a_service_user_injury():
    assert codes(facts(serious_injury_tests=frozenset({"body_structure"}), resident_affected=False)) == []


def test_death_of_a_resident_is_regulation_16():
    assert codes(facts(kind="death", severity="death")) == ["cqc_reg16_death"]
    assert codes(facts(kind="fall", severity="death")) == ["cqc_reg16_death"]


def test_abuse_and_police_are_two_notifications():
    assert codes(facts(kind="abuse", abuse_alleged=True, police_involved=True)) == [
        "cqc_reg18_abuse",
        "cqc_reg18_police",
    ]


def test_police_involvement_alone_is_regulation_18_2_f():
    assert codes(facts(kind="other", police_involved=True, resident_affected=False)) == ["cqc_reg18_police"]


def test_utility_failure_24_hours_is_not_notifiable_25_hours_is():
    assert codes(facts(kind="utility_failure", disruption_hours=24, resident_affected=False)) == []
    (req,) = required_notifications(facts(kind="utility_failure", disruption_hours=25, resident_affected=False))
    assert req.code == "cqc_reg18_safe_running"
    assert "18(2)(g)(ii)" in req.why and "25 hours" in req.why


def test_property_damage_that_disrupted_the_service_is_regulation_18_2_g():
    assert codes(facts(kind="property_damage", disruption_hours=0, resident_affected=False)) == []
    assert codes(facts(kind="fire", disruption_hours=2, resident_affected=False)) == ["cqc_reg18_safe_running"]


def test_dols_is_not_raised_from_an_incident():
    assert not any("dols" in r.code for r in rules_for("england"))


# --- Wales: CIW ---------------------------------------------------------------------------------------


def test_wales_serious_injury_and_hospital():
    assert codes(facts("wales", serious_injury_tests=frozenset({"body_structure"}))) == ["ciw_serious_injury"]
    assert codes(facts("wales", medical_attention="hospital")) == ["ciw_serious_injury"]
    assert codes(facts("wales", medical_attention="nurse_gp")) == []


def test_wales_sources_cite_regulation_60_and_schedule_3():
    for r in rules_for("wales"):
        assert "regulation 60 and Schedule 3" in r.source
        assert r.unverified  # paragraph and time limit are marked


def test_wales_outbreak_missing_pressure_damage():
    assert codes(facts("wales", kind="infection_outbreak")) == ["ciw_outbreak"]
    assert codes(facts("wales", kind="missing_person")) == ["ciw_absence"]
    assert codes(facts("wales", kind="pressure_ulcer", pressure_ulcer_category="2")) == []
    assert codes(facts("wales", kind="pressure_ulcer", pressure_ulcer_category="3")) == ["ciw_pressure_damage"]


# --- Scotland: Care Inspectorate -----------------------------------------------------------------------


def test_scotland_death_within_24_hours_of_the_death():
    (req,) = required_notifications(facts("scotland", kind="death", severity="death"))
    assert req.code == "ci_death"
    assert req.due_at(facts("scotland", kind="death")) == datetime(2026, 3, 5, 10, 0, tzinfo=LONDON)
    assert "Records that all registered care services" in req.guidance


def test_scotland_accident_abuse_outbreak_missing():
    assert codes(facts("scotland", medical_attention="admitted")) == ["ci_accident"]
    assert codes(facts("scotland", kind="abuse", abuse_alleged=True, police_involved=True)) == ["ci_abuse"]
    assert codes(facts("scotland", kind="infection_outbreak")) == ["ci_outbreak"]
    assert codes(facts("scotland", kind="missing_person", police_involved=True)) == ["ci_missing", "ci_police"]


# --- Northern Ireland: RQIA ------------------------------------------------------------------------------


def test_northern_ireland_regulation_30():
    (req,) = required_notifications(facts("northern_ireland", kind="death", severity="death"))
    assert req.code == "rqia_death" and "regulation 30(1)(a)" in req.source
    assert "2005/160" in req.source and "2005/161" in req.source
    assert codes(facts("northern_ireland", serious_injury_tests=frozenset({"body_structure"}))) == [
        "rqia_serious_injury"
    ]
    assert codes(facts("northern_ireland", medical_attention="nurse_gp")) == ["rqia_accident"]
    assert codes(facts("northern_ireland", medical_attention="first_aid")) == []
    assert codes(facts("northern_ireland", kind="abuse", abuse_alleged=True)) == ["rqia_adverse_event"]


# --- Ireland: HIQA ----------------------------------------------------------------------------------------


def test_ireland_unexpected_death_is_nf01_expected_goes_to_the_quarterly_return():
    assert codes(facts("ireland", kind="death", severity="death")) == ["hiqa_nf01_death"]
    assert codes(facts("ireland", kind="death", severity="death", unexpected_or_unintended=False)) == []


def test_ireland_forms_and_three_working_days():
    (req,) = required_notifications(facts("ireland", medical_attention="hospital"))
    assert req.code == "hiqa_nf03_serious_injury" and req.form.startswith("NF03")
    assert "regulation 31(1)" in req.source and "S.I. No. 415 of 2013" in req.source
    assert req.deadline.kind == "working_days" and req.deadline.amount == 3
    assert any("NF03" in u for u in req.unverified)


def test_ireland_fire_loss_of_power_abuse_absence_outbreak():
    assert codes(facts("ireland", kind="fire", resident_affected=False)) == ["hiqa_nf05_fire_power"]
    assert codes(facts("ireland", kind="utility_failure", disruption_hours=1)) == ["hiqa_nf05_fire_power"]
    assert codes(facts("ireland", kind="abuse", abuse_alleged=True)) == ["hiqa_nf06_abuse"]
    assert codes(facts("ireland", kind="missing_person")) == ["hiqa_nf07_absence"]
    assert codes(facts("ireland", kind="infection_outbreak")) == ["hiqa_nf02_outbreak"]


def test_same_facts_different_nations_give_each_nations_rules():
    f = facts(serious_injury_tests=frozenset({"body_structure"}), medical_attention="hospital", severity="severe")
    assert codes(f) == ["cqc_reg18_serious_injury"]
    assert codes(replace(f, nation="wales")) == ["ciw_serious_injury"]
    assert codes(replace(f, nation="ireland")) == ["hiqa_nf03_serious_injury"]


def test_every_rule_names_its_source_guidance_and_form_and_codes_are_unique():
    seen = set()
    for nation in NATIONS:
        for r in rules_for(nation):
            assert r.source and r.guidance and r.form and r.title
            assert r.code not in seen
            seen.add(r.code)
            assert rule(r.code) is r


def test_unknown_nation_is_refused():
    with pytest.raises(ValueError):
        rules_for("atlantis")
