"""The chart rules at their exact boundaries (pure functions, no database)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from writecarenotes.care_records import rules
from writecarenotes.care_records.models.base import is_late_entry

LONDON = ZoneInfo("Europe/London")


def at(h, m=0, d=15, month=6):
    return datetime(2026, month, d, h, m, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("total", "when", "below"),
    [
        (0, time(13, 59), False),  # before the check time: no alert
        (749, time(14, 0), True),  # 50 % of 1500 = 750 expected at 14:00
        (750, time(14, 0), False),
        (1499, time(21, 59), False),  # still only 50 % expected before 22:00
        (1499, time(22, 0), True),  # 100 % expected from 22:00
        (1500, time(22, 0), False),
    ],
)
def test_fluid_target_boundaries(total, when, below):
    assert rules.below_fluid_target(total, 1500, when, time(14, 0), 50) is below


def test_expected_fluid_rounds_up():
    assert rules.expected_fluid_ml(1001, time(14, 0), time(14, 0), 50) == 501


def test_fluid_day_runs_from_midnight():
    start, end = rules.fluid_day_bounds(at(0, 0))
    assert start == at(0, 0) and end == at(0, 0, d=16)
    start, _ = rules.fluid_day_bounds(at(23, 59))
    assert start == at(0, 0)


def test_repositioning_overdue_strictly_after_interval():
    last = at(10)
    assert not rules.repositioning_overdue(last, 2, at(12, 0))
    assert rules.repositioning_overdue(last, 2, at(12, 0) + timedelta(seconds=1))
    assert not rules.repositioning_overdue(last, None, at(23))
    assert rules.repositioning_overdue(None, 4, at(9))  # on a schedule, never repositioned


def test_bowel_alert_at_threshold_days():
    today = date(2026, 6, 15)
    assert not rules.bowel_alert(date(2026, 6, 13), today, 3)  # 2 days
    assert rules.bowel_alert(date(2026, 6, 12), today, 3)  # 3 days
    assert not rules.bowel_alert(None, today, 3)


def test_hypo_below_four():
    assert rules.is_hypo(Decimal("3.9"))
    assert not rules.is_hypo(Decimal("4.0"))
    assert not rules.is_hypo(4)


def test_bmi():
    assert rules.bmi(Decimal("70"), 175) == Decimal("22.9")
    assert rules.bmi(Decimal("70"), None) is None
    assert rules.bmi(Decimal("70"), 0) is None


def test_weight_change_and_must_score():
    t0 = at(9, month=1)
    weights = [(t0, Decimal("60.0")), (t0 + timedelta(days=91), Decimal("57.0"))]
    assert rules.weight_change_percent(weights, 3) == Decimal("-5.0")
    assert rules.weight_change_percent(weights, 6) is None  # nothing 182 days earlier
    assert rules.must_weight_loss_score(Decimal("-4.9")) == 0
    assert rules.must_weight_loss_score(Decimal("-5.0")) == 1
    assert rules.must_weight_loss_score(Decimal("-10.0")) == 1
    assert rules.must_weight_loss_score(Decimal("-10.1")) == 2
    assert rules.must_weight_loss_score(Decimal("3")) == 0
    # 90 days is not yet 3 months
    assert rules.weight_change_percent([(t0, 60), (t0 + timedelta(days=90), 57)], 3) is None


def test_shift_boundaries():
    assert rules.shift_bounds(at(8, 0)) == (at(8), at(20))
    assert rules.shift_bounds(at(7, 59)) == (at(20, d=14), at(8))
    assert rules.shift_bounds(at(20, 0)) == (at(20), at(8, d=16))
    assert rules.previous_shift_bounds(at(8, 30)) == (at(20, d=14), at(8))
    assert rules.previous_shift_bounds(at(21)) == (at(8), at(20))


def test_late_entry_threshold_is_one_hour():
    assert not is_late_entry(at(9), at(10))
    assert is_late_entry(at(9), at(10) + timedelta(seconds=1))
