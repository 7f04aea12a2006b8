"""API of statutory notifications (mounted under /api/v1/incidents/).

  /notifications                         GET open and past notifications (paginated; ?status=&incident_id=&resident_id=
                                         &regulator=). One about a resident, not an incident (a DoLS outcome):
                                         incident_id null, resident_id set, reference "DoLS"
  /notifications/{id}                    GET one, with its prepared content and versions (ETag)
  /notifications/{id}/prepare            POST fill the form from the incident (If-Match; Idempotency-Key)
  /notifications/{id}/submit             POST {submitted_at, reference} (If-Match; Idempotency-Key)
  /notification-returns                  GET HIQA's quarterly and six-monthly returns of the homes in scope
  /notification-returns/{id}             GET one (ETag) / PATCH the manager's figures (If-Match)
  /notification-returns/{id}/submit      POST {submitted_on, reference} (If-Match; Idempotency-Key)

Another home's notification or return: 404 before the body is read. Invalid input: 422 problem by field.
"""

from datetime import date, datetime
from typing import Annotated

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from writecarenotes.incidents import services_notifications as svc
from writecarenotes.incidents.models.notifications import PeriodicReturn, StatutoryNotification
from writecarenotes.platform.api.concurrency import etag_for, if_match_header
from writecarenotes.platform.api.idempotency import idempotent
from writecarenotes.platform.api.pagination import Filters, Mapped, exact, paginated
from writecarenotes.platform.audit.models import RecordVersion
from writecarenotes.platform.identity.permissions import requires

router = Router(tags=["incidents: notifications"])

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


def notification_or_404(notification_id: int) -> StatutoryNotification:
    n = StatutoryNotification.objects.filter(pk=notification_id).select_related("incident").first()
    if n is None:
        raise Http404(_("No such notification."))
    return n


def return_or_404(return_id: int) -> PeriodicReturn:
    r = PeriodicReturn.objects.filter(pk=return_id).first()
    if r is None:
        raise Http404(_("No such return."))
    return r


def notification_exists(pk: int) -> bool:
    return StatutoryNotification.objects.filter(pk=pk).exists()


def return_exists(pk: int) -> bool:
    return PeriodicReturn.objects.filter(pk=pk).exists()


class VersionOut(Schema):
    version: int
    at: datetime
    by: str
    reason: str
    changed: list[str]


class NotificationOut(Schema):
    id: int
    incident_id: int | None = Field(..., description="Null for a notification about a resident (a DoLS outcome)")
    incident_reference: str = Field(..., description="Empty when there is no incident")
    resident_id: int | None = Field(..., description="The resident a notification with no incident is about")
    reference: str = Field(..., description='The incident\'s reference, or what it is about ("DoLS")')
    code: str
    regulator: str
    title: str
    form: str
    source: str
    guidance: str
    deadline: str
    why: str
    due_at: datetime
    overdue: bool
    status: str
    prepared_at: datetime | None
    submitted_at: datetime | None
    regulator_reference: str
    not_required_reason: str
    no_longer_applies: bool
    version: int


class SectionOut(Schema):
    key: str
    title: str
    rows: list[list[str]]


class NotificationDetailOut(NotificationOut):
    sections: list[SectionOut]
    text: str
    versions: list[VersionOut]


def notification_out(n: StatutoryNotification) -> dict:
    return {
        **{
            f: getattr(n, f)
            for f in (
                "id",
                "incident_id",
                "resident_id",
                "reference",
                "code",
                "regulator",
                "title",
                "form",
                "source",
                "guidance",
                "why",
                "due_at",
                "status",
                "prepared_at",
                "submitted_at",
                "regulator_reference",
                "not_required_reason",
                "no_longer_applies",
                "version",
            )
        },
        "incident_reference": n.incident.reference if n.incident_id else "",
        "deadline": n.deadline_text,
        "overdue": n.is_overdue(),
    }


def _versions(content_type: str, obj) -> list[dict]:
    rows = RecordVersion.objects.filter(content_type=content_type, object_id=str(obj.pk), home_id=obj.home_id)
    return [
        {
            "version": v.version,
            "at": v.at,
            "by": v.actor_email or v.system_reason,
            "reason": v.reason,
            "changed": list(v.changed),
        }
        for v in rows.order_by("version")
    ]


def notification_detail(n: StatutoryNotification, response: HttpResponse) -> dict:
    response["ETag"] = etag_for(n)
    return {
        **notification_out(n),
        "sections": (n.content or {}).get("sections", []),
        "text": n.content_text,
        "versions": _versions("incidents.statutorynotification", n),
    }


class NotificationFilters(Filters):
    status: Annotated[str | None, exact("status")] = None
    regulator: Annotated[str | None, exact("regulator")] = None
    incident_id: Annotated[int | None, exact("incident_id")] = None
    resident_id: Annotated[int | None, exact("resident_id")] = None


