"""Care plans, goals and interventions: named services, one transaction each (row, version, audit, event).

- ``create_plan`` (proposed; by a nurse or from assessments: ``propose_from_assessments``),
  ``update_plan`` (the person's words, needs, review interval: a new version with a reason; the API
  passes If-Match), ``agree_plan`` (with involvement and agreement; sets the next review),
  ``archive_plan`` (with a reason; never deleted).
- ``add_goal`` / ``update_goal`` / ``add_goal_progress``; ``add_intervention`` / ``update_intervention`` /
  ``end_intervention``. Changing a plan in force publishes ``care_plan.changed`` with the chart
  settings the resident's plans now imply; agreeing publishes ``care_plan.agreed`` with them (the
  daily-records charts follow: care_records' subscriber).
- Every change bumps the plan's ``version`` (its ETag), so a client holding an old plan re-reads it.

Errors are ``ValidationError`` with field messages (forms: next to the field; API: 422).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.care_planning.events_plans import (
    CarePlanAgreed,
    CarePlanArchived,
    CarePlanChanged,
    CarePlanProposed,
)
from writecarenotes.care_planning.models.plans import (
    CHART_CHOICES,
    IN_FORCE,
    CarePlan,
    Domain,
    Goal,
    GoalProgress,
    GoalStatus,
    Intervention,
    PlanStatus,
    ScheduleKind,
)
from writecarenotes.platform.api.concurrency import check_if_match, etag_for
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.audit.versions import save_version
from writecarenotes.platform.events.api import publish
from writecarenotes.residents.public import ResidentRef, get_resident, is_current

PLAN_FIELDS = ("in_my_words", "needs", "review_every_months")
GOAL_FIELDS = ("text", "measure", "target_on", "status")
INTERVENTION_FIELDS = (
    "what",
    "schedule_kind",
    "every_hours",
    "every_days",
    "times",
    "chart",
    "fluid_target_ml",
    "repositioning_hours",
)
CHARTS = {c for c, _label in CHART_CHOICES if c}
TEXT_MAX = 5000
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def subject_of(resident_id: int) -> tuple[str, int]:
    return ("residents.resident", resident_id)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter: 31 Jan + 1 = 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Enter the reason for this change.")]})
    return reason


def _texts(values: dict, required: tuple[str, ...] = ()) -> dict:
    errors = {}
    out = dict(values)
    for key, value in values.items():
        if isinstance(value, str):
            out[key] = value.strip()
            if len(out[key]) > TEXT_MAX:
                errors[key] = [_("Keep this under %(n)s characters.") % {"n": TEXT_MAX}]
    for key in required:
        if key in out and not out[key]:
            errors[key] = [_("This cannot be empty.")]
    if errors:
        raise ValidationError(errors)
    return out


def _writable(plan: CarePlan) -> None:
    if plan.status == PlanStatus.ARCHIVED:
        raise ValidationError(_("This care plan is archived: it can no longer change. Start a new plan instead."))


def _locked_plan(plan_id: int) -> CarePlan:
    return CarePlan.objects.select_for_update().get(pk=plan_id)


def _touch(plan: CarePlan) -> None:
    """Something of the plan changed (a goal, an intervention): its ETag changes too."""
    CarePlan.objects.filter(pk=plan.pk).update(version=plan.version + 1)
    plan.version += 1


def plan_resident(resident_id: int) -> ResidentRef:
    ref = get_resident(resident_id)
    if not is_current(ref.id):
        raise ValidationError(_("Care plans are kept for residents who are in residence or temporarily away."))
    return ref


# --- chart settings the plans imply -----------------------------------------------------------


def chart_settings(interventions) -> dict:
    """The daily-records chart settings implied by active interventions (of plans in force):
    the shortest repositioning interval, the highest daily fluid target (and the fluid chart on)."""
    out: dict = {}
    active = [i for i in interventions if i.active]
    hours = [i.repositioning_hours for i in active if i.repositioning_hours]
    if hours:
        out["repositioning_interval_hours"] = min(hours)
    targets = [i.fluid_target_ml for i in active if i.fluid_target_ml]
    if targets:
        out["fluid_target_ml"] = max(targets)
        out["monitor_fluids"] = True
    return out


def resident_chart_settings(resident_id: int) -> dict:
    """What all the resident's plans in force imply for the charts (one query)."""
    return chart_settings(
        Intervention.objects.filter(plan__resident_id=resident_id, plan__status__in=IN_FORCE, active=True)
    )


