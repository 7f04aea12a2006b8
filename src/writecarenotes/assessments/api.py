"""Assessments API, mounted at /api/v1/assessments/.

  /tools, /tools/{slug}                       GET the library; one tool's items, options, bands, source
  /residents/{id}/results                     GET (paginated, ?tool=) / POST {tool, answers, assessed_at, notes}
  /results/{id}                               GET with every answer, change since last time, versions
  /results/{id}/correct                       POST {reason, answers}: strike through and replace
  /residents/{id}/due, /units/{id}/due, /due  GET what is due (a resident, a unit, the active home)
  /residents/{id}/trend/{slug}                GET the totals over time
  /settings, /settings/{slug}                 GET / PUT the organisation's tool settings (managers)

Invalid answers: 422 problem with one error per item (``field`` = ``answers.<item key>``).
Another home's resident, unit or result: 404 before the body is read.
"""

import functools
from datetime import date
from typing import Annotated

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.decorators import decorate_view
from ninja.responses import Status

from writecarenotes.assessments import api_schemas as s
from writecarenotes.assessments import engine, queries
from writecarenotes.assessments.config import config_for, configs
from writecarenotes.assessments.models import AssessmentResult
from writecarenotes.assessments.services import correct_assessment, previous_result, record_assessment
from writecarenotes.assessments.services_due import set_tool_settings
from writecarenotes.platform.api.idempotency import idempotent
from writecarenotes.platform.api.pagination import Filters, Mapped, date_from, date_to, exact, paginated
from writecarenotes.platform.api.problems import problem_for_status
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.tenancy.models import Unit
from writecarenotes.residents.public import get_resident_or_404

router = Router(tags=["assessments"])


# --- helpers ------------------------------------------------------------------------------------


_ref = get_resident_or_404  # a resident of the active scope, or a 404


