"""The carers' task list: the interventions of agreed plans, due in a shift, and recording them.

When is an intervention due (``slots``; local wall-clock time, the home's time zone):
- every N hours: when N divides 24, at the hours that are multiples of N each day (every 3 h: 00:00,
  03:00, ... 21:00), so the rhythm is the same every day; otherwise every N hours counted from midnight
  of the day the intervention started. It counts as done by a chart entry from half an interval
  before to half an interval after (every 3 h: 10:30 to 13:30 for the 12:00 task).
- at times of day: each time, each day; a chart entry counts from one hour before to one hour after
  (less when two times are closer: half the gap, so one entry never counts twice).
- once each shift: due at the start of the shift, done by a chart entry anywhere in the shift.
- every N days (weekly weights): from ``starts_on``, every N days at the first time given (10:00 when
  none); done by a chart entry that local day.
- as needed: never due; recorded when given.

A task is **done** when a carer recorded it (``TaskCompletion`` done), **not done** when recorded so
with a reason, done **on the chart** when the intervention is linked to a daily-records chart and an
entry of that chart falls in its window (care_records.public.entry_times), otherwise **to do** until
its window ends and **missed** after.

``tasks_for_unit`` reads a fixed number of queries whatever the number of residents (residents,
interventions with their plans, completions, one per chart in use). ``record_task`` writes one
completion (unique per intervention and due time), its audit record and ``care_plan.task_recorded``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.care_planning.events_plans import CareTaskRecorded
from writecarenotes.care_planning.models.plans import (
    IN_FORCE,
    Intervention,
    NotDoneReason,
    ScheduleKind,
    TaskCompletion,
    TaskOutcome,
)
from writecarenotes.care_records.public import entry_times, shift_bounds
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.events.api import publish
from writecarenotes.residents.public import ResidentRef, current_residents, get_resident

TO_DO, MISSED, DONE, NOT_DONE, ON_CHART = "to_do", "missed", "done", "not_done", "on_chart"
#: a task may be recorded from its window's start, and up to this long after it was due (late entry)
RECORD_BACK = timedelta(hours=24)
EVERY_DAYS_AT = time(10, 0)
TIMES_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Slot:
    due_at: datetime
    start: datetime  # a chart entry from here ...
    end: datetime  # ... to here (exclusive) counts as the task done


@dataclass
class Task:
    resident: ResidentRef
    intervention: Intervention
    slot: Slot | None  # None: as needed
    state: str = TO_DO
    completion: TaskCompletion | None = None
    chart_at: datetime | None = None

    @property
    def due_at(self) -> datetime | None:
        return self.slot.due_at if self.slot else None

    @property
    def domain_label(self) -> str:
        return self.intervention.plan.get_domain_display()

    @property
    def open(self) -> bool:
        return self.state in (TO_DO, MISSED)


@dataclass
class ResidentTasks:
    resident: ResidentRef
    tasks: list[Task] = field(default_factory=list)
    as_needed: list[Task] = field(default_factory=list)

    @property
    def open_count(self) -> int:
        return sum(1 for t in self.tasks if t.open)


@dataclass
class TaskList:
    shift_start: datetime
    shift_end: datetime
    now: datetime
    residents: list[ResidentTasks]

    @property
    def counts(self) -> dict[str, int]:
        out = {TO_DO: 0, MISSED: 0, DONE: 0, NOT_DONE: 0, ON_CHART: 0}
        for r in self.residents:
            for t in r.tasks:
                out[t.state] += 1
        return out


# --- when things are due ------------------------------------------------------------------------


def _local_days(start: datetime, end: datetime) -> list[date]:
    first = timezone.localdate(start) - timedelta(days=1)
    last = timezone.localdate(end)
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _at(day: date, t: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, t))


def _parse(hhmm: str) -> time:
    h, m = hhmm.split(":")
    return time(int(h), int(m))


def slots(item: Intervention, start: datetime, end: datetime) -> list[Slot]:
    """The due times of ``item`` in [start, end), with the window in which a chart entry counts."""
    kind = item.schedule_kind
    out: list[Slot] = []
    if kind == ScheduleKind.EVERY_N_HOURS and item.every_hours:
        n = item.every_hours
        half = timedelta(hours=n) / 2
        if 24 % n == 0:
            dues = [_at(d, time(h)) for d in _local_days(start, end) for h in range(0, 24, n)]
        else:
            origin = _at(item.starts_on, time(0))
            k = max(0, int((start - origin) / timedelta(hours=n)))
            dues = []
            due = origin + k * timedelta(hours=n)
            while due < end:
                dues.append(due)
                due += timedelta(hours=n)
        out = [Slot(d, d - half, d + half) for d in dues]
    elif kind == ScheduleKind.TIMES_OF_DAY and item.times:
        times = sorted(_parse(t) for t in item.times)
        minutes = [t.hour * 60 + t.minute for t in times]
        gaps = [(b - a) for a, b in zip(minutes, minutes[1:] + [minutes[0] + 24 * 60], strict=True)]
        half = min(TIMES_WINDOW, timedelta(minutes=min(gaps) / 2)) if len(times) > 1 else TIMES_WINDOW
        out = [Slot(d, d - half, d + half) for d in (_at(day, t) for day in _local_days(start, end) for t in times)]
    elif kind == ScheduleKind.EACH_SHIFT:
        s, e = shift_bounds(start)
        while s < end:
            out.append(Slot(s, s, e))
            s, e = shift_bounds(e)
    elif kind == ScheduleKind.EVERY_N_DAYS and item.every_days:
        at = _parse(item.times[0]) if item.times else EVERY_DAYS_AT
        for day in _local_days(start, end):
            if day >= item.starts_on and (day - item.starts_on).days % item.every_days == 0:
                due = _at(day, at)
                out.append(Slot(due, _at(day, time(0)), _at(day + timedelta(days=1), time(0))))
    return [s for s in out if start <= s.due_at < end]


def slot_at(item: Intervention, due_at: datetime) -> Slot | None:
    """The slot of ``item`` due exactly at ``due_at`` (None: not a due time of the intervention)."""
    for s in slots(item, due_at - timedelta(hours=1), due_at + timedelta(hours=1)):
        if s.due_at == due_at:
            return s
    return None


# --- the task list --------------------------------------------------------------------------------


def _in_force_interventions(resident_ids: list[int]) -> list[Intervention]:
    return list(
        Intervention.objects.filter(plan__resident_id__in=resident_ids, plan__status__in=IN_FORCE, active=True)
        .select_related("plan")
        .order_by("plan__domain", "sort_order", "pk")
    )


def tasks_for_unit(unit_id: int | None, *, now: datetime | None = None, shift: tuple | None = None) -> TaskList:
    """The task list of the unit's current residents for the shift containing ``now`` (or ``shift``)."""
    now = now or timezone.now()
    start, end = shift or shift_bounds(now)
    refs = current_residents(unit_id)
    return build_tasks(refs, start, end, now)


