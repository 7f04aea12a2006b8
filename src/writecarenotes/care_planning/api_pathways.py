"""Specialist pathways API (services 29-32), under /api/v1/care_planning/.

  /pathway-templates                                          GET the four pathways as care plan templates
  /pathways/equipment-maintenance                             GET equipment due or overdue for service (home)
  /residents/{id}/pathways                                    GET open pathways and documents
  /residents/{id}/pathways/enrolments/{pathway}/start|end     POST
  /residents/{id}/pathways/documents[/{kind}[/versions]]      GET; PUT {values, review_on, reason} (If-Match)
  /residents/{id}/pathways/{symptoms|mood|sessions|measurements}[/{entry_id}[/correct]]
                                                              GET (paginated) / POST / GET with history / POST correct
  /residents/{id}/pathways/{medicines|advance-decisions|contacts|goals|equipment}[/{item_id}]
                                                              GET (paginated) / POST / GET (ETag) / PUT (If-Match)
  .../medicines/{id}/stop, .../contacts/{id}/end, .../goals/{id}/close, .../goals/{id}/measurements,
  .../equipment/{id}/service, .../equipment/{id}/return        POST

Another home's resident is a 404 problem before the body is read; bad input is a 422 problem by field.
POSTs honour Idempotency-Key; changes of records need If-Match (428 without, 412 when stale).
"""

from datetime import date
from typing import Annotated

import pydantic
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from writecarenotes.care_planning import api_pathways_schemas as s
from writecarenotes.care_planning import pathways_queries as q
from writecarenotes.care_planning import services_pathways as base
from writecarenotes.care_planning import services_pathways_mental as mental
from writecarenotes.care_planning import services_pathways_palliative as palliative
from writecarenotes.care_planning import services_pathways_rehab as rehab
from writecarenotes.care_planning.api_pathways_common import (
    LIMIT,
    R,
    _created,
    _now,
    _read,
    _ref,
    _row,
    object_first,
)
from writecarenotes.care_planning.api_pathways_registers import registers_router
from writecarenotes.care_planning.models.pathways import (
    ENTRY_MODELS,
    Pathway,
    PathwayDocument,
)
from writecarenotes.care_planning.pathways_documents import spec_for
from writecarenotes.care_planning.pathways_templates import pathway_templates
from writecarenotes.platform.api.concurrency import etag_for, if_match_header
from writecarenotes.platform.api.idempotency import idempotent
from writecarenotes.platform.api.pagination import Filters, date_from, date_to, paginated
from writecarenotes.platform.identity.permissions import requires

pathways_router = Router(tags=["specialist pathways"])
pathways_router.add_router("", registers_router)


# --- templates, overview, enrolments -------------------------------------------------------------


@pathways_router.get(
    "/pathway-templates", response=list[s.PathwayTemplateOut], summary="The pathways as care plan templates"
)
@requires("care_planning", "view")
def list_templates(request):
    return [t.as_dict() for t in pathway_templates()]


@pathways_router.get(
    "/pathways/equipment-maintenance",
    response=list[s.PathwayMaintenanceOut],
    summary="Therapy equipment of the home due for service within 14 days, or overdue",
)
@paginated
@requires("care_planning", "view")
def equipment_maintenance(request):
    return [
        {"equipment": i.equipment, "due_on": i.due_on, "overdue": i.overdue, "days": i.days}
        for i in rehab.maintenance_due()
    ]


def _document_out(spec, doc: PathwayDocument | None) -> dict:
    return {
        "kind": spec.kind,
        "pathway": spec.pathway,
        "title": str(spec.title),
        "source": str(spec.source),
        "id": doc.pk if doc else None,
        "version": doc.version if doc else None,
        "values": doc.data if doc else None,
        "review_on": doc.review_on if doc else None,
        "updated_at": doc.updated_at if doc else None,
        "updated_by_id": doc.updated_by_id if doc else None,
    }


@pathways_router.get(R, response=s.PathwayOverviewOut, summary="A resident's open pathways and pathway documents")
@requires("care_planning", "view")
def overview(request, resident_id: int):
    ref = _ref(resident_id)
    _read(ref, "specialist pathways")
    docs = q.documents(ref.id)
    return {
        "resident_id": ref.id,
        "enrolments": list(q.enrolments(ref.id).values()),
        "documents": [_document_out(d["spec"], d["doc"]) for d in docs],
    }


def _pathway(pathway: str) -> str:
    if pathway not in Pathway.values:
        raise Http404(_("No such pathway."))
    return pathway


@pathways_router.post(
    R + "/enrolments/{pathway}/start", response={201: s.PathwayEnrolmentOut}, summary="Start a pathway"
)
@object_first
@requires("care_planning", "manage")
@idempotent
def start(request, resident_id: int, pathway: str, payload: s.PathwayStartIn):
    ref = _ref(resident_id)
    return Status(
        201,
        base.start_pathway(
            resident_id=ref.id, pathway=_pathway(pathway), user=request.user, started_on=payload.started_on
        ),
    )


