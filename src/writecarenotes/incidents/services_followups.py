"""Follow-up tasks after an incident: the post-fall checks and the head-injury observations for the nurse.

``on_reported`` / ``on_changed`` (called by ``incidents.lifecycle`` in the reporting transaction) work
out which protocols the facts need (``followups_protocols``) and add the missing tasks; a task no longer
required is marked so with the reason (never deleted, never when done). ``complete_task`` records a task
done with its outcome, in one transaction with its audit record and ``followup.done``; a neurological
observation that shows a deterioration (NICE NG232) is refused unless the escalation is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.incidents import followups_protocols as protocols
from writecarenotes.incidents.events_followups import FollowUpClosed, FollowUpDone, FollowUpsDue
from writecarenotes.incidents.models import (
    ACVPU,
    FollowUpStatus,
    FollowUpTask,
    Incident,
    IncidentStatus,
    PersonKind,
    PersonRole,
)
from writecarenotes.incidents.obligations import OpenStep, count_by_incident
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.events.api import publish
from writecarenotes.residents.public import ResidentNotFound, current_residents, get_resident

#: A time a little ahead of the server's clock is accepted (phones' clocks drift)
CLOCK_SLACK = timedelta(minutes=5)


class TaskNotFound(LookupError):
    pass


def _clean_text(value, *, required: bool, max_length: int, message: str, field: str, errors: dict) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if "\x00" in text:
        errors[field] = [_("Remove the invisible control characters.")]
    elif required and not text:
        errors[field] = [message]
    elif len(text) > max_length:
        errors[field] = [_("Keep it to %(n)s characters.") % {"n": max_length}]
    return text


def affected_resident_ids(incident: Incident) -> list[int]:
    return list(
        incident.people.filter(role=PersonRole.AFFECTED, kind=PersonKind.RESIDENT, resident__isnull=False)
        .order_by("pk")
        .values_list("resident_id", flat=True)
    )


def _no_longer_reason(incident: Incident, protocol: str, resident_gone: bool) -> str:
    if resident_gone:
        return _("The resident is no longer recorded as affected by this incident.")
    if incident.kind != "fall":
        return _("The incident is no longer recorded as a fall.")
    if protocol == "head_injury":
        return _("The fall is now recorded as witnessed, and the head was not struck.")
    return _("No longer required by the facts of the incident.")


def sync_tasks(incident: Incident, by, *, start: datetime) -> dict:
    """Add the tasks the facts require, reopen ones required again, mark the rest no longer required.

    Runs inside the caller's transaction. Returns {"created": [...], "reopened": [...], "closed": [...]}."""
    wanted = protocols.protocols_for(kind=incident.kind, witnessed=incident.witnessed, head_struck=incident.head_struck)
    residents = affected_resident_ids(incident) if wanted else []
    existing = {(t.resident_id, t.key): t for t in FollowUpTask.objects.filter(incident=incident)}
    created: list[FollowUpTask] = []
    reopened: list[FollowUpTask] = []
    closed: list[FollowUpTask] = []
    now = timezone.now()
    for resident_id in residents:
        for protocol in wanted:
            for spec in protocols.PROTOCOLS[protocol]:
                due = start + timedelta(minutes=spec.due_minutes)
                task = existing.get((resident_id, spec.key))
                if task is None:
                    created.append(
                        FollowUpTask(
                            organisation_id=incident.organisation_id,
                            home_id=incident.home_id,
                            incident=incident,
                            resident_id=resident_id,
                            protocol=protocol,
                            key=spec.key,
                            sequence=spec.sequence,
                            title=spec.title,
                            instructions=spec.instructions,
                            source=spec.source,
                            neuro=spec.neuro,
                            due_at=due,
                            created_at=now,
                        )
                    )
                elif task.status == FollowUpStatus.NOT_REQUIRED:
                    task.status, task.status_reason, task.due_at = FollowUpStatus.OPEN, "", due
                    reopened.append(task)
    wanted_keys = {(r, spec.key) for r in residents for p in wanted for spec in protocols.PROTOCOLS[p]}
    reasons: dict[str, list[FollowUpTask]] = {}
    for (resident_id, key), task in existing.items():
        if task.status == FollowUpStatus.OPEN and (resident_id, key) not in wanted_keys:
            reason = _no_longer_reason(incident, task.protocol, resident_id not in residents)
            task.status, task.status_reason = FollowUpStatus.NOT_REQUIRED, reason
            closed.append(task)
            reasons.setdefault(reason, []).append(task)
    if not (created or reopened or closed):
        return {"created": [], "reopened": [], "closed": []}
    FollowUpTask.objects.bulk_create(created)
    for task in reopened + closed:
        task.save(update_fields=["status", "status_reason", "due_at"])
    record_change(
        "incidents.followups.set",
        target=incident,
        before=None,
        after={
            "created": [f"{t.resident_id}:{t.key}" for t in created],
            "reopened": [f"{t.resident_id}:{t.key}" for t in reopened],
            "not_required": [f"{t.resident_id}:{t.key}" for t in closed],
        },
        reason=_("Follow-up tasks worked out from the facts of the incident"),
    )
    by_resident: dict[int, list[FollowUpTask]] = {}
    for task in created + reopened:
        by_resident.setdefault(task.resident_id, []).append(task)
    for resident_id, tasks in by_resident.items():
        publish(
            FollowUpsDue(
                incident_id=incident.pk,
                resident_id=resident_id,
                protocols=sorted({t.protocol for t in tasks}),
                task_ids=[t.pk for t in tasks],
                first_due_at=min(t.due_at for t in tasks),
            ),
            home=incident.home_id,
        )
    for reason, tasks in reasons.items():
        publish(
            FollowUpClosed(incident_id=incident.pk, task_ids=[t.pk for t in tasks], reason=reason),
            home=incident.home_id,
        )
    return {"created": created, "reopened": reopened, "closed": closed}


