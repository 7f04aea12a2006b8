"""The medicines fridge temperature log.

UKHSA, Immunisation against infectious disease (the Green Book), chapter 3 (storage), and RPS guidance on
the handling of medicines in social care: refrigerated medicines are kept between +2 °C and +8 °C; the
current, minimum and maximum temperatures are read and recorded at least once every day the home keeps
such medicines. A reading with any of the three outside 2.0-8.0 °C (both limits are in range) is out of
range: it is refused unless the action taken is recorded, and it publishes ``medication.fridge_out_of_range``
(the dashboard shows it). A day without a reading is listed as missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.medication.events_stock import FridgeOutOfRange
from writecarenotes.medication.models import FRIDGE_MAX_C, FRIDGE_MIN_C, Fridge, FridgeReading
from writecarenotes.medication.services_controlled import CLOCK_SLACK
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.events.api import publish

#: how far back the "missing days" list looks
MISSING_DAYS_WINDOW = 28


class FridgeNotFound(LookupError):
    pass


def in_range(value: Decimal) -> bool:
    return FRIDGE_MIN_C <= value <= FRIDGE_MAX_C


def _temp(value, field: str, errors: dict) -> Decimal | None:
    try:
        t = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        errors[field] = [_("Enter the temperature in °C, for example 5.2.")]
        return None
    if not t.is_finite() or not Decimal("-30") <= t <= Decimal("60"):
        errors[field] = [_("Enter a temperature between -30 and 60 °C.")]
        return None
    if t != t.quantize(Decimal("0.1")):
        errors[field] = [_("Use one decimal place at most.")]
        return None
    return t


def add_fridge(home_id: int, *, name: str, location: str = "", by) -> Fridge:
    name = (name or "").strip()
    location = (location or "").strip()
    errors = {}
    if not name:
        errors["name"] = [_("Name the fridge (for example Treatment room fridge).")]
    elif len(name) > 80:
        errors["name"] = [_("Keep it to %(n)s characters.") % {"n": 80}]
    if len(location) > 120:
        errors["location"] = [_("Keep it to %(n)s characters.") % {"n": 120}]
    if not errors and Fridge.objects.filter(home_id=home_id, name__iexact=name).exists():
        errors["name"] = [_("There is already a fridge with this name.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        fridge = Fridge.objects.create(home_id=home_id, name=name, location=location, created_at=timezone.now())
        record_change("medication.fridge.added", target=fridge, before=None, after={"name": name})
    return fridge


def record_reading(
    fridge_id: int, *, current_c, min_c, max_c, by, action_taken: str = "", read_at: datetime | None = None
) -> FridgeReading:
    errors: dict[str, list[str]] = {}
    current = _temp(current_c, "current_c", errors)
    low = _temp(min_c, "min_c", errors)
    high = _temp(max_c, "max_c", errors)
    action = (action_taken or "").strip()
    if len(action) > 1000:
        errors["action_taken"] = [_("Keep it to %(n)s characters.") % {"n": 1000}]
    now = timezone.now()
    when = read_at or now
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    if when > now + CLOCK_SLACK:
        errors["read_at"] = [_("The time cannot be in the future.")]
    if not errors:
        if low > high:
            errors["min_c"] = [_("The minimum cannot be higher than the maximum.")]
        elif not low <= current <= high:
            errors["current_c"] = [_("The current temperature must lie between the minimum and the maximum.")]
    ok = not errors and in_range(current) and in_range(low) and in_range(high)
    if not errors and not ok and not action:
        errors["action_taken"] = [
            _(
                "Out of range: medicines in the fridge must stay between 2 and 8 °C (Green Book, chapter 3). "
                "Write what you did: moved the stock, told the pharmacist, quarantined the medicines, reset the "
                "thermometer, called for repair."
            )
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        fridge = Fridge.objects.filter(pk=fridge_id).first()
        if fridge is None:
            raise FridgeNotFound(fridge_id)
        reading = FridgeReading.objects.create(
            home_id=fridge.home_id,
            fridge=fridge,
            read_at=when,
            current_c=current,
            min_c=low,
            max_c=high,
            in_range=ok,
            action_taken=action,
            recorded_by=by,
            recorded_at=now,
        )
        record_change(
            "medication.fridge.reading",
            target=reading,
            before=None,
            after={"current": str(current), "min": str(low), "max": str(high), "in_range": ok, "action": action},
        )
        if not ok:
            publish(
                FridgeOutOfRange(
                    fridge_id=fridge.pk,
                    fridge=fridge.name,
                    reading_id=reading.pk,
                    current_c=str(current),
                    min_c=str(low),
                    max_c=str(high),
                    action_taken=action,
                    read_at=when,
                    recorded_by_id=by.pk,
                ),
                home=fridge.home_id,
            )
    return reading


def missing_days(fridge: Fridge, *, today: date | None = None, days: int = MISSING_DAYS_WINDOW) -> list[date]:
    """Days (from when the fridge was added, at most ``days`` back, up to yesterday; today too once it
    has a reading or not) without a reading, oldest first. One query."""
    today = today or timezone.localdate()
    first = max(timezone.localdate(fridge.created_at), today - timedelta(days=days - 1))
    read = set(
        FridgeReading.objects.filter(fridge=fridge, read_at__date__gte=first - timedelta(days=1))
        .annotate(day=TruncDate("read_at", tzinfo=timezone.get_current_timezone()))
        .values_list("day", flat=True)
    )
    out, day = [], first
    while day <= today:
        if day not in read:
            out.append(day)
        day += timedelta(days=1)
    return out


@dataclass
class FridgeRow:
    fridge: Fridge
    last: FridgeReading | None
    read_today: bool
    out_of_range_7d: int


def fridge_rows(today: date | None = None) -> list[FridgeRow]:
    """The fridges in scope with their latest reading, whether read today, and out-of-range readings in
    the last 7 days. Four queries."""
    today = today or timezone.localdate()
    fridges = list(Fridge.objects.filter(active=True).order_by("name"))
    ids = [f.pk for f in fridges]
    start_today = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    week = start_today - timedelta(days=6)
    counts = {
        row["fridge_id"]: row
        for row in FridgeReading.objects.filter(fridge_id__in=ids, read_at__gte=week)
        .values("fridge_id")
        .annotate(out=Count("pk", filter=Q(in_range=False)), today=Count("pk", filter=Q(read_at__gte=start_today)))
    }
    last_ids = (
        Fridge.objects.filter(pk__in=ids)
        .annotate(
            last_id=Subquery(
                FridgeReading.objects.filter(fridge=OuterRef("pk")).order_by("-read_at", "-pk").values("pk")[:1]
            )
        )
        .values_list("last_id", flat=True)
    )
    latest = {r.fridge_id: r for r in FridgeReading.objects.filter(pk__in=[i for i in last_ids if i])}
    return [
        FridgeRow(f, latest.get(f.pk), bool(counts.get(f.pk, {}).get("today")), counts.get(f.pk, {}).get("out", 0))
        for f in fridges
    ]