class SubmitIn(Schema):
    submitted_at: datetime = Field(..., description="When it was sent to the regulator (ISO 8601)")
    reference: str = Field("", max_length=100, description="The regulator's reference, if it gave one")


@router.get("/notifications", response=list[NotificationOut], summary="Statutory notifications (homes in scope)")
@paginated
@requires("incidents", "view")
def list_notifications(request, filters: Query[NotificationFilters]):
    qs = StatutoryNotification.objects.select_related("incident").order_by("due_at", "pk")
    return Mapped(filters.filter(qs), notification_out)


@router.get("/notifications/{int:notification_id}", response=NotificationDetailOut, summary="One notification (ETag)")
@requires("incidents", "view")
def get_notification(request, notification_id: int, response: HttpResponse):
    return notification_detail(notification_or_404(notification_id), response)


@router.post(
    "/notifications/{int:notification_id}/prepare",
    response=NotificationDetailOut,
    summary="Prepare the notification: its form filled from the incident (or the resident's record)",
    **IF_MATCH,
)
@requires("incidents", "manage")
@idempotent
def prepare_notification(request, notification_id: int, response: HttpResponse):
    notification_or_404(notification_id)
    n = svc.prepare(notification_id, request.user, if_match=if_match_header(request))
    return notification_detail(notification_or_404(n.pk), response)


@router.post(
    "/notifications/{int:notification_id}/submit",
    response=NotificationDetailOut,
    summary="Mark the notification as submitted to the regulator",
    **IF_MATCH,
)
@requires("incidents", "manage")
@idempotent
def submit_notification(request, notification_id: int, payload: SubmitIn, response: HttpResponse):
    notification_or_404(notification_id)
    n = svc.mark_submitted(
        notification_id, request.user, payload.submitted_at, payload.reference, if_match=if_match_header(request)
    )
    return notification_detail(notification_or_404(n.pk), response)


# --- HIQA periodic returns ---------------------------------------------------------------------------


class ReturnOut(Schema):
    id: int
    home_id: int
    kind: str
    form: str
    source: str
    period_start: date
    period_end: date
    due_on: date
    overdue: bool
    counts: dict
    restraint_occasions: int | None
    restraint_details: str
    fire_alarm_activations: int | None
    theft_pattern: str
    manager_notes: str
    status: str
    submitted_on: date | None
    regulator_reference: str
    version: int


class ReturnIn(Schema):
    restraint_occasions: int | None = Field(None, ge=0, le=100000)
    restraint_details: str | None = Field(None, max_length=5000)
    fire_alarm_activations: int | None = Field(None, ge=0, le=100000)
    theft_pattern: str | None = Field(None, max_length=5000)
    manager_notes: str | None = Field(None, max_length=5000)


class ReturnSubmitIn(Schema):
    submitted_on: date
    reference: str = Field("", max_length=100)


def return_out(r: PeriodicReturn, response: HttpResponse | None = None) -> dict:
    if response is not None:
        response["ETag"] = etag_for(r)
    fields = [f for f in ReturnOut.model_fields if f != "overdue"]
    return {**{f: getattr(r, f) for f in fields}, "overdue": r.is_overdue()}


@router.get("/notification-returns", response=list[ReturnOut], summary="HIQA quarterly and six-monthly returns")
@paginated
@requires("incidents", "view")
def list_returns(request):
    return Mapped(PeriodicReturn.objects.order_by("-period_start", "kind", "pk"), return_out)


@router.get("/notification-returns/{int:return_id}", response=ReturnOut, summary="One return (ETag)")
@requires("incidents", "view")
def get_return(request, return_id: int, response: HttpResponse):
    return return_out(return_or_404(return_id), response)


@router.patch(
    "/notification-returns/{int:return_id}", response=ReturnOut, summary="Enter the manager's figures", **IF_MATCH
)
@requires("incidents", "manage")
def patch_return(request, return_id: int, payload: ReturnIn, response: HttpResponse):
    return_or_404(return_id)
    values = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    r = svc.update_return(return_id, request.user, values, if_match=if_match_header(request))
    return return_out(r, response)


@router.post(
    "/notification-returns/{int:return_id}/submit",
    response={200: ReturnOut},
    summary="Mark the return as submitted to HIQA",
    **IF_MATCH,
)
@requires("incidents", "manage")
@idempotent
def submit_return(request, return_id: int, payload: ReturnSubmitIn, response: HttpResponse):
    return_or_404(return_id)
    r = svc.submit_return(
        return_id, request.user, payload.submitted_on, payload.reference, if_match=if_match_header(request)
    )
    return Status(200, return_out(r, response))
