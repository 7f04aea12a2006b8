"""Rehabilitation (service 32): therapy goals with a baseline and a target, their measurements, the
session log of physiotherapists and occupational therapists, and the equipment issued with its
servicing (the daily job publishes what falls due and what is overdue).

A goal measured by the Barthel Index reads the resident's latest Barthel result through
``assessments.public.latest_results`` (never typed in twice): as the baseline when none is given, and
as a measurement on request. Barthel 0-20 totals are whole numbers; Barthel 0-100 totals are
multiples of 5 (Collin C, Wade DT, Davies S, Horne V. The Barthel ADL Index: a reliability study.
Int Disabil Stud 1988;10:61-63; Mahoney FI, Barthel DW 1965).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.assessments.public import latest_results
from writecarenotes.care_planning.events_pathways import (
    EquipmentIssued,
    EquipmentServiceDue,
    TherapyGoalMeasured,
    TherapySessionRecorded,
)
from writecarenotes.care_planning.models.pathways import (
    Discipline,
    GoalMeasure,
    GoalMeasurement,
    GoalStatus,
    TherapyEquipment,
    TherapyGoal,
    TherapySession,
)
from writecarenotes.care_planning.services_pathways import (
    after_correction,
    check_date,
    create_entry,
    create_register_row,
    reason_text,
    recordable,
    update_register_row,
)
from writecarenotes.platform.events.api import publish

#: Equipment whose service falls due within this many days is "due soon" (and notified once).
DUE_SOON_DAYS = 14
#: The range of each Barthel measure and the step of its totals.
BARTHEL_RANGE = {
    GoalMeasure.BARTHEL: (Decimal(0), Decimal(20), Decimal(1)),
    GoalMeasure.BARTHEL_100: (Decimal(0), Decimal(100), Decimal(5)),
}
VALUE_LIMIT = Decimal("999999")
GOAL_FIELDS = (
    "description",
    "discipline",
    "measure",
    "measure_label",
    "unit",
    "higher_is_better",
    "baseline_value",
    "baseline_on",
    "target_value",
    "target_on",
)
EQUIPMENT_FIELDS = ("item", "serial_number", "supplier", "issued_on", "last_serviced_on", "next_service_due", "notes")


def _decimal(value, field: str) -> Decimal:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: [_("Enter a number.")]}) from None
    if not d.is_finite() or abs(d) > VALUE_LIMIT:
        raise ValidationError({field: [_("Enter a number.")]})
    return d.quantize(Decimal("0.01"))


def check_value(measure: str, value, field: str) -> Decimal:
    """A value of the goal's measure: within the Barthel range and step when it is a Barthel goal."""
    d = _decimal(value, field)
    if measure in BARTHEL_RANGE:
        low, high, step = BARTHEL_RANGE[measure]
        if not low <= d <= high or d % step != 0:
            raise ValidationError(
                {
                    field: [
                        _("A Barthel total from %(low)s to %(high)s, in steps of %(step)s.")
                        % {"low": low, "high": high, "step": step}
                    ]
                }
            )
    return d


def latest_barthel(resident_id: int, measure: str):
    """The resident's latest current result with the goal's Barthel tool (assessments.public), or None."""
    return next((r for r in latest_results(resident_id) if r.tool == measure), None)


# --- goals ---------------------------------------------------------------------------------------


def _check_goal(goal: TherapyGoal) -> None:
    errors = {}
    if goal.measure == GoalMeasure.OTHER and not goal.measure_label.strip():
        errors["measure_label"] = [_("Say what is measured, for example metres walked.")]
    if goal.target_on and goal.baseline_on and goal.target_on < goal.baseline_on:
        errors["target_on"] = [_("The target date cannot be before the baseline.")]
    if goal.baseline_value is not None and goal.target_value is not None and goal.baseline_value == goal.target_value:
        errors["target_value"] = [_("The target must differ from the baseline.")]
    elif goal.baseline_value is not None and goal.target_value is not None:
        better = goal.target_value > goal.baseline_value
        if better != goal.higher_is_better:
            errors["target_value"] = [_("The target must be better than the baseline.")]
    if errors:
        raise ValidationError(errors)


