"""The checks on the order and the slot itself: none of these can be overridden.

- ``order_not_active``: the order is suspended or stopped, or the day is outside its start and stop
  dates. A medicine is given only as currently prescribed (NICE SC1 2014 1.14, UNVERIFIED paragraph).
- ``dose_outside_order``: the amount is not the prescribed dose, or outside the prescribed range.
- ``slot_recorded``: the slot (order + due time) has a record already (one record per slot: issue 6,
  "a dose already recorded for that slot cannot be given twice"; the database refuses it too).
- ``window_not_open``: the slot's window has not opened yet, or the time is in the future (never
  pre-recorded: issue 6; the window widths are in ``schedule``, NICE SC1 1.14 leaves them to local policy).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from writecarenotes.medication.safety_rules.findings import Finding, amount, local, when

__all__ = ["CLOCK_SKEW", "check_dose_amount", "check_order_active", "check_slot", "check_window"]

SOURCE_ORDER = (
    "NICE SC1 Managing medicines in care homes (2014) 1.14: give medicines as prescribed, from a current order"
)
SOURCE_SLOT = "Issue 6: a dose already recorded for that slot cannot be recorded twice (one record per slot)"
SOURCE_WINDOW = (
    "Issue 6: never pre-recorded; the window around the due time is local policy (NICE SC1 2014 1.14), "
    "set in medication.schedule"
)
#: a device clock a little ahead of the server's is not "the future"
CLOCK_SKEW = timedelta(minutes=2)

_STATUS_WORDS = {"suspended": "suspended", "stopped": "stopped"}


def check_order_active(order, at: datetime) -> list[Finding]:
    if order.status != "active":
        why = f" ({order.status_reason})" if order.status_reason else ""
        return [
            Finding(
                "order_not_active",
                f"This order is {_STATUS_WORDS.get(order.status, order.status)}{why}: it cannot be given.",
                False,
                SOURCE_ORDER,
            )
        ]
    day = local(at).date()
    if day < order.start_date:
        return [
            Finding(
                "order_not_active",
                f"This order starts on {order.start_date:%d %b %Y}: it cannot be given before then.",
                False,
                SOURCE_ORDER,
            )
        ]
    if order.stop_date and day > order.stop_date:
        return [
            Finding(
                "order_not_active",
                f"This order ended on {order.stop_date:%d %b %Y} (the last day of the course): it cannot be given.",
                False,
                SOURCE_ORDER,
            )
        ]
    return []


def check_dose_amount(order, dose: Decimal, unit: str) -> list[Finding]:
    low = order.dose
    high = order.dose_max if order.dose_max is not None else order.dose
    if dose is None or dose <= 0 or dose < low or dose > high:
        prescribed = amount(low, unit) if high == low else f"{amount(low)} to {amount(high, unit)}"
        given = amount(dose, unit) if dose is not None else "no amount"
        return [
            Finding(
                "dose_outside_order",
                f"{given} is not the prescribed dose: the order says {prescribed}.",
                False,
                SOURCE_ORDER,
            )
        ]
    return []


def check_slot(existing, now: datetime) -> list[Finding]:
    """``existing``: the record already in the slot (outcome, administered_at, recorder's name) or None."""
    if existing is None:
        return []
    outcome, at, by = existing
    return [
        Finding(
            "slot_recorded",
            f"Already recorded as {outcome} at {when(at, now)} by {by}: a slot is recorded once (correct the "
            f"record if it is wrong).",
            False,
            SOURCE_SLOT,
        )
    ]


def check_window(opens: datetime | None, at: datetime, now: datetime) -> list[Finding]:
    """``opens``: when the slot's window opens (None for a PRN dose)."""
    if at > now + CLOCK_SKEW:
        return [
            Finding(
                "window_not_open",
                f"{when(at, now)} is in the future (it is {when(now, now)} now): a dose is recorded when it is given.",
                False,
                SOURCE_WINDOW,
            )
        ]
    if opens is not None and at < opens:
        return [
            Finding(
                "window_not_open",
                f"Too early: this dose's window opens at {when(opens, now)}.",
                False,
                SOURCE_WINDOW,
            )
        ]
    return []
