"""Incident trends and the monthly quality summary: aggregate queries only (one query per breakdown,
never a query per incident), over the homes in scope (one home, or every home of the organisation
for a provider admin acting for all homes), optionally narrowed to one home.

Hours and days are local time (``settings.TIME_ZONE``): the database converts ``occurred_at``
before grouping (Django's Extract functions with USE_TZ).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from importlib import import_module

from django.apps import apps
from django.db.models import Count, Max, Q
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from writecarenotes.incidents.models import (
    CONTRIBUTORY_FACTOR_CATEGORIES,
    ActionStatus,
    ContributoryFactor,
    Incident,
    IncidentPerson,
    IncidentType,
    Investigation,
    InvestigationAction,
    InvestigationStatus,
    LessonLearned,
    PersonKind,
    PersonRole,
    Severity,
)

#: WHO IS A REPEAT FALLER. The home's thresholds (data, editable): a resident with at least ``falls``
#: falls within the last ``days`` days. NICE CG161 (2013), recommendation 1.1.2.1, offers a
#: multifactorial falls risk assessment to older people who report recurrent falls in the past
#: year; NICE NG249 (2025) replaced CG161. The exact counts and windows below are the home's policy,
#: not numbers the guideline sets (unverified against the text of NG249).
REPEAT_FALLER_RULES: tuple[dict, ...] = (
    {"falls": 2, "days": 90, "source": _lazy("The home's policy (unverified against NICE NG249)")},
    {
        "falls": 3,
        "days": 365,
        "source": _lazy("Recurrent falls in the past year: NICE CG161 rec. 1.1.2.1, now NG249 (count unverified)"),
    },
)

WEEKDAYS = (
    _lazy("Monday"),
    _lazy("Tuesday"),
    _lazy("Wednesday"),
    _lazy("Thursday"),
    _lazy("Friday"),
    _lazy("Saturday"),
    _lazy("Sunday"),
)
#: how many residents the "by resident" breakdown lists
TOP_RESIDENTS = 15


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    count: int


@dataclass
class Trends:
    start: date
    end: date  # inclusive
    total: int
    by_type: list[Bar]
    by_severity: list[Bar]
    by_unit: list[Bar]
    by_hour: list[Bar]
    by_weekday: list[Bar]
    by_resident: list[Bar]
    home_id: int | None = None
    by_home: list[Bar] = field(default_factory=list)


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in local time."""
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


def incidents_between(start: date, end: date, home_id: int | None = None):
    lo, hi = bounds(start, end)
    qs = Incident.objects.filter(occurred_at__gte=lo, occurred_at__lt=hi)
    return qs.filter(home_id=home_id) if home_id else qs


def resident_name(preferred: str | None, given: str | None, family: str | None) -> str:
    """What staff call the resident (as residents do it: the preferred or first given name, and the family name)."""
    first = preferred or (given or "").split(" ")[0]
    return f"{first} {family or ''}".strip()


def _bars(rows, key: str, labels: dict | None = None, *, order: list | None = None) -> list[Bar]:
    counts = {row[key]: row["n"] for row in rows}
    keys = order if order is not None else sorted(counts, key=lambda k: (-counts[k], str(k)))
    return [Bar(str(k), str((labels or {}).get(k, k)), counts.get(k, 0)) for k in keys]


