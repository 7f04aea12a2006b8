"""Pages of care plans: a resident's plans (by need, status, reviews due, "Propose from assessments"),
a plan with the person's words, goals and interventions, changing them (with a reason), agreeing a plan
with the resident's or their representative's involvement, archiving it.

The carers' task lists are in ``views_tasks``; reviews, the printable plan and the family summary in
``views_reviews``. Every page that shows a resident's plans records the read (audit).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from writecarenotes.assessments.public import latest_results
from writecarenotes.care_planning import services_plans as plans
from writecarenotes.care_planning.forms_plans import (
    GoalEditForm,
    GoalForm,
    InterventionEditForm,
    InterventionForm,
    InvolvementForm,
    KeyedForm,
    NewPlanForm,
    PlanEditForm,
    ProgressForm,
    ReasonForm,
    apply_errors,
)
from writecarenotes.care_planning.models.plans import CarePlan, Goal, Intervention, PlanStatus
from writecarenotes.care_planning.services_proposals import propose_from_assessments
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.web.idempotent_forms import idempotent_form
from writecarenotes.platform.web.responses import see_other
from writecarenotes.residents.public import get_resident_or_404, is_current

FORM_TEMPLATE = "care_planning/plans/form.html"


resident_or_404 = get_resident_or_404  # a resident of the active scope, or a 404


def plan_or_404(plan_id: int) -> CarePlan:
    plan = CarePlan.objects.filter(pk=plan_id).select_related("agreed_by").first()
    if plan is None:
        raise Http404(_("No such care plan."))
    return plan


def read(ref, part: str) -> None:
    record_read("residents.resident", ref.id, home=ref.home_id, part=part, label=ref.display_name)


def _plan_url(plan: CarePlan) -> str:
    return reverse("care_planning:plan", args=[plan.pk])


def _form_page(request, *, title: str, form, action: str, ref, plan=None, intro: str = "", offline: bool = False):
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        FORM_TEMPLATE,
        {
            "title": title,
            "form": form,
            "action": action,
            "resident": ref,
            "plan": plan,
            "intro": intro,
            "offline": offline,
            "cancel": _plan_url(plan) if plan else reverse("care_planning:plans_resident", args=[ref.id]),
        },
        status=status,
    )


# --- a resident's plans ---------------------------------------------------------------------------


@requires("care_planning", "view")
def resident_plans(request, resident_id: int):
    ref = resident_or_404(resident_id)
    read(ref, "care plans")
    rows = list(
        CarePlan.objects.filter(resident_id=ref.id)
        .annotate(
            goal_count=Count("goals", distinct=True),
            task_count=Count("interventions", filter=Q(interventions__active=True), distinct=True),
        )
        .order_by("domain", "-created_at")
    )
    current = [p for p in rows if p.status != PlanStatus.ARCHIVED]
    can_record = request.access.can("care_planning", "record") and is_current(ref.id)
    results = latest_results(ref.id) if can_record else []
    return render(
        request,
        "care_planning/plans/resident.html",
        {
            "resident": ref,
            "plans": current,
            "archived": [p for p in rows if p.status == PlanStatus.ARCHIVED],
            "due": [p for p in current if p.review_due()],
            "results": results,
            "can_record": can_record,
            "propose_form": KeyedForm() if can_record else None,
        },
    )


@requires("care_planning", "record")
@idempotent_form
def propose(request, resident_id: int):
    ref = resident_or_404(resident_id)
    url = reverse("care_planning:plans_resident", args=[ref.id])
    if request.method != "POST":
        return see_other(url)
    try:
        outcome = propose_from_assessments(ref.id, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return see_other(url)
    if outcome.created:
        names = ", ".join(str(p.get_domain_display()) for p in outcome.created)
        messages.success(
            request, _("Proposed from the assessments: %(names)s. Read, change and agree them.") % {"names": names}
        )
    for _domain, why in outcome.skipped:
        messages.info(request, why)
    if outcome.nothing_to_propose:
        messages.info(request, _("No assessment result points to a care plan. Assess first, or start a plan yourself."))
    if len(outcome.created) == 1:
        return see_other(_plan_url(outcome.created[0]))
    return see_other(url)


@requires("care_planning", "record")
@idempotent_form
def new_plan(request, resident_id: int):
    ref = resident_or_404(resident_id)
    taken = set(
        CarePlan.objects.filter(resident_id=ref.id).exclude(status=PlanStatus.ARCHIVED).values_list("domain", flat=True)
    )
    form = NewPlanForm(request.POST or None, taken=taken)
    if request.method == "POST" and form.is_valid():
        try:
            plan = plans.create_plan(
                resident_id=ref.id,
                domain=form.cleaned_data["domain"],
                user=request.user,
                in_my_words=form.cleaned_data["in_my_words"],
                needs=form.cleaned_data["needs"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Plan started: add goals and what carers do, then agree it."))
            return see_other(_plan_url(plan))
    return _form_page(
        request,
        title=_("New care plan"),
        form=form,
        action=reverse("care_planning:plan_new", args=[ref.id]),
        ref=ref,
        offline=True,
    )


# --- one plan -------------------------------------------------------------------------------------


@requires("care_planning", "view")
def plan_detail(request, plan_id: int):
    plan = plan_or_404(plan_id)
    ref = resident_or_404(plan.resident_id)
    read(ref, f"care plan {plan.pk}")
    goals = list(plan.goals.prefetch_related("progress__by"))
    items = list(plan.interventions.all())
    writable = plan.status != PlanStatus.ARCHIVED and request.access.can("care_planning", "record")
    return render(
        request,
        "care_planning/plans/detail.html",
        {
            "resident": ref,
            "plan": plan,
            "goals": goals,
            "interventions": [i for i in items if i.active],
            "ended": [i for i in items if not i.active],
            "reviews": list(plan.reviews.select_related("by")[:12]),
            "writable": writable,
            "can_manage": request.access.can("care_planning", "manage"),
            "can_audit": request.access.can("audit", "view"),
        },
    )


@requires("care_planning", "record")
def edit_plan(request, plan_id: int):
    plan = plan_or_404(plan_id)
    ref = resident_or_404(plan.resident_id)
    initial = {f: getattr(plan, f) for f in plans.PLAN_FIELDS}
    form = PlanEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in plans.PLAN_FIELDS}
        try:
            plans.update_plan(plan, values=values, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Care plan changed."))
            return see_other(_plan_url(plan))
    return _form_page(
        request,
        title=_("Change the plan: %(need)s") % {"need": plan.get_domain_display()},
        form=form,
        action=reverse("care_planning:plan_edit", args=[plan.pk]),
        ref=ref,
        plan=plan,
    )


@requires("care_planning", "manage")
@idempotent_form
def agree(request, plan_id: int):
    plan = plan_or_404(plan_id)
    ref = resident_or_404(plan.resident_id)
    form = InvolvementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plans.agree_plan(plan, user=request.user, **form.involvement())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Care plan agreed: its tasks are on the carers' lists."))
            return see_other(_plan_url(plan))
    read(ref, f"care plan {plan.pk} (agreement)")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "care_planning/plans/agree.html",
        {
            "resident": ref,
            "plan": plan,
            "form": form,
            "goals": list(plan.goals.all()),
            "interventions": list(plan.interventions.filter(active=True)),
        },
        status=status,
    )


@requires("care_planning", "manage")
def archive(request, plan_id: int):
    plan = plan_or_404(plan_id)
    ref = resident_or_404(plan.resident_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plans.archive_plan(plan, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Care plan archived. It is kept with its history."))
            return see_other(reverse("care_planning:plans_resident", args=[ref.id]))
    return _form_page(
        request,
        title=_("Archive the plan: %(need)s") % {"need": plan.get_domain_display()},
        form=form,
        action=reverse("care_planning:plan_archive", args=[plan.pk]),
        ref=ref,
        plan=plan,
        intro=_("Its tasks leave the carers' lists. Nothing is deleted."),
    )


# --- goals ----------------------------------------------------------------------------------------


def goal_or_404(goal_id: int) -> Goal:
    goal = Goal.objects.filter(pk=goal_id).select_related("plan").first()
    if goal is None:
        raise Http404(_("No such goal."))
    return goal


@requires("care_planning", "record")
@idempotent_form
def new_goal(request, plan_id: int):
    plan = plan_or_404(plan_id)
    ref = resident_or_404(plan.resident_id)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plans.add_goal(plan, **{k: form.cleaned_data[k] for k in ("text", "measure", "target_on")})
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Goal added."))
            return see_other(_plan_url(plan))
    return _form_page(
        request,
        title=_("New goal"),
        form=form,
        action=reverse("care_planning:goal_new", args=[plan.pk]),
        ref=ref,
        plan=plan,
        intro=_("Make it measurable: what will be different, by when, and how anyone can tell."),
        offline=True,
    )


@requires("care_planning", "record")
def edit_goal(request, goal_id: int):
    goal = goal_or_404(goal_id)
    ref = resident_or_404(goal.plan.resident_id)
    initial = {f: getattr(goal, f) for f in plans.GOAL_FIELDS}
    form = GoalEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in plans.GOAL_FIELDS}
        try:
            plans.update_goal(goal, values=values, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Goal changed."))
            return see_other(_plan_url(goal.plan))
    return _form_page(
        request,
        title=_("Change the goal"),
        form=form,
        action=reverse("care_planning:goal_edit", args=[goal.pk]),
        ref=ref,
        plan=goal.plan,
    )


@requires("care_planning", "record")
@idempotent_form
def goal_progress(request, goal_id: int):
    goal = goal_or_404(goal_id)
    ref = resident_or_404(goal.plan.resident_id)
    form = ProgressForm(request.POST or None, initial={"status": goal.status})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plans.add_goal_progress(goal, note=d["note"], user=request.user, on=d["on"], status=d["status"] or None)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Progress recorded."))
            return see_other(_plan_url(goal.plan))
    return _form_page(
        request,
        title=_("Progress on a goal"),
        form=form,
        action=reverse("care_planning:goal_progress", args=[goal.pk]),
        ref=ref,
        plan=goal.plan,
        intro=goal.text,
        offline=True,
    )


# --- interventions --------------------------------------------------------------------------------


def intervention_or_404(intervention_id: int) -> Intervention:
    item = Intervention.objects.filter(pk=intervention_id).select_related("plan").first()
    if item is None:
        raise Http404(_("No such intervention."))
    return item


@requires("care_planning", "record")
@idempotent_form
def new_intervention(request, plan_id: int):
    plan = plan_or_404(plan_id)
    ref = resident_or_404(plan.resident_id)
    form = InterventionForm(request.POST or None, initial={"schedule_kind": "each_shift"})
    if request.method == "POST" and form.is_valid():
        try:
            plans.add_intervention(plan, **form.values())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Intervention added."))
            return see_other(_plan_url(plan))
    return _form_page(
        request,
        title=_("New intervention"),
        form=form,
        action=reverse("care_planning:intervention_new", args=[plan.pk]),
        ref=ref,
        plan=plan,
        intro=_("What carers do, and how often: it becomes a task on their list once the plan is agreed."),
        offline=True,
    )


@requires("care_planning", "record")
def edit_intervention(request, intervention_id: int):
    item = intervention_or_404(intervention_id)
    ref = resident_or_404(item.plan.resident_id)
    initial = {f: getattr(item, f) for f in plans.INTERVENTION_FIELDS}
    initial["times"] = ", ".join(item.times or [])
    form = InterventionEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plans.update_intervention(item, values=form.values(), reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Intervention changed."))
            return see_other(_plan_url(item.plan))
    return _form_page(
        request,
        title=_("Change the intervention"),
        form=form,
        action=reverse("care_planning:intervention_edit", args=[item.pk]),
        ref=ref,
        plan=item.plan,
    )


@requires("care_planning", "record")
def end_intervention(request, intervention_id: int):
    item = intervention_or_404(intervention_id)
    ref = resident_or_404(item.plan.resident_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plans.end_intervention(item, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Intervention stopped: it is off the task lists."))
            return see_other(_plan_url(item.plan))
    return _form_page(
        request,
        title=_("Stop the intervention"),
        form=form,
        action=reverse("care_planning:intervention_end", args=[item.pk]),
        ref=ref,
        plan=item.plan,
        intro=item.what,
    )
