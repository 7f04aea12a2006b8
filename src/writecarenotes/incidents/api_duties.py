"""API of the duties (mounted under /api/v1/incidents/).

  /{incident_id}/duties                  GET the candour decision, every step, the safeguarding record, who was told
  /{incident_id}/candour                 GET the duty of candour decision for the incident's facts and nation
  /{incident_id}/safeguarding            GET the safeguarding record (404 when abuse is not alleged)
  /{incident_id}/informed                GET who was told / POST a relative, representative or GP told (201)
  /duty-steps/{int:duty_step_id}/done        POST record a candour or safeguarding step done (its details)
  /duty-steps/{int:duty_step_id}/decline     POST {reason}: a candour or informing step that cannot be done (manage)

Another home's incident or step: 404 before the body is read (``wiring_duties.API_PATH_OBJECTS``). A step
without its details, already recorded, or a safeguarding step declined: 422 problem with the reasons.
"""

from datetime import date, datetime

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from writecarenotes.incidents.models import DutyStep, Incident, InformedEntry, SafeguardingRecord
from writecarenotes.incidents.services_duties import (
    StepNotFound,
    candour_decision,
    decline_step,
    record_informed,
    record_step,
    steps_of,
)
from writecarenotes.platform.api.idempotency import idempotent
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires

router = Router(tags=["incidents: duties"])


def incident_or_404(incident_id: int) -> Incident:
    incident = Incident.objects.select_related("home").filter(pk=incident_id).first()
    if incident is None:
        raise Http404(_("No such incident."))
    return incident


def step_or_404(step_id: int) -> DutyStep:
    step = DutyStep.objects.select_related("done_by").filter(pk=step_id).first()
    if step is None:
        raise Http404(_("No such step."))
    return step


def _read(incident: Incident, part: str) -> None:
    record_read("incidents.incident", incident.pk, home=incident.home_id, part=part, label=incident.reference)


# --- schemas ------------------------------------------------------------------------------------


class CandourStepOut(Schema):
    key: str
    title: str
    detail: str
    source: str
    due_basis: str
    needs_sent_on: bool


class CandourOut(Schema):
    nation: str
    applies: bool
    statutory: bool
    law: str
    reasons: list[str]
    steps: list[CandourStepOut]
    unverified: list[str]


class StepOut(Schema):
    id: int
    incident_id: int
    kind: str
    key: str
    title: str
    detail: str
    source: str
    statutory: bool
    due_at: datetime | None
    due_basis: str
    overdue: bool
    status: str
    done_at: datetime | None
    done_by: str
    notes: str
    addressed_to: str
    addressed_as: str
    sent_on: date | None
    status_reason: str


class SafeguardingOut(Schema):
    id: int
    incident_id: int
    nation: str
    law: str
    concern: str
    immediate_protection: str
    protection_at: datetime | None
    referred_at: datetime | None
    authority_name: str
    referral_reference: str
    outcome: str
    outcome_at: datetime | None
    version: int


class InformedOut(Schema):
    id: int
    incident_id: int
    party: str
    name: str
    relationship: str
    informed_at: datetime
    method: str
    what_said: str
    informed_by: str


class DutiesOut(Schema):
    incident_id: int
    reference: str
    candour: CandourOut
    steps: list[StepOut]
    safeguarding: SafeguardingOut | None
    informed: list[InformedOut]


class StepDoneIn(Schema):
    done_at: datetime | None = Field(None, description="When it was done (default: now); for a referral, when referred")
    notes: str | None = Field(None, max_length=5000, description="Candour: what was said or done")
    addressed_to: str | None = Field(None, max_length=200, description="Candour: the name of who was told")
    addressed_as: str | None = Field(None, description="self, lacks_capacity, died, nominated")
    sent_on: date | None = Field(None, description="The written follow-up: the date it was sent")
    immediate_protection: str | None = Field(None, max_length=5000, description="Safeguarding 'protection'")
    authority_name: str | None = Field(None, max_length=200, description="Safeguarding 'referral'")
    referral_reference: str | None = Field(None, max_length=100, description="Safeguarding 'referral'")
    outcome: str | None = Field(None, max_length=5000, description="Safeguarding 'outcome'")


class DeclineIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


class InformedIn(Schema):
    party: str = Field(..., description="relative, representative, gp, other")
    name: str = Field(..., max_length=200)
    relationship: str = Field(..., max_length=200, description="The relationship, or the GP practice")
    informed_at: datetime
    method: str = Field(..., description="in_person, phone, video, letter, email")
    what_said: str = Field(..., max_length=5000)


# --- mapping ------------------------------------------------------------------------------------


def candour_out(decision) -> dict:
    return {
        "nation": decision.nation,
        "applies": decision.applies,
        "statutory": decision.statutory,
        "law": decision.law,
        "reasons": list(decision.reasons),
        "steps": [
            {
                "key": s.key,
                "title": s.title,
                "detail": s.detail,
                "source": s.source,
                "due_basis": s.due_basis,
                "needs_sent_on": s.needs_sent_on,
            }
            for s in decision.steps
        ],
        "unverified": list(decision.unverified),
    }


