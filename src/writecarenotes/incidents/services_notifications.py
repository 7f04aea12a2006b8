"""Statutory notifications: worked out from the facts, prepared in one click, marked as submitted.

``on_reported`` / ``on_changed`` (called by ``lifecycle`` inside the reporting transaction) work out
what the home's regulator requires (``rules.notifications.required_notifications``), add what is
missing, and mark as "not required" (with the reason) an open notification the corrected facts no
longer require; a submitted one is never changed back, only flagged. ``prepare`` fills the form's
fields from the incident, the home and the resident (through ``residents.public``);
``mark_submitted`` records the submission and the regulator's reference. Each change is one
transaction with its version and audit record (``save_version``) and its domain event.
HIQA's periodic returns are in ``services_notifications`` too (``returns_*``, below).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.incidents.events_notifications import (
    NotificationNoLongerRequired,
    NotificationPrepared,
    NotificationRequired,
    NotificationSubmitted,
    PeriodicReturnDue,
    PeriodicReturnSubmitted,
)
from writecarenotes.incidents.models import Incident, IncidentPerson, PersonKind, Severity
from writecarenotes.incidents.models.notifications import (
    OPEN_STATUSES,
    NotificationStatus,
    PeriodicReturn,
    ReturnKind,
    ReturnStatus,
    StatutoryNotification,
)
from writecarenotes.incidents.obligations import OpenStep, count_by_incident
from writecarenotes.incidents.pdf_notifications import build_sections, content_as_text, fmt_dt
from writecarenotes.incidents.rules import deadlines
from writecarenotes.incidents.rules.facts import facts_of
from writecarenotes.incidents.rules.nations import ireland
from writecarenotes.incidents.rules.notifications import required_notifications
from writecarenotes.platform.api.concurrency import check_if_match, etag_for
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.audit.versions import save_version
from writecarenotes.platform.events.api import publish

#: a submission time this far in the future is refused (clock drift between phone and server)
FUTURE_TOLERANCE = timedelta(minutes=5)


class NotificationNotFound(LookupError):
    pass


# --- working out what is required -------------------------------------------------------------------


def _publish_required(n: StatutoryNotification) -> None:
    publish(
        NotificationRequired(
            notification_id=n.pk, incident_id=n.incident_id, code=n.code, regulator=n.regulator, due_at=n.due_at
        ),
        home=n.home_id,
    )


def _sync(incident: Incident, changed: list[str] | None, *, at_report: bool = False) -> list[StatutoryNotification]:
    """Bring the incident's notifications in line with what its facts now require. Idempotent."""
    facts = facts_of(incident)
    wanted = {req.code: req for req in required_notifications(facts)}
    existing = {n.code: n for n in StatutoryNotification.objects.select_for_update().filter(incident=incident)}
    now = timezone.now()
    touched = []
    for code, req in wanted.items():
        n = existing.get(code)
        # The clock of a deadline counted from the report starts when the home knew the incident was
        # notifiable: at the report, or later when a correction made it so (an X-ray finds a fracture
        # the day after a fall). A deadline counted from the occurrence does not move.
        if n is not None and n.status != NotificationStatus.NOT_REQUIRED:
            known_at = n.required_at
        else:
            known_at = facts.reported_at if at_report else now
        due = req.due_at(replace(facts, reported_at=max(facts.reported_at, known_at)))
        values = {
            "regulator": req.regulator,
            "title": req.title,
            "form": req.form,
            "source": req.source,
            "guidance": req.guidance,
            "deadline_text": req.deadline_text,
            "why": req.why,
            "due_at": due,
        }
        if n is None:
            n = StatutoryNotification(
                home_id=incident.home_id, incident=incident, code=code, required_at=known_at, **values
            )
            n.save()
            save_version(n, action="incidents.notification.required")
            _publish_required(n)
            touched.append(n)
            continue
        reopened = n.status == NotificationStatus.NOT_REQUIRED
        flag_cleared = n.status == NotificationStatus.SUBMITTED and n.no_longer_applies
        updates = {k: v for k, v in values.items() if getattr(n, k) != v}
        if n.status == NotificationStatus.SUBMITTED:
            updates = {k: v for k, v in updates.items() if k in ("why",)}  # a submission is history
        if not (reopened or flag_cleared or updates):
            continue
        for key, value in updates.items():
            setattr(n, key, value)
        if reopened:
            n.status, n.not_required_reason, n.required_at = NotificationStatus.REQUIRED, "", now
        n.no_longer_applies = False
        n.version += 1
        n.updated_at = now
        n.save()
        reason = _("Required again after the incident's facts changed.") if reopened else _("The facts changed.")
        save_version(n, reason=reason, action="incidents.notification.reevaluated")
        if reopened:
            _publish_required(n)
        touched.append(n)
    for code, n in existing.items():
        if code in wanted or n.status == NotificationStatus.NOT_REQUIRED:
            continue
        what = ", ".join(changed) if changed else _("the incident's facts")
        if n.status == NotificationStatus.SUBMITTED:
            if n.no_longer_applies:
                continue
            n.no_longer_applies = True
            reason = _("Submitted, but after the correction of %(what)s the rules no longer require it.") % {
                "what": what
            }
        else:
            n.status = NotificationStatus.NOT_REQUIRED
            n.not_required_reason = _(
                "No longer required: after the correction of %(what)s the facts no longer meet the rule (%(src)s)."
            ) % {"what": what, "src": n.source}
            reason = n.not_required_reason
        n.version += 1
        n.updated_at = now
        n.save()
        save_version(n, reason=reason, action="incidents.notification.not_required")
        if n.status == NotificationStatus.NOT_REQUIRED:
            publish(
                NotificationNoLongerRequired(
                    notification_id=n.pk, incident_id=n.incident_id, code=n.code, reason=n.not_required_reason
                ),
                home=n.home_id,
            )
        touched.append(n)
    return touched


