"""HIQA's periodic returns for Irish homes (part of the notifications sub-domain): the quarterly NF39
and the six-monthly nil return, their counts from the incidents, the figures the manager enters,
and their submission. Kept by name in ``services_notifications`` for its callers."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.incidents.events_notifications import (
    PeriodicReturnDue,
    PeriodicReturnSubmitted,
)
from writecarenotes.incidents.models import Incident, Severity
from writecarenotes.incidents.models.notifications import (
    NotificationStatus,
    PeriodicReturn,
    ReturnKind,
    ReturnStatus,
    StatutoryNotification,
)
from writecarenotes.incidents.rules import deadlines
from writecarenotes.incidents.rules.nations import ireland
from writecarenotes.platform.api.concurrency import check_if_match, etag_for
from writecarenotes.platform.audit.versions import save_version
from writecarenotes.platform.events.api import publish


class NotificationNotFound(LookupError):
    """No such notification or return in the homes in scope."""


#: a submission time this far in the future is refused (clock drift between phone and server)
FUTURE_TOLERANCE = timedelta(minutes=5)


# --- HIQA periodic returns (Irish homes) --------------------------------------------------------------

PU_CATEGORY_2_PLUS = ("2", "3", "4", "unstageable")


def compute_counts(home_id: int, start: date, end: date) -> dict:
    """What the system holds for a return's period: incidents by the NF39 headings and the
    notifications made within 3 working days. One query for the incidents, one for the notifications."""

    first = timezone.make_aware(datetime.combine(start, datetime.min.time()))
    last = timezone.make_aware(datetime.combine(end + timedelta(days=1), datetime.min.time()))
    incidents = list(
        Incident.objects.filter(home_id=home_id, occurred_at__gte=first, occurred_at__lt=last).only(
            "id", "reference", "kind", "severity", "unexpected_or_unintended", "pressure_ulcer_category"
        )
    )
    deaths = [
        i.reference
        for i in incidents
        if (i.kind == "death" or i.severity == Severity.DEATH) and not i.unexpected_or_unintended
    ]
    ulcers = [
        i.reference for i in incidents if i.kind == "pressure_ulcer" and i.pressure_ulcer_category in PU_CATEGORY_2_PLUS
    ]
    fires = [i.reference for i in incidents if i.kind == "fire"]
    notified = list(
        StatutoryNotification.objects.filter(incident_id__in=[i.id for i in incidents])
        .exclude(status=NotificationStatus.NOT_REQUIRED)
        .values_list("incident__reference", "code")
    )
    return {
        "deaths_other": len(deaths),
        "deaths_other_refs": deaths,
        "pressure_ulcers_2_plus": len(ulcers),
        "pressure_ulcers_refs": ulcers,
        "fires": len(fires),
        "fire_refs": fires,
        "notifications_3_days": len(notified),
        "notification_refs": sorted({ref for ref, _code in notified}),
        "incidents": len(incidents),
    }


def nothing_notifiable(counts: dict) -> bool:
    return not (counts["deaths_other"] or counts["pressure_ulcers_2_plus"] or counts["notifications_3_days"])


def ensure_returns(home, today: date | None = None) -> list:
    """Create the returns now due for an Irish home (the quarter and half-year just ended), during the
    month after the period, when they are due. Idempotent:
    one return per kind and period. The nil return is made only when the system holds nothing notifiable
    for the half-year (the manager still checks restraint, which the system does not hold)."""

    if home.nation != "ireland":
        return []
    today = today or timezone.localdate()
    created = []
    periods = [
        (ReturnKind.QUARTERLY, deadlines.quarter_of(deadlines.quarter_of(today)[0] - timedelta(days=1))),
        (ReturnKind.NIL, deadlines.half_year_of(deadlines.half_year_of(today)[0] - timedelta(days=1))),
    ]
    with transaction.atomic():
        for kind, (start, end) in periods:
            if today > deadlines.month_end_after(end):
                continue  # made in the month after the period (the job runs daily); not backfilled later
            if PeriodicReturn.objects.filter(home_id=home.pk, kind=kind, period_start=start).exists():
                continue
            counts = compute_counts(home.pk, start, end)
            if kind == ReturnKind.NIL and not nothing_notifiable(counts):
                continue
            quarterly = kind == ReturnKind.QUARTERLY
            ret = PeriodicReturn.objects.create(
                home_id=home.pk,
                kind=kind,
                period_start=start,
                period_end=end,
                due_on=deadlines.month_end_after(end),
                form=ireland.QUARTERLY_FORM if quarterly else ireland.NIL_RETURN_FORM,
                source=ireland.QUARTERLY_SOURCE if quarterly else ireland.NIL_RETURN_SOURCE,
                counts=counts,
                counted_at=timezone.now(),
            )
            save_version(ret, action="incidents.return.due")
            publish(
                PeriodicReturnDue(return_id=ret.pk, kind=kind, period_start=start, period_end=end, due_on=ret.due_on),
                home=home.pk,
            )
            created.append(ret)
    return created


RETURN_FIGURES = (
    "restraint_occasions",
    "restraint_details",
    "fire_alarm_activations",
    "theft_pattern",
    "manager_notes",
)


def update_return(return_id: int, by, values: dict, *, if_match: str | None = None):
    """Record the figures only the manager holds (restraint, fire alarm, theft) and count the incidents again."""

    unknown = set(values) - set(RETURN_FIGURES)
    if unknown:
        raise ValueError(f"cannot set {sorted(unknown)}")
    errors = {}
    for key in ("restraint_occasions", "fire_alarm_activations"):
        if key in values and values[key] is not None:
            try:
                values[key] = int(values[key])
            except (TypeError, ValueError):
                values[key] = -1
            if not 0 <= values[key] <= 100000:
                errors[key] = [_("Enter a number of occasions, 0 or more.")]
    for key in ("restraint_details", "theft_pattern", "manager_notes"):
        if key in values:
            values[key] = (values[key] or "").strip()
            if len(values[key]) > 5000 or "\x00" in values[key]:
                errors[key] = [_("Keep it to %(n)s characters of plain text.") % {"n": 5000}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        ret = PeriodicReturn.objects.select_for_update().filter(pk=return_id).first()
        if ret is None:
            raise NotificationNotFound(return_id)
        check_if_match(if_match, etag_for(ret))
        if ret.status == ReturnStatus.SUBMITTED:
            raise ValidationError(_("This return was already submitted."))
        for key, value in values.items():
            setattr(ret, key, value)
        ret.counts = compute_counts(ret.home_id, ret.period_start, ret.period_end)
        ret.counted_at = timezone.now()
        ret.version += 1
        ret.updated_at = ret.counted_at
        ret.save()
        save_version(ret, reason=_("Figures entered by the manager"), action="incidents.return.updated")
    return ret


def submit_return(return_id: int, by, submitted_on: date | None, reference: str = "", *, if_match: str | None = None):

    reference = (reference or "").strip()
    errors = {}
    if submitted_on is None:
        errors["submitted_on"] = [_("Enter the date it was submitted.")]
    elif submitted_on > timezone.localdate():
        errors["submitted_on"] = [_("The date cannot be in the future.")]
    if len(reference) > 100 or "\x00" in reference:
        errors["reference"] = [_("Keep it to %(n)s characters.") % {"n": 100}]
    with transaction.atomic():
        ret = PeriodicReturn.objects.select_for_update().filter(pk=return_id).first()
        if ret is None:
            raise NotificationNotFound(return_id)
        check_if_match(if_match, etag_for(ret))
        if submitted_on is not None and "submitted_on" not in errors and submitted_on < ret.period_end:
            errors["submitted_on"] = [_("A return is submitted after its period ends.")]
        if ret.kind == ReturnKind.QUARTERLY and ret.restraint_occasions is None:
            errors["restraint_occasions"] = [_("Enter how many times restraint was used (0 if never).")]
        if errors:
            raise ValidationError(errors)
        if ret.status == ReturnStatus.SUBMITTED:
            raise ValidationError(_("This return was already submitted."))
        ret.status = ReturnStatus.SUBMITTED
        ret.submitted_on = submitted_on
        ret.submitted_by = by
        ret.regulator_reference = reference
        ret.version += 1
        ret.updated_at = timezone.now()
        ret.save()
        save_version(ret, reason=_("Submitted to HIQA"), action="incidents.return.submitted")
        publish(PeriodicReturnSubmitted(return_id=ret.pk, kind=ret.kind, submitted_on=submitted_on), home=ret.home_id)
    return ret
