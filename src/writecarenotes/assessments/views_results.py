"""Pages of results: the assessment form generated from the tool, the result (every answer with its
points, the band and what to do, change since last time, the trend), a tool's history for a
resident, and the correction of a result (a new version with a reason)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from writecarenotes.assessments import queries
from writecarenotes.assessments.charts import trend_svg
from writecarenotes.assessments.config import config_for
from writecarenotes.assessments.forms import AssessmentForm, CorrectionForm, initial_answers
from writecarenotes.assessments.models import AssessmentResult
from writecarenotes.assessments.services import correct_assessment, previous_result, record_assessment
from writecarenotes.assessments.views import resident_or_404, see_other, tool_or_404
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.web.idempotent_forms import idempotent_form


@requires("assessments", "record")
@idempotent_form
def assess(request, resident_id: int, slug: str):
    ref = resident_or_404(resident_id)
    tool = tool_or_404(slug)
    conf = config_for(tool.slug)
    form = AssessmentForm(request.POST or None, tool=tool)
    if request.method == "POST" and form.is_valid():
        try:
            result = record_assessment(
                ref.id,
                tool.slug,
                form.answers(),
                form.cleaned_data["assessed_at"],
                request.user,
                form.cleaned_data.get("notes") or "",
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("Assessment saved: %(summary)s.") % {"summary": result.summary})
            return see_other(reverse("assessments:result", args=[ref.id, result.pk]))
    status = 422 if request.method == "POST" else 200
    return render(
        request, "assessments/form.html", {"resident": ref, "tool": tool, "conf": conf, "form": form}, status=status
    )


def _result_or_404(ref, pk: int) -> AssessmentResult:
    result = (
        AssessmentResult.objects.filter(pk=pk, resident_id=ref.id).select_related("assessed_by", "struck_by").first()
    )
    if result is None:
        raise Http404(_("No such assessment."))
    return result


@requires("assessments", "view")
def result_detail(request, resident_id: int, pk: int):
    ref = resident_or_404(resident_id)
    result = _result_or_404(ref, pk)
    record_read(
        "residents.resident", ref.id, home=ref.home_id, part=f"assessment {result.tool} {pk}", label=ref.display_name
    )
    tool = tool_or_404(result.tool)
    change = queries.change_between(previous_result(result), result) if not result.is_struck else None
    points = queries.trend(ref.id, tool.slug)
    return render(
        request,
        "assessments/result.html",
        {
            "resident": ref,
            "result": result,
            "tool": tool,
            "answers": queries.answer_rows(result),
            "derived": queries.derived_rows(result, tool),
            "change": change,
            "chart": trend_svg(tool, points, result.band_set),
            "versions": queries.versions_of(result),
            "can_record": request.access.can("assessments", "record"),
        },
    )


@requires("assessments", "view")
def tool_history(request, resident_id: int, slug: str):
    ref = resident_or_404(resident_id)
    tool = tool_or_404(slug)
    record_read("residents.resident", ref.id, home=ref.home_id, part=f"assessments {tool.slug}", label=ref.display_name)
    conf = config_for(tool.slug)
    rows = queries.history(ref.id, tool.slug)
    band_set = rows[0][0].band_set if rows else conf.band_set
    return render(
        request,
        "assessments/history.html",
        {
            "resident": ref,
            "tool": tool,
            "rows": rows,
            "chart": trend_svg(tool, queries.trend(ref.id, tool.slug), band_set),
            "can_record": request.access.can("assessments", "record") and conf.enabled,
        },
    )


@requires("assessments", "record")
def correct(request, resident_id: int, pk: int):
    ref = resident_or_404(resident_id)
    result = _result_or_404(ref, pk)
    tool = tool_or_404(result.tool)
    if result.is_struck:
        messages.error(request, _("This assessment has already been corrected."))
        return see_other(reverse("assessments:result", args=[ref.id, result.replaced_by_id or result.pk]))
    initial = {**initial_answers(result), "notes": result.notes}
    form = CorrectionForm(request.POST or None, initial=initial, tool=tool)
    if request.method == "POST" and form.is_valid():
        try:
            replacement = correct_assessment(
                result,
                form.cleaned_data["reason"],
                form.answers(),
                request.user,
                notes=form.cleaned_data.get("notes") or "",
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("Assessment corrected: the original is struck through and kept."))
            return see_other(reverse("assessments:result", args=[ref.id, replacement.pk]))
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "assessments/correct.html",
        {"resident": ref, "result": result, "tool": tool, "form": form},
        status=status,
    )