@pathways_router.post(R + "/enrolments/{pathway}/end", response=s.PathwayEnrolmentOut, summary="End a pathway (reason)")
@object_first
@requires("care_planning", "manage")
@idempotent
def end(request, resident_id: int, pathway: str, payload: s.PathwayEndIn):
    ref = _ref(resident_id)
    enrolment = q.enrolments(ref.id).get(_pathway(pathway))
    if enrolment is None:
        raise Http404(_("The resident is not on this pathway."))
    return base.end_pathway(enrolment, reason=payload.reason, ended_on=payload.ended_on)


# --- documents -----------------------------------------------------------------------------------


def _spec(kind: str):
    spec = spec_for(kind)
    if spec is None:
        raise Http404(_("No such document."))
    return spec


def _document_detail(spec, doc) -> dict:
    fields = [
        {
            "key": f.key,
            "label": str(f.label),
            "kind": f.kind,
            "required": f.required,
            "choices": [[k, str(v)] for k, v in f.choices],
            "section": str(f.section),
        }
        for f in spec.fields
    ]
    return {**_document_out(spec, doc), "fields": fields}


@pathways_router.get(
    R + "/documents", response=list[s.PathwayDocumentOut], summary="Every pathway document of a resident"
)
@requires("care_planning", "view")
def list_documents(request, resident_id: int, pathway: str | None = None):
    ref = _ref(resident_id)
    _read(ref, "pathway documents")
    if pathway is not None and pathway not in Pathway.values:
        return []
    return [_document_out(d["spec"], d["doc"]) for d in q.documents(ref.id, pathway)]


@pathways_router.get(
    R + "/documents/{kind}", response=s.PathwayDocumentDetailOut, summary="One document, its fields, ETag"
)
@requires("care_planning", "view")
def get_document(request, resident_id: int, kind: str, response: HttpResponse):
    ref = _ref(resident_id)
    spec = _spec(kind)
    _read(ref, f"pathway document {spec.kind}")
    doc = PathwayDocument.objects.filter(resident_id=ref.id, kind=spec.kind).first()
    if doc is not None:
        response["ETag"] = etag_for(doc)
    return _document_detail(spec, doc)


@pathways_router.put(
    R + "/documents/{kind}",
    response=s.PathwayDocumentDetailOut,
    summary="Write a document: the first version, or a new one (reason and If-Match needed)",
)
@object_first
@requires("care_planning", "record")
def put_document(request, resident_id: int, kind: str, payload: s.PathwayDocumentIn, response: HttpResponse):
    ref = _ref(resident_id)
    spec = _spec(kind)
    exists = PathwayDocument.objects.filter(resident_id=ref.id, kind=spec.kind).exists()
    if_match = if_match_header(request, required=exists)
    doc = base.save_document(
        resident_id=ref.id,
        kind=spec.kind,
        values=payload.values,
        user=request.user,
        reason=payload.reason,
        review_on=payload.review_on,
        if_match=if_match,
    )
    response["ETag"] = etag_for(doc)
    return _document_detail(spec, doc)


@pathways_router.get(
    R + "/documents/{kind}/versions",
    response=list[s.PathwayDocumentVersionOut],
    summary="A document's versions, newest first",
)
@paginated
@requires("care_planning", "view")
def document_versions(request, resident_id: int, kind: str):
    ref = _ref(resident_id)
    spec = _spec(kind)
    doc = PathwayDocument.objects.filter(resident_id=ref.id, kind=spec.kind).first()
    if doc is None:
        raise Http404(_("Not written yet."))
    _read(ref, f"pathway document {spec.kind} versions")
    return [
        {
            "version": v.version,
            "at": v.at,
            "by": v.by,
            "reason": v.reason,
            "changes": [{"label": str(c.label), "before": c.before, "after": c.after} for c in v.changes],
        }
        for v in base.document_history(doc)
    ]


# --- entries -------------------------------------------------------------------------------------


class PathwayEntryFilters(Filters):
    occurred_from: Annotated[date | None, date_from("occurred_at__date")] = None
    occurred_to: Annotated[date | None, date_to("occurred_at__date")] = None