def on_reported(incident: Incident, by) -> None:
    """A fall was reported: the post-fall checks (and the head-injury observations) from the report time."""
    sync_tasks(incident, by, start=min(incident.reported_at, timezone.now()))


def on_changed(incident: Incident, by, changed: list[str]) -> None:
    """The facts changed: head now struck adds the observations from now; nothing done is touched."""
    if not set(changed) & {"kind", "witnessed", "head_struck", "people"}:
        return
    sync_tasks(incident, by, start=timezone.now())


# --- recording a task ---------------------------------------------------------------------------


def _locked(task_id: int) -> FollowUpTask:
    task = FollowUpTask.objects.select_for_update().filter(pk=task_id).first()
    if task is None:
        raise TaskNotFound(task_id)
    return task


def _previous_neuro(task: FollowUpTask) -> FollowUpTask | None:
    return (
        FollowUpTask.objects.filter(
            incident_id=task.incident_id, resident_id=task.resident_id, neuro=True, status=FollowUpStatus.DONE
        )
        .exclude(pk=task.pk)
        .order_by("-done_at", "-sequence")
        .first()
    )


def _deterioration(task: FollowUpTask, gcs: int | None, acvpu: str) -> str:
    """A message when this observation is worse than the last one (NICE NG232: escalate at once)."""
    previous = _previous_neuro(task)
    if previous is None:
        return ""
    if gcs is not None and previous.gcs is not None and gcs < previous.gcs:
        return _("GCS fell from %(a)s to %(b)s.") % {"a": previous.gcs, "b": gcs}
    if acvpu and previous.acvpu == ACVPU.ALERT and acvpu != ACVPU.ALERT:
        return _("ACVPU changed from A to %(b)s.") % {"b": acvpu}
    return ""


