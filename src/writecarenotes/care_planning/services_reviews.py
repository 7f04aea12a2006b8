"""Care plan reviews: when they are due, what the records say since the last one, holding them.

- Monthly by default: agreeing a plan sets ``next_review_on`` to the agreement day plus
  ``review_every_months`` (``services_plans.agree_plan``); holding a review sets the next one.
- Due now when something happens: ``request_review`` (``assessment.band_worsened`` for a tool whose
  results point to the plan's need, an incident, a nurse's request). The same trigger twice changes
  nothing (``review_trigger``), and a review already due earlier stays due then.
- ``notify_overdue`` (daily job): plans in force whose review date has passed are put under review and
  ``care_plan.review_overdue`` is published once per due date.
- ``review_context``: what the review page shows: the daily records since the last review (or since
  the plan was agreed), the assessments then and now, goals with their progress, and the carers' tasks
  recorded (done / not done and why).
- ``hold_review``: the review with its outcome (continue, change, close), the resident's or their
  representative's involvement and agreement, and a snapshot of what the records said.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.assessments.public import latest_results, tool_names
from writecarenotes.care_planning.events_plans import CarePlanReviewDue, CarePlanReviewed, CarePlanReviewOverdue
from writecarenotes.care_planning.models.plans import (
    IN_FORCE,
    CarePlan,
    PlanStatus,
    Review,
    ReviewOutcome,
    ReviewReason,
    TaskCompletion,
    TaskOutcome,
)
from writecarenotes.care_planning.proposals_plans import domains_for_tool
from writecarenotes.care_planning.services_plans import add_months, archive_plan, check_involvement, subject_of
from writecarenotes.care_records.public import records_since
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.events.api import publish


def _review_state(plan: CarePlan) -> dict:
    return {
        "status": plan.status,
        "next_review_on": plan.next_review_on.isoformat() if plan.next_review_on else None,
        "review_reason": plan.review_reason,
        "review_trigger": plan.review_trigger,
    }


def request_review(plan: CarePlan, *, reason: str, trigger: str = "", due_on: date | None = None) -> bool:
    """Make the plan's review due on ``due_on`` (default today) and put it under review. Returns False
    when nothing changed (not in force, or the same trigger already asked for it)."""
    if reason not in ReviewReason.values:
        raise ValueError(f"unknown review reason {reason!r}")
    due_on = due_on or timezone.localdate()
    with transaction.atomic():
        p = CarePlan.objects.select_for_update().get(pk=plan.pk)
        if not p.in_force or (trigger and p.review_trigger == trigger):
            return False
        before = _review_state(p)
        p.status = PlanStatus.UNDER_REVIEW
        p.next_review_on = min(p.next_review_on, due_on) if p.next_review_on else due_on
        p.review_reason = reason
        p.review_trigger = trigger[:80]
        p.version += 1
        p.save()
        record_change(
            "care_planning.plan.review_requested",
            target=p,
            before=before,
            after=_review_state(p),
            reason=str(ReviewReason(reason).label),
            subject=subject_of(p.resident_id),
        )
        publish(
            CarePlanReviewDue(
                plan_id=p.pk, resident_id=p.resident_id, domain=p.domain, due_on=p.next_review_on, reason=reason
            ),
            home=p.home_id,
        )
    return True


def request_reviews_for_resident(
    resident_id: int, *, reason: str, trigger: str, domains: set[str] | None = None, tools: set[str] | None = None
) -> list[int]:
    """Ask for a review of the resident's plans in force: those of ``domains``, and those resting on
    an assessment with one of ``tools`` (None: every plan). Returns the ids of the plans put under review.

    The hook for incidents (services 2 and incidents): when the incidents service publishes its event,
    a subscriber here calls ``request_reviews_for_resident(resident_id, reason="incident",
    trigger=f"incident:{incident_id}", domains={...})`` with the domains the incident concerns (a fall:
    mobility and falls, skin integrity)."""
    plans = CarePlan.objects.filter(resident_id=resident_id, status__in=IN_FORCE).order_by("pk")
    out = []
    for plan in plans:
        on_tool = bool(tools) and any(a.get("tool") in tools for a in plan.assessments or [])
        if domains is None and tools is None or (domains and plan.domain in domains) or on_tool:
            if request_review(plan, reason=reason, trigger=trigger):
                out.append(plan.pk)
    return out


def review_for_band_worsened(resident_id: int, tool: str, result_id: int) -> list[int]:
    """``assessment.band_worsened``: plans whose need the tool's results point to, or that rest on it."""
    return request_reviews_for_resident(
        resident_id,
        reason=ReviewReason.BAND_WORSENED,
        trigger=f"assessment:{result_id}",
        domains=domains_for_tool(tool),
        tools={tool},
    )


