"""API of reporting (mounted under /api/v1/incidents/).

  /                                   GET the incidents (paginated; ?status=&kind=&unit_id=&resident_id=
                                      &needs_details=&occurred_from=&occurred_to=) / POST report one, with
                                      its people and injuries inline (Idempotency-Key honoured)
  /{incident_id}                      GET with people, injuries, photos, open steps and versions (ETag) /
                                      PATCH correct the facts (If-Match, reason; managers and nurses)
  /{incident_id}/people               POST add a person (a witness with a statement ...)
  /{incident_id}/injuries             POST add an injury on the body map
  /{incident_id}/photos               POST a photo (multipart: ``photo``, ``caption``)
  /{incident_id}/close                POST {summary} (If-Match; incidents: manage): 409 with the open steps

Another home's incident: 404 before the body is read (``wiring_report.API_PATH_OBJECTS``). Invalid
input: 422 problem with one error per field.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from writecarenotes.care_records.public import BODY_LOCATIONS
from writecarenotes.incidents import obligations
from writecarenotes.incidents.api_report_schemas import (
    CloseIn,
    CorrectionIn,
    IncidentDetailOut,
    IncidentFilters,
    IncidentIn,
    IncidentOut,
    InjuryAddIn,
    InjuryOut,
    PersonIn,
    PersonOut,
    PhotoOut,
)
from writecarenotes.incidents.models import Incident, IncidentPhoto, PersonKind, PersonRole
from writecarenotes.incidents.services_report import (
    IncidentNotFound,
    add_injury,
    add_person,
    add_photo,
    change_incident,
    close_incident,
    report_incident,
)
from writecarenotes.incidents.views_report import can_correct, read
from writecarenotes.platform.api.concurrency import etag_for, if_match_header
from writecarenotes.platform.api.idempotency import idempotent
from writecarenotes.platform.api.pagination import Mapped, paginated
from writecarenotes.platform.audit.models import RecordVersion
from writecarenotes.platform.audit.services import record_denied
from writecarenotes.platform.identity.permissions import requires

router = Router(tags=["incidents: reporting"])

IF_MATCH = {
    "openapi_extra": {
        "parameters": [
            {
                "in": "header",
                "name": "If-Match",
                "required": True,
                "description": "The ETag of the incident as you last read it. Missing: 428. Stale: 412.",
                "schema": {"type": "string"},
            }
        ]
    }
}
_FIELDS = (
    "id",
    "home_id",
    "reference",
    "kind",
    "title",
    "other_kind",
    "pressure_ulcer_category",
    "occurred_at",
    "unit_id",
    "location",
    "what_happened",
    "immediate_actions",
    "severity",
    "witnessed",
    "head_struck",
    "serious_injury_tests",
    "treatment_to_prevent_serious_injury",
    "medical_attention",
    "abuse_alleged",
    "police_involved",
    "disruption_hours",
    "unexpected_or_unintended",
    "source",
    "source_ref",
    "needs_details",
    "reported_at",
    "reported_by_id",
    "status",
    "closed_at",
    "closed_by_id",
    "closing_summary",
    "version",
    "updated_at",
)


def incident_or_404(incident_id: int) -> Incident:
    incident = Incident.objects.filter(pk=incident_id).prefetch_related("people").first()
    if incident is None:
        raise Http404(_("No such incident."))
    return incident


def _residents(incident: Incident) -> list[int]:
    return [
        p.resident_id
        for p in incident.people.all()
        if p.role == PersonRole.AFFECTED and p.kind == PersonKind.RESIDENT and p.resident_id
    ]


def incident_out(i: Incident) -> dict:
    return {**{f: getattr(i, f) for f in _FIELDS}, "resident_ids": _residents(i)}


_PERSON_FIELDS = ("id", "role", "kind", "resident_id", "user_id", "name", "contact", "statement", "added_at")


def _person_out(p) -> dict:
    return {f: getattr(p, f) for f in _PERSON_FIELDS}


def _injury_out(i) -> dict:
    return {
        "id": i.pk,
        "person_id": i.person_id,
        "body_location": i.body_location,
        "body_location_label": str(dict(BODY_LOCATIONS).get(i.body_location, i.body_location)),
        "kind": i.kind,
        "description": i.description,
        "recorded_at": i.recorded_at,
    }


def _photo_out(p: IncidentPhoto) -> dict:
    return {
        "id": p.pk,
        "caption": p.caption,
        "content_type": p.content_type,
        "uploaded_at": p.uploaded_at,
        "url": reverse("incidents:photo", args=[p.incident_id, p.pk]),
    }


def incident_detail(incident_id: int, response: HttpResponse) -> dict:
    i = Incident.objects.prefetch_related("people").get(pk=incident_id)
    response["ETag"] = etag_for(i)
    versions = RecordVersion.objects.filter(
        content_type="incidents.incident", object_id=str(i.pk), home_id=i.home_id
    ).order_by("version")
    return {
        **incident_out(i),
        "people": [_person_out(p) for p in i.people.all()],
        "injuries": [_injury_out(x) for x in i.injuries.order_by("pk")],
        "photos": [_photo_out(p) for p in i.photos.order_by("pk")],
        "open_steps": [
            {"kind": s.kind, "title": str(s.title), "due_at": s.due_at, "url": s.url}
            for s in (obligations.open_steps(i) if i.is_open else [])
        ],
        "versions": [
            {
                "version": v.version,
                "at": v.at,
                "by": v.actor_email or v.system_reason,
                "reason": v.reason,
                "changed": list(v.changed),
            }
            for v in versions
        ],
    }


def _not_found(run):
    try:
        return run()
    except IncidentNotFound:
        raise Http404(_("No such incident.")) from None


# --- operations ---------------------------------------------------------------------------------


@router.get("/", response=list[IncidentOut], summary="Incidents of the homes in scope, newest first")
@paginated
@requires("incidents", "view")
def list_incidents(request, filters: Query[IncidentFilters]):
    qs = filters.filter(Incident.objects.all()).distinct().prefetch_related("people")
    return Mapped(qs.order_by("-occurred_at", "-pk"), incident_out)


@router.post("/", response={201: IncidentDetailOut}, summary="Report an incident with its people and injuries")
@requires("incidents", "record")
@idempotent
def create_incident(request, payload: IncidentIn, response: HttpResponse):
    data = payload.dict()
    people, injuries, home_id = data.pop("people"), data.pop("injuries"), data.pop("home_id")
    incident = report_incident(user=request.user, values=data, people=people, injuries=injuries, home_id=home_id)
    response["Location"] = f"/api/v1/incidents/{incident.pk}"
    return Status(201, incident_detail(incident.pk, response))


@router.get(
    "/{int:incident_id}", response=IncidentDetailOut, summary="One incident, everything about it (and its ETag)"
)
@requires("incidents", "view")
def get_incident(request, incident_id: int, response: HttpResponse):
    incident = incident_or_404(incident_id)
    read(incident, "incident (API)")
    return incident_detail(incident.pk, response)


@router.patch(
    "/{int:incident_id}",
    response=IncidentDetailOut,
    summary="Correct the facts: a new version with a reason",
    **IF_MATCH,
)
@requires("incidents", "record")
def patch_incident(request, incident_id: int, payload: CorrectionIn, response: HttpResponse):
    incident = incident_or_404(incident_id)
    if not can_correct(request.access):
        record_denied("incidents:correct", home=incident.home_id, detail={"path": request.path})
        raise PermissionDenied
    if_match = if_match_header(request)
    values = payload.dict(exclude_unset=True)
    reason = values.pop("reason")
    nullable = {"unit_id", "witnessed", "head_struck", "disruption_hours"}
    values = {k: v for k, v in values.items() if v is not None or k in nullable}
    _not_found(lambda: change_incident(incident.pk, user=request.user, reason=reason, values=values, if_match=if_match))
    return incident_detail(incident.pk, response)


@router.post("/{int:incident_id}/people", response={201: PersonOut}, summary="Add a person (a witness, a statement)")
@requires("incidents", "record")
@idempotent
def post_person(request, incident_id: int, payload: PersonIn):
    row = _not_found(lambda: add_person(incident_id, user=request.user, person=payload.dict()))
    return Status(201, _person_out(row))


@router.post("/{int:incident_id}/injuries", response={201: InjuryOut}, summary="Add an injury on the body map")
@requires("incidents", "record")
@idempotent
def post_injury(request, incident_id: int, payload: InjuryAddIn):
    row = _not_found(lambda: add_injury(incident_id, user=request.user, injury=payload.dict()))
    return Status(201, _injury_out(row))


@router.post("/{int:incident_id}/photos", response={201: PhotoOut}, summary="Add a photo (multipart: photo, caption)")
@requires("incidents", "record")
@idempotent
def post_photo(request, incident_id: int, photo: File[UploadedFile], caption: Form[str] = ""):
    row = _not_found(lambda: add_photo(incident_id, user=request.user, upload=photo, caption=caption))
    return Status(201, _photo_out(row))


@router.post(
    "/{int:incident_id}/close",
    response=IncidentDetailOut,
    summary="Close (409 while steps are open)",
    **IF_MATCH,
)
@requires("incidents", "manage")
@idempotent
def post_close(request, incident_id: int, payload: CloseIn, response: HttpResponse):
    if_match = if_match_header(request)
    _not_found(lambda: close_incident(incident_id, user=request.user, summary=payload.summary, if_match=if_match))
    return incident_detail(incident_id, response)
