"""The duty of candour per nation, case by case (pure: no database).

England: reg 20(9) of the 2014 Regulations for a registered person that is not a health service body;
Scotland: the 2016 Act and 2018 Regulations; Wales: the statutory duty is for NHS bodies only (good
practice for a care home); Northern Ireland: no statutory duty (good practice); Ireland: mandatory open
disclosure only for Schedule 1 notifiable incidents (good practice otherwise)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from writecarenotes.incidents.rules.candour import add_working_days, candour_for, due_at
from writecarenotes.incidents.rules.facts import Facts

UTC = ZoneInfo("UTC")
AWARE = datetime(2026, 3, 6, 10, 0, tzinfo=UTC)  # a Friday


def facts(**over) -> Facts:
    base = Facts(
        nation="england",
        care_type="nursing",
        kind="fall",
        severity="low",
        occurred_at=AWARE - timedelta(hours=1),
        reported_at=AWARE,
    )
    return replace(base, **over)


ENGLAND_KEYS = ("notify_in_person", "true_account", "apology", "written_notification", "record_kept")


class TestEngland:
    def test_low_harm_is_not_a_notifiable_safety_incident(self):
        d = candour_for(facts(severity="low"))
        assert not d.applies and d.statutory
        assert "below the threshold of regulation 20(9)" in d.reasons[0]
        assert d.steps == ()

    @pytest.mark.parametrize("severity", ["moderate", "severe", "death"])
    def test_moderate_severe_or_death_applies_with_the_five_steps(self, severity):
        d = candour_for(facts(severity=severity))
        assert d.applies and d.statutory
        assert "regulation 20" in d.law
        assert d.step_keys == ENGLAND_KEYS

    @pytest.mark.parametrize("test", ["impairment", "body_structure", "prolonged_pain", "life_shortened"])
    def test_each_harm_test_of_reg_20_9_applies_even_when_harm_was_graded_low(self, test):
        d = candour_for(facts(severity="low", serious_injury_tests=frozenset({test})))
        assert d.applies
        assert any("health professional's opinion" in r for r in d.reasons)

    def test_treatment_to_prevent_harm_applies(self):
        d = candour_for(facts(severity="low", treatment_to_prevent_serious_injury=True))
        assert d.applies

    def test_an_expected_death_in_the_natural_course_of_illness_is_not_notifiable(self):
        d = candour_for(facts(kind="death", severity="death", unexpected_or_unintended=False))
        assert not d.applies
        assert "natural course" in d.reasons[0]

    def test_no_service_user_affected_no_duty(self):
        d = candour_for(facts(severity="severe", resident_affected=False))
        assert not d.applies

    def test_written_follow_up_records_the_date_sent_and_the_target_is_ten_working_days(self):
        d = candour_for(facts(severity="moderate"))
        written = next(s for s in d.steps if s.key == "written_notification")
        assert written.needs_sent_on and written.source == "reg 20(4)"
        assert written.due_basis == "target"  # the regulation says "as soon as reasonably practicable"
        # Friday 6 March + 10 working days = Friday 20 March
        assert due_at(written, AWARE) == datetime(2026, 3, 20, 10, 0, tzinfo=UTC)
        assert d.unverified  # the 10 working days are listed as unverified for care homes


class TestScotland:
    def test_applies_with_the_procedure_of_the_2018_regulations(self):
        d = candour_for(facts(nation="scotland", severity="severe"))
        assert d.applies and d.statutory
        assert "Duty of Candour Procedure (Scotland) Regulations 2018" in d.law
        assert d.step_keys[0] == "health_professional_opinion"
        assert {"meeting", "review", "record_kept", "written_notification"} <= set(d.step_keys)
        review = next(s for s in d.steps if s.key == "review")
        assert review.due_basis == "law" and "reg 7" in review.source

    def test_low_harm_without_outcomes_does_not_activate_it(self):
        d = candour_for(facts(nation="scotland", severity="low"))
        assert not d.applies
        assert "21(4)" in d.reasons[0]


class TestWales:
    def test_the_statutory_duty_is_for_nhs_bodies_so_a_care_home_gets_good_practice(self):
        d = candour_for(facts(nation="wales", severity="severe"))
        assert d.applies and not d.statutory
        assert "NHS bodies only" in d.law
        written = next(s for s in d.steps if s.key == "written_notification")
        assert "SI 2023/274 reg 5" in written.source

    def test_below_moderate_nothing(self):
        assert not candour_for(facts(nation="wales", severity="low")).applies


class TestNorthernIreland:
    def test_no_statutory_duty_yet_the_steps_are_good_practice(self):
        d = candour_for(facts(nation="northern_ireland", severity="moderate"))
        assert d.applies and not d.statutory
        assert "No statutory duty of candour in Northern Ireland" in d.law
        assert d.step_keys == ENGLAND_KEYS


class TestIreland:
    def test_a_death_from_a_medication_error_is_a_notifiable_incident(self):
        d = candour_for(facts(nation="ireland", kind="medication_error", severity="death"))
        assert d.applies and d.statutory
        assert d.law == "Patient Safety (Notifiable Incidents and Open Disclosure) Act 2023"
        assert "s 25" in next(s for s in d.steps if s.key == "record_kept").source

    def test_a_fall_with_severe_harm_is_open_disclosure_as_good_practice(self):
        d = candour_for(facts(nation="ireland", kind="fall", severity="severe"))
        assert d.applies and not d.statutory
        assert "not a notifiable incident" in d.law

    def test_low_harm_nothing(self):
        assert not candour_for(facts(nation="ireland", severity="low")).applies


def test_working_days_skip_the_weekend():
    assert add_working_days(AWARE, 1) == AWARE + timedelta(days=3)  # Friday -> Monday
    assert add_working_days(AWARE, 5) == AWARE + timedelta(days=7)