def notify_overdue(today: date) -> int:
    """Publish ``care_plan.review_overdue`` once per due date for each plan in force whose review date
    has passed, and put it under review (in the active scope). Returns how many were published."""
    count = 0
    plans = CarePlan.objects.filter(status__in=IN_FORCE, next_review_on__lt=today).order_by("next_review_on", "pk")
    for plan in plans:
        with transaction.atomic():
            p = CarePlan.objects.select_for_update().get(pk=plan.pk)
            if not p.in_force or p.next_review_on is None or p.overdue_notified_for == p.next_review_on:
                continue
            before = _review_state(p)
            p.overdue_notified_for = p.next_review_on
            p.status = PlanStatus.UNDER_REVIEW
            if p.review_reason in ("", ReviewReason.MONTHLY):
                p.review_reason = ReviewReason.OVERDUE
            p.version += 1
            p.save()
            record_change(
                "care_planning.plan.review_overdue",
                target=p,
                before=before,
                after=_review_state(p),
                subject=subject_of(p.resident_id),
            )
            publish(
                CarePlanReviewOverdue(
                    plan_id=p.pk, resident_id=p.resident_id, domain=p.domain, due_on=p.next_review_on
                ),
                home=p.home_id,
            )
            count += 1
    return count


# --- what the review shows ------------------------------------------------------------------------


def period_start(plan: CarePlan) -> datetime:
    """Since when the review looks at the records: the end of the last review's period, else the
    agreement, else the plan's creation."""
    last = plan.reviews.order_by("-held_on", "-pk").only("period_end").first()
    if last is not None:
        return last.period_end
    return plan.agreed_at or plan.created_at


def _assessments_then_now(plan: CarePlan) -> list[dict]:
    """The plan's assessments when it was made, and the latest result of each tool now."""
    latest = {r.tool: r for r in latest_results(plan.resident_id)}
    tools = [a.get("tool") for a in plan.assessments or []]
    for tool in sorted(latest):
        if tool not in tools and plan.domain in domains_for_tool(tool):
            tools.append(tool)
    then = {a.get("tool"): a for a in plan.assessments or []}
    names = tool_names()
    out = []
    for tool in tools:
        before, now = then.get(tool), latest.get(tool)
        change = None
        if before and now and before.get("band_rank") is not None and now.band_rank is not None:
            change = (
                "worse"
                if now.band_rank > before["band_rank"]
                else "better"
                if now.band_rank < before["band_rank"]
                else "same"
            )
        out.append(
            {
                "tool": tool,
                "name": names.get(tool, tool),
                "then": before.get("summary") if before else None,
                "then_at": before.get("assessed_at") if before else None,
                "now": now.summary if now else None,
                "now_at": now.assessed_at.isoformat() if now else None,
                "result_id": now.result_id if now else None,
                "change": change,
            }
        )
    return out


