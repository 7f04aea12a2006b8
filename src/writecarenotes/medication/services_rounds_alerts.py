"""Alerts for the nurse from the round: a regular medicine refused or not given on consecutive days, and
when-required (PRN) doses whose effect is waiting to be checked.

A day "counts" when at least one scheduled dose of the order that day was recorded with one of
``ALERT_OUTCOMES``. When the run of such days reaches ``CONSECUTIVE_DAYS`` an alert is raised for the
order (one open alert per order: a longer run extends it). ``note_not_given`` runs in the recording
transaction; the hourly job ``jobs_rounds.raise_alerts`` re-checks recent records as a safety net (for
example after a correction). The nurse closes an alert by recording the GP contact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.medication.models import (
    Administration,
    AlertStatus,
    MedicationAlert,
    MedicationOrder,
    Outcome,
)
from writecarenotes.platform.audit.services import record_change
from writecarenotes.residents.public import current_residents

__all__ = [
    "ALERT_OUTCOMES",
    "CONSECUTIVE_DAYS",
    "AlertNotFound",
    "acknowledge_alert",
    "alert_rows",
    "effect_checks_due",
    "note_not_given",
    "open_alerts",
    "scan",
]

#: Days running before the nurse is alerted. NICE SC1 (section 1.14) asks staff to tell the prescriber
#: when a resident refuses or misses medicines but sets no number; two days running is the threshold many
#: home medicines policies use (one refusal can be chance, a second day is a pattern the GP should hear
#: of, and for most regular medicines two days missed is when harm begins). UNVERIFIED as a national rule:
#: a home policy choice, kept here as one constant.
CONSECUTIVE_DAYS = 2
#: outcomes where the resident did not get a prescribed dose and no clinical decision was taken about it
#: (withheld and not-required are decisions by the nurse or the prescription, so they do not alert)
ALERT_OUTCOMES = (Outcome.REFUSED.value, Outcome.OMITTED.value, Outcome.UNAVAILABLE.value, Outcome.ABSENT.value)
#: how far back a run is followed
LOOKBACK_DAYS = 31


class AlertNotFound(LookupError):
    pass


def _day(value: datetime) -> date:
    return timezone.localtime(value).date()


def note_not_given(adm: Administration, order: MedicationOrder) -> MedicationAlert | None:
    """Raise or extend the order's alert when ``adm`` makes a run of ``CONSECUTIVE_DAYS`` (in a transaction)."""
    if adm.due_at is None or adm.outcome not in ALERT_OUTCOMES:
        return None
    return _check_order(order, _day(adm.due_at))


def _check_order(order: MedicationOrder, day: date) -> MedicationAlert | None:
    start = timezone.make_aware(datetime.combine(day - timedelta(days=LOOKBACK_DAYS), datetime.min.time()))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), datetime.min.time()))
    rows = Administration.objects.filter(
        order_id=order.pk, outcome__in=ALERT_OUTCOMES, due_at__gte=start, due_at__lt=end
    ).values_list("due_at", "outcome")
    by_day: dict[date, set[str]] = {}
    for due_at, outcome in rows:
        by_day.setdefault(_day(due_at), set()).add(outcome)
    if day not in by_day:
        return None
    first = day
    while first - timedelta(days=1) in by_day:
        first -= timedelta(days=1)
    days = (day - first).days + 1
    if days < CONSECUTIVE_DAYS:
        return None
    outcomes = sorted(set().union(*(by_day[first + timedelta(days=i)] for i in range(days))))
    alert = MedicationAlert.objects.select_for_update().filter(order_id=order.pk, status=AlertStatus.OPEN).first()
    now = timezone.now()
    if alert is None:
        alert = MedicationAlert.objects.create(
            home_id=order.home_id,
            order=order,
            resident_id=order.resident_id,
            first_day=first,
            last_day=day,
            days=days,
            outcomes=outcomes,
            raised_at=now,
        )
        record_change(
            "medication.alert.raised",
            target=alert,
            before=None,
            after={"order": order.pk, "first_day": str(first), "last_day": str(day), "days": days},
            reason=_("Doses not given on %(n)s days running") % {"n": days},
            subject=("residents.resident", order.resident_id),
        )
        return alert
    if alert.last_day >= day and alert.first_day <= first:
        return alert
    before = {"first_day": str(alert.first_day), "last_day": str(alert.last_day), "days": alert.days}
    alert.first_day, alert.last_day = min(alert.first_day, first), max(alert.last_day, day)
    alert.days = (alert.last_day - alert.first_day).days + 1
    alert.outcomes = sorted(set(alert.outcomes) | set(outcomes))
    alert.save(update_fields=["first_day", "last_day", "days", "outcomes"])
    record_change(
        "medication.alert.extended",
        target=alert,
        before=before,
        after={"first_day": str(alert.first_day), "last_day": str(alert.last_day), "days": alert.days},
        reason=_("Another day with a dose not given"),
        subject=("residents.resident", order.resident_id),
    )
    return alert