def _plan_changed(plan: CarePlan, part: str, had: dict | None = None) -> None:
    """Publish ``care_plan.changed`` for a plan in force; ``had``: the resident's chart settings before
    the change (a repositioning interval no plan asks for any more is cleared)."""
    if plan.in_force:
        now = resident_chart_settings(plan.resident_id)
        if had and "repositioning_interval_hours" in had and "repositioning_interval_hours" not in now:
            now["repositioning_interval_hours"] = None
        publish(
            CarePlanChanged(
                plan_id=plan.pk, resident_id=plan.resident_id, domain=plan.domain, part=part, chart_settings=now
            ),
            home=plan.home_id,
        )


# --- plans ----------------------------------------------------------------------------------------


def create_plan(
    *,
    resident_id: int,
    domain: str,
    user,
    in_my_words: str = "",
    needs: str = "",
    review_every_months: int = 1,
    assessments: list | None = None,
    proposal_reasons: list | None = None,
    goals: list[dict] | None = None,
    interventions: list[dict] | None = None,
    source: str = "manual",
) -> CarePlan:
    """A proposed plan for one need domain (with its first goals and interventions, if given)."""
    if domain not in Domain.values:
        raise ValidationError({"domain": [_("Choose a need from the list.")]})
    values = _texts({"in_my_words": in_my_words, "needs": needs})
    _check_months(review_every_months)
    ref = plan_resident(resident_id)
    with transaction.atomic():
        if CarePlan.objects.filter(resident_id=ref.id, domain=domain).exclude(status=PlanStatus.ARCHIVED).exists():
            raise ValidationError(
                {"domain": [_("There is already a care plan for this need: change that one, or archive it first.")]}
            )
        try:
            with transaction.atomic():
                plan = CarePlan.objects.create(
                    home_id=ref.home_id,
                    resident_id=ref.id,
                    domain=domain,
                    status=PlanStatus.PROPOSED,
                    review_every_months=review_every_months,
                    assessments=assessments or [],
                    proposal_reasons=proposal_reasons or [],
                    created_by=user,
                    **values,
                )
        except IntegrityError:
            raise ValidationError({"domain": [_("There is already a care plan for this need.")]}) from None
        save_version(plan, action="care_planning.plan.create")
        for i, g in enumerate(goals or []):
            _new_goal(plan, sort_order=i, **{k: g.get(k) for k in ("text", "measure", "target_on")})
        for i, spec in enumerate(interventions or []):
            _new_intervention(plan, sort_order=i, **{k: spec.get(k) for k in INTERVENTION_FIELDS})
        publish(CarePlanProposed(plan_id=plan.pk, resident_id=ref.id, domain=domain, source=source), home=plan.home_id)
    return plan


def _check_months(months) -> None:
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 12:
        raise ValidationError({"review_every_months": [_("Review every 1 to 12 months.")]})


def update_plan(plan: CarePlan, *, values: dict, reason: str, if_match: str | None = None) -> CarePlan:
    """Change the person's words, the needs or the review interval: a new version with the reason."""
    unknown = set(values) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"fields {sorted(unknown)} cannot be changed here")
    reason = _reason(reason)
    values = _texts(values)
    if "review_every_months" in values:
        _check_months(values["review_every_months"])
    with transaction.atomic():
        p = _locked_plan(plan.pk)
        check_if_match(if_match, etag_for(p))
        _writable(p)
        for key, value in values.items():
            setattr(p, key, value)
        p.version += 1
        p.save()
        if save_version(p, reason=reason, action="care_planning.plan.update") is None:
            CarePlan.objects.filter(pk=p.pk).update(version=p.version - 1)
            p.version -= 1
            return p
        _plan_changed(p, "plan")
    return p


def check_involvement(data: dict) -> dict:
    errors = {}
    if data.get("resident_involved") is None:
        errors["resident_involved"] = [_("Say whether the resident was involved.")]
    if data.get("agreement_recorded") is None:
        errors["agreement_recorded"] = [_("Say whether the plan was agreed by the resident or their representative.")]
    name = (data.get("representative_name") or "").strip()
    relationship = (data.get("representative_relationship") or "").strip()
    notes = (data.get("agreement_notes") or "").strip()
    if name and not relationship:
        errors["representative_relationship"] = [_("Enter the representative's relationship to the resident.")]
    if data.get("resident_involved") is False and not (name or notes):
        errors["agreement_notes"] = [
            _("The resident was not involved: name the representative, or say why nobody could be.")
        ]
    if data.get("agreement_recorded") is False and not notes:
        errors["agreement_notes"] = [_("The plan was not agreed: say why, and what was done about it.")]
    if errors:
        raise ValidationError(errors)
    return {
        "resident_involved": data["resident_involved"],
        "representative_name": name,
        "representative_relationship": relationship,
        "agreement_recorded": data["agreement_recorded"],
        "agreement_notes": notes,
    }


