"""Statutory notifications: worked out from the facts, prepared in one click, marked as submitted.

``on_reported`` / ``on_changed`` (called by ``lifecycle`` inside the reporting transaction) work out
what the home's regulator requires (``rules.notifications.required_notifications``), add what is
missing, and mark as "not required" (with the reason) an open notification the corrected facts no
longer require; a submitted one is never changed back, only flagged. ``prepare`` fills the form's
fields from the incident, the home and the resident (through ``residents.public``);
``mark_submitted`` records the submission and the regulator's reference. Each change is one
transaction with its version and audit record (``save_version``) and its domain event.
``raise_for_liberty`` adds the notifications about a resident that a liberty record's change requires
(care planning's ``dols.changed``, via ``subscribers_notifications``): no incident, once per record.
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
)
from writecarenotes.incidents.models import Incident, IncidentPerson, PersonKind
from writecarenotes.incidents.models.notifications import (
    OPEN_STATUSES,
    NotificationStatus,
    StatutoryNotification,
)
from writecarenotes.incidents.obligations import OpenStep, count_by_incident
from writecarenotes.incidents.pdf_notifications import (
    build_resident_sections,
    build_sections,
    content_as_text,
    fmt_dt,
)
from writecarenotes.incidents.rules import deadlines
from writecarenotes.incidents.rules.facts import facts_of
from writecarenotes.incidents.rules.notifications import LibertyChange, required_for_liberty, required_notifications

# HIQA's periodic returns live in their own module, kept here by name for the callers
from writecarenotes.incidents.services_notification_returns import (  # noqa: F401
    RETURN_FIGURES,
    NotificationNotFound,
    compute_counts,
    ensure_returns,
    nothing_notifiable,
    submit_return,
    update_return,
)
from writecarenotes.platform.api.concurrency import check_if_match, etag_for
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.audit.versions import save_version
from writecarenotes.platform.events.api import publish
from writecarenotes.platform.tenancy.models import CareHome
from writecarenotes.residents.public import ResidentNotFound, get_resident

#: a submission time this far in the future is refused (clock drift between phone and server)
FUTURE_TOLERANCE = timedelta(minutes=5)


# --- working out what is required -------------------------------------------------------------------


def _publish_required(n: StatutoryNotification) -> None:
    publish(
        NotificationRequired(
            notification_id=n.pk,
            incident_id=n.incident_id,
            code=n.code,
            regulator=n.regulator,
            due_at=n.due_at,
            resident_id=n.resident_id,
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


# --- notifications about a resident (no incident) ----------------------------------------------------

LIBERTY_SOURCE = "care_planning.liberty:{record_id}"


def liberty_source_ref(record_id: int) -> str:
    return LIBERTY_SOURCE.format(record_id=record_id)


def raise_for_liberty(
    *,
    home_id: int,
    record_id: int,
    resident_id: int,
    framework: str,
    kind: str,
    change: str,
    status: str,
    end_on: date | None,
    at: datetime | None = None,
) -> list[StatutoryNotification]:
    """The notifications a liberty record's change requires in the home's nation (``rules.nations.<nation>
    .LIBERTY_RULES``): added once per record and rule (``source_ref``), due "without delay" from ``at``
    (when the change was recorded). Idempotent: a second delivery of the same change adds nothing.
    Returns the notifications added. A resident not in scope is skipped (nothing added)."""
    nation = CareHome.objects.values_list("nation", flat=True).filter(pk=home_id).first()
    if nation is None:
        return []
    c = LibertyChange(nation=nation, framework=framework, kind=kind, change=change, status=status, end_on=end_on)
    wanted = required_for_liberty(c)
    if not wanted:
        return []
    try:
        ref = get_resident(resident_id)
    except ResidentNotFound:
        return []
    at = at or timezone.now()
    source_ref = liberty_source_ref(record_id)
    details = {
        "record_id": record_id,
        "resident_name": ref.display_name,
        "framework": framework,
        "kind": kind,
        "change": change,
        "status": status,
        "outcome": c.outcome or "",
        "end_on": end_on.isoformat() if end_on else "",
    }
    added = []
    with transaction.atomic():
        existing = set(
            StatutoryNotification.objects.select_for_update()
            .filter(home_id=home_id, source_ref=source_ref)
            .values_list("code", flat=True)
        )
        for req in wanted:
            if req.code in existing:
                continue
            n = StatutoryNotification(
                home_id=home_id,
                incident=None,
                resident_id=ref.id,
                source_ref=source_ref,
                source_details=details,
                code=req.code,
                regulator=req.regulator,
                title=req.title,
                form=req.form,
                source=req.source,
                guidance=req.guidance,
                deadline_text=req.deadline_text,
                why=req.why,
                due_at=deadlines.due_at(req.deadline, occurred_at=at, reported_at=at, nation=nation),
                required_at=at,
                updated_at=timezone.now(),
            )
            n.save()
            save_version(n, action="incidents.notification.required")
            _publish_required(n)
            added.append(n)
    return added


# --- preparing ---------------------------------------------------------------------------------------


def _locked(notification_id: int) -> StatutoryNotification:
    n = StatutoryNotification.objects.select_for_update().filter(pk=notification_id).first()
    if n is None:
        raise NotificationNotFound(notification_id)
    return n


def read_residents_of(n: StatutoryNotification, part: str) -> None:
    """Audit the read of the residents a notification's prepared content shows."""
    if n.incident_id is not None:
        _read_residents(n.incident, part)
    elif n.resident_id is not None:
        record_read("residents.resident", n.resident_id, home=n.home_id, part=part)