def build_tasks(refs: list[ResidentRef], start: datetime, end: datetime, now: datetime) -> TaskList:
    by_id = {r.id: r for r in refs}
    items = _in_force_interventions(list(by_id)) if by_id else []
    tasks: dict[int, ResidentTasks] = {r.id: ResidentTasks(r) for r in refs}
    scheduled: list[Task] = []
    for item in items:
        resident = by_id[item.plan.resident_id]
        if item.schedule_kind == ScheduleKind.AS_NEEDED:
            tasks[resident.id].as_needed.append(Task(resident, item, None))
            continue
        for s in slots(item, start, end):
            task = Task(resident, item, s, state=MISSED if now >= s.end else TO_DO)
            tasks[resident.id].tasks.append(task)
            scheduled.append(task)
    if scheduled:
        done = {
            (c.intervention_id, c.due_at): c
            for c in TaskCompletion.objects.filter(
                intervention_id__in={t.intervention.pk for t in scheduled}, due_at__gte=start, due_at__lt=end
            ).select_related("by")
        }
        charts: dict[str, set[int]] = defaultdict(set)
        for t in scheduled:
            if t.intervention.chart:
                charts[t.intervention.chart].add(t.resident.id)
        lo = min(t.slot.start for t in scheduled)
        hi = max(t.slot.end for t in scheduled)
        recorded = {chart: entry_times(chart, ids, lo, hi) for chart, ids in charts.items()}
        for t in scheduled:
            c = done.get((t.intervention.pk, t.slot.due_at))
            if c is not None:
                t.completion, t.state = c, (DONE if c.outcome == TaskOutcome.DONE else NOT_DONE)
                continue
            if t.intervention.chart:
                hit = next(
                    (
                        at
                        for at in recorded[t.intervention.chart].get(t.resident.id, ())
                        if t.slot.start <= at < t.slot.end
                    ),
                    None,
                )
                if hit is not None:
                    t.chart_at, t.state = hit, ON_CHART
    for rt in tasks.values():
        rt.tasks.sort(key=lambda t: (t.slot.due_at, t.intervention.plan.domain, t.intervention.sort_order))
    return TaskList(start, end, now, [tasks[r.id] for r in refs if tasks[r.id].tasks or tasks[r.id].as_needed])


