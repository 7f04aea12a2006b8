"""Deadlines: working days over weekends and Irish public holidays, hours, "without delay" (pure)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from writecarenotes.incidents.rules import deadlines
from writecarenotes.incidents.rules.deadlines import HOURS, OCCURRED, WITHOUT_DELAY, WORKING_DAYS, Deadline

LONDON = ZoneInfo("Europe/London")
THREE = Deadline(WORKING_DAYS, 3, anchor=OCCURRED)


def due(deadline, occurred, reported=None, nation="ireland"):
    return deadlines.due_at(deadline, occurred_at=occurred, reported_at=reported or occurred, nation=nation)


def test_three_working_days_from_a_wednesday():
    assert due(THREE, datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)) == datetime(2026, 3, 9, 23, 59, 59, tzinfo=LONDON)


def test_three_working_days_over_a_weekend():
    # Friday 23 Jan 2026: Mon 26, Tue 27, Wed 28
    assert due(THREE, datetime(2026, 1, 23, 22, 30, tzinfo=LONDON)).date() == date(2026, 1, 28)


def test_three_working_days_over_an_irish_bank_holiday():
    # Friday 13 Mar 2026; Tuesday 17 March is St Patrick's Day: Mon 16, Wed 18, Thu 19
    assert due(THREE, datetime(2026, 3, 13, 9, 0, tzinfo=LONDON)).date() == date(2026, 3, 19)
    # St Brigid's Day, Monday 2 Feb 2026 (Irish only): Friday 30 Jan -> Tue 3, Wed 4, Thu 5
    assert due(THREE, datetime(2026, 1, 30, 9, 0, tzinfo=LONDON)).date() == date(2026, 2, 5)


def test_easter_monday_in_ireland():
    # Thursday 2 April 2026; Good Friday is not an Irish public holiday, Easter Monday 6 April is
    assert due(THREE, datetime(2026, 4, 2, 9, 0, tzinfo=LONDON)).date() == date(2026, 4, 8)


def test_an_incident_on_a_saturday_counts_from_monday():
    assert due(THREE, datetime(2026, 3, 7, 9, 0, tzinfo=LONDON)).date() == date(2026, 3, 11)


def test_an_incident_late_in_the_evening_uses_the_local_day():
    # 23:30 on Wednesday 1 July 2026 is 22:30 UTC (summer time): still Wednesday
    utc = datetime(2026, 7, 1, 22, 30, tzinfo=ZoneInfo("UTC"))
    assert due(THREE, utc).date() == date(2026, 7, 6)


def test_hours_and_without_delay():
    at = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)
    reported = datetime(2026, 3, 4, 12, 0, tzinfo=LONDON)
    assert due(Deadline(HOURS, 24, anchor=OCCURRED), at, reported) == datetime(2026, 3, 5, 10, 0, tzinfo=LONDON)
    flag = deadlines.WITHOUT_DELAY_FLAG_HOURS
    assert due(Deadline(WITHOUT_DELAY), at, reported) == datetime(2026, 3, 4 + flag // 24, 12, 0, tzinfo=LONDON)


def test_uk_calendars_differ_by_nation():
    st_andrews_observed = date(2026, 11, 30)  # Monday 30 Nov 2026, Scotland only
    assert not deadlines.is_working_day(st_andrews_observed, "scotland")
    assert deadlines.is_working_day(st_andrews_observed, "england")
    assert not deadlines.is_working_day(date(2026, 3, 17), "northern_ireland")


def test_periods_of_the_returns():
    assert deadlines.quarter_of(date(2026, 5, 20)) == (date(2026, 4, 1), date(2026, 6, 30))
    assert deadlines.quarter_of(date(2026, 12, 31)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert deadlines.half_year_of(date(2026, 8, 1)) == (date(2026, 7, 1), date(2026, 12, 31))
    assert deadlines.month_end_after(date(2026, 12, 31)) == date(2027, 1, 31)
    assert deadlines.month_end_after(date(2026, 3, 31)) == date(2026, 4, 30)
    assert deadlines.month_end_after(date(2026, 6, 30)) == date(2026, 7, 31)
    assert deadlines.month_end_after(date(2026, 9, 30)) == date(2026, 10, 31)


def test_negative_working_days_refused():
    with pytest.raises(ValueError):
        deadlines.add_working_days(date(2026, 1, 1), -1, "ireland")