def scan(since: datetime) -> int:
    """Re-check every order with a dose not given since ``since`` (the job's safety net); returns the
    number of alerts raised or extended. Runs in the active scope."""
    pairs = (
        Administration.objects.filter(due_at__gte=since, outcome__in=ALERT_OUTCOMES, order__is_prn=False)
        .values_list("order_id", "due_at")
        .order_by("order_id", "due_at")
    )
    last_day: dict[int, date] = {}
    for order_id, due_at in pairs:
        last_day[order_id] = max(last_day.get(order_id, _day(due_at)), _day(due_at))
    orders = MedicationOrder.objects.in_bulk(list(last_day))
    count = 0
    for order_id, day in last_day.items():
        with transaction.atomic():
            before = (
                MedicationAlert.objects.filter(order_id=order_id, status=AlertStatus.OPEN)
                .values_list("last_day", flat=True)
                .first()
            )
            alert = _check_order(orders[order_id], day)
            if alert is not None and before != alert.last_day:
                count += 1
    return count


@dataclass
class AlertRow:
    alert: MedicationAlert
    resident_name: str
    unit_name: str
    medicine: str


def open_alerts(*, status: str = AlertStatus.OPEN, limit: int | None = None) -> list[AlertRow]:
    """The alerts of the homes in scope (open by default), newest first, with names (3 queries)."""
    qs = MedicationAlert.objects.select_related("order__medicine", "acknowledged_by").order_by("-raised_at", "-pk")
    if status:
        qs = qs.filter(status=status)
    if limit:
        qs = qs[:limit]
    return alert_rows(list(qs))


def alert_rows(alerts: list[MedicationAlert]) -> list[AlertRow]:
    """The alerts with the resident's name and unit and the medicine (one query for the names)."""
    names = {r.id: r for r in current_residents()} if alerts else {}
    return [
        AlertRow(
            alert=a,
            resident_name=names[a.resident_id].display_name if a.resident_id in names else _("(left the home)"),
            unit_name=names[a.resident_id].unit_name if a.resident_id in names else "",
            medicine=a.order.medicine.name,
        )
        for a in alerts
    ]


def acknowledge_alert(alert_id: int, *, user, note: str) -> MedicationAlert:
    """The nurse records that the GP was contacted (what was said and agreed)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"gp_contact_note": [_("Say who you spoke to and what was agreed.")]})
    if len(note) > 1000 or "\x00" in note:
        raise ValidationError({"gp_contact_note": [_("Keep it to 1000 characters of plain text.")]})
    with transaction.atomic():
        alert = MedicationAlert.objects.select_for_update().filter(pk=alert_id).first()
        if alert is None:
            raise AlertNotFound(alert_id)
        if alert.status != AlertStatus.OPEN:
            raise ValidationError({NON_FIELD_ERRORS: [_("The GP contact was already recorded for this alert.")]})
        alert.status, alert.acknowledged_by, alert.acknowledged_at = AlertStatus.ACKNOWLEDGED, user, timezone.now()
        alert.gp_contact_note = note
        alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "gp_contact_note"])
        record_change(
            "medication.alert.acknowledged",
            target=alert,
            before={"status": AlertStatus.OPEN},
            after={"status": alert.status, "gp_contact_note": note},
            reason=_("GP contact recorded"),
            subject=("residents.resident", alert.resident_id),
        )
    return alert


@dataclass
class EffectCheck:
    administration: Administration
    resident_name: str
    medicine: str
    overdue: bool


def effect_checks_due(*, now: datetime | None = None, limit: int | None = None) -> list[EffectCheck]:
    """PRN doses given whose effect is not recorded yet, soonest due first (listed until recorded)."""
    now = now or timezone.now()
    qs = (
        Administration.objects.filter(effect_due_at__isnull=False, effect="")
        .select_related("order__medicine")
        .order_by("effect_due_at", "pk")
    )
    if limit:
        qs = qs[:limit]
    rows = list(qs)
    names = {r.id: r.display_name for r in current_residents()} if rows else {}
    return [
        EffectCheck(
            administration=a,
            resident_name=names.get(a.resident_id, _("(left the home)")),
            medicine=a.order.medicine.name,
            overdue=a.effect_due_at <= now,
        )
        for a in rows
    ]
