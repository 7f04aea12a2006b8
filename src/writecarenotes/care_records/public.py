"""What other contexts (and this context's pages and API) may know about a resident's daily records.

``resident_summary(ref)``: today's entries, running fluid total against target, each chart's last
value, weight with BMI and change, repositioning and bowel status; a fixed number of queries.
``unit_alert_count(unit_id)``: how many alerts the unit has now.
``weights(resident_id, since)``: the resident's current (not struck through) weights since a time.
``News2Observations``, ``News2Result``, ``news2_score(obs)``: the one NEWS2 implementation (RCP 2017),
shared with the assessments tool library.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from writecarenotes.care_records import rules
from writecarenotes.care_records.models import (
    CareNote,
    ContinenceEntry,
    FoodFluidEntry,
    RepositioningEntry,
    WeightEntry,
)
from writecarenotes.care_records.models.notes import BodyLocation
from writecarenotes.care_records.news2 import News2Result
from writecarenotes.care_records.news2 import Observations as News2Observations
from writecarenotes.care_records.news2 import score as news2_score
from writecarenotes.care_records.services_charts import CHARTS, settings_for

__all__ = [
    "BODY_LOCATIONS",
    "News2Observations",
    "News2Result",
    "news2_score",
    "resident_summary",
    "unit_alert_count",
    "weights",
]


#: The body-map regions (value, label), front then back: the one list every body map uses
#: (daily notes here, injuries in incidents).
BODY_LOCATIONS = BodyLocation.choices

#: at most this many of today's entries on the resident's care page (the newest)
TODAY_LIMIT = 50


def resident_summary(ref, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    local = timezone.localtime(now)
    day_start, day_end = rules.fluid_day_bounds(local)
    s = settings_for(ref.id)

    kinds = {"notes": CareNote, **CHARTS}
    today = []
    last = {}
    for kind, model in kinds.items():
        # the newest TODAY_LIMIT (+1, to tell whether there are more) of each kind: the page stays
        # light on the busiest day; the care journey lists every entry
        rows = (
            model.objects.filter(resident_id=ref.id, occurred_at__gte=day_start, occurred_at__lt=day_end)
            .select_related("recorded_by")
            .order_by("-occurred_at", "-pk")[: TODAY_LIMIT + 1]
        )
        today.extend({"kind": kind, "entry": e} for e in rows)
        if kind != "notes":
            last[kind] = model.objects.current().filter(resident_id=ref.id).first()
    today.sort(key=lambda x: (x["entry"].occurred_at, x["entry"].pk), reverse=True)
    more_today = len(today) > TODAY_LIMIT
    today = today[:TODAY_LIMIT]

    total = (
        FoodFluidEntry.objects.current()
        .filter(resident_id=ref.id, occurred_at__gte=day_start, occurred_at__lt=day_end)
        .aggregate(t=Sum("fluid_ml"))["t"]
        or 0
    )
    expected = rules.expected_fluid_ml(s.fluid_target_ml, local.time(), s.fluid_check_time, s.fluid_check_percent)
    fluid = {
        "monitor": s.monitor_fluids,
        "total_ml": total,
        "target_ml": s.fluid_target_ml,
        "expected_ml": expected,
        "below": bool(s.monitor_fluids and expected and total < expected),
        "percent": min(100, round(total * 100 / s.fluid_target_ml)) if s.fluid_target_ml else 0,
    }

    weights = list(
        WeightEntry.objects.current()
        .filter(resident_id=ref.id, occurred_at__gte=now - timedelta(days=200))
        .order_by("occurred_at")
        .values_list("occurred_at", "weight_kg")
    )
    weight = None
    if weights:
        latest_at, latest_kg = weights[-1]
        changes = {m: rules.weight_change_percent(weights, m) for m in (1, 3, 6)}
        worst = min((c for c in (changes[3], changes[6]) if c is not None), default=None)
        weight = {
            "kg": latest_kg,
            "at": latest_at,
            "bmi": rules.bmi(latest_kg, ref.height_cm),
            "change": changes,
            "must_score": rules.must_weight_loss_score(worst),
        }

    last_repo = last.get("repositioning")
    last_repo_at = last_repo.occurred_at if isinstance(last_repo, RepositioningEntry) else None
    repositioning = {
        "interval_hours": s.repositioning_interval_hours,
        "last_at": last_repo_at,
        "due_at": rules.repositioning_due_at(last_repo_at, s.repositioning_interval_hours),
        "overdue": rules.repositioning_overdue(last_repo_at, s.repositioning_interval_hours, now),
    }
    last_bm = ContinenceEntry.objects.current().filter(resident_id=ref.id, bowels_opened=True).first()
    bm_date = timezone.localtime(last_bm.occurred_at).date() if last_bm else None
    bowels = {
        "last": last_bm,
        "days_since": rules.days_since(bm_date, local.date()),
        "threshold": s.bowel_alert_days,
        "alert": rules.bowel_alert(bm_date, local.date(), s.bowel_alert_days),
    }
    return {
        "now": local,
        "settings": s,
        "today": today,
        "more_today": more_today,
        "day_start": day_start,
        "last": last,
        "fluid": fluid,
        "weight": weight,
        "repositioning": repositioning,
        "bowels": bowels,
    }


def unit_alert_count(unit_id: int | None = None) -> int:
    from writecarenotes.care_records.alerts import alerts_for

    return len(alerts_for(unit_id))


def weights(resident_id: int, since: datetime) -> list[tuple[datetime, Decimal]]:
    """[(time weighed, kg)] of the resident's current weight entries from ``since``, oldest first (scoped)."""
    return list(
        WeightEntry.objects.current()
        .filter(resident_id=resident_id, occurred_at__gte=since)
        .order_by("occurred_at", "pk")
        .values_list("occurred_at", "weight_kg")
    )


