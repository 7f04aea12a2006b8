"""Pages of care plan reviews (what the records say since last time, holding the review), the list of
reviews due, the printable care plan (PDF) and the plain-language summary a family member can read."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from writecarenotes.assessments.public import trend_chart_html
from writecarenotes.care_planning.forms_plans import ReviewForm, apply_errors
from writecarenotes.care_planning.models.plans import IN_FORCE, CarePlan, Domain, Goal, GoalStatus, Intervention
from writecarenotes.care_planning.pdf_plans import care_plan_pdf
from writecarenotes.care_planning.services_reviews import due_reviews, hold_review, records_text, review_context
from writecarenotes.care_planning.views_plans import plan_or_404, read, resident_or_404, see_other
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.tenancy.models import Unit
from writecarenotes.platform.web.idempotent_forms import idempotent_form

#: need domains in everyday words (the family summary)
PLAIN_TITLES = {
    Domain.PERSONAL_CARE: gettext_lazy("Washing, dressing and personal care"),
    Domain.MOBILITY: gettext_lazy("Moving about safely"),
    Domain.NUTRITION: gettext_lazy("Eating and drinking"),
    Domain.CONTINENCE: gettext_lazy("Using the toilet"),
    Domain.SKIN: gettext_lazy("Keeping skin healthy"),
    Domain.COMMUNICATION: gettext_lazy("Talking and understanding"),
    Domain.COGNITION: gettext_lazy("Memory and thinking"),
    Domain.MENTAL_HEALTH: gettext_lazy("Mood and feelings"),
    Domain.MEDICATION: gettext_lazy("Medicines and comfort"),
    Domain.SLEEP: gettext_lazy("Sleep"),
    Domain.SOCIAL: gettext_lazy("Company and things to do"),
    Domain.SPIRITUALITY: gettext_lazy("Faith and beliefs"),
    Domain.END_OF_LIFE: gettext_lazy("Wishes for the end of life"),
}


def _in_force(resident_id: int) -> list[CarePlan]:
    """The resident's plans in force with their open goals and active interventions (3 queries)."""
    return list(
        CarePlan.objects.filter(resident_id=resident_id, status__in=IN_FORCE)
        .select_related("agreed_by")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.exclude(status=GoalStatus.STOPPED)),
            Prefetch("interventions", queryset=Intervention.objects.filter(active=True)),
        )
        .order_by("domain")
    )


@requires("care_planning", "view")
@idempotent_form
def plan_review(request, plan_id: int):
    plan = plan_or_404(plan_id)
    ref = resident_or_404(plan.resident_id)
    can_review = request.access.can("care_planning", "manage") and plan.in_force
    form = ReviewForm(request.POST or None) if can_review else None
    if request.method == "POST":
        if form is None:
            return see_other(reverse("care_planning:plan", args=[plan.pk]))
        if form.is_valid():
            d = form.cleaned_data
            try:
                hold_review(
                    plan,
                    user=request.user,
                    summary=d["summary"],
                    outcome=d["outcome"],
                    held_on=d["held_on"],
                    **form.involvement(),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Review recorded."))
                return see_other(reverse("care_planning:plan", args=[plan.pk]))
    read(ref, f"care plan {plan.pk} review")
    ctx = review_context(plan)
    return render(
        request,
        "care_planning/plans/review.html",
        {
            "resident": ref,
            "plan": plan,
            "ctx": ctx,
            "records": ctx["records"],
            "summary_lines": records_text(ctx).splitlines(),
            "form": form,
            "trend_tools": [a for a in ctx["assessments"] if a["now"]],
            # each tool then and now, with its trend drawn by assessments (an inline SVG, not stored)
            "assessment_rows": [
                {**a, "chart": trend_chart_html(ref.id, a["tool"]) if a["now"] else ""} for a in ctx["assessments"]
            ],
        },
        status=422 if request.method == "POST" else 200,
    )


@requires("care_planning", "view")
def reviews_due(request, unit_id: int | None = None):
    unit = Unit.objects.filter(pk=unit_id).first() if unit_id is not None else None
    if unit_id is not None and unit is None:
        raise Http404(_("No such unit."))
    rows = due_reviews(unit.pk if unit else None, within_days=14)
    today = timezone.localdate()
    return render(
        request,
        "care_planning/plans/reviews_due.html",
        {"rows": [(p, ref, p.next_review_on < today) for p, ref in rows], "unit": unit},
    )


@requires("care_planning", "view")
def print_plan(request, resident_id: int):
    ref = resident_or_404(resident_id)
    read(ref, "care plan (printed)")
    home = request.access.active_home
    pdf = care_plan_pdf(
        ref,
        _in_force(ref.id),
        printed_by=getattr(request.user, "display_name", "") or request.user.get_username(),
        home_name=home.name if home is not None and home.pk == ref.home_id else "",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(ref.display_name) or "resident"
    response["Content-Disposition"] = f'inline; filename="care-plan-{name}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@requires("care_planning", "view")
def family_summary(request, resident_id: int):
    ref = resident_or_404(resident_id)
    read(ref, "care plan family summary")
    plans = _in_force(ref.id)
    return render(
        request,
        "care_planning/plans/family.html",
        {
            "resident": ref,
            "sections": [
                {
                    "title": PLAIN_TITLES.get(p.domain, p.get_domain_display()),
                    "plan": p,
                    "goals": list(p.goals.all()),
                    "help": list(p.interventions.all()),
                }
                for p in plans
            ],
            "next_review": min((p.next_review_on for p in plans if p.next_review_on), default=None),
        },
    )