def _read_residents(incident, part: str) -> None:
    for pid in (
        IncidentPerson.objects.filter(incident=incident, kind=PersonKind.RESIDENT)
        .values_list("resident_id", flat=True)
        .distinct()
    ):
        record_read("residents.resident", pid, home=incident.home_id, part=part)


def prepare(notification, by, *, if_match: str | None = None) -> StatutoryNotification:
    """Fill the form's fields from the incident (or, for a resident's notification, the liberty record's
    change), the home and the resident. Refused once submitted or when no longer required. Preparing
    again refreshes the content (a new version)."""
    pk = getattr(notification, "pk", notification)
    with transaction.atomic():
        n = _locked(pk)
        check_if_match(if_match, etag_for(n))
        if n.status == NotificationStatus.SUBMITTED:
            raise ValidationError(_("This notification was already submitted; it cannot be prepared again."))
        if n.status == NotificationStatus.NOT_REQUIRED:
            raise ValidationError(_("This notification is no longer required: %(r)s") % {"r": n.not_required_reason})
        if n.incident_id is not None:
            incident = Incident.objects.select_related("home").get(pk=n.incident_id)
            sections = build_sections(n, incident, by)
            reason = _("Prepared from the incident")
        else:
            sections = build_resident_sections(n, CareHome.objects.get(pk=n.home_id), by)
            reason = _("Prepared from the resident's record")
        n.content = {"sections": sections}
        n.content_text = content_as_text(n, sections)
        n.status = NotificationStatus.PREPARED
        n.prepared_at = timezone.now()
        n.prepared_by = by
        n.version += 1
        n.updated_at = n.prepared_at
        n.save()
        save_version(n, reason=reason, action="incidents.notification.prepared")
        read_residents_of(n, f"statutory notification {n.pk} (prepared)")
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
            elif n.incident_id is not None and submitted_at < n.incident.occurred_at:
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
    """An open notification as a step; one about a resident (no incident) has incident_id 0 and the
    reference "DoLS" (the dashboard's panel links by ``url`` only)."""
    return OpenStep(
        incident_id=n.incident_id or 0,
        reference=n.reference,
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
