"""What the round shows: for a unit and a time slot of a day, each current resident with the doses due in that
slot (not yet open, due, late, or recorded with its outcome) and their when-required (PRN) medicines with
the time the next dose may be given.

A fixed number of queries whatever the number of residents (residents, orders, the slot's records, the
last day's PRN doses). The PRN "next dose from" time is for the person's information; the safety checks
decide when the dose is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from writecarenotes.medication import schedule
from writecarenotes.medication.models import Administration, MedicationOrder, OrderStatus
from writecarenotes.medication.services_rounds import GIVEN_OUTCOMES
from writecarenotes.residents.public import ResidentRef, current_residents

__all__ = ["DoseItem", "PrnItem", "ResidentRound", "Round", "build_round", "default_slot", "slots_of_day"]

ROLLING = timedelta(hours=24)


@dataclass
class DoseItem:
    order: MedicationOrder
    due_at: datetime
    opens: datetime
    closes: datetime
    record: Administration | None
    state: str  # not_open, due, late, recorded

    @property
    def time_critical(self) -> bool:
        return self.order.time_critical or self.order.medicine.time_critical


@dataclass
class PrnItem:
    order: MedicationOrder
    last_given: datetime | None
    doses_24h: int
    next_from: datetime | None  # None: may be given now (as far as the protocol's interval and maximum go)


@dataclass
class ResidentRound:
    resident: ResidentRef
    doses: list[DoseItem] = field(default_factory=list)
    prn: list[PrnItem] = field(default_factory=list)


@dataclass
class Round:
    day: date
    slot: str
    slots: list[str]
    rows: list[ResidentRound]


def _orders(resident_ids) -> list[MedicationOrder]:
    return list(
        MedicationOrder.objects.filter(resident_id__in=resident_ids, status=OrderStatus.ACTIVE)
        .select_related("medicine")
        .order_by("medicine__name", "pk")
    )


def slots_of_day(orders, day: date) -> list[str]:
    """The distinct "HH:MM" times with a dose due on ``day``."""
    times = set()
    for o in orders:
        if not o.is_prn:
            times.update(timezone.localtime(s).strftime("%H:%M") for s in schedule.slots_on(o, day))
    return sorted(times)


def default_slot(slots: list[str], day: date, now: datetime) -> str:
    """The slot whose usual window holds ``now``, else the next one, else the last."""
    if not slots:
        return ""
    zone = ZoneInfo(settings.TIME_ZONE)
    best = None
    for s in slots:
        due = datetime.combine(day, schedule.parse_time(s), tzinfo=zone)
        if due - schedule.WINDOW_BEFORE <= now <= due + schedule.WINDOW_AFTER:
            return s
        if due > now and best is None:
            best = s
    return best or slots[-1]


def _state(record, now, opens, closes) -> str:
    if record is not None:
        return "recorded"
    if now < opens:
        return "not_open"
    return "late" if now > closes else "due"


def prn_next(order: MedicationOrder, given_times: list[datetime], amounts: list, now: datetime) -> datetime | None:
    """When the protocol next allows a dose (minimum interval, most doses and most amount in a rolling 24 hours)."""
    recent = sorted((t for t in given_times if t > now - ROLLING), reverse=True)
    candidates = []
    if recent and order.prn_min_interval_minutes:
        candidates.append(recent[0] + timedelta(minutes=order.prn_min_interval_minutes))
    if order.prn_max_doses_24h and len(recent) >= order.prn_max_doses_24h:
        candidates.append(recent[order.prn_max_doses_24h - 1] + ROLLING)
    if order.prn_max_amount_24h is not None and amounts:
        pairs = sorted(((t, a) for t, a in amounts if t > now - ROLLING), reverse=True)
        total = sum(a for _, a in pairs)
        # the oldest doses must leave the window until one more minimum dose fits
        for t, a in reversed(pairs):
            if total + order.dose <= order.prn_max_amount_24h:
                break
            candidates.append(t + ROLLING)
            total -= a
    later = [c for c in candidates if c > now]
    return max(later) if later else None


def build_round(*, unit_id: int | None, day: date, slot: str | None, now: datetime | None = None) -> Round:
    now = now or timezone.now()
    residents = current_residents(unit_id)
    orders = _orders([r.id for r in residents])
    slots = slots_of_day(orders, day)
    if not slot or slot not in slots:
        slot = slot if slot and _valid(slot) else default_slot(slots, day, now)
    zone = ZoneInfo(settings.TIME_ZONE)
    due = datetime.combine(day, schedule.parse_time(slot), tzinfo=zone) if slot else None
    regular = [o for o in orders if not o.is_prn and due is not None and due in schedule.slots_on(o, day)]
    prn = [o for o in orders if o.is_prn and o.start_date <= day and not (o.stop_date and o.stop_date < day)]
    records = {}
    if regular:
        records = {
            a.order_id: a
            for a in Administration.objects.filter(order__in=[o.pk for o in regular], due_at=due).select_related(
                "recorded_by"
            )
        }
    given: dict[int, list] = {}
    if prn:
        for order_id, at, dose in Administration.objects.filter(
            order__in=[o.pk for o in prn], outcome__in=GIVEN_OUTCOMES, administered_at__gt=now - ROLLING
        ).values_list("order_id", "administered_at", "dose"):
            given.setdefault(order_id, []).append((at, dose))
    rows = {r.id: ResidentRound(resident=r) for r in residents}
    for o in regular:
        opens, closes = schedule.window(o, due)
        rec = records.get(o.pk)
        rows[o.resident_id].doses.append(
            DoseItem(order=o, due_at=due, opens=opens, closes=closes, record=rec, state=_state(rec, now, opens, closes))
        )
    for o in prn:
        doses = given.get(o.pk, [])
        times = [t for t, _ in doses]
        rows[o.resident_id].prn.append(
            PrnItem(
                order=o,
                last_given=max(times) if times else None,
                doses_24h=len(times),
                next_from=prn_next(o, times, [(t, d) for t, d in doses if d is not None], now),
            )
        )
    for row in rows.values():
        row.doses.sort(key=lambda d: (not d.time_critical, d.order.medicine.name))
    return Round(day=day, slot=slot, slots=slots, rows=list(rows.values()))


def _valid(slot: str) -> bool:
    try:
        schedule.parse_time(slot)
    except (ValueError, TypeError):
        return False
    return True
