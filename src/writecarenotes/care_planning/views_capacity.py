"""Pages of the Mental Capacity Act records: a resident's capacity page (the liberty records of the
home's framework with the conditions attached, capacity assessments, best-interest decisions), the
two-stage assessment form, its correction, and best-interest decisions. Liberty records are in
``views_capacity_liberty``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.care_planning import capacity_rules as rules
from writecarenotes.care_planning.forms_capacity import (
    BestInterestForm,
    CapacityAssessmentForm,
    CapacityCorrectionForm,
    initial_from_assessment,
)
from writecarenotes.care_planning.models.capacity import BestInterestDecision, CapacityAssessment, LibertyStatus
from writecarenotes.care_planning.services_capacity import (
    CapacityRecordNotFound,
    assessments_of,
    correct_capacity_assessment,
    decisions_of,
    record_best_interest_decision,
    record_capacity_assessment,
)
from writecarenotes.care_planning.services_capacity_liberty import framework_of_home, records_of
from writecarenotes.care_planning.services_risks import eligible_owners
from writecarenotes.care_planning.views_risks import read, resident_or_404, see_other, status_for
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.web.idempotent_forms import idempotent_form


@requires("care_planning", "view")
def resident_capacity(request, resident_id: int):
    ref = resident_or_404(resident_id)
    read(ref, "mental capacity")
    framework = framework_of_home(ref.home_id)
    liberty = list(records_of(ref.id))
    current = [r for r in liberty if r.status in (LibertyStatus.IN_FORCE, LibertyStatus.REQUESTED)]
    can_record = request.access.can("care_planning", "record") and ref.is_current
    return render(
        request,
        "care_planning/capacity/resident.html",
        {
            "resident": ref,
            "framework": framework,
            "framework_label": rules.FRAMEWORK_LABELS[framework],
            "current": current,
            "past": [r for r in liberty if r not in current],
            "assessments": list(assessments_of(ref.id)),
            "decisions": list(decisions_of(ref.id)),
            "today": timezone.localdate(),
            "can_record": can_record,
            "can_manage": request.access.can("care_planning", "manage") and ref.is_current,
        },
    )


@requires("care_planning", "record")
@idempotent_form
def assess(request, resident_id: int):
    ref = resident_or_404(resident_id)
    form = CapacityAssessmentForm(request.POST or None, assessors=eligible_owners(ref.home_id))
    if not form.is_bound:
        form.initial.setdefault("assessor", request.user.pk)
    if request.method == "POST" and form.is_valid():
        try:
            a = record_capacity_assessment(ref.id, user=request.user, values=form.values())
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(
                request, _("Capacity assessment saved: %(outcome)s.") % {"outcome": a.get_outcome_display()}
            )
            return see_other(reverse("care_planning:capacity_assessment", args=[ref.id, a.pk]))
    return render(
        request,
        "care_planning/capacity/assess.html",
        {"resident": ref, "form": form, "title": _("Capacity assessment"), "creating": True},
        status=status_for(request),
    )


def _assessment_or_404(ref, pk: int) -> CapacityAssessment:
    a = CapacityAssessment.objects.filter(pk=pk, resident_id=ref.id).select_related("assessor", "struck_by").first()
    if a is None:
        raise Http404(_("No such capacity assessment."))
    return a


@requires("care_planning", "view")
def assessment_detail(request, resident_id: int, pk: int):
    ref = resident_or_404(resident_id)
    a = _assessment_or_404(ref, pk)
    read(ref, f"capacity assessment {a.pk}")
    replaces = CapacityAssessment.objects.filter(replaced_by_id=a.pk).first()
    return render(
        request,
        "care_planning/capacity/assessment.html",
        {
            "resident": ref,
            "a": a,
            "replaces": replaces,
            "can_record": request.access.can("care_planning", "record") and not a.is_struck,
        },
    )


@requires("care_planning", "record")
def correct(request, resident_id: int, pk: int):
    ref = resident_or_404(resident_id)
    a = _assessment_or_404(ref, pk)
    if a.is_struck:
        return see_other(reverse("care_planning:capacity_assessment", args=[ref.id, a.replaced_by_id]))
    form = CapacityCorrectionForm(
        request.POST or None, initial=initial_from_assessment(a), assessors=eligible_owners(ref.home_id)
    )
    if request.method == "POST" and form.is_valid():
        try:
            replacement = correct_capacity_assessment(
                a.pk, user=request.user, reason=form.cleaned_data["reason"], values=form.values()
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        except CapacityRecordNotFound:
            raise Http404(_("No such capacity assessment.")) from None
        else:
            messages.success(request, _("Assessment corrected."))
            return see_other(reverse("care_planning:capacity_assessment", args=[ref.id, replacement.pk]))
    return render(
        request,
        "care_planning/capacity/assess.html",
        {"resident": ref, "form": form, "title": _("Correct the capacity assessment"), "assessment": a},
        status=status_for(request),
    )


@requires("care_planning", "record")
@idempotent_form
def decide(request, resident_id: int):
    ref = resident_or_404(resident_id)
    lacking = [a for a in assessments_of(ref.id) if a.lacks_capacity and not a.is_struck]
    form = BestInterestForm(request.POST or None, assessments=lacking)
    if not form.is_bound and request.GET.get("assessment", "").isdigit():
        form.initial["capacity_assessment"] = int(request.GET["assessment"])
    if request.method == "POST" and form.is_valid():
        try:
            d = record_best_interest_decision(ref.id, user=request.user, values=form.values())
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("Best-interest decision saved."))
            return see_other(reverse("care_planning:capacity_decision", args=[ref.id, d.pk]))
    return render(
        request,
        "care_planning/capacity/decide.html",
        {"resident": ref, "form": form, "no_assessment": not lacking},
        status=status_for(request),
    )


@requires("care_planning", "view")
def decision_detail(request, resident_id: int, pk: int):
    ref = resident_or_404(resident_id)
    d = BestInterestDecision.objects.filter(pk=pk, resident_id=ref.id).select_related("capacity_assessment").first()
    if d is None:
        raise Http404(_("No such best-interest decision."))
    read(ref, f"best-interest decision {d.pk}")
    return render(request, "care_planning/capacity/decision.html", {"resident": ref, "d": d})
