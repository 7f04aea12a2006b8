"""When a regular order's doses are due, and the window around each due time.

``slots_between(order, start, end)`` lists the due times (aware datetimes, the home's local time,
``settings.TIME_ZONE``) an order has in a period; rounds, the MAR chart and stock (days remaining)
all read the schedule from here, so they agree.

The window: a dose may be recorded from ``WINDOW_BEFORE`` before its due time (never earlier: no
pre-recording) and is on time until ``WINDOW_AFTER`` after it; a record after that is marked late.
A time-critical medicine has the narrower ``CRITICAL_WINDOW`` either side. NICE SC1 (1.14) asks
care homes to have a process for giving medicines at the right time, with particular care for
time-sensitive medicines, and leaves the width to local policy; these are the widths most home
policies use (one hour either side, 30 minutes for time-critical medicines such as those for
Parkinson's disease).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

__all__ = [
    "CRITICAL_WINDOW",
    "WINDOW_AFTER",
    "WINDOW_BEFORE",
    "daily_quantity",
    "is_due_on",
    "parse_time",
    "slots_between",
    "slots_on",
    "window",
]

WINDOW_BEFORE = timedelta(minutes=60)
WINDOW_AFTER = timedelta(minutes=60)
CRITICAL_WINDOW = timedelta(minutes=30)


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def parse_time(value: str) -> time:
    """ "08:00" -> time(8, 0); raises ValueError for anything else."""
    hours, minutes = value.split(":")
    if len(hours) != 2 or len(minutes) != 2:
        raise ValueError(value)
    return time(int(hours), int(minutes))


def is_due_on(order, day: date) -> bool:
    """True when a regular order has doses on ``day`` (within its dates, its weekdays, its every-N-days)."""
    if order.is_prn or day < order.start_date or (order.stop_date and day > order.stop_date):
        return False
    if order.days_of_week and day.weekday() not in order.days_of_week:
        return False
    n = order.every_n_days or 1
    return (day - order.start_date).days % n == 0


def slots_on(order, day: date) -> list[datetime]:
    """The due times of a regular order on ``day`` (local time), earliest first."""
    if not is_due_on(order, day):
        return []
    zone = _zone()
    return sorted(datetime.combine(day, parse_time(t), tzinfo=zone) for t in order.times)


def slots_between(order, start: datetime, end: datetime) -> Iterator[datetime]:
    """Due times with ``start <= due < end``."""
    zone = _zone()
    day = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    while day <= last:
        for slot in slots_on(order, day):
            if start <= slot < end:
                yield slot
        day += timedelta(days=1)


def window(order, due: datetime) -> tuple[datetime, datetime]:
    """(opens, on time until) for the slot ``due``: recording before ``opens`` is refused; after the
    second it is late."""
    width = CRITICAL_WINDOW if order.time_critical else None
    before = width or WINDOW_BEFORE
    after = width or WINDOW_AFTER
    return due - before, due + after


def daily_quantity(order) -> Decimal:
    """Average dose units used per day by a regular order (for stock's days remaining); a PRN order's
    is not known (0). A range uses its upper dose."""
    if order.is_prn or not order.times:
        return Decimal(0)
    per_dose = order.dose_max if order.dose_max is not None else order.dose
    days = len(order.days_of_week) if order.days_of_week else 7
    per_week = per_dose * len(order.times) * days / Decimal(7)
    return per_week / Decimal(order.every_n_days or 1)