def on_reported(incident, by) -> None:
    with transaction.atomic():
        _sync(incident, None, at_report=True)


def on_changed(incident, by, changed: list[str]) -> None:
    with transaction.atomic():
        _sync(incident, list(changed or ()))


def reevaluate(incident) -> list[StatutoryNotification]:
    """Work the notifications out again (the demo builder, a repair): the same as ``on_changed``."""
    with transaction.atomic():
        return _sync(incident, None)


# --- preparing ---------------------------------------------------------------------------------------


def _locked(notification_id: int) -> StatutoryNotification:
    n = StatutoryNotification.objects.select_for_update().filter(pk=notification_id).first()
    if n is None:
        raise NotificationNotFound(notification_id)
    return n


def _read_residents(incident, part: str) -> None:
    for pid in (
        IncidentPerson.objects.filter(incident=incident, kind=PersonKind.RESIDENT)
        .values_list("resident_id", flat=True)
        .distinct()
    ):
        record_read("residents.resident", pid, home=incident.home_id, part=part)


def prepare(notification, by, *, if_match: str | None = None) -> StatutoryNotification:
    """Fill the form's fields from the incident, the home and the resident. Refused once submitted
    or when no longer required. Preparing again refreshes the content (a new version)."""
    pk = getattr(notification, "pk", notification)
    with transaction.atomic():
        n = _locked(pk)
        check_if_match(if_match, etag_for(n))
        if n.status == NotificationStatus.SUBMITTED:
            raise ValidationError(_("This notification was already submitted; it cannot be prepared again."))
        if n.status == NotificationStatus.NOT_REQUIRED:
            raise ValidationError(_("This notification is no longer required: %(r)s") % {"r": n.not_required_reason})
        incident = Incident.objects.select_related("home").get(pk=n.incident_id)
        sections = build_sections(n, incident, by)
        n.content = {"sections": sections}
        n.content_text = content_as_text(n, sections)
        n.status = NotificationStatus.PREPARED
        n.prepared_at = timezone.now()
        n.prepared_by = by
        n.version += 1
        n.updated_at = n.prepared_at
        n.save()
        save_version(n, reason=_("Prepared from the incident"), action="incidents.notification.prepared")
        _read_residents(incident, f"statutory notification {n.pk} (prepared)")
        publish(NotificationPrepared(notification_id=n.pk, incident_id=n.incident_id, code=n.code), home=n.home_id)
    return n