def agree_plan(plan: CarePlan, *, user, if_match: str | None = None, now=None, **involvement) -> CarePlan:
    """Agree a proposed plan (or a plan under review): in force from now, reviewed after
    ``review_every_months``; publishes ``care_plan.agreed`` with the chart settings it implies."""
    data = check_involvement(involvement)
    now = now or timezone.now()
    with transaction.atomic():
        p = _locked_plan(plan.pk)
        check_if_match(if_match, etag_for(p))
        if p.status not in (PlanStatus.PROPOSED, PlanStatus.UNDER_REVIEW):
            raise ValidationError(_("Only a proposed plan or a plan under review can be agreed."))
        if not p.goals.exclude(status=GoalStatus.STOPPED).exists():
            raise ValidationError(_("Add at least one goal before the plan is agreed."))
        if not p.interventions.filter(active=True).exists():
            raise ValidationError(_("Add at least one intervention (what carers do) before the plan is agreed."))
        was = p.status
        for key, value in data.items():
            setattr(p, key, value)
        p.status = PlanStatus.AGREED
        p.agreed_at = now
        p.agreed_by = user
        p.next_review_on = add_months(timezone.localdate(now), p.review_every_months)
        p.review_reason = "monthly"
        p.review_trigger = ""
        p.version += 1
        p.save()
        reason = _("Agreed") if was == PlanStatus.PROPOSED else _("Agreed again after review")
        save_version(p, reason=reason, action="care_planning.plan.agree")
        publish(
            CarePlanAgreed(
                plan_id=p.pk,
                resident_id=p.resident_id,
                domain=p.domain,
                next_review_on=p.next_review_on,
                chart_settings=resident_chart_settings(p.resident_id),
            ),
            home=p.home_id,
        )
    return p


def archive_plan(plan: CarePlan, *, reason: str, if_match: str | None = None, now=None) -> CarePlan:
    """Archive a plan (need met, resident left, replaced): kept with its history, off the task lists."""
    reason = _reason(reason)
    with transaction.atomic():
        p = _locked_plan(plan.pk)
        check_if_match(if_match, etag_for(p))
        _writable(p)
        had = chart_settings(p.interventions.all()) if p.in_force else {}
        p.status = PlanStatus.ARCHIVED
        p.archived_at = now or timezone.now()
        p.archive_reason = reason
        p.version += 1
        p.save()
        save_version(p, reason=reason, action="care_planning.plan.archive")
        remaining = resident_chart_settings(p.resident_id)
        if "repositioning_interval_hours" in had and "repositioning_interval_hours" not in remaining:
            remaining["repositioning_interval_hours"] = None  # no plan asks for repositioning any more
        publish(
            CarePlanArchived(
                plan_id=p.pk,
                resident_id=p.resident_id,
                domain=p.domain,
                reason=reason,
                chart_settings=remaining if had else {},
            ),
            home=p.home_id,
        )
    return p


# --- goals ----------------------------------------------------------------------------------------


def _clean_goal(values: dict) -> dict:
    out = _texts(values, required=("text",))
    errors = {}
    if "text" in out and not out.get("text"):
        errors["text"] = [_("Describe the goal.")]
    if "target_on" in out:
        target = out["target_on"]
        if not isinstance(target, date):
            errors["target_on"] = [_("Enter the target date.")]
        elif target > timezone.localdate() + timedelta(days=3 * 366):
            errors["target_on"] = [_("Choose a target date within three years.")]
    if "status" in out and out["status"] not in GoalStatus.values:
        errors["status"] = [_("Choose a status.")]
    if errors:
        raise ValidationError(errors)
    return out


def _new_goal(plan: CarePlan, *, text, measure, target_on, sort_order: int = 0) -> Goal:
    values = _clean_goal({"text": text or "", "measure": measure or "", "target_on": target_on})
    goal = Goal.objects.create(home_id=plan.home_id, plan=plan, sort_order=sort_order, **values)
    save_version(goal, action="care_planning.goal.create")
    return goal