def add_goal(*, resident_id: int, user, **values) -> TherapyGoal:
    """A goal; with a Barthel measure and no baseline given, the baseline is the latest Barthel result."""
    unknown = set(values) - set(GOAL_FIELDS)
    if unknown:
        raise ValueError(f"unknown goal fields {sorted(unknown)}")
    measure = values.get("measure")
    if measure not in GoalMeasure.values:
        raise ValidationError({"measure": [_("Choose how the goal is measured.")]})
    if values.get("discipline") not in Discipline.values:
        raise ValidationError({"discipline": [_("Choose physiotherapy or occupational therapy.")]})
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    if measure in BARTHEL_RANGE:
        values["higher_is_better"] = True
        values["measure_label"], values["unit"] = "", ""
    with transaction.atomic():
        ref = recordable(resident_id)
        result_id = None
        if values.get("baseline_value") in (None, "") and measure in BARTHEL_RANGE:
            latest = latest_barthel(ref.id, measure)
            if latest is None:
                message = _("No Barthel result yet: assess first, or enter the baseline.")
                raise ValidationError({"baseline_value": [message]})
            values["baseline_value"], values["baseline_on"] = latest.total, timezone.localdate(latest.assessed_at)
            result_id = latest.result_id
        if values.get("baseline_value") in (None, ""):
            raise ValidationError({"baseline_value": [_("Enter the baseline.")]})
        if values.get("baseline_on") is None:
            values["baseline_on"] = timezone.localdate()
        values["baseline_value"] = check_value(measure, values["baseline_value"], "baseline_value")
        values["target_value"] = check_value(measure, values.get("target_value"), "target_value")
        check_date(values.get("baseline_on"), field="baseline_on")
        check_date(values.get("target_on"), field="target_on", allow_future=True)
        _check_goal(TherapyGoal(**values))
        goal = create_register_row(
            TherapyGoal, ref=ref, user=user, values=values, action="care_planning.pathway.goal.added"
        )
        if result_id:
            TherapyGoal.objects.filter(pk=goal.pk).update(baseline_result_id=result_id)
            goal.baseline_result_id = result_id
    return goal


def change_goal(goal: TherapyGoal, *, values: dict, reason: str, if_match: str | None = None) -> TherapyGoal:
    """Change the description, target or dates of an open goal (a new version with the reason)."""
    allowed = {"description", "target_value", "target_on", "measure_label", "unit"}
    unknown = set(values) - allowed
    if unknown:
        raise ValidationError({"__all__": [_("These cannot change: %(n)s.") % {"n": ", ".join(sorted(unknown))}]})
    if goal.status != GoalStatus.ACTIVE:
        raise ValidationError(_("This goal is closed."))
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    if "target_value" in values:
        values["target_value"] = check_value(goal.measure, values["target_value"], "target_value")
    if "target_on" in values:
        check_date(values["target_on"], field="target_on", allow_future=True)
    return update_register_row(
        goal,
        values=values,
        reason=reason,
        if_match=if_match,
        action="care_planning.pathway.goal.changed",
        check=_check_goal,
    )


def close_goal(goal: TherapyGoal, *, status: str, reason: str, closed_on: date | None = None) -> TherapyGoal:
    if status not in (GoalStatus.ACHIEVED, GoalStatus.STOPPED):
        raise ValidationError({"status": [_("Close it as achieved or stopped.")]})
    if goal.status != GoalStatus.ACTIVE:
        raise ValidationError(_("This goal is already closed."))
    reason = reason_text(reason)
    closed_on = closed_on or timezone.localdate()
    check_date(closed_on, field="closed_on")
    return update_register_row(
        goal,
        values={"status": status, "closed_on": closed_on, "close_reason": reason},
        reason=reason,
        if_match=None,
        action="care_planning.pathway.goal.closed",
    )


def reached(goal: TherapyGoal, value: Decimal) -> bool:
    return value >= goal.target_value if goal.higher_is_better else value <= goal.target_value


def _publish_measure(m: GoalMeasurement, goal: TherapyGoal | None = None) -> None:
    goal = goal or TherapyGoal.objects.get(pk=m.goal_id)
    publish(
        TherapyGoalMeasured(
            goal_id=goal.pk,
            measurement_id=m.pk,
            resident_id=m.resident_id,
            value=str(m.value),
            target=str(goal.target_value),
            reached=reached(goal, m.value),
        ),
        home=m.home_id,
    )