def mark_submitted(
    notification, by, submitted_at: datetime | None, reference: str = "", *, if_match: str | None = None
) -> StatutoryNotification:
    """Record that the notification was sent to the regulator, when, and the regulator's reference."""
    pk = getattr(notification, "pk", notification)
    reference = (reference or "").strip()
    errors: dict[str, list[str]] = {}
    now = timezone.now()
    if "\x00" in reference:
        errors["reference"] = [_("Remove the invisible control characters.")]
    elif len(reference) > 100:
        errors["reference"] = [_("Keep it to %(n)s characters.") % {"n": 100}]
    if submitted_at is None:
        errors["submitted_at"] = [_("Enter when it was submitted.")]
    elif timezone.is_naive(submitted_at):
        submitted_at = timezone.make_aware(submitted_at)
    with transaction.atomic():
        n = _locked(pk)
        check_if_match(if_match, etag_for(n))
        if submitted_at is not None and "submitted_at" not in errors:
            if submitted_at > now + FUTURE_TOLERANCE:
                errors["submitted_at"] = [_("The submission time cannot be in the future.")]
            elif submitted_at < n.incident.occurred_at:
                errors["submitted_at"] = [_("The submission cannot be before the incident happened.")]
        if errors:
            raise ValidationError(errors)
        if n.status == NotificationStatus.SUBMITTED:
            raise ValidationError(
                _("This notification was already submitted on %(d)s.") % {"d": fmt_dt(n.submitted_at)}
            )
        if n.status == NotificationStatus.NOT_REQUIRED:
            raise ValidationError(_("This notification is no longer required: %(r)s") % {"r": n.not_required_reason})
        n.status = NotificationStatus.SUBMITTED
        n.submitted_at = submitted_at
        n.submitted_by = by
        n.regulator_reference = reference
        n.version += 1
        n.updated_at = now
        n.save()
        save_version(n, reason=_("Submitted to the regulator"), action="incidents.notification.submitted")
        publish(
            NotificationSubmitted(
                notification_id=n.pk,
                incident_id=n.incident_id,
                code=n.code,
                regulator=n.regulator,
                submitted_at=submitted_at,
                late=submitted_at > n.due_at,
            ),
            home=n.home_id,
        )
    return n


# --- reads -------------------------------------------------------------------------------------------


def notifications_of(incident) -> list[StatutoryNotification]:
    return list(StatutoryNotification.objects.filter(incident=incident).order_by("due_at", "pk"))


def due_notifications():
    """Open notifications in the scope, soonest first (the list page and the API)."""
    return (
        StatutoryNotification.objects.filter(status__in=OPEN_STATUSES)
        .select_related("incident", "home")
        .order_by("due_at", "pk")
    )


def _step(n: StatutoryNotification) -> OpenStep:
    return OpenStep(
        incident_id=n.incident_id,
        reference=n.incident.reference,
        kind="notification",
        title=_("Notify %(who)s: %(what)s") % {"who": n.regulator_label, "what": n.title},
        due_at=n.due_at,
        url=reverse("incidents:notification_detail", args=[n.pk]),
    )


def open_steps(incident) -> list[OpenStep]:
    qs = StatutoryNotification.objects.filter(incident=incident, status__in=OPEN_STATUSES).select_related("incident")
    return [_step(n) for n in qs.order_by("due_at", "pk")]


def open_step_counts(incidents) -> dict[int, int]:
    """{incident id: notifications still to send} for a page of incidents, in one query."""
    return count_by_incident(StatutoryNotification.objects.filter(status__in=OPEN_STATUSES), incidents)


def overdue_steps(now) -> list[OpenStep]:
    qs = StatutoryNotification.objects.filter(status__in=OPEN_STATUSES, due_at__lt=now).select_related("incident")
    return [_step(n) for n in qs.order_by("due_at", "pk")]


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
