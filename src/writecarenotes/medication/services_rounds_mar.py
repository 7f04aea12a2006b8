"""The MAR chart of a resident for a period: a grid of days x scheduled times per regular medicine with the
outcome in each cell, and the when-required doses listed with their times. The page and the PDF are
drawn from the same ``MarChart``, so they say the same thing.

A cell holds the initials of the person who gave the dose (as on a paper MAR), or the letter of the reason
it was not given (``reason_codes``), "SA" when self-administered, "*" appended when recorded late; a past
slot with no record shows "?" (not recorded: a gap the nurse must look into). A fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from writecarenotes.medication import reason_codes, schedule
from writecarenotes.medication.models import Administration, MedicationOrder
from writecarenotes.residents.public import AllergyStatus, ResidentRef, allergies, get_resident

__all__ = ["MAX_DAYS", "MarChart", "MarRow", "build_mar", "initials", "period_from"]

MAX_DAYS = 35
DEFAULT_DAYS = 7
MISSING = "?"


def initials(name: str) -> str:
    parts = [p for p in (name or "").replace("-", " ").split() if p[:1].isalpha()]
    return "".join(p[0].upper() for p in parts[:3]) or "?"


@dataclass
class MarCell:
    text: str = ""
    title: str = ""
    kind: str = ""  # given, not_given, missing, "" (not due / not yet)
    record_id: int | None = None


@dataclass
class MarRow:
    time: str
    cells: list[MarCell]


@dataclass
class MarOrder:
    order: MedicationOrder
    rows: list[MarRow] = field(default_factory=list)
    prn_doses: list[Administration] = field(default_factory=list)


@dataclass
class MarChart:
    resident: ResidentRef
    allergies: AllergyStatus
    start: date
    end: date
    days: list[date]
    regular: list[MarOrder]
    prn: list[MarOrder]
    notes: list[tuple[str, str]]  # (when, what) for "F" and free-text reasons
    key: tuple = reason_codes.MAR_KEY


def period_from(start: str | None, end: str | None) -> tuple[date, date]:
    """(start, end) from YYYY-MM-DD strings: default the last 7 days, at most ``MAX_DAYS`` days."""
    today = timezone.localdate()
    try:
        e = date.fromisoformat(end) if end else today
    except ValueError:
        e = today
    try:
        s = date.fromisoformat(start) if start else e - timedelta(days=DEFAULT_DAYS - 1)
    except ValueError:
        s = e - timedelta(days=DEFAULT_DAYS - 1)
    if s > e:
        s, e = e, s
    if (e - s).days + 1 > MAX_DAYS:
        s = e - timedelta(days=MAX_DAYS - 1)
    return s, e


def _cell(adm: Administration) -> MarCell:
    who = adm.recorded_by.display_name if adm.recorded_by_id else ""
    if adm.outcome == "given":
        text = initials(who)
        kind = "given"
    else:
        text = reason_codes.letter_for(adm.outcome, adm.reason_code)
        kind = "given" if adm.outcome == "self_administered" else "not_given"
    if adm.late:
        text += "*"
    when = timezone.localtime(adm.administered_at).strftime("%H:%M")
    title = f"{adm.get_outcome_display()} {when}, {who}"
    if adm.dose is not None:
        title += f" ({adm.dose.normalize():f})"
    return MarCell(text=text, title=title, kind=kind, record_id=adm.pk)


def build_mar(resident_id: int, start: date, end: date, *, now: datetime | None = None) -> MarChart:
    """Raises residents.public.ResidentNotFound for a resident outside the scope."""
    now = now or timezone.now()
    resident = get_resident(resident_id)
    zone = ZoneInfo(settings.TIME_ZONE)
    t0 = datetime.combine(start, datetime.min.time(), tzinfo=zone)
    t1 = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    records = list(
        Administration.objects.filter(resident_id=resident.id)
        .filter(
            Q(due_at__gte=t0, due_at__lt=t1) | Q(due_at__isnull=True, administered_at__gte=t0, administered_at__lt=t1)
        )
        .select_related("recorded_by", "witness")
        .order_by("administered_at", "pk")
    )
    with_records = {a.order_id for a in records}
    orders = list(
        MedicationOrder.objects.filter(resident_id=resident.id)
        .filter(
            Q(pk__in=with_records)
            | (Q(status="active", start_date__lte=end) & (Q(stop_date__isnull=True) | Q(stop_date__gte=start)))
        )
        .select_related("medicine")
        .order_by("is_prn", "medicine__name", "pk")
    )
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    by_slot = {(a.order_id, a.due_at): a for a in records if a.due_at is not None}
    regular, prn, notes = [], [], []
    for o in orders:
        mo = MarOrder(order=o)
        if o.is_prn:
            mo.prn_doses = [a for a in records if a.order_id == o.pk]
            prn.append(mo)
            continue
        times = sorted(
            set(o.times)
            | {timezone.localtime(a.due_at).strftime("%H:%M") for a in records if a.order_id == o.pk and a.due_at}
        )
        for t in times:
            cells = []
            for d in days:
                due = datetime.combine(d, schedule.parse_time(t), tzinfo=zone)
                adm = by_slot.get((o.pk, due))
                if adm is not None:
                    cells.append(_cell(adm))
                elif due in schedule.slots_on(o, d) and schedule.window(o, due)[1] < now and o.status == "active":
                    cells.append(MarCell(text=MISSING, title="", kind="missing"))
                else:
                    cells.append(MarCell())
            mo.rows.append(MarRow(time=t, cells=cells))
        regular.append(mo)
    names = {o.pk: o.medicine.name for o in orders}
    for a in records:
        if a.outcome in ("given", "self_administered"):
            continue
        letter = reason_codes.letter_for(a.outcome, a.reason_code)
        if not a.note and letter != "F":
            continue
        rc = reason_codes.get(a.reason_code)
        words = "; ".join(str(x) for x in (rc.label if rc else "", a.note) if x)
        when = timezone.localtime(a.due_at or a.administered_at).strftime("%d/%m %H:%M")
        notes.append((when, f"{names.get(a.order_id, '')} ({letter}): {words}"))
    return MarChart(
        resident=resident,
        allergies=allergies(resident.id),
        start=start,
        end=end,
        days=days,
        regular=regular,
        prn=prn,
        notes=notes,
    )