def measure_goal(
    goal: TherapyGoal, *, user, value=None, occurred_at=None, notes: str = "", from_assessment=False, now=None
):
    """Record a measurement of an open goal: a value, or (``from_assessment``) the latest Barthel result."""
    if goal.status != GoalStatus.ACTIVE:
        raise ValidationError(_("This goal is closed."))
    result_id = None
    with transaction.atomic():
        ref = recordable(goal.resident_id)
        if from_assessment:
            if goal.measure not in BARTHEL_RANGE:
                raise ValidationError({"value": [_("Only a Barthel goal can be read from the assessments.")]})
            latest = latest_barthel(ref.id, goal.measure)
            if latest is None:
                raise ValidationError({"value": [_("There is no Barthel result to read.")]})
            if GoalMeasurement.objects.current().filter(goal=goal, assessment_result_id=latest.result_id).exists():
                message = _("The latest Barthel result is already recorded against this goal.")
                raise ValidationError({"value": [message]})
            value, occurred_at, result_id = latest.total, latest.assessed_at, latest.result_id
        values = {"goal": goal, "value": check_value(goal.measure, value, "value"), "notes": (notes or "").strip()}
        m = create_entry(
            GoalMeasurement,
            ref=ref,
            user=user,
            occurred_at=occurred_at,
            values=values,
            now=now,
            time_from_record=result_id is not None,
        )
        if result_id:
            GoalMeasurement.objects.filter(pk=m.pk).update(assessment_result_id=result_id)
            m.assessment_result_id = result_id
        _publish_measure(m, goal)
    return m


after_correction("measurements")(_publish_measure)


# --- sessions ------------------------------------------------------------------------------------


def _publish_session(s: TherapySession) -> None:
    publish(
        TherapySessionRecorded(
            session_id=s.pk,
            resident_id=s.resident_id,
            discipline=s.discipline,
            occurred_at=s.occurred_at,
            progress_rating=s.progress_rating,
            goal_id=s.goal_id,
        ),
        home=s.home_id,
    )


