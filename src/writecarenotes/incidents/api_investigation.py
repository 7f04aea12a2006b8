"""API of investigation and learning (mounted under /api/v1/incidents/).

  /{int:incident_id}/investigation                   GET (ETag) / POST open one (manage)
  /investigations/{id}                           PATCH investigator, due date, findings (If-Match)
  /investigations/{id}/complete                  POST (manage, If-Match): refused without findings and analysis
  /investigations/{id}/whys, /whys/{id}          POST a why / PATCH correct it (If-Match, reason)
  /investigations/{id}/factors                   POST a contributory factor; /factors/{id}/withdraw POST
  /investigations/factor-categories              GET the NPSA categories and their source
  /investigations/{id}/actions                   POST an action; /actions/{id}/done POST (If-Match)
  /investigations/actions/open                   GET open actions (paginated)
  /investigations/{id}/lessons                   POST share a lesson (manage)
  /investigations/lessons[/{id}[/read]]          GET mine / GET one (read status for managers) / POST read receipt
  /investigations/trends                         GET counts (?start=&end=&home_id=)
  /investigations/repeat-fallers                 GET
  /investigations/summary/{int:year}/{int:month}[/csv]   GET the monthly summary as JSON or CSV

Another home's object: 404 before the body is read. Invalid input: 422 problem with one error per field.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from writecarenotes.incidents import services_investigation as inv_services
from writecarenotes.incidents import services_lessons as lessons
from writecarenotes.incidents import trends as queries
from writecarenotes.incidents.models import (
    CONTRIBUTORY_FACTOR_CATEGORIES,
    CONTRIBUTORY_FACTORS_SOURCE,
    Investigation,
    InvestigationAction,
    LessonLearned,
    WhyStep,
)
from writecarenotes.incidents.reports_incidents import summary_csv
from writecarenotes.platform.api.concurrency import etag_for, if_match_header
from writecarenotes.platform.api.idempotency import idempotent
from writecarenotes.platform.api.pagination import paginated
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires

router = Router(tags=["incidents: investigation and learning"])

IF_MATCH = {
    "openapi_extra": {
        "parameters": [
            {
                "in": "header",
                "name": "If-Match",
                "required": True,
                "description": "The ETag of the record as you last read it. Missing: 428. Stale: 412.",
                "schema": {"type": "string"},
            }
        ]
    }
}


ACTION_FIELDS = "id investigation_id incident_id description owner_id due_on status done_on done_note version".split()
INVESTIGATION_FIELDS = (
    "id incident_id status investigator_id due_on opened_because opened_reason opened_at findings conclusion"
    " completed_at version"
).split()
SUMMARY_FIELDS = (
    "year month start end home_id total by_type_and_harm harm_totals investigations_opened"
    " investigations_completed investigations_open actions_done overdue_actions"
).split()


def _incident(incident_id: int):
    incident = inv_services.incident_or_none(incident_id)
    if incident is None:
        raise Http404(_("No such incident."))
    return incident


def _investigation(investigation_id: int) -> Investigation:
    inv = Investigation.objects.filter(pk=investigation_id).select_related("investigator", "incident").first()
    if inv is None:
        raise Http404(_("No such investigation."))
    return inv


# --- schemas --------------------------------------------------------------------------------------


class WhyOut(Schema):
    id: int
    position: int
    why: str
    because: str
    version: int


class FactorOut(Schema):
    id: int
    category: str
    category_label: str
    detail: str
    withdrawn: bool
    withdrawn_reason: str


class ActionOut(Schema):
    id: int
    investigation_id: int
    incident_id: int
    description: str
    owner_id: int
    owner_name: str
    due_on: date
    overdue: bool
    status: str
    done_on: date | None
    done_note: str
    version: int


class LessonOut(Schema):
    id: int
    incident_id: int
    title: str
    text: str
    audience: str
    roles: list[str]
    shared_at: datetime
    read_count: int


class InvestigationOut(Schema):
    id: int
    incident_id: int
    reference: str
    status: str
    investigator_id: int | None
    investigator_name: str
    due_on: date
    overdue: bool
    opened_because: str
    opened_reason: str
    opened_at: datetime
    findings: str
    conclusion: str
    completed_at: datetime | None
    version: int
    whys: list[WhyOut]
    factors: list[FactorOut]
    actions: list[ActionOut]
    lessons: list[LessonOut]


def why_out(w: WhyStep) -> dict:
    return {k: getattr(w, k) for k in ("id", "position", "why", "because", "version")}


def factor_out(f) -> dict:
    return {
        "id": f.pk,
        "category": f.category,
        "category_label": str(CONTRIBUTORY_FACTOR_CATEGORIES.get(f.category, f.category)),
        "detail": f.detail,
        "withdrawn": f.is_withdrawn,
        "withdrawn_reason": f.withdrawn_reason,
    }


def action_out(a: InvestigationAction) -> dict:
    return {
        **{k: getattr(a, k) for k in ACTION_FIELDS},
        "owner_name": a.owner.display_name,
        "overdue": a.is_overdue(),
    }


def lesson_out(lesson: LessonLearned) -> dict:
    return {
        **{k: getattr(lesson, k) for k in ("id", "incident_id", "title", "text", "audience", "roles", "shared_at")},
        "read_count": getattr(lesson, "read_count", None) or lesson.reads.count(),
    }


def investigation_out(inv: Investigation, response: HttpResponse | None = None) -> dict:
    if response is not None:
        response["ETag"] = etag_for(inv)
    return {
        **{k: getattr(inv, k) for k in INVESTIGATION_FIELDS},
        "reference": inv.incident.reference,
        "investigator_name": inv.investigator.display_name if inv.investigator_id else "",
        "overdue": inv.is_overdue(),
        "whys": [why_out(w) for w in inv.whys.order_by("position")],
        "factors": [factor_out(f) for f in inv.factors.order_by("category", "pk")],
        "actions": [action_out(a) for a in inv.actions.select_related("owner").order_by("status", "due_on", "pk")],
        "lessons": [lesson_out(lesson) for lesson in lessons.investigation_lessons(inv)],
    }


def _fresh(investigation_id: int, response: HttpResponse) -> dict:
    return investigation_out(_investigation(investigation_id), response)


class OpenIn(Schema):
    reason: str = Field("", max_length=300)
    due_on: date | None = None
    investigator_id: int | None = None


class InvestigationPatch(Schema):
    reason: str = Field("", max_length=1000)
    investigator_id: int | None = None
    due_on: date | None = None
    findings: str | None = Field(None, max_length=20000)
    conclusion: str | None = Field(None, max_length=20000)
    status: str | None = Field(None, description="open or in_progress (complete with /complete)")


class CompleteIn(Schema):
    findings: str | None = Field(None, max_length=20000)
    conclusion: str | None = Field(None, max_length=20000)


class WhyIn(Schema):
    why: str = Field(..., max_length=500)
    because: str = Field(..., max_length=5000)


class WhyPatch(WhyIn):
    reason: str = Field(..., min_length=1, max_length=1000)


class FactorIn(Schema):
    category: str = Field(..., description=", ".join(CONTRIBUTORY_FACTOR_CATEGORIES))
    detail: str = Field(..., max_length=5000)


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=1000)


class ActionIn(Schema):
    description: str = Field(..., max_length=2000)
    owner_id: int
    due_on: date


class DoneIn(Schema):
    note: str = Field(..., max_length=5000)
    done_on: date | None = None


class LessonIn(Schema):
    title: str = Field(..., max_length=200)
    text: str = Field(..., max_length=10000)
    audience: str = Field("all", description="all (all staff of the home) or roles")
    roles: list[str] = Field(default_factory=list)


class ReaderOut(Schema):
    user_id: int
    name: str
    read_at: datetime | None


class LessonDetailOut(LessonOut):
    has_read: bool
    read: list[ReaderOut] | None = None
    unread: list[ReaderOut] | None = None


class CategoryOut(Schema):
    key: str
    label: str


class CategoriesOut(Schema):
    source: str
    categories: list[CategoryOut]


class BarOut(Schema):
    key: str
    label: str
    count: int


class TrendsOut(Schema):
    start: date
    end: date
    home_id: int | None
    total: int
    by_type: list[BarOut]
    by_severity: list[BarOut]
    by_unit: list[BarOut]
    by_hour: list[BarOut]
    by_weekday: list[BarOut]
    by_resident: list[BarOut]
    by_home: list[BarOut]


class TrendsQuery(Schema):
    start: date | None = None
    end: date | None = None
    home_id: int | None = None


class FallerOut(Schema):
    resident_id: int
    name: str
    home_name: str
    falls: dict[int, int]
    last_fall: datetime
    rules: list[str]


class SummaryOut(Schema):
    year: int
    month: int
    start: date
    end: date
    home_id: int | None
    total: int
    severities: list[str]
    by_type_and_harm: list[dict]
    harm_totals: list[int]
    notifications: list[BarOut] | None
    investigations_opened: int
    investigations_completed: int
    investigations_open: int
    actions_done: int
    overdue_actions: int
    open_actions: list[ActionOut]
    factors: list[BarOut]
    repeat_fallers: list[FallerOut]
    lessons: list[LessonOut]


# --- investigation --------------------------------------------------------------------------------


@router.get("/{int:incident_id}/investigation", response=InvestigationOut, summary="An incident's investigation (ETag)")
@requires("incidents", "view")
def get_investigation(request, incident_id: int, response: HttpResponse):
    incident = _incident(incident_id)
    inv = inv_services.investigation_of(incident.pk)
    if inv is None:
        raise Http404(_("This incident has no investigation."))
    record_read("incidents.incident", incident.pk, home=incident.home_id, part="investigation (API)")
    return investigation_out(inv, response)


@router.post("/{int:incident_id}/investigation", response={201: InvestigationOut}, summary="Open an investigation")
@requires("incidents", "manage")
@idempotent
def post_investigation(request, incident_id: int, payload: OpenIn, response: HttpResponse):
    incident = _incident(incident_id)
    inv = inv_services.open_investigation(incident.pk, user=request.user, **payload.dict())
    return Status(201, _fresh(inv.pk, response))


@router.patch("/investigations/{int:investigation_id}", response=InvestigationOut, summary="Change it", **IF_MATCH)
@requires("incidents", "record")
def patch_investigation(request, investigation_id: int, payload: InvestigationPatch, response: HttpResponse):
    _investigation(investigation_id)
    if_match = if_match_header(request)
    values = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    reason = values.pop("reason", "")
    if ({"investigator_id", "due_on"} & set(values)) and not request.access.can("incidents", "manage"):
        raise PermissionDenied(_("Only a manager assigns the investigator or moves the due date."))
    inv_services.update_investigation(
        investigation_id, user=request.user, values=values, reason=reason, if_match=if_match
    )
    return _fresh(investigation_id, response)


@router.post(
    "/investigations/{int:investigation_id}/complete", response=InvestigationOut, summary="Complete it", **IF_MATCH
)
@requires("incidents", "manage")
def post_complete(request, investigation_id: int, payload: CompleteIn, response: HttpResponse):
    _investigation(investigation_id)
    if_match = if_match_header(request)
    inv_services.complete_investigation(investigation_id, user=request.user, if_match=if_match, **payload.dict())
    return _fresh(investigation_id, response)


@router.post("/investigations/{int:investigation_id}/whys", response={201: WhyOut}, summary="Add the next why")
@requires("incidents", "record")
@idempotent
def post_why(request, investigation_id: int, payload: WhyIn):
    _investigation(investigation_id)
    return Status(201, why_out(inv_services.add_why(investigation_id, user=request.user, **payload.dict())))


@router.patch(
    "/investigations/whys/{int:why_id}", response=WhyOut, summary="Correct a why, with the reason", **IF_MATCH
)
@requires("incidents", "record")
def patch_why(request, why_id: int, payload: WhyPatch, response: HttpResponse):
    if_match = if_match_header(request)
    try:
        step = inv_services.change_why(why_id, user=request.user, if_match=if_match, **payload.dict())
    except inv_services.NotFound:
        raise Http404(_("Not found.")) from None
    response["ETag"] = etag_for(step)
    return why_out(step)


@router.get("/investigations/factor-categories", response=CategoriesOut, summary="Contributory factor categories")
@requires("incidents", "view")
def get_categories(request):
    return {
        "source": str(CONTRIBUTORY_FACTORS_SOURCE),
        "categories": [{"key": k, "label": str(v)} for k, v in CONTRIBUTORY_FACTOR_CATEGORIES.items()],
    }


@router.post("/investigations/{int:investigation_id}/factors", response={201: FactorOut}, summary="Add a factor")
@requires("incidents", "record")
@idempotent
def post_factor(request, investigation_id: int, payload: FactorIn):
    _investigation(investigation_id)
    return Status(201, factor_out(inv_services.add_factor(investigation_id, user=request.user, **payload.dict())))


@router.post("/investigations/factors/{int:factor_id}/withdraw", response=FactorOut, summary="Withdraw a factor")
@requires("incidents", "record")
def post_withdraw(request, factor_id: int, payload: ReasonIn):
    try:
        return factor_out(inv_services.withdraw_factor(factor_id, user=request.user, reason=payload.reason))
    except inv_services.NotFound:
        raise Http404(_("Not found.")) from None


# --- actions --------------------------------------------------------------------------------------


@router.post("/investigations/{int:investigation_id}/actions", response={201: ActionOut}, summary="Add an action")
@requires("incidents", "record")
@idempotent
def post_action(request, investigation_id: int, payload: ActionIn, response: HttpResponse):
    _investigation(investigation_id)
    action = lessons.add_action(investigation_id, user=request.user, **payload.dict())
    response["ETag"] = etag_for(action)
    return Status(201, action_out(InvestigationAction.objects.select_related("owner").get(pk=action.pk)))


@router.post("/investigations/actions/{int:action_id}/done", response=ActionOut, summary="Mark it done", **IF_MATCH)
@requires("incidents", "record")
def post_action_done(request, action_id: int, payload: DoneIn, response: HttpResponse):
    if_match = if_match_header(request)
    try:
        action = lessons.complete_action(action_id, user=request.user, if_match=if_match, **payload.dict())
    except inv_services.NotFound:
        raise Http404(_("Not found.")) from None
    response["ETag"] = etag_for(action)
    return action_out(InvestigationAction.objects.select_related("owner").get(pk=action.pk))


@router.get("/investigations/actions/open", response=list[ActionOut], summary="Open actions, most overdue first")
@paginated
@requires("incidents", "view")
def list_open_actions(request):
    return [action_out(a) for a in lessons.open_actions()]


# --- lessons --------------------------------------------------------------------------------------


@router.post("/investigations/{int:investigation_id}/lessons", response={201: LessonOut}, summary="Share a lesson")
@requires("incidents", "manage")
@idempotent
def post_lesson(request, investigation_id: int, payload: LessonIn):
    _investigation(investigation_id)
    lesson = lessons.share_lesson(investigation_id, user=request.user, **payload.dict())
    return Status(201, lesson_out(lesson))


def _visible_lesson(request, lesson_id: int) -> LessonLearned:
    manager = request.access.can("incidents", "manage")
    for lesson in lessons.visible_lessons(request.access.roles, everything=manager):
        if lesson.pk == lesson_id:
            return lesson
    raise Http404(_("No such lesson."))


@router.get("/investigations/lessons", response=list[LessonOut], summary="Lessons learned shared with me")
@paginated
@requires("incidents", "view")
def list_lessons(request):
    manager = request.access.can("incidents", "manage")
    return [lesson_out(x) for x in lessons.visible_lessons(request.access.roles, everything=manager)]


@router.get("/investigations/lessons/{int:lesson_id}", response=LessonDetailOut, summary="A lesson (who has read it)")
@requires("incidents", "view")
def get_lesson(request, lesson_id: int):
    lesson = _visible_lesson(request, lesson_id)
    out = {**lesson_out(lesson), "has_read": lessons.has_read(lesson.pk, request.user)}
    if request.access.can("incidents", "manage"):
        read, unread = lessons.read_status(lesson)
        out["read"] = [r.__dict__ for r in read]
        out["unread"] = [r.__dict__ for r in unread]
    return out


@router.post("/investigations/lessons/{int:lesson_id}/read", response=LessonDetailOut, summary="I have read this")
@requires("incidents", "view")
def post_read(request, lesson_id: int):
    _visible_lesson(request, lesson_id)
    lessons.mark_read(lesson_id, user=request.user)
    return get_lesson(request, lesson_id)


# --- trends ---------------------------------------------------------------------------------------


def _home_filter(request, home_id: int | None) -> int | None:
    if home_id is None:
        return None
    if not any(h.pk == home_id for h in request.access.homes) or not request.access.all_homes:
        if request.access.active_home is not None and request.access.active_home.pk == home_id:
            return home_id
        raise Http404(_("No such home."))
    return home_id


def _bars(bars) -> list[dict]:
    return [{"key": b.key, "label": b.label, "count": b.count} for b in bars]


@router.get("/investigations/trends", response=TrendsOut, summary="Incident counts over a period")
@requires("incidents", "view")
def get_trends(request, query: Query[TrendsQuery]):
    today = timezone.localdate()
    end = query.end or today
    start = query.start or date.fromordinal(end.toordinal() - 89)
    if end < start:
        raise ValidationError({"end": [_("The end of the period is before its start.")]})
    if (end - start).days > 731:
        raise ValidationError({"end": [_("Choose a period of two years at most.")]})
    data = queries.trends(start, end, _home_filter(request, query.home_id))
    return {
        "start": data.start,
        "end": data.end,
        "home_id": data.home_id,
        "total": data.total,
        **{
            name: _bars(getattr(data, name))
            for name in ("by_type", "by_severity", "by_unit", "by_hour", "by_weekday", "by_resident", "by_home")
        },
    }


def _faller_out(f) -> dict:
    return {**f.__dict__}


@router.get("/investigations/repeat-fallers", response=list[FallerOut], summary="Residents who fall repeatedly")
@requires("incidents", "view")
def get_repeat_fallers(request, home_id: int | None = None):
    return [_faller_out(f) for f in queries.repeat_fallers(None, _home_filter(request, home_id))]


def _summary(request, year: int, month: int, home_id: int | None):
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404(_("No such month."))
    return queries.monthly_summary(year, month, _home_filter(request, home_id))


@router.get(
    "/investigations/summary/{int:year}/{int:month}", response=SummaryOut, summary="Monthly summary (quality meeting)"
)
@requires("incidents", "view")
def get_summary(request, year: int, month: int, home_id: int | None = None):
    s = _summary(request, year, month, home_id)
    return {
        **{k: getattr(s, k) for k in SUMMARY_FIELDS},
        "severities": [k for k, _label in s.severities],
        "notifications": None if s.notifications is None else _bars(s.notifications),
        "open_actions": [action_out(a) for a in s.open_actions],
        "factors": _bars(s.factors),
        "repeat_fallers": [_faller_out(f) for f in s.repeat_fallers],
        "lessons": [lesson_out(x) for x in s.lessons],
    }


@router.get("/investigations/summary/{int:year}/{int:month}/csv", summary="Monthly summary as CSV")
@requires("incidents", "view")
def get_summary_csv(request, year: int, month: int, home_id: int | None = None):
    s = _summary(request, year, month, home_id)
    response = HttpResponse(summary_csv(s), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="incident-summary-{year}-{month:02d}.csv"'
    return response