def add_goal(plan: CarePlan, *, text: str, target_on, measure: str = "") -> Goal:
    with transaction.atomic():
        p = _locked_plan(plan.pk)
        _writable(p)
        goal = _new_goal(p, text=text, measure=measure, target_on=target_on, sort_order=p.goals.count())
        _touch(p)
        _plan_changed(p, "goal")
    return goal


def update_goal(goal: Goal, *, values: dict, reason: str, if_match: str | None = None) -> Goal:
    unknown = set(values) - set(GOAL_FIELDS)
    if unknown:
        raise ValueError(f"fields {sorted(unknown)} cannot be changed here")
    reason = _reason(reason)
    values = _clean_goal(values)
    with transaction.atomic():
        p = _locked_plan(goal.plan_id)
        g = Goal.objects.select_for_update().get(pk=goal.pk)
        check_if_match(if_match, etag_for(g))
        _writable(p)
        for key, value in values.items():
            setattr(g, key, value)
        g.version += 1
        g.save()
        if save_version(g, reason=reason, action="care_planning.goal.update") is None:
            Goal.objects.filter(pk=g.pk).update(version=g.version - 1)
            g.version -= 1
            return g
        _touch(p)
        _plan_changed(p, "goal")
    return g


def add_goal_progress(
    goal: Goal, *, note: str, user, on: date | None = None, status: str | None = None
) -> GoalProgress:
    """A progress entry (never changed); with ``status`` the goal's status changes too (versioned)."""
    note = (note or "").strip()
    on = on or timezone.localdate()
    errors = {}
    if not note:
        errors["note"] = [_("Write what progress there was.")]
    elif len(note) > TEXT_MAX:
        errors["note"] = [_("Keep this under %(n)s characters.") % {"n": TEXT_MAX}]
    if not isinstance(on, date) or on > timezone.localdate():
        errors["on"] = [_("The date cannot be in the future.")]
    if status is not None and status not in GoalStatus.values:
        errors["status"] = [_("Choose a status.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        p = _locked_plan(goal.plan_id)
        _writable(p)
        g = Goal.objects.select_for_update().get(pk=goal.pk)
        entry = GoalProgress.objects.create(home_id=g.home_id, goal=g, on=on, note=note, by=user)
        record_change(
            "care_planning.goal.progress",
            target=entry,
            before=None,
            after={"goal_id": g.pk, "on": on.isoformat(), "note": note, "status": status or g.status},
            subject=subject_of(p.resident_id),
        )
        if status and status != g.status:
            g.status = status
            g.version += 1
            g.save()
            save_version(g, reason=note, action="care_planning.goal.status")
        _touch(p)
    return entry


# --- interventions --------------------------------------------------------------------------------


def _int_or_none(value, field: str, errors: dict, low: int, high: int, message: str):
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[field] = [message]
        return None
    if isinstance(value, bool) or not low <= number <= high or str(number) != str(value).strip():
        errors[field] = [message]
        return None
    return number


def clean_intervention(values: dict) -> dict:
    """Check an intervention's schedule and chart link; the fields that do not apply are emptied."""
    out = _texts({k: v for k, v in values.items() if k in INTERVENTION_FIELDS}, required=("what",))
    errors: dict = {}
    if not out.get("what"):
        errors["what"] = [_("Describe what to do.")]
    kind = out.get("schedule_kind")
    if kind not in ScheduleKind.values:
        errors["schedule_kind"] = [_("Choose how often.")]
    hours = _int_or_none(out.get("every_hours"), "every_hours", errors, 1, 24, _("Enter every 1 to 24 hours."))
    days = _int_or_none(out.get("every_days"), "every_days", errors, 1, 92, _("Enter every 1 to 92 days."))
    raw_times = out.get("times") or []
    if isinstance(raw_times, str):
        raw_times = [t for t in re.split(r"[\s,;]+", raw_times) if t]
    times = []
    for t in raw_times if isinstance(raw_times, list | tuple) else [None]:
        if not isinstance(t, str) or not _TIME.match(t.strip()):
            errors["times"] = [_("Enter times as HH:MM, for example 08:00, 12:30, 18:00.")]
            break
        times.append(t.strip())
    times = sorted(set(times))
    if len(times) > 24:
        errors["times"] = [_("At most 24 times a day.")]
    if kind == ScheduleKind.EVERY_N_HOURS and hours is None and "every_hours" not in errors:
        errors["every_hours"] = [_("Enter every how many hours.")]
    if kind == ScheduleKind.TIMES_OF_DAY and not times and "times" not in errors:
        errors["times"] = [_("Enter at least one time of day.")]
    if kind == ScheduleKind.EVERY_N_DAYS and days is None and "every_days" not in errors:
        errors["every_days"] = [_("Enter every how many days.")]
    chart = out.get("chart") or ""
    if chart and chart not in CHARTS:
        errors["chart"] = [_("Choose a chart from the list.")]
    target = _int_or_none(
        out.get("fluid_target_ml"), "fluid_target_ml", errors, 100, 5000, _("Enter a daily target of 100 to 5000 ml.")
    )
    repo = _int_or_none(
        out.get("repositioning_hours"), "repositioning_hours", errors, 1, 12, _("Enter every 1 to 12 hours.")
    )
    if target is not None and chart != "food-fluid":
        errors["fluid_target_ml"] = [_("A fluid target goes with the food and fluid chart.")]
    if chart == "repositioning" and kind == ScheduleKind.EVERY_N_HOURS and hours is not None:
        if hours > 12:
            errors["every_hours"] = [_("Repositioning is at least every 12 hours.")]
        repo = hours  # the chart's interval is the task's
    if repo is not None and chart != "repositioning":
        errors["repositioning_hours"] = [_("A repositioning interval goes with the repositioning chart.")]
    if errors:
        raise ValidationError(errors)
    return {
        "what": out["what"],
        "schedule_kind": kind,
        "every_hours": hours if kind == ScheduleKind.EVERY_N_HOURS else None,
        "every_days": days if kind == ScheduleKind.EVERY_N_DAYS else None,
        "times": times if kind in (ScheduleKind.TIMES_OF_DAY, ScheduleKind.EVERY_N_DAYS) else [],
        "chart": chart,
        "fluid_target_ml": target,
        "repositioning_hours": repo,
    }


def _new_intervention(plan: CarePlan, *, sort_order: int = 0, **values) -> Intervention:
    cleaned = clean_intervention(values)
    item = Intervention.objects.create(
        home_id=plan.home_id, plan=plan, sort_order=sort_order, starts_on=timezone.localdate(), **cleaned
    )
    save_version(item, action="care_planning.intervention.create")
    return item


def add_intervention(plan: CarePlan, **values) -> Intervention:
    with transaction.atomic():
        p = _locked_plan(plan.pk)
        _writable(p)
        item = _new_intervention(p, sort_order=p.interventions.count(), **values)
        _touch(p)
        _plan_changed(p, "intervention")
    return item


def update_intervention(
    intervention: Intervention, *, values: dict, reason: str, if_match: str | None = None
) -> Intervention:
    unknown = set(values) - set(INTERVENTION_FIELDS)
    if unknown:
        raise ValueError(f"fields {sorted(unknown)} cannot be changed here")
    reason = _reason(reason)
    with transaction.atomic():
        p = _locked_plan(intervention.plan_id)
        item = Intervention.objects.select_for_update().get(pk=intervention.pk)
        check_if_match(if_match, etag_for(item))
        _writable(p)
        if not item.active:
            raise ValidationError(_("This intervention has ended: add a new one instead."))
        had = resident_chart_settings(p.resident_id)
        merged = {f: getattr(item, f) for f in INTERVENTION_FIELDS}
        merged.update(values)
        for key, value in clean_intervention(merged).items():
            setattr(item, key, value)
        item.version += 1
        item.save()
        if save_version(item, reason=reason, action="care_planning.intervention.update") is None:
            Intervention.objects.filter(pk=item.pk).update(version=item.version - 1)
            item.version -= 1
            return item
        _touch(p)
        _plan_changed(p, "intervention", had)
    return item


def end_intervention(intervention: Intervention, *, reason: str, if_match: str | None = None) -> Intervention:
    """Stop an intervention (kept, with its completions): it leaves the task lists."""
    reason = _reason(reason)
    with transaction.atomic():
        p = _locked_plan(intervention.plan_id)
        item = Intervention.objects.select_for_update().get(pk=intervention.pk)
        check_if_match(if_match, etag_for(item))
        _writable(p)
        if not item.active:
            return item
        had = resident_chart_settings(p.resident_id)
        item.active = False
        item.ended_at = timezone.now()
        item.end_reason = reason
        item.version += 1
        item.save()
        save_version(item, reason=reason, action="care_planning.intervention.end")
        _touch(p)
        _plan_changed(p, "intervention", had)
    return item