# --- recording ------------------------------------------------------------------------------------


def record_task(
    *,
    intervention_id: int,
    outcome: str,
    user,
    due_at: datetime | None = None,
    reason: str = "",
    note: str = "",
    now: datetime | None = None,
) -> TaskCompletion:
    """Record a task done, or not done with a reason. ``due_at``: the slot's due time (as needed: empty,
    the time of recording is used)."""
    now = now or timezone.now()
    note = (note or "").strip()
    reason = (reason or "").strip()
    errors: dict = {}
    if outcome not in TaskOutcome.values:
        errors["outcome"] = [_("Say whether it was done.")]
    if outcome == TaskOutcome.NOT_DONE:
        if reason not in NotDoneReason.values:
            errors["reason"] = [_("Choose why it was not done.")]
        elif reason == NotDoneReason.OTHER and not note:
            errors["note"] = [_("Say why it was not done.")]
    elif reason:
        reason = ""
    if len(note) > 2000:
        errors["note"] = [_("Keep the note under 2000 characters.")]
    if errors:
        raise ValidationError(errors)
    item = (
        Intervention.objects.select_related("plan").filter(pk=intervention_id).first()
        if isinstance(intervention_id, int)
        else None
    )
    if item is None:
        raise ValidationError({"intervention_id": [_("There is no such task.")]})
    if item.plan.status not in IN_FORCE or not item.active:
        raise ValidationError({"intervention_id": [_("This task is no longer on the care plan.")]})
    ref = get_resident(item.plan.resident_id)
    if item.schedule_kind == ScheduleKind.AS_NEEDED:
        due_at = now.replace(second=0, microsecond=0)
    else:
        if not isinstance(due_at, datetime) or timezone.is_naive(due_at):
            raise ValidationError({"due_at": [_("Say which due time this is for.")]})
        slot = slot_at(item, due_at)
        if slot is None:
            raise ValidationError({"due_at": [_("The task is not due at that time.")]})
        if now < slot.start:
            raise ValidationError({"due_at": [_("This task is not due yet.")]})
        if now > slot.due_at + RECORD_BACK:
            raise ValidationError({"due_at": [_("This task was due more than a day ago; write a note instead.")]})
        due_at = slot.due_at
    try:
        with transaction.atomic():
            completion = TaskCompletion.objects.create(
                home_id=item.home_id,
                intervention=item,
                resident_id=ref.id,
                due_at=due_at,
                outcome=outcome,
                done_at=now,
                reason=reason,
                note=note,
                by=user,
            )
            record_change(
                "care_planning.task.recorded",
                target=completion,
                before=None,
                after={
                    "intervention_id": item.pk,
                    "due_at": due_at.isoformat(),
                    "outcome": outcome,
                    "reason": reason,
                    "note": note,
                },
                subject=("residents.resident", ref.id),
                subject_label=ref.display_name,
            )
            publish(
                CareTaskRecorded(
                    completion_id=completion.pk,
                    intervention_id=item.pk,
                    plan_id=item.plan_id,
                    resident_id=ref.id,
                    due_at=due_at,
                    outcome=outcome,
                    reason=reason,
                ),
                home=item.home_id,
            )
    except IntegrityError:
        raise ValidationError({"due_at": [_("This task has already been recorded.")]}) from None
    return completion