def trends(start: date, end: date, home_id: int | None = None) -> Trends:
    """Counts by type, harm, unit, hour, weekday and resident (and home, when several are in scope).
    Seven or eight queries whatever the number of incidents."""
    qs = incidents_between(start, end, home_id)
    by_type = _bars(qs.values("kind").annotate(n=Count("pk")), "kind", dict(IncidentType.choices))
    severities = dict(Severity.choices)
    by_severity = _bars(qs.values("severity").annotate(n=Count("pk")), "severity", severities, order=list(severities))
    unit_rows = list(qs.values("unit_id", "unit__name").annotate(n=Count("pk")))
    unit_labels = {r["unit_id"]: r["unit__name"] or _("No unit recorded") for r in unit_rows}
    by_unit = _bars(unit_rows, "unit_id", unit_labels)
    hours = qs.annotate(h=ExtractHour("occurred_at")).values("h").annotate(n=Count("pk"))
    by_hour = _bars(hours, "h", {h: f"{h:02d}:00" for h in range(24)}, order=list(range(24)))
    days = qs.annotate(d=ExtractIsoWeekDay("occurred_at")).values("d").annotate(n=Count("pk"))
    by_weekday = _bars(days, "d", {i + 1: d for i, d in enumerate(WEEKDAYS)}, order=list(range(1, 8)))
    people = (
        IncidentPerson.objects.filter(role=PersonRole.AFFECTED, kind=PersonKind.RESIDENT, incident__in=qs.values("pk"))
        .values(
            "resident_id",
            "resident__preferred_name",
            "resident__legal_given_names",
            "resident__legal_family_name",
        )
        .annotate(n=Count("incident_id", distinct=True))
        .order_by("-n", "resident__legal_family_name", "resident_id")[:TOP_RESIDENTS]
    )
    by_resident = [
        Bar(
            str(r["resident_id"]),
            resident_name(
                r["resident__preferred_name"], r["resident__legal_given_names"], r["resident__legal_family_name"]
            ),
            r["n"],
        )
        for r in people
    ]
    home_rows = list(qs.values("home_id", "home__name").annotate(n=Count("pk")))
    by_home = (
        _bars(home_rows, "home_id", {r["home_id"]: r["home__name"] for r in home_rows}) if len(home_rows) > 1 else []
    )
    return Trends(
        start=start,
        end=end,
        total=sum(b.count for b in by_type),
        by_type=by_type,
        by_severity=by_severity,
        by_unit=by_unit,
        by_hour=by_hour,
        by_weekday=by_weekday,
        by_resident=by_resident,
        home_id=home_id,
        by_home=by_home,
    )


# --- repeat fallers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RepeatFaller:
    resident_id: int
    name: str
    home_name: str
    falls: dict  # days -> falls in that window
    last_fall: datetime
    rules: list  # the rules met, as text


def repeat_fallers(now: datetime | None = None, home_id: int | None = None) -> list[RepeatFaller]:
    """Residents meeting a rule of ``REPEAT_FALLER_RULES`` at ``now`` (one query)."""
    now = now or timezone.now()
    longest = max(rule["days"] for rule in REPEAT_FALLER_RULES)
    base = IncidentPerson.objects.filter(
        role=PersonRole.AFFECTED,
        kind=PersonKind.RESIDENT,
        incident__kind=IncidentType.FALL,
        incident__occurred_at__gt=now - timedelta(days=longest),
        incident__occurred_at__lte=now,
    )
    if home_id:
        base = base.filter(home_id=home_id)
    annotations = {
        f"n{rule['days']}": Count(
            "incident_id", filter=Q(incident__occurred_at__gt=now - timedelta(days=rule["days"])), distinct=True
        )
        for rule in REPEAT_FALLER_RULES
    }
    met = Q()
    for rule in REPEAT_FALLER_RULES:
        met |= Q(**{f"n{rule['days']}__gte": rule["falls"]})
    rows = (
        base.values(
            "resident_id",
            "resident__preferred_name",
            "resident__legal_given_names",
            "resident__legal_family_name",
            "home__name",
        )
        .annotate(last=Max("incident__occurred_at"), **annotations)
        .filter(met)
        .order_by("-last", "resident_id")
    )
    out = []
    for r in rows:
        rules = [
            _("%(n)s falls in %(d)s days (%(rule)s or more)")
            % {"n": r[f"n{rule['days']}"], "d": rule["days"], "rule": rule["falls"]}
            for rule in REPEAT_FALLER_RULES
            if r[f"n{rule['days']}"] >= rule["falls"]
        ]
        out.append(
            RepeatFaller(
                resident_id=r["resident_id"],
                name=resident_name(
                    r["resident__preferred_name"], r["resident__legal_given_names"], r["resident__legal_family_name"]
                ),
                home_name=r["home__name"],
                falls={rule["days"]: r[f"n{rule['days']}"] for rule in REPEAT_FALLER_RULES},
                last_fall=r["last"],
                rules=rules,
            )
        )
    return out