def _unit(unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise Http404(_("No such unit."))
    return unit


def _tool(slug: str) -> engine.Tool:
    try:
        return engine.get_tool(slug)
    except engine.UnknownTool:
        raise Http404(_("No such assessment tool.")) from None


def _result(result_id: int) -> AssessmentResult:
    result = AssessmentResult.objects.filter(pk=result_id).first()
    if result is None:
        raise Http404(_("No such assessment."))
    return result


def _object_first(run):
    """Find this context's objects of the path (a result, a tool) BEFORE the body is parsed: another
    home's result is a 404 problem even for a request whose body is invalid. The platform already did
    the same for the resident and the unit (``wcn_api_path_objects``), after the permission check."""

    @functools.wraps(run)
    def wrapped(request, **kw):
        try:
            if "result_id" in kw:
                _result(int(kw["result_id"]))
            if "slug" in kw:
                _tool(str(kw["slug"]))
        except (TypeError, ValueError):
            pass  # not a number: ninja answers 422 for the path parameter
        except Http404 as exc:
            return problem_for_status(request, 404, str(exc))
        return run(request, **kw)

    return wrapped


object_first = decorate_view(_object_first)


def _read(ref, part: str) -> None:
    record_read("residents.resident", ref.id, home=ref.home_id, part=part, label=ref.display_name)


# --- tools --------------------------------------------------------------------------------------


@router.get("/tools", response=list[s.ToolSummaryOut], summary="The tool library, with the organisation's settings")
@requires("assessments", "view")
def list_tools(request):
    return [s.tool_summary(c) for c in configs().values()]


@router.get("/tools/{slug}", response=s.ToolOut, summary="One tool: items, options, bands, source, licence")
@requires("assessments", "view")
def get_tool(request, slug: str):
    tool = _tool(slug)
    return s.tool_out(config_for(tool.slug))


# --- results ------------------------------------------------------------------------------------


class ResultFilters(Filters):
    tool: Annotated[str | None, exact("tool")] = None
    assessed_from: Annotated[date | None, date_from("assessed_at__date")] = None
    assessed_to: Annotated[date | None, date_to("assessed_at__date")] = None


@router.get(
    "/residents/{resident_id}/results", response=list[s.ResultOut], summary="A resident's results, newest first"
)
@paginated
@requires("assessments", "view")
def list_results(request, resident_id: int, filters: Query[ResultFilters]):
    ref = _ref(resident_id)
    _read(ref, "assessments (API)")
    qs = filters.filter(AssessmentResult.objects.filter(resident_id=ref.id)).order_by("-assessed_at", "-pk")
    return Mapped(qs, s.result_out)


@router.post(
    "/residents/{resident_id}/results",
    response={201: s.ResultDetailOut},
    summary="Record an assessment: scored by the tool, every answer stored",
)
@object_first
@requires("assessments", "record")
@idempotent
def create_result(request, resident_id: int, payload: s.ResultIn, response: HttpResponse):
    ref = _ref(resident_id)
    result = record_assessment(
        ref.id,
        payload.tool,
        payload.answers,
        payload.assessed_at if payload.assessed_at is not None else timezone.now(),
        request.user,
        payload.notes,
        band_set=payload.band_set,
    )
    response["Location"] = f"/api/v1/assessments/results/{result.pk}"
    return Status(201, s.result_detail(result, queries.change_between(previous_result(result), result)))


@router.get("/results/{result_id}", response=s.ResultDetailOut, summary="One result with every answer and versions")
@requires("assessments", "view")
def get_result(request, result_id: int):
    result = _result(result_id)
    ref = _ref(result.resident_id)
    _read(ref, f"assessment {result.tool} {result.pk} (API)")
    change = queries.change_between(previous_result(result), result) if not result.is_struck else None
    return s.result_detail(result, change)


@router.post(
    "/results/{result_id}/correct",
    response={201: s.ResultDetailOut},
    summary="Strike a result through and record its corrected replacement (with a reason)",
)
@object_first
@requires("assessments", "record")
@idempotent
def correct_result(request, result_id: int, payload: s.CorrectionIn, response: HttpResponse):
    result = _result(result_id)
    replacement = correct_assessment(result, payload.reason, payload.answers, request.user, notes=payload.notes)
    response["Location"] = f"/api/v1/assessments/results/{replacement.pk}"
    change = queries.change_between(previous_result(replacement), replacement)
    return Status(201, s.result_detail(replacement, change))


@router.get(
    "/residents/{resident_id}/trend/{slug}", response=s.TrendOut, summary="A resident's totals with a tool over time"
)
@requires("assessments", "view")
def trend(request, resident_id: int, slug: str):
    ref = _ref(resident_id)
    tool = _tool(slug)
    _read(ref, f"assessments {tool.slug} trend (API)")
    points = [
        {
            "result_id": r.pk,
            "assessed_at": r.assessed_at,
            "total": s.dec(r.total),
            "band": r.band_key,
            "band_label": r.band_label,
            "band_rank": r.band_rank,
        }
        for r in queries.trend(ref.id, tool.slug, limit=200)
    ]
    return {"resident_id": ref.id, "tool": tool.slug, "points": points}


# --- due ----------------------------------------------------------------------------------------


@router.get("/residents/{resident_id}/due", response=list[s.DueOut], summary="Every scheduled assessment of a resident")
@requires("assessments", "view")
def resident_due(request, resident_id: int):
    ref = _ref(resident_id)
    _read(ref, "assessments due (API)")
    return [s.due_out(d) for d in queries.due_for_resident(ref)]


@router.get("/units/{unit_id}/due", response=list[s.DueOut], summary="Overdue and soon-due assessments of a unit")
@requires("assessments", "view")
def unit_due(request, unit_id: int):
    unit = _unit(unit_id)
    return [s.due_out(d) for d in queries.due_list(unit.pk)]


@router.get("/due", response=list[s.DueOut], summary="Overdue and soon-due assessments of the active home")
@requires("assessments", "view")
def home_due(request):
    return [s.due_out(d) for d in queries.due_list(None)]


# --- settings -----------------------------------------------------------------------------------


@router.get("/settings", response=list[s.SettingsOut], summary="The organisation's settings of every tool")
@requires("assessments", "manage")
def list_settings(request):
    return [s.settings_out(c) for c in configs().values()]


@router.get("/settings/{slug}", response=s.SettingsOut, summary="The organisation's settings of one tool")
@requires("assessments", "manage")
def get_settings(request, slug: str):
    tool = _tool(slug)
    return s.settings_out(config_for(tool.slug))


@router.put("/settings/{slug}", response=s.SettingsOut, summary="Set the organisation's settings of one tool")
@object_first
@requires("assessments", "manage")
def put_settings(request, slug: str, payload: s.SettingsIn):
    tool = _tool(slug)
    band_set = payload.band_set if payload.band_set != tool.default_band_set else ""
    set_tool_settings(
        tool.slug,
        enabled=payload.enabled,
        band_set=band_set,
        review_days=payload.review_days,
        user=request.user,
        reason=payload.reason,
    )
    return s.settings_out(config_for(tool.slug))