def _entry_operations(kind: str) -> None:
    model = ENTRY_MODELS[kind]
    op = kind.replace("-", "_")

    @pathways_router.get(R + f"/{kind}", response=list[s.PathwayEntryOut], summary=f"A resident's {kind}, newest first")
    @paginated
    @requires("care_planning", "view")
    def list_entries(request, resident_id: int, filters: Query[PathwayEntryFilters], include_struck: bool = False):
        ref = _ref(resident_id)
        _read(ref, f"pathway {kind}")
        qs = model.objects.filter(resident_id=ref.id)
        if not include_struck:
            qs = qs.filter(struck_at__isnull=True)
        qs = filters.filter(qs).order_by("-occurred_at", "-pk")
        return [s.entry_out(kind, e) for e in qs[:LIMIT]]

    @pathways_router.get(
        R + f"/{kind}/{{entry_id}}", response=s.PathwayEntryWithHistory, summary=f"One of {kind}, history"
    )
    @requires("care_planning", "view")
    def get_entry(request, resident_id: int, entry_id: int):
        ref = _ref(resident_id)
        entry = _row(model, ref, entry_id)
        _read(ref, f"pathway {kind} {entry.pk}")
        return {**s.entry_out(kind, entry), "history": [s.entry_out(kind, e) for e in base.history_of(entry)]}

    @pathways_router.post(
        R + f"/{kind}/{{entry_id}}/correct",
        response={201: s.PathwayEntryOut},
        summary=f"Correct one of {kind}: struck through and replaced (reason)",
    )
    @object_first
    @requires("care_planning", "record")
    @idempotent
    def correct_entry(request, resident_id: int, entry_id: int, payload: s.PathwayCorrectionIn, response: HttpResponse):
        ref = _ref(resident_id)
        entry = _row(model, ref, entry_id)
        if entry.is_struck:
            raise ValidationError(_("This entry has already been corrected."))
        values = _correction_values(kind, entry, ref, payload.values)
        replacement = base.correct_entry(
            entry, reason=payload.reason, new_values=values, user=request.user, occurred_at=payload.occurred_at
        )
        return _created(response, ref, kind, replacement)

    for f in (list_entries, get_entry, correct_entry):
        f.__name__ = f"{f.__name__}_{op}"


def _correction_values(kind: str, entry, ref, values: dict) -> dict:
    try:
        change = s.CORRECTIONS[kind].model_validate(values)
    except pydantic.ValidationError as exc:
        errors = {}
        for err in exc.errors():
            key = "values." + ".".join(str(p) for p in err.get("loc", ()))
            errors.setdefault(key.rstrip("."), []).append(err.get("msg", "invalid"))
        raise ValidationError(errors) from None
    unknown = set(values) - set(type(change).model_fields)
    if unknown:
        raise ValidationError({"values": [_("Unknown fields: %(n)s.") % {"n": ", ".join(sorted(map(str, unknown)))}]})
    data = change.model_dump(exclude_unset=True)
    if kind == "symptoms" and "scores" in data:
        data.update(palliative.clean_scores({**entry.scores(), **(data.pop("scores") or {})}))
    if kind == "mood" and "observations" in data:
        data["observations"] = mental.clean_observations(data["observations"])
    if kind == "measurements" and data.get("value") is not None:
        data["value"] = rehab.check_value(entry.goal.measure, data["value"], "values.value")
    if any(v is None for k, v in data.items() if k not in s.entry_values(kind, entry).get("scores", {})):
        raise ValidationError({"values": [_("A value cannot be emptied in a correction.")]})
    return data


for _kind in ENTRY_MODELS:
    _entry_operations(_kind)


@pathways_router.post(
    R + "/symptoms", response={201: s.PathwayEntryOut}, summary="Record a symptom observation (IPOS levels)"
)
@object_first
@requires("care_planning", "record")
@idempotent
def record_symptoms(request, resident_id: int, payload: s.PathwaySymptomsIn, response: HttpResponse):
    ref = _ref(resident_id)
    obs = palliative.record_symptoms(
        resident_id=ref.id,
        user=request.user,
        occurred_at=_now(payload.occurred_at),
        scores=payload.scores,
        rated_by=payload.rated_by,
        actions=payload.actions,
        notes=payload.notes,
    )
    return _created(response, ref, "symptoms", obs)


@pathways_router.post(R + "/mood", response={201: s.PathwayEntryOut}, summary="Record a mood and behaviour entry")
@object_first
@requires("care_planning", "record")
@idempotent
def record_mood(request, resident_id: int, payload: s.PathwayMoodIn, response: HttpResponse):
    ref = _ref(resident_id)
    data = payload.dict()
    entry = mental.record_mood(
        resident_id=ref.id, user=request.user, **{**data, "occurred_at": _now(data["occurred_at"])}
    )
    return _created(response, ref, "mood", entry)


@pathways_router.post(R + "/sessions", response={201: s.PathwayEntryOut}, summary="Record a therapy session")
@object_first
@requires("care_planning", "record")
@idempotent
def record_session(request, resident_id: int, payload: s.PathwaySessionIn, response: HttpResponse):
    ref = _ref(resident_id)
    data = payload.dict()
    session = rehab.record_session(
        resident_id=ref.id, user=request.user, **{**data, "occurred_at": _now(data["occurred_at"])}
    )
    return _created(response, ref, "sessions", session)