# --- the monthly summary for the quality meeting --------------------------------------------------


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    last = (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
    return first, last


def notifications_made(start: date, end: date, home_id: int | None = None) -> list[Bar] | None:
    """Statutory notifications submitted to the regulator in the period, by regulator and notification
    (one query). The notifications sub-domain may provide its own count as
    ``services_notifications.notifications_made(start, end, home_id) -> [(key, label, n)]``; otherwise its
    ``StatutoryNotification`` rows are counted (status submitted, ``submitted_at`` in the period). None
    when neither exists."""
    module = import_module("writecarenotes.incidents.services_notifications")
    fn = getattr(module, "notifications_made", None)
    if fn is not None:
        return [Bar(str(k), str(label), int(n)) for k, label, n in fn(start, end, home_id)]
    try:
        model = apps.get_model("incidents", "StatutoryNotification")
    except LookupError:
        return None
    lo, hi = bounds(start, end)
    qs = model.objects.filter(status="submitted", submitted_at__gte=lo, submitted_at__lt=hi)
    if home_id:
        qs = qs.filter(home_id=home_id)
    rows = qs.values("regulator", "title").annotate(n=Count("pk")).order_by("regulator", "title")
    short = getattr(import_module(model.__module__), "REGULATOR_SHORT", {})
    return [
        Bar(f"{r['regulator']}:{r['title']}", f"{short.get(r['regulator'], r['regulator'])}: {r['title']}", r["n"])
        for r in rows
    ]


@dataclass
class MonthlySummary:
    year: int
    month: int
    start: date
    end: date
    home_id: int | None
    total: int
    by_type_and_harm: list[dict]  # {"kind", "label", "counts": [n per severity], "total"}
    severities: list[tuple[str, str]]
    harm_totals: list[int]
    notifications: list[Bar] | None
    investigations_opened: int
    investigations_completed: int
    investigations_open: int
    open_actions: list  # InvestigationAction rows (owner, incident)
    overdue_actions: int
    actions_done: int
    factors: list[Bar]
    repeat_fallers: list[RepeatFaller]
    lessons: list  # LessonLearned rows with read_count


def monthly_summary(year: int, month: int, home_id: int | None = None) -> MonthlySummary:
    """Everything the quality meeting reviews for a month (about a dozen queries in all)."""
    start, end = month_bounds(year, month)
    lo, hi = bounds(start, end)
    qs = incidents_between(start, end, home_id)
    severities = list(Severity.choices)
    kinds = dict(IncidentType.choices)
    grid: dict[str, dict[str, int]] = {}
    for row in qs.values("kind", "severity").annotate(n=Count("pk")):
        grid.setdefault(row["kind"], {})[row["severity"]] = row["n"]
    by_type_and_harm = []
    for kind in sorted(grid, key=lambda k: (-sum(grid[k].values()), str(kinds.get(k, k)))):
        counts = [grid[kind].get(s, 0) for s, _label in severities]
        by_type_and_harm.append(
            {"kind": kind, "label": str(kinds.get(kind, kind)), "counts": counts, "total": sum(counts)}
        )
    harm_totals = [sum(r["counts"][i] for r in by_type_and_harm) for i in range(len(severities))]

    def scoped(manager):
        return manager.filter(home_id=home_id) if home_id else manager.all()

    inv_counts = scoped(Investigation.objects).aggregate(
        opened=Count("pk", filter=Q(opened_at__gte=lo, opened_at__lt=hi)),
        completed=Count("pk", filter=Q(completed_at__gte=lo, completed_at__lt=hi)),
        still_open=Count("pk", filter=~Q(status=InvestigationStatus.COMPLETED)),
    )
    today = timezone.localdate()
    open_actions = list(
        scoped(InvestigationAction.objects)
        .filter(status=ActionStatus.OPEN)
        .select_related("owner", "incident")
        .order_by("due_on", "pk")
    )
    actions_done = scoped(InvestigationAction.objects).filter(done_on__gte=start, done_on__lte=end).count()
    factor_rows = (
        scoped(ContributoryFactor.objects)
        .filter(withdrawn_at__isnull=True, investigation__incident__occurred_at__gte=lo)
        .filter(investigation__incident__occurred_at__lt=hi)
        .values("category")
        .annotate(n=Count("pk"))
    )
    factors = _bars(factor_rows, "category", CONTRIBUTORY_FACTOR_CATEGORIES)
    lessons = list(
        scoped(LessonLearned.objects)
        .filter(shared_at__gte=lo, shared_at__lt=hi)
        .annotate(read_count=Count("reads"))
        .select_related("shared_by")
        .order_by("shared_at", "pk")
    )
    as_of = min(hi, timezone.now())
    return MonthlySummary(
        year=year,
        month=month,
        start=start,
        end=end,
        home_id=home_id,
        total=sum(r["total"] for r in by_type_and_harm),
        by_type_and_harm=by_type_and_harm,
        severities=[(k, str(v)) for k, v in severities],
        harm_totals=harm_totals,
        notifications=notifications_made(start, end, home_id),
        investigations_opened=inv_counts["opened"],
        investigations_completed=inv_counts["completed"],
        investigations_open=inv_counts["still_open"],
        open_actions=open_actions,
        overdue_actions=sum(1 for a in open_actions if a.due_on < today),
        actions_done=actions_done,
        factors=factors,
        repeat_fallers=repeat_fallers(as_of, home_id),
        lessons=lessons,
    )