def _tasks_since(plan: CarePlan, since: datetime, until: datetime) -> dict:
    rows = list(
        TaskCompletion.objects.filter(intervention__plan=plan, due_at__gte=since, due_at__lt=until).values_list(
            "outcome", "reason"
        )
    )
    reasons = Counter(r for o, r in rows if o == TaskOutcome.NOT_DONE)
    return {
        "done": sum(1 for o, _r in rows if o == TaskOutcome.DONE),
        "not_done": sum(reasons.values()),
        "not_done_reasons": dict(reasons),
    }


def review_context(plan: CarePlan, *, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    since = period_start(plan)
    goals = list(plan.goals.prefetch_related("progress", "progress__by"))
    return {
        "since": since,
        "until": now,
        "records": records_since(plan.resident_id, since, now),
        "assessments": _assessments_then_now(plan),
        "tasks": _tasks_since(plan, since, now),
        "goals": [{"goal": g, "progress": [p for p in g.progress.all() if p.recorded_at >= since]} for g in goals],
        "due_on": plan.next_review_on,
        "reason": plan.review_reason,
    }


def records_text(ctx: dict) -> str:
    """What the records say, as the sentences the review page shows (kept with the review)."""
    r = ctx["records"]
    lines = [
        _("Falls recorded: %(n)s.") % {"n": r["falls"]},
        _("Notes written: %(n)s.") % {"n": r["notes"]},
    ]
    f = r["fluids"]
    if f["monitored"] and f["days"]:
        lines.append(
            _("Fluids: below the %(target)s ml target on %(below)s of %(days)s days (average %(avg)s ml).")
            % {"target": f["target_ml"], "below": f["days_below_target"], "days": f["days"], "avg": f["average_ml"]}
        )
    if r["meals_refused"]:
        lines.append(_("Meals refused: %(n)s.") % {"n": r["meals_refused"]})
    w = r["weight"]
    if w["change_kg"] is not None:
        lines.append(
            _("Weight: %(start)s kg to %(end)s kg (%(change)s kg, %(pct)s%%).")
            % {"start": w["start_kg"], "end": w["end_kg"], "change": w["change_kg"], "pct": w["change_percent"]}
        )
    elif w["end_kg"] is not None:
        lines.append(_("Weight: %(kg)s kg (one weight in the period).") % {"kg": w["end_kg"]})
    rp = r["repositioning"]
    if rp["count"] or rp["interval_hours"]:
        lines.append(
            _("Repositioning: %(n)s times; longest gap %(gap)s h; gaps longer than %(every)s h: %(over)s.")
            % {
                "n": rp["count"],
                "gap": rp["longest_gap_hours"] if rp["longest_gap_hours"] is not None else "-",
                "every": rp["interval_hours"] or "-",
                "over": rp["gaps_over_interval"] if rp["gaps_over_interval"] is not None else "-",
            }
        )
    b = r["bowels"]
    if b["longest_days_without"] is not None:
        lines.append(_("Longest time without a bowel movement: %(n)s days.") % {"n": b["longest_days_without"]})
    if r["behaviour"]:
        lines.append(_("Behaviour chart entries: %(n)s.") % {"n": r["behaviour"]})
    if r["vital_signs"]["count"]:
        lines.append(
            _("Vital signs taken %(n)s times; highest NEWS2 %(top)s.")
            % {"n": r["vital_signs"]["count"], "top": r["vital_signs"]["highest_news2"]}
        )
    t = ctx["tasks"]
    lines.append(_("Tasks recorded: %(done)s done, %(not)s not done.") % {"done": t["done"], "not": t["not_done"]})
    for a in ctx["assessments"]:
        if a["now"]:
            lines.append(
                _("%(tool)s now: %(now)s (then: %(then)s).")
                % {"tool": a["name"], "now": a["now"], "then": a["then"] or "-"}
            )
    return "\n".join(str(x) for x in lines)


def _snapshot(ctx: dict) -> dict:
    return {
        "records": ctx["records"],
        "assessments": ctx["assessments"],
        "tasks": ctx["tasks"],
        "goals": [
            {"id": g["goal"].pk, "text": g["goal"].text, "status": g["goal"].status, "progress": len(g["progress"])}
            for g in ctx["goals"]
        ],
    }


def hold_review(
    plan: CarePlan,
    *,
    user,
    summary: str,
    outcome: str,
    held_on: date | None = None,
    now: datetime | None = None,
    **involvement,
) -> Review:
    """Record a held review. ``continue``: agreed, next review after the interval; ``change``: stays
    under review until the changed plan is agreed again; ``close``: the plan is archived."""
    now = now or timezone.now()
    held_on = held_on or timezone.localdate(now)
    summary = (summary or "").strip()
    errors: dict = {}
    if not summary:
        errors["summary"] = [_("Summarise the review: what went well, what did not, what changes.")]
    elif len(summary) > 5000:
        errors["summary"] = [_("Keep the summary under 5000 characters.")]
    if outcome not in ReviewOutcome.values:
        errors["outcome"] = [_("Choose the outcome of the review.")]
    if not isinstance(held_on, date) or held_on > timezone.localdate(now):
        errors["held_on"] = [_("The review cannot be in the future.")]
    try:
        data = check_involvement(involvement)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        p = CarePlan.objects.select_for_update().get(pk=plan.pk)
        if not p.in_force:
            raise ValidationError(_("Only a plan in force (agreed or under review) can be reviewed."))
        ctx = review_context(p, now=now)
        review = Review.objects.create(
            home_id=p.home_id,
            plan=p,
            due_on=p.next_review_on,
            reason=p.review_reason,
            held_on=held_on,
            by=user,
            summary=summary,
            outcome=outcome,
            period_start=ctx["since"],
            period_end=now,
            records=_snapshot(ctx),
            records_text=records_text(ctx),
            **data,
        )
        record_change(
            "care_planning.plan.reviewed",
            target=review,
            before=None,
            after={"plan_id": p.pk, "outcome": outcome, "held_on": held_on.isoformat(), "summary": summary, **data},
            subject=subject_of(p.resident_id),
        )
        before = _review_state(p)
        if outcome == ReviewOutcome.CLOSE:
            archive_plan(p, reason=_("Closed at review: %(summary)s") % {"summary": summary[:200]}, now=now)
            p.refresh_from_db()
        else:
            p.status = PlanStatus.AGREED if outcome == ReviewOutcome.CONTINUE else PlanStatus.UNDER_REVIEW
            p.next_review_on = add_months(held_on, p.review_every_months)
            p.review_reason = ReviewReason.MONTHLY if outcome == ReviewOutcome.CONTINUE else ReviewReason.CHANGE
            p.review_trigger = ""
            p.version += 1
            p.save()
            record_change(
                "care_planning.plan.review_outcome",
                target=p,
                before=before,
                after=_review_state(p),
                subject=subject_of(p.resident_id),
            )
        publish(
            CarePlanReviewed(
                review_id=review.pk,
                plan_id=p.pk,
                resident_id=p.resident_id,
                outcome=outcome,
                next_review_on=p.next_review_on if p.in_force else None,
            ),
            home=p.home_id,
        )
    return review


def due_reviews(unit_id: int | None = None, *, today: date | None = None, within_days: int = 7) -> list[tuple]:
    """[(plan, resident)] of plans in force whose review is due within ``within_days`` (overdue first),
    for the unit's (or the home's) current residents. Two queries."""
    from datetime import timedelta

    from writecarenotes.residents.public import current_residents

    today = today or timezone.localdate()
    refs = {r.id: r for r in current_residents(unit_id)}
    plans = CarePlan.objects.filter(
        resident_id__in=list(refs), status__in=IN_FORCE, next_review_on__lte=today + timedelta(days=within_days)
    ).order_by("next_review_on", "resident_id", "domain")
    return [(p, refs[p.resident_id]) for p in plans]
