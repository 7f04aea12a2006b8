"""When a statutory notification is due: a pure function of the rule's deadline and the incident's times.

Three kinds of deadline appear in the regulators' rules (``rules.nations``):

``without_delay``
    CQC regulations 16 and 18, RQIA regulation 30, CIW regulation 60: the law sets no number of
    hours. The system shows the notification as due at once and flags it as overdue
    ``WITHOUT_DELAY_FLAG_HOURS`` after the home became aware (the report): a prompt, not the law.
``hours``
    a number of hours from the incident or from the report (Care Inspectorate: within 24 hours).
``working_days``
    HIQA, S.I. No. 415 of 2013 regulation 31(1): "within 3 working days of its occurrence". The day
    of the incident is day 0; Saturdays, Sundays and the nation's public holidays (the ``holidays``
    library, pinned) are not working days; the notification is due by the end (23:59:59, local
    time) of the last working day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

import holidays
from django.utils import timezone

#: "Without delay" has no number in law; past this many hours the notification shows as overdue.
WITHOUT_DELAY_FLAG_HOURS = 24

#: The public holiday calendar of each nation (holidays library: country and subdivision).
CALENDARS: dict[str, tuple[str, str | None]] = {
    "england": ("GB", "ENG"),
    "wales": ("GB", "WLS"),
    "scotland": ("GB", "SCT"),
    "northern_ireland": ("GB", "NIR"),
    "ireland": ("IE", None),
}

WITHOUT_DELAY = "without_delay"
HOURS = "hours"
WORKING_DAYS = "working_days"

OCCURRED = "occurred"  # counted from when the incident happened
REPORTED = "reported"  # counted from when the home became aware (the report)


@dataclass(frozen=True)
class Deadline:
    kind: str  # WITHOUT_DELAY, HOURS, WORKING_DAYS
    amount: int = 0  # hours or working days
    anchor: str = REPORTED  # OCCURRED or REPORTED
    wording: str = ""  # how the source words it, shown to the manager

    def describe(self) -> str:
        if self.wording:
            return self.wording
        if self.kind == WITHOUT_DELAY:
            return "Without delay"
        if self.kind == HOURS:
            return f"Within {self.amount} hours"
        return f"Within {self.amount} working days"


@cache
def _calendar(nation: str, year: int):
    country, subdiv = CALENDARS[nation]
    return holidays.country_holidays(country, subdiv=subdiv, years=year)


def is_working_day(day: date, nation: str) -> bool:
    return day.weekday() < 5 and day not in _calendar(nation, day.year)


def add_working_days(day: date, count: int, nation: str) -> date:
    """The ``count``-th working day after ``day`` (``day`` itself is day 0, whatever it is)."""
    if count < 0:
        raise ValueError("count must be 0 or more")
    current = day
    done = 0
    while done < count:
        current += timedelta(days=1)
        if is_working_day(current, nation):
            done += 1
    return current


def end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)), timezone.get_default_timezone())


def due_at(deadline: Deadline, *, occurred_at: datetime, reported_at: datetime, nation: str) -> datetime:
    """When the notification is due (for ``without_delay``: when the system flags it as overdue)."""
    start = occurred_at if deadline.anchor == OCCURRED else reported_at
    if deadline.kind == WITHOUT_DELAY:
        return start + timedelta(hours=WITHOUT_DELAY_FLAG_HOURS)
    if deadline.kind == HOURS:
        return start + timedelta(hours=deadline.amount)
    if deadline.kind == WORKING_DAYS:
        local_day = timezone.localtime(start, timezone.get_default_timezone()).date()
        return end_of_day(add_working_days(local_day, deadline.amount, nation))
    raise ValueError(f"unknown deadline kind {deadline.kind!r}")


# --- periodic returns (HIQA) ------------------------------------------------------------------------


def quarter_of(day: date) -> tuple[date, date]:
    """The calendar quarter holding ``day``: (first day, last day)."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    end = (date(day.year + (first_month + 3 > 12), (first_month + 3 - 1) % 12 + 1, 1)) - timedelta(days=1)
    return start, end


def half_year_of(day: date) -> tuple[date, date]:
    """The half-year holding ``day``: January to June or July to December."""
    if day.month <= 6:
        return date(day.year, 1, 1), date(day.year, 6, 30)
    return date(day.year, 7, 1), date(day.year, 12, 31)


def month_end_after(period_end: date) -> date:
    """The last day of the month after ``period_end`` (31 January for the quarter ending 31 December,
    30 April for 31 March, 31 July for 30 June, 31 October for 30 September)."""
    first_next = period_end + timedelta(days=1)
    following = date(first_next.year + (first_next.month == 12), first_next.month % 12 + 1, 1)
    return following - timedelta(days=1)
