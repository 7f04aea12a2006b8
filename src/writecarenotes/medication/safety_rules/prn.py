"""A "when required" (PRN) dose: the minimum interval and the most in any rolling 24 hours.

Both come from the prescriber's PRN protocol on the order (``prn_min_interval_minutes``,
``prn_max_doses_24h``, ``prn_max_amount_24h``). NICE SC1 "Managing medicines in care homes" (2014)
1.17.1 (UNVERIFIED paragraph number) asks for a PRN plan with the dose, the minimum interval between
doses and the maximum in 24 hours; issue 6 asks for the maximum in a ROLLING 24 hours, not the calendar
day. The doses counted are those of the same medicine (any order of it, so a re-written order does not
start the count again), given or self-administered.

- Interval: a dose exactly ``prn_min_interval_minutes`` after the previous one is allowed; one minute
  earlier is refused. A dose recorded after the event is also checked against a later recorded dose.
- Most in 24 hours: every 24-hour window holding the new dose (``facts.window_ends``) with the new dose
  counted must stay within the most; a dose given exactly 24 hours before has rolled off.

Overridable: the prescriber may change the protocol (for example by a recorded telephone instruction);
the nurse records that as the override reason and the manager reviews it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from writecarenotes.medication.safety_rules.facts import DAY, GivenDose, in_window, window_ends
from writecarenotes.medication.safety_rules.findings import Finding, amount, duration, when

__all__ = ["SOURCE", "check_prn"]

SOURCE = "The PRN protocol on the prescription (NICE SC1 Managing medicines in care homes, 2014, PRN plans)"


def _interval(interval: int, doses: list[GivenDose], at: datetime, now: datetime) -> list[Finding]:
    gap = timedelta(minutes=interval)
    before = [d for d in doses if d.at <= at]
    after = [d for d in doses if d.at > at]
    found = []
    if before:
        last = max(before, key=lambda d: d.at)
        if at - last.at < gap:
            found.append(
                Finding(
                    "prn_interval",
                    f"Last dose {duration(at - last.at)} before this one, at {when(last.at, now)}; at least "
                    f"{duration(gap)} between doses: next dose from {when(last.at + gap, now)}.",
                    True,
                    SOURCE,
                )
            )
    if after:
        nxt = min(after, key=lambda d: d.at)
        if nxt.at - at < gap:
            found.append(
                Finding(
                    "prn_interval",
                    f"A dose is already recorded at {when(nxt.at, now)}, {duration(nxt.at - at)} after this one; "
                    f"at least {duration(gap)} between doses.",
                    True,
                    SOURCE,
                )
            )
    return found


def _free_from(window: list[GivenDose], fits) -> datetime | None:
    """When enough of the window's oldest doses have rolled off for ``fits(remaining)`` to hold."""
    for k in range(1, len(window) + 1):
        if fits(window[k:]):
            return window[k - 1].at + DAY
    return None


def _most(order, doses: list[GivenDose], dose: Decimal, at: datetime, now: datetime, unit: str) -> list[Finding]:
    max_n, max_amount = order.prn_max_doses_24h, order.prn_max_amount_24h
    for end in window_ends(doses, at):
        window = in_window(doses, end)
        count, total = len(window) + 1, sum((d.dose for d in window), Decimal(0)) + dose
        over_n = max_n is not None and count > max_n
        over_amount = max_amount is not None and total > max_amount
        if not (over_n or over_amount):
            continue
        if over_n:
            said = f"{len(window)} dose{'s' if len(window) != 1 else ''} in the 24 hours to {when(end, now)}"
            limit = f"the most is {max_n} in any 24 hours"
        else:
            said = (
                f"{amount(total - dose, unit)} in the 24 hours to {when(end, now)} and {amount(dose, unit)} now "
                f"make {amount(total, unit)}"
            )
            limit = f"the most is {amount(max_amount, unit)} in any 24 hours"

        def fits(rest, dose=dose):
            n_ok = max_n is None or len(rest) + 1 <= max_n
            a_ok = max_amount is None or sum((d.dose for d in rest), Decimal(0)) + dose <= max_amount
            return n_ok and a_ok

        free = _free_from(window, fits) if end == at else None
        tail = f": next dose from {when(free, now)}." if free else "."
        return [Finding("prn_max_24h", f"{said}; {limit}{tail}", True, SOURCE)]
    return []


def check_prn(order, doses: list[GivenDose], *, dose: Decimal, at: datetime, now: datetime, unit: str = "") -> list:
    """Findings for a PRN dose of ``order``; ``doses`` are the same medicine's doses around ``at``."""
    if not order.is_prn:
        return []
    found = []
    if order.prn_min_interval_minutes:
        found += _interval(order.prn_min_interval_minutes, doses, at, now)
    if order.prn_max_doses_24h is not None or order.prn_max_amount_24h is not None:
        found += _most(order, doses, dose, at, now, unit)
    return found
