""" "Who needs what now": the overdue and alert list of a unit (or of the whole active home).

Built-in sources: below fluid target, repositioning overdue, no bowel movement in N days, low
blood glucose (the latest reading in the last 24 hours below 4.0). Other modules add sources with
``register_alert_source(callable)``; a source is called as ``source(residents, now)`` with the
list of ``residents.public.ResidentRef`` and returns a list of ``Alert`` (R3 registers NEWS2).

Each built-in source runs one query for all the residents (no per-resident queries).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.care_records import rules
from writecarenotes.care_records.models import (
    BloodGlucoseEntry,
    ChartSettings,
    ContinenceEntry,
    FoodFluidEntry,
    RepositioningEntry,
)
from writecarenotes.residents.public import ResidentRef, current_residents

#: severities, most urgent first
SEVERITIES = ("high", "medium", "low")


@dataclass(frozen=True)
class Alert:
    resident_id: int
    resident_name: str
    room: str
    unit_name: str
    kind: str  # "fluid", "repositioning", "bowels", "glucose", "news2", ...
    severity: str  # "high" | "medium" | "low"
    message: str
    url: str = ""
    detail: dict = field(default_factory=dict)
    unit_id: int | None = None

    def as_dict(self) -> dict:
        return {
            "resident_id": self.resident_id,
            "resident_name": self.resident_name,
            "room": self.room,
            "unit_name": self.unit_name,
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message,
            "url": self.url,
            "unit_id": self.unit_id,
        }


AlertSource = Callable[[list[ResidentRef], datetime], list[Alert]]
_sources: list[AlertSource] = []


def register_alert_source(source: AlertSource) -> AlertSource:
    """Add a source of alerts (usable as a decorator); registering twice is harmless."""
    if source not in _sources:
        _sources.append(source)
    return source


def make_alert(ref: ResidentRef, kind: str, severity: str, message: str, **detail) -> Alert:
    """An Alert about ``ref`` linking to their care page (for alert sources)."""
    return Alert(
        unit_id=ref.unit_id,
        resident_id=ref.id,
        resident_name=ref.display_name,
        room=ref.room,
        unit_name=ref.unit_name,
        kind=kind,
        severity=severity,
        message=message,
        url=reverse("care_records:resident", args=[ref.id]),
        detail=detail,
    )


def settings_by_resident(ids: list[int]) -> dict:
    """Chart settings per resident (one query), defaults for residents without a row."""
    from writecarenotes.care_records.services_charts import default_settings

    rows = {s.resident_id: s for s in ChartSettings.objects.filter(resident_id__in=ids)}
    return {i: rows.get(i) or default_settings(i) for i in ids}


def fluid_totals(ids: list[int], now: datetime) -> dict[int, int]:
    start, end = rules.fluid_day_bounds(timezone.localtime(now))
    rows = (
        FoodFluidEntry.objects.current()
        .filter(resident_id__in=ids, occurred_at__gte=start, occurred_at__lt=end)
        .values("resident_id")
        .annotate(total=Sum("fluid_ml"))
    )
    return {r["resident_id"]: r["total"] or 0 for r in rows}


#: how far back the "latest entry" queries look first; residents with nothing that recent are looked
#: up again over their whole history (rare), so the answer is exact and the usual cost stays flat
RECENT = timedelta(days=14)


def _latest(qs, ids: list[int], now: datetime | None) -> dict[int, datetime]:
    """The time of each resident's newest entry in ``qs`` (current entries only).

    First over the last ``RECENT`` days (the ``(resident, occurred_at)`` index serves the range),
    then, for residents with nothing that recent, over everything: two queries at most, and the
    second only for the few residents who need it. Without the window, the query would read each
    resident's whole history (hundreds of thousands of rows after two years) on every alert list.
    """
    if not ids:
        return {}
    qs = qs.current().filter(resident_id__in=ids).values("resident_id").annotate(last=Max("occurred_at"))
    if now is None:
        return {r["resident_id"]: r["last"] for r in qs}
    out = {r["resident_id"]: r["last"] for r in qs.filter(occurred_at__gte=now - RECENT)}
    missing = [i for i in ids if i not in out]
    if missing:
        out.update({r["resident_id"]: r["last"] for r in qs.filter(resident_id__in=missing)})
    return out


def last_repositioned(ids: list[int], now: datetime | None = None) -> dict[int, datetime]:
    return _latest(RepositioningEntry.objects.all(), ids, now)


def last_bowel_movement(ids: list[int], now: datetime | None = None) -> dict[int, datetime]:
    return _latest(ContinenceEntry.objects.filter(bowels_opened=True), ids, now)


def latest_glucose(ids: list[int], now: datetime) -> dict[int, BloodGlucoseEntry]:
    out: dict[int, BloodGlucoseEntry] = {}
    rows = BloodGlucoseEntry.objects.current().filter(resident_id__in=ids, occurred_at__gte=now - timedelta(hours=24))
    for e in rows.order_by("occurred_at", "pk"):
        out[e.resident_id] = e
    return out


def builtin_alerts(residents: list[ResidentRef], now: datetime) -> list[Alert]:
    ids = [r.id for r in residents]
    if not ids:
        return []
    settings = settings_by_resident(ids)
    totals = fluid_totals(ids, now)
    # only residents on a repositioning schedule can be overdue
    repositioned = last_repositioned([i for i in ids if settings[i].repositioning_interval_hours], now)
    bowels = last_bowel_movement(ids, now)
    glucose = latest_glucose(ids, now)
    local = timezone.localtime(now)
    out: list[Alert] = []
    for ref in residents:
        s = settings[ref.id]
        if s.monitor_fluids:
            total = totals.get(ref.id, 0)
            expected = rules.expected_fluid_ml(
                s.fluid_target_ml, local.time(), s.fluid_check_time, s.fluid_check_percent
            )
            if expected and total < expected:
                out.append(
                    make_alert(
                        ref,
                        "fluid",
                        "medium",
                        _("Below fluid target: %(total)s ml of %(target)s ml today (expected %(expected)s ml by now)")
                        % {"total": total, "target": s.fluid_target_ml, "expected": expected},
                        total=total,
                        target=s.fluid_target_ml,
                    )
                )
        last = repositioned.get(ref.id)
        if rules.repositioning_overdue(last, s.repositioning_interval_hours, now):
            if last is None:
                msg = _("Repositioning due: none recorded (every %(h)s h)") % {"h": s.repositioning_interval_hours}
            else:
                due = last + timedelta(hours=s.repositioning_interval_hours)
                msg = _("Repositioning overdue since %(time)s (every %(h)s h)") % {
                    "time": timezone.localtime(due).strftime("%H:%M"),
                    "h": s.repositioning_interval_hours,
                }
            out.append(make_alert(ref, "repositioning", "high", msg))
        bm = bowels.get(ref.id)
        bm_date = timezone.localtime(bm).date() if bm else None
        if rules.bowel_alert(bm_date, local.date(), s.bowel_alert_days):
            out.append(
                make_alert(
                    ref,
                    "bowels",
                    "medium",
                    _("No bowel movement for %(days)s days") % {"days": rules.days_since(bm_date, local.date())},
                )
            )
        g = glucose.get(ref.id)
        if g is not None and rules.is_hypo(g.mmol_per_l):
            out.append(
                make_alert(
                    ref,
                    "glucose",
                    "high",
                    _("Low blood glucose %(value)s mmol/L at %(time)s: treat the hypo and recheck")
                    % {"value": g.mmol_per_l, "time": timezone.localtime(g.occurred_at).strftime("%H:%M")},
                )
            )
    return out


def alerts_for(unit_id: int | None = None, now: datetime | None = None) -> list[Alert]:
    """Every current alert for the unit's residents (or the active home's), most urgent first."""
    now = now or timezone.now()
    # residents temporarily away (hospital, leave) need nothing from this unit's staff now
    residents = [r for r in current_residents(unit_id) if r.status == "in_residence"]
    alerts = builtin_alerts(residents, now)
    for source in list(_sources):
        alerts.extend(source(residents, now))
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(alerts, key=lambda a: (rank.get(a.severity, 9), a.unit_name, a.room, a.resident_name, a.kind))


def dashboard_panel(request) -> dict | None:
    """Dashboard panel (roles that can view care records): a placeholder that loads the counts
    with htmx (care_records:alerts_panel), so the dashboard itself runs no alert queries."""
    access = getattr(request, "access", None)
    if access is None or not access.can("care_records", "view"):
        return None
    return {"title": _("Who needs what now"), "template": "care_records/panel.html", "order": 20}


def panel_counts(unit_id: int | None = None) -> dict:
    """Alerts now, in total and per unit (the panel's content)."""
    items = alerts_for(unit_id)
    units: dict = {}
    for a in items:
        if a.unit_id is not None:
            units.setdefault(a.unit_id, {"id": a.unit_id, "name": a.unit_name, "count": 0})["count"] += 1
    return {"total": len(items), "units": sorted(units.values(), key=lambda u: u["name"])}
