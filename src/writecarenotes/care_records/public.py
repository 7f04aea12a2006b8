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
from writecarenotes.care_records.news2 import News2Result
from writecarenotes.care_records.news2 import Observations as News2Observations
from writecarenotes.care_records.news2 import score as news2_score
from writecarenotes.care_records.services_charts import CHARTS, settings_for

__all__ = ["News2Observations", "News2Result", "news2_score", "resident_summary", "unit_alert_count", "weights"]


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