def record_session(
    *,
    resident_id: int,
    user,
    occurred_at,
    therapist: str,
    discipline: str,
    duration_minutes: int,
    activity: str,
    progress_rating: int,
    notes: str = "",
    goal_id: int | None = None,
    now=None,
) -> TherapySession:
    errors = {}
    if discipline not in Discipline.values:
        errors["discipline"] = [_("Choose physiotherapy or occupational therapy.")]
    if not isinstance(duration_minutes, int) or isinstance(duration_minutes, bool) or not 1 <= duration_minutes <= 480:
        errors["duration_minutes"] = [_("Enter the minutes (1 to 480).")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        ref = recordable(resident_id)
        goal = None
        if goal_id is not None:
            goal = TherapyGoal.objects.filter(pk=goal_id, resident_id=ref.id).first()
            if goal is None:
                raise ValidationError({"goal_id": [_("Choose one of the resident's goals.")]})
        values = {
            "therapist": (therapist or "").strip(),
            "discipline": discipline,
            "duration_minutes": duration_minutes,
            "activity": (activity or "").strip(),
            "progress_rating": progress_rating,
            "notes": (notes or "").strip(),
            "goal": goal,
        }
        s = create_entry(TherapySession, ref=ref, user=user, occurred_at=occurred_at, values=values, now=now)
        _publish_session(s)
    return s


after_correction("sessions")(_publish_session)


# --- equipment -----------------------------------------------------------------------------------


def _check_equipment(e: TherapyEquipment) -> None:
    errors = {}
    if e.last_serviced_on and e.issued_on and e.last_serviced_on < e.issued_on - timedelta(days=3650):
        errors["last_serviced_on"] = [_("Enter the last service date.")]
    if e.next_service_due and e.last_serviced_on and e.next_service_due < e.last_serviced_on:
        errors["next_service_due"] = [_("The next service cannot be before the last one.")]
    if errors:
        raise ValidationError(errors)


def issue_equipment(*, resident_id: int, user, **values) -> TherapyEquipment:
    unknown = set(values) - set(EQUIPMENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown equipment fields {sorted(unknown)}")
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    check_date(values.get("issued_on"), field="issued_on")
    check_date(values.get("last_serviced_on"), field="last_serviced_on", required=False)
    check_date(values.get("next_service_due"), field="next_service_due", allow_future=True, required=False)
    with transaction.atomic():
        ref = recordable(resident_id)
        _check_equipment(TherapyEquipment(**values))
        e = create_register_row(
            TherapyEquipment, ref=ref, user=user, values=values, action="care_planning.pathway.equipment.issued"
        )
        publish(
            EquipmentIssued(equipment_id=e.pk, resident_id=ref.id, item=e.item, next_service_due=e.next_service_due),
            home=ref.home_id,
        )
    return e


def record_service(
    equipment: TherapyEquipment,
    *,
    serviced_on: date,
    next_service_due: date | None,
    notes: str = "",
    if_match: str | None = None,
) -> TherapyEquipment:
    """The equipment was serviced or checked: its last service and the next due date (a new version)."""
    if equipment.returned_on is not None:
        raise ValidationError(_("This equipment was returned."))
    check_date(serviced_on, field="serviced_on")
    check_date(next_service_due, field="next_service_due", allow_future=True, required=False)
    if next_service_due is not None and next_service_due <= serviced_on:
        raise ValidationError({"next_service_due": [_("The next service must be after this one.")]})
    reason = _("Serviced on %(on)s. %(notes)s") % {"on": serviced_on.isoformat(), "notes": (notes or "").strip()}
    return update_register_row(
        equipment,
        values={"last_serviced_on": serviced_on, "next_service_due": next_service_due},
        reason=reason.strip(),
        if_match=if_match,
        action="care_planning.pathway.equipment.serviced",
        check=_check_equipment,
    )


def return_equipment(equipment: TherapyEquipment, *, reason: str, returned_on: date | None = None) -> TherapyEquipment:
    if equipment.returned_on is not None:
        raise ValidationError(_("This equipment has already been returned."))
    reason = reason_text(reason)
    returned_on = returned_on or timezone.localdate()
    check_date(returned_on, field="returned_on")
    if returned_on < equipment.issued_on:
        raise ValidationError({"returned_on": [_("It cannot be returned before it was issued.")]})
    return update_register_row(
        equipment,
        values={"returned_on": returned_on, "return_reason": reason},
        reason=reason,
        if_match=None,
        action="care_planning.pathway.equipment.returned",
    )


@dataclass(frozen=True)
class MaintenanceItem:
    equipment: TherapyEquipment
    due_on: date
    overdue: bool
    days: int  # days until due (negative: overdue)

    @property
    def days_overdue(self) -> int:
        return -self.days


def maintenance_due(today: date | None = None, *, resident_id: int | None = None) -> list[MaintenanceItem]:
    """Equipment in use whose service is overdue or due within DUE_SOON_DAYS, most overdue first (1 query)."""
    today = today or timezone.localdate()
    qs = TherapyEquipment.objects.filter(
        returned_on__isnull=True,
        next_service_due__isnull=False,
        next_service_due__lte=today + timedelta(days=DUE_SOON_DAYS),
    )
    if resident_id is not None:
        qs = qs.filter(resident_id=resident_id)
    return [
        MaintenanceItem(e, e.next_service_due, e.next_service_due < today, (e.next_service_due - today).days)
        for e in qs.order_by("next_service_due", "pk")
    ]


def notify_maintenance(today: date) -> int:
    """Publish ``pathway.equipment_service_due`` once when a service falls due and once when it is
    overdue, for each due date (in the caller's scope). Returns how many were published."""
    count = 0
    with transaction.atomic():
        for item in maintenance_due(today):
            e = item.equipment
            marker = "overdue_notified_for" if item.overdue else "due_notified_for"
            if getattr(e, marker) == item.due_on:
                continue
            TherapyEquipment.objects.filter(pk=e.pk).update(**{marker: item.due_on})
            publish(
                EquipmentServiceDue(
                    equipment_id=e.pk,
                    resident_id=e.resident_id,
                    item=e.item,
                    serial_number=e.serial_number,
                    due_on=item.due_on,
                    overdue=item.overdue,
                ),
                home=e.home_id,
            )
            count += 1
    return count