def complete_task(
    task_id: int,
    *,
    user,
    outcome: str,
    escalated: bool = False,
    gcs: int | None = None,
    acvpu: str = "",
    pupils: str = "",
    done_at: datetime | None = None,
) -> FollowUpTask:
    """Record a follow-up task done, with its outcome (and for neurological observations, GCS or ACVPU
    and the pupils). Refused: a task already recorded, no outcome, a time in the future or before the
    incident, or a deterioration without the escalation recorded."""
    errors: dict[str, list[str]] = {}
    outcome = _clean_text(
        outcome,
        required=True,
        max_length=5000,
        message=_("Write what you found and did."),
        field="outcome",
        errors=errors,
    )
    pupils = _clean_text(pupils, required=False, max_length=100, message="", field="pupils", errors=errors)
    acvpu = (acvpu or "").strip().upper()
    with transaction.atomic():
        task = _locked(task_id)
        if task.status != FollowUpStatus.OPEN:
            raise ValidationError(
                _("This task is already recorded (%(status)s).") % {"status": task.get_status_display()}
            )
        incident = Incident.objects.only("occurred_at", "status", "home_id").get(pk=task.incident_id)
        if incident.status != IncidentStatus.OPEN:
            raise ValidationError(_("The incident is closed."))
        now = timezone.now()
        when = done_at or now
        if timezone.is_naive(when):
            when = timezone.make_aware(when)
        if when > now + CLOCK_SLACK:
            errors["done_at"] = [_("The time cannot be in the future.")]
        elif when < incident.occurred_at:
            errors["done_at"] = [_("The time cannot be before the incident.")]
        if task.neuro:
            if gcs is None and not acvpu:
                errors["gcs"] = [_("Record the GCS, or the ACVPU when GCS cannot be scored.")]
            if gcs is not None and not (isinstance(gcs, int) and 3 <= gcs <= 15):
                errors["gcs"] = [_("GCS is a score from 3 to 15.")]
            if acvpu and acvpu not in ACVPU.values:
                errors["acvpu"] = [_("Choose A, C, V, P or U.")]
            if not pupils and "pupils" not in errors:
                errors["pupils"] = [_("Record the pupils' size and reaction.")]
        elif gcs is not None or acvpu or pupils:
            gcs, acvpu, pupils = None, "", pupils
        if errors:
            raise ValidationError(errors)
        if task.neuro and not escalated:
            worse = _deterioration(task, gcs, acvpu)
            if worse:
                raise ValidationError(
                    {
                        "escalated": [
                            worse
                            + " "
                            + _(
                                "NICE NG232: a deterioration needs urgent medical help (999) and observations "
                                "half-hourly again. Escalate, write it in the outcome and tick 'escalated'."
                            )
                        ]
                    }
                )
        task.status = FollowUpStatus.DONE
        task.done_at = when
        task.done_by = user
        task.outcome = outcome
        task.escalated = bool(escalated)
        task.gcs = gcs
        task.acvpu = acvpu
        task.pupils = pupils
        task.save()
        record_change(
            "incidents.followup.done",
            target=task,
            subject=("residents.resident", task.resident_id),
            before={"status": FollowUpStatus.OPEN},
            after={
                "status": FollowUpStatus.DONE,
                "key": task.key,
                "done_at": when.isoformat(),
                "escalated": task.escalated,
                "gcs": gcs,
                "acvpu": acvpu,
            },
        )
        publish(
            FollowUpDone(
                incident_id=task.incident_id,
                resident_id=task.resident_id,
                task_id=task.pk,
                key=task.key,
                done_at=when,
                escalated=task.escalated,
            ),
            home=task.home_id,
        )
    return task


# --- reads --------------------------------------------------------------------------------------


def incident_url(incident_id: int) -> str:
    return reverse("incidents:followups_incident", args=[incident_id])


def tasks_of(incident_id: int):
    return FollowUpTask.objects.filter(incident_id=incident_id).select_related("done_by").order_by("due_at", "pk")


def open_steps(incident: Incident) -> list[OpenStep]:
    url = incident_url(incident.pk)
    return [
        OpenStep(incident.pk, incident.reference, "followup", t.title, t.due_at, url)
        for t in FollowUpTask.objects.filter(incident_id=incident.pk, status=FollowUpStatus.OPEN).order_by(
            "due_at", "pk"
        )
    ]


def open_step_counts(incidents) -> dict[int, int]:
    """{incident id: open follow-up tasks} for a page of incidents, in one query."""
    return count_by_incident(FollowUpTask.objects.filter(status=FollowUpStatus.OPEN), incidents)


def overdue_steps(now: datetime) -> list[OpenStep]:
    rows = (
        FollowUpTask.objects.filter(status=FollowUpStatus.OPEN, due_at__lt=now, incident__status=IncidentStatus.OPEN)
        .select_related("incident")
        .only("title", "due_at", "incident_id", "incident__reference")
        .order_by("due_at", "pk")
    )
    return [
        OpenStep(t.incident_id, t.incident.reference, "followup", t.title, t.due_at, incident_url(t.incident_id))
        for t in rows
    ]


@dataclass(frozen=True)
class TaskRow:
    task: FollowUpTask
    resident_name: str
    unit_name: str
    overdue: bool


def resident_names(ids) -> dict[int, tuple[str, str]]:
    """{resident id: (name, unit)} in one query (plus one per resident no longer current)."""
    ids = set(ids)
    found = {r.id: (r.display_name, r.unit_name) for r in current_residents() if r.id in ids}
    for missing in ids - set(found):
        try:
            ref = get_resident(missing)
        except ResidentNotFound:
            continue
        found[missing] = (ref.display_name, ref.unit_name)
    return found


def home_tasks(*, status: str = FollowUpStatus.OPEN, now: datetime | None = None) -> list[TaskRow]:
    """The nurse's list: tasks in the scope (open by default), soonest due first. Two queries."""
    now = now or timezone.now()
    qs = FollowUpTask.objects.select_related("incident").order_by("due_at", "pk")
    if status:
        qs = qs.filter(status=status)
    tasks = list(qs[:500])
    names = resident_names(t.resident_id for t in tasks)
    return [
        TaskRow(t, *names.get(t.resident_id, (_("Resident %(id)s") % {"id": t.resident_id}, "")), t.is_overdue(now))
        for t in tasks
    ]