def step_out(s: DutyStep) -> dict:
    return {
        **{
            f: getattr(s, f)
            for f in (
                "id",
                "incident_id",
                "kind",
                "key",
                "title",
                "detail",
                "source",
                "statutory",
                "due_at",
                "due_basis",
                "status",
                "done_at",
                "notes",
                "addressed_to",
                "addressed_as",
                "sent_on",
                "status_reason",
            )
        },
        "overdue": s.is_overdue(),
        "done_by": s.done_by.display_name if s.done_by_id else "",
    }


def safeguarding_out(r: SafeguardingRecord) -> dict:
    return {
        **{
            f: getattr(r, f)
            for f in (
                "id",
                "incident_id",
                "nation",
                "concern",
                "immediate_protection",
                "protection_at",
                "referred_at",
                "authority_name",
                "referral_reference",
                "outcome",
                "outcome_at",
                "version",
            )
        },
        "law": r.law.law if r.law else "",
    }


def informed_out(e: InformedEntry) -> dict:
    return {
        **{
            f: getattr(e, f)
            for f in ("id", "incident_id", "party", "name", "relationship", "informed_at", "method", "what_said")
        },
        "informed_by": e.informed_by.display_name,
    }


def _informed(incident: Incident) -> list[dict]:
    return [informed_out(e) for e in InformedEntry.objects.filter(incident=incident).select_related("informed_by")]


# --- operations ---------------------------------------------------------------------------------


@router.get("/{int:incident_id}/duties", response=DutiesOut, summary="Candour, safeguarding and informing steps")
@requires("incidents", "view")
def get_duties(request, incident_id: int):
    incident = incident_or_404(incident_id)
    _read(incident, "duties (API)")
    record = SafeguardingRecord.objects.filter(incident=incident).first()
    return {
        "incident_id": incident.pk,
        "reference": incident.reference,
        "candour": candour_out(candour_decision(incident)),
        "steps": [step_out(s) for s in steps_of(incident.pk)],
        "safeguarding": safeguarding_out(record) if record else None,
        "informed": _informed(incident),
    }


@router.get("/{int:incident_id}/candour", response=CandourOut, summary="The duty of candour decision (per nation)")
@requires("incidents", "view")
def get_candour(request, incident_id: int):
    incident = incident_or_404(incident_id)
    return candour_out(candour_decision(incident))


@router.get("/{int:incident_id}/safeguarding", response=SafeguardingOut, summary="The safeguarding record")
@requires("incidents", "view")
def get_safeguarding(request, incident_id: int):
    incident = incident_or_404(incident_id)
    record = SafeguardingRecord.objects.filter(incident=incident).first()
    if record is None:
        raise Http404(_("No safeguarding record: abuse is not alleged in this incident."))
    _read(incident, "safeguarding (API)")
    return safeguarding_out(record)


@router.get("/{int:incident_id}/informed", response=list[InformedOut], summary="Relatives, representatives, GP told")
@requires("incidents", "view")
def list_informed(request, incident_id: int):
    incident = incident_or_404(incident_id)
    _read(incident, "informed (API)")
    return _informed(incident)


@router.post("/{int:incident_id}/informed", response={201: InformedOut}, summary="Record a relative or the GP told")
@requires("incidents", "record")
@idempotent
def post_informed(request, incident_id: int, payload: InformedIn, response: HttpResponse):
    incident = incident_or_404(incident_id)
    try:
        entry = record_informed(incident.pk, user=request.user, values=payload.dict())
    except StepNotFound:
        raise Http404(_("No such incident.")) from None
    return Status(201, informed_out(InformedEntry.objects.select_related("informed_by").get(pk=entry.pk)))


@router.post("/duty-steps/{int:duty_step_id}/done", response=StepOut, summary="Record a candour or safeguarding step")
@requires("incidents", "record")
@idempotent
def post_step_done(request, duty_step_id: int, payload: StepDoneIn):
    step_or_404(duty_step_id)
    try:
        step = record_step(duty_step_id, user=request.user, values=payload.dict(exclude_none=True))
    except StepNotFound:
        raise Http404(_("No such step.")) from None
    return step_out(step_or_404(step.pk))


@router.post("/duty-steps/{int:duty_step_id}/decline", response=StepOut, summary="Close a step that cannot be done")
@requires("incidents", "manage")
@idempotent
def post_step_decline(request, duty_step_id: int, payload: DeclineIn):
    step_or_404(duty_step_id)
    try:
        step = decline_step(duty_step_id, user=request.user, reason=payload.reason)
    except StepNotFound:
        raise Http404(_("No such step.")) from None
    return step_out(step_or_404(step.pk))


def duty_step_exists(pk: int) -> bool:
    return DutyStep.objects.filter(pk=pk).exists()
