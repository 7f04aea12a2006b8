"""The rules of the charts, as pure functions (no database): tested at their exact boundaries.

Fluids
    The fluid day runs from 00:00 local time (``FLUID_DAY_START``) for 24 hours. A resident on a
    fluid chart is below target when, at or after their check time (default 14:00), the day's
    running total is below ``check_percent`` (default 50 %) of their daily target, or, at or after
    ``FLUID_FINAL_CHECK`` (22:00), below 100 % of it. Before the check time there is no alert.
Repositioning
    Overdue when now is strictly later than the last repositioning plus the resident's interval
    (e.g. 2 h). A resident with an interval and no entry yet is overdue ("not yet repositioned").
Bowels
    Days since the last bowel movement are counted in local calendar days; the alert is raised when
    that count reaches the resident's threshold (default 3 days). No entry at all: no alert from
    this rule (there is nothing to count from); the care page shows "no record".
Blood glucose
    Below 4.0 mmol/L is a hypo (NHS "4 is the floor"); 4.0 itself is not.
Weight
    BMI = kg / m² (one decimal). Weight change over 1, 3 and 6 months compares the latest weight
    with the latest one recorded at least 30, 91 or 182 days earlier. The MUST weight-loss score:
    loss < 5 % → 0, 5-10 % → 1, > 10 % → 2.
Shifts
    Day shift 08:00-20:00, night shift 20:00-08:00 (local time, ``SHIFT_STARTS``). The handover
    covers the last completed shift.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

FLUID_DAY_START = time(0, 0)
FLUID_FINAL_CHECK = time(22, 0)
HYPO_BELOW = Decimal("4.0")
SHIFT_STARTS = (time(8, 0), time(20, 0))


@dataclass(frozen=True)
class Defaults:
    fluid_target_ml: int = 1500
    fluid_check_time: time = time(14, 0)
    fluid_check_percent: int = 50
    repositioning_interval_hours: int | None = None
    bowel_alert_days: int = 3
    monitor_fluids: bool = True


DEFAULTS = Defaults()


# --- fluids -------------------------------------------------------------------------------------


def fluid_day_bounds(now_local: datetime, day_start: time = FLUID_DAY_START) -> tuple[datetime, datetime]:
    """The 24-hour fluid day (local, aware datetimes) that contains ``now_local``."""
    start = now_local.replace(hour=day_start.hour, minute=day_start.minute, second=0, microsecond=0)
    if now_local < start:
        start -= timedelta(days=1)
    return start, start + timedelta(days=1)


def expected_fluid_ml(target_ml: int, at: time, check_time: time, check_percent: int) -> int:
    """How much should have been taken by ``at`` (local time of day): 0, check_percent % or 100 %."""
    if at >= FLUID_FINAL_CHECK:
        return target_ml
    if at >= check_time:
        return (target_ml * check_percent + 99) // 100  # round up: never expect less than the percentage
    return 0


def below_fluid_target(total_ml: int, target_ml: int, at: time, check_time: time, check_percent: int) -> bool:
    """True when the day's running total is below what is expected by ``at``."""
    expected = expected_fluid_ml(target_ml, at, check_time, check_percent)
    return expected > 0 and total_ml < expected


# --- repositioning ------------------------------------------------------------------------------


def repositioning_due_at(last_at: datetime | None, interval_hours: int | None) -> datetime | None:
    if interval_hours is None or last_at is None:
        return None
    return last_at + timedelta(hours=interval_hours)


def repositioning_overdue(last_at: datetime | None, interval_hours: int | None, now: datetime) -> bool:
    """Overdue when now > last + interval; no interval → never; interval but no entry → overdue."""
    if not interval_hours:
        return False
    if last_at is None:
        return True
    return now > last_at + timedelta(hours=interval_hours)


# --- bowels -------------------------------------------------------------------------------------


def days_since(last: date | None, today: date) -> int | None:
    return None if last is None else (today - last).days


def bowel_alert(last_bowel_date: date | None, today: date, threshold_days: int) -> bool:
    days = days_since(last_bowel_date, today)
    return days is not None and days >= threshold_days


# --- glucose ------------------------------------------------------------------------------------


def is_hypo(mmol_per_l) -> bool:
    return Decimal(str(mmol_per_l)) < HYPO_BELOW


# --- weight -------------------------------------------------------------------------------------


def bmi(weight_kg, height_cm) -> Decimal | None:
    """kg/m² to one decimal place; None when the height is unknown or not positive."""
    if height_cm is None or weight_kg is None:
        return None
    h = Decimal(str(height_cm)) / 100
    if h <= 0:
        return None
    return (Decimal(str(weight_kg)) / (h * h)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


WEIGHT_PERIODS = {1: 30, 3: 91, 6: 182}  # months → days


def weight_change_percent(weights: list[tuple[datetime, Decimal]], months: int) -> Decimal | None:
    """% change (negative = loss) from the latest weight recorded at least N months before the latest."""
    if not weights:
        return None
    ordered = sorted(weights, key=lambda w: w[0])
    latest_at, latest_kg = ordered[-1]
    cutoff = latest_at - timedelta(days=WEIGHT_PERIODS[months])
    earlier = [w for w in ordered if w[0] <= cutoff]
    if not earlier:
        return None
    ref_kg = Decimal(str(earlier[-1][1]))
    change = (Decimal(str(latest_kg)) - ref_kg) / ref_kg * 100
    return change.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def must_weight_loss_score(change_percent: Decimal | None) -> int:
    """MUST step 2 from unplanned weight change: loss < 5 % → 0, 5-10 % → 1, > 10 % → 2."""
    if change_percent is None or change_percent >= 0:
        return 0
    loss = -change_percent
    if loss > 10:
        return 2
    if loss >= 5:
        return 1
    return 0


# --- shifts -------------------------------------------------------------------------------------


def shift_bounds(now_local: datetime, starts: tuple[time, time] = SHIFT_STARTS) -> tuple[datetime, datetime]:
    """The shift (local, aware) that contains ``now_local``."""
    day_start, night_start = starts
    today_day = now_local.replace(hour=day_start.hour, minute=day_start.minute, second=0, microsecond=0)
    today_night = now_local.replace(hour=night_start.hour, minute=night_start.minute, second=0, microsecond=0)
    if today_day <= now_local < today_night:
        return today_day, today_night
    if now_local >= today_night:
        return today_night, today_day + timedelta(days=1)
    return today_night - timedelta(days=1), today_day


def previous_shift_bounds(now_local: datetime, starts: tuple[time, time] = SHIFT_STARTS) -> tuple[datetime, datetime]:
    """The last completed shift before the one containing ``now_local``."""
    start, _end = shift_bounds(now_local, starts)
    return shift_bounds(start - timedelta(minutes=1), starts)