# --- reads for care planning: the carers' task lists and the care plan reviews -------------------
# (additions for care_planning; imports are local so this block only adds to the module)

__all__ += ["PLAN_CHART_SLUGS", "entry_times", "records_since", "shift_bounds"]

#: chart slugs a care plan intervention may be recorded on: CHARTS plus the vital signs
PLAN_CHART_SLUGS = (*CHARTS, "vital-signs")


def _chart_model(chart: str):
    if chart == "vital-signs":
        from writecarenotes.care_records.models import VitalSigns

        return VitalSigns
    model = CHARTS.get(chart)
    if model is None:
        raise ValueError(f"unknown chart {chart!r}")
    return model


def shift_bounds(now: datetime | None = None) -> tuple[datetime, datetime]:
    """The shift (day 08:00-20:00, night 20:00-08:00, local time) that contains ``now``: (start, end)."""
    return rules.shift_bounds(timezone.localtime(now or timezone.now()))


def entry_times(chart: str, resident_ids, since: datetime, until: datetime) -> dict[int, list[datetime]]:
    """{resident id: [times of care]} of the residents' current entries on ``chart`` (a CHARTS slug or
    "vital-signs") from ``since`` (inclusive) to ``until`` (exclusive), oldest first. One query (scoped)."""
    ids = list(resident_ids)
    out: dict[int, list[datetime]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = (
        _chart_model(chart)
        .objects.current()
        .filter(resident_id__in=ids, occurred_at__gte=since, occurred_at__lt=until)
        .order_by("occurred_at", "pk")
        .values_list("resident_id", "occurred_at")
    )
    for resident_id, at in rows:
        out[resident_id].append(at)
    return out


def _num(value) -> str | None:
    return None if value is None else f"{Decimal(value).normalize():f}"


def records_since(resident_id: int, since: datetime, until: datetime | None = None) -> dict:
    """What the daily records say about a resident from ``since`` to ``until`` (default now), as
    JSON-safe figures for a care plan review (a fixed number of queries, scoped):

    ``falls`` notes marked as a fall (with their dates) and ``notes`` in all; ``fluids``: each
    complete local day's total against the resident's target (days below target, average, lowest);
    ``meals_refused``; ``weight``: first and last weight of the period (the last before the period
    as the baseline when there is one) and the change in kg and per cent; ``repositioning``: entries,
    the interval set, the longest gap and how many gaps were longer than the interval;
    ``bowels``: movements recorded and the longest run of days without one; ``behaviour`` entries;
    ``vital_signs``: sets recorded and the highest NEWS2 total.
    """
    from django.db.models import Count, Max, Q

    from writecarenotes.care_records.models import BehaviourEntry, VitalSigns

    until = until or timezone.now()
    window = {"resident_id": resident_id, "occurred_at__gte": since, "occurred_at__lt": until}
    s = settings_for(resident_id)

    notes = CareNote.objects.current().filter(**window).aggregate(n=Count("pk"), falls=Count("pk", filter=Q(fall=True)))
    fall_days = sorted(
        {
            timezone.localdate(at).isoformat()
            for at in CareNote.objects.current().filter(fall=True, **window).values_list("occurred_at", flat=True)
        }
    )

    per_day: dict = {}
    refused = 0
    for at, ml, eaten in (
        FoodFluidEntry.objects.current().filter(**window).values_list("occurred_at", "fluid_ml", "amount_eaten")
    ):
        day = timezone.localdate(at)
        per_day[day] = per_day.get(day, 0) + (ml or 0)
        refused += eaten == "refused"
    first_day = timezone.localdate(since)
    last_day = timezone.localdate(until)
    # complete days only: the first day counts when the period starts at its midnight
    complete = []
    day = first_day if timezone.localtime(since).time() == rules.FLUID_DAY_START else first_day + timedelta(days=1)
    while day < last_day:
        complete.append(day)
        day += timedelta(days=1)
    totals = [per_day.get(d, 0) for d in complete]
    below = [d.isoformat() for d, t in zip(complete, totals, strict=True) if t < s.fluid_target_ml]
    fluids = {
        "monitored": s.monitor_fluids,
        "target_ml": s.fluid_target_ml,
        "days": len(complete),
        "days_below_target": len(below) if s.monitor_fluids else None,
        "below_days": below if s.monitor_fluids else [],
        "average_ml": round(sum(totals) / len(totals)) if totals else None,
        "lowest_ml": min(totals) if totals else None,
    }

    weight_rows = list(
        WeightEntry.objects.current()
        .filter(resident_id=resident_id, occurred_at__gte=since - timedelta(days=62), occurred_at__lt=until)
        .order_by("occurred_at", "pk")
        .values_list("occurred_at", "weight_kg")
    )
    before = [w for w in weight_rows if w[0] < since]
    inside = [w for w in weight_rows if w[0] >= since]
    weight = {"count": len(inside), "start_kg": None, "end_kg": None, "change_kg": None, "change_percent": None}
    if inside:
        start = before[-1] if before else inside[0]
        end = inside[-1]
        weight.update(start_kg=_num(start[1]), end_kg=_num(end[1]), start_at=start[0].isoformat())
        if start is not end:
            change = Decimal(end[1]) - Decimal(start[1])
            weight["change_kg"] = _num(change)
            weight["change_percent"] = _num((change / Decimal(start[1]) * 100).quantize(Decimal("0.1")))

    repo_times = list(
        RepositioningEntry.objects.current()
        .filter(**window)
        .order_by("occurred_at")
        .values_list("occurred_at", flat=True)
    )
    gaps = [(b - a).total_seconds() / 3600 for a, b in zip(repo_times, repo_times[1:], strict=False)]
    interval = s.repositioning_interval_hours
    repositioning = {
        "count": len(repo_times),
        "interval_hours": interval,
        "longest_gap_hours": round(max(gaps), 1) if gaps else None,
        "gaps_over_interval": sum(1 for g in gaps if interval and g > interval) if interval else None,
    }

    continence = list(ContinenceEntry.objects.current().filter(**window).values_list("occurred_at", "bowels_opened"))
    bm_days = sorted({timezone.localdate(at) for at, opened in continence if opened})
    marks = [first_day, *bm_days, last_day]
    bowels = {
        "entries": len(continence),
        "movements_days": len(bm_days),
        # nothing on the continence chart in the period: no count of days without (nothing to count from)
        "longest_days_without": max((b - a).days for a, b in zip(marks, marks[1:], strict=False))
        if continence
        else None,
    }

    vitals = VitalSigns.objects.current().filter(**window).aggregate(n=Count("pk"), top=Max("news2_total"))
    return {
        "since": since.isoformat(),
        "until": until.isoformat(),
        "notes": notes["n"],
        "falls": notes["falls"],
        "fall_days": fall_days,
        "fluids": fluids,
        "meals_refused": refused,
        "weight": weight,
        "repositioning": repositioning,
        "bowels": bowels,
        "behaviour": BehaviourEntry.objects.current().filter(**window).count(),
        "vital_signs": {"count": vitals["n"], "highest_news2": vitals["top"]},
    }
