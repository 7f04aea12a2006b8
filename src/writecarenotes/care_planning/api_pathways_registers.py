"""Registers of the pathways API: anticipatory medicines, advance decisions, mental health team
contacts, therapy goals (with measurements) and equipment. Lists are paginated; one row is read with
its ETag; changes need If-Match (428 without, 412 when stale); POSTs honour Idempotency-Key."""

from django.http import HttpResponse
from ninja import Router
from ninja.responses import Status

from writecarenotes.care_planning import api_pathways_schemas as s
from writecarenotes.care_planning import pathways_queries as q
from writecarenotes.care_planning import services_pathways_mental as mental
from writecarenotes.care_planning import services_pathways_palliative as palliative
from writecarenotes.care_planning import services_pathways_rehab as rehab
from writecarenotes.care_planning.api_pathways_common import (
    LIMIT,
    R,
    _created,
    _etag,
    _now,
    _read,
    _ref,
    _row,
    object_first,
)
from writecarenotes.care_planning.models.pathways import (
    REGISTER_MODELS,
    AdvanceDecision,
    AnticipatoryMedicine,
    MentalHealthContact,
    TherapyEquipment,
    TherapyGoal,
)
from writecarenotes.platform.api.concurrency import if_match_header
from writecarenotes.platform.api.idempotency import idempotent
from writecarenotes.platform.api.pagination import paginated
from writecarenotes.platform.identity.permissions import requires

registers_router = Router(tags=["specialist pathways"])

# --- registers -----------------------------------------------------------------------------------

REGISTER_OUT = {
    "medicines": s.PathwayMedicineOut,
    "advance-decisions": s.PathwayDecisionOut,
    "contacts": s.PathwayContactOut,
    "goals": s.PathwayGoalOut,
    "equipment": s.PathwayEquipmentOut,
}


def _out(register: str, row):
    if register == "goals":
        return s.goal_out(q.goal_view(row, list(_measurements(row))))
    return row


def _measurements(goal):
    from writecarenotes.care_planning.models.pathways import GoalMeasurement

    return GoalMeasurement.objects.current().filter(goal=goal).order_by("occurred_at", "pk")


def _register_operations(register: str) -> None:
    model, out = REGISTER_MODELS[register], REGISTER_OUT[register]
    op = register.replace("-", "_")

    @registers_router.get(R + f"/{register}", response=list[out], summary=f"A resident's {register}")
    @paginated
    @requires("care_planning", "view")
    def list_rows(request, resident_id: int):
        ref = _ref(resident_id)
        _read(ref, f"pathway {register}")
        if register == "goals":
            return [s.goal_out(v) for v in q.goals(ref.id)]
        return list(model.objects.filter(resident_id=ref.id)[:LIMIT])

    @registers_router.get(R + f"/{register}/{{item_id}}", response=out, summary=f"One of {register}, with its ETag")
    @requires("care_planning", "view")
    def get_row(request, resident_id: int, item_id: int, response: HttpResponse):
        ref = _ref(resident_id)
        row = _row(model, ref, item_id)
        _read(ref, f"pathway {register} {row.pk}")
        return _out(register, _etag(response, row))

    for f in (list_rows, get_row):
        f.__name__ = f"{f.__name__}_{op}"


for _register in REGISTER_MODELS:
    _register_operations(_register)


def _changes(payload) -> tuple[dict, str]:
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    return data, reason


@registers_router.post(
    R + "/medicines", response={201: s.PathwayMedicineOut}, summary="Record an anticipatory medicine"
)
@object_first
@requires("care_planning", "manage")
@idempotent
def add_medicine(request, resident_id: int, payload: s.PathwayMedicineIn):
    return Status(
        201,
        palliative.record_anticipatory_medicine(resident_id=_ref(resident_id).id, user=request.user, **payload.dict()),
    )


@registers_router.put(
    R + "/medicines/{item_id}", response=s.PathwayMedicineOut, summary="Change a medicine (If-Match, reason)"
)
@object_first
@requires("care_planning", "manage")
def change_medicine(request, resident_id: int, item_id: int, payload: s.PathwayMedicineChange, response: HttpResponse):
    med = _row(AnticipatoryMedicine, _ref(resident_id), item_id)
    values, reason = _changes(payload)
    changed = palliative.change_anticipatory_medicine(
        med, values=values, reason=reason, if_match=if_match_header(request)
    )
    return _etag(response, changed)


@registers_router.post(
    R + "/medicines/{item_id}/stop", response=s.PathwayMedicineOut, summary="Stop a medicine (reason)"
)
@object_first
@requires("care_planning", "manage")
@idempotent
def stop_medicine(request, resident_id: int, item_id: int, payload: s.PathwayStopIn):
    med = _row(AnticipatoryMedicine, _ref(resident_id), item_id)
    return palliative.stop_anticipatory_medicine(med, reason=payload.reason, stopped_on=payload.on)


@registers_router.post(
    R + "/advance-decisions",
    response={201: s.PathwayDecisionOut},
    summary="Record an advance decision to refuse treatment",
)
@object_first
@requires("care_planning", "manage")
@idempotent
def add_decision(request, resident_id: int, payload: s.PathwayDecisionIn):
    return Status(
        201, palliative.record_advance_decision(resident_id=_ref(resident_id).id, user=request.user, **payload.dict())
    )


@registers_router.put(
    R + "/advance-decisions/{item_id}",
    response=s.PathwayDecisionOut,
    summary="Check an advance decision again (If-Match)",
)
@object_first
@requires("care_planning", "manage")
def check_decision(request, resident_id: int, item_id: int, payload: s.PathwayDecisionCheckIn, response: HttpResponse):
    decision = _row(AdvanceDecision, _ref(resident_id), item_id)
    values, reason = _changes(payload)
    changed = palliative.recheck_advance_decision(
        decision, values=values, reason=reason, if_match=if_match_header(request)
    )
    return _etag(response, changed)


@registers_router.post(R + "/contacts", response={201: s.PathwayContactOut}, summary="Add a mental health team contact")
@object_first
@requires("care_planning", "record")
@idempotent
def add_contact(request, resident_id: int, payload: s.PathwayContactIn):
    return Status(201, mental.add_contact(resident_id=_ref(resident_id).id, user=request.user, **payload.dict()))


@registers_router.put(
    R + "/contacts/{item_id}", response=s.PathwayContactOut, summary="Change a contact (If-Match, reason)"
)
@object_first
@requires("care_planning", "record")
def change_contact(request, resident_id: int, item_id: int, payload: s.PathwayContactChange, response: HttpResponse):
    contact = _row(MentalHealthContact, _ref(resident_id), item_id)
    values, reason = _changes(payload)
    return _etag(
        response, mental.change_contact(contact, values=values, reason=reason, if_match=if_match_header(request))
    )


@registers_router.post(
    R + "/contacts/{item_id}/end", response=s.PathwayContactOut, summary="No longer involved (reason)"
)
@object_first
@requires("care_planning", "record")
@idempotent
def end_contact(request, resident_id: int, item_id: int, payload: s.PathwayStopIn):
    contact = _row(MentalHealthContact, _ref(resident_id), item_id)
    return mental.end_contact(contact, reason=payload.reason, ended_on=payload.on)


@registers_router.post(
    R + "/goals", response={201: s.PathwayGoalOut}, summary="Add a therapy goal (baseline and target)"
)
@object_first
@requires("care_planning", "record")
@idempotent
def add_goal(request, resident_id: int, payload: s.PathwayGoalIn):
    goal = rehab.add_goal(resident_id=_ref(resident_id).id, user=request.user, **payload.dict())
    return Status(201, _out("goals", goal))


@registers_router.put(
    R + "/goals/{item_id}", response=s.PathwayGoalOut, summary="Change a goal's target (If-Match, reason)"
)
@object_first
@requires("care_planning", "record")
def change_goal(request, resident_id: int, item_id: int, payload: s.PathwayGoalChange, response: HttpResponse):
    goal = _row(TherapyGoal, _ref(resident_id), item_id)
    values, reason = _changes(payload)
    changed = rehab.change_goal(goal, values=values, reason=reason, if_match=if_match_header(request))
    return _out("goals", _etag(response, changed))


@registers_router.post(
    R + "/goals/{item_id}/close", response=s.PathwayGoalOut, summary="Close a goal: achieved or stopped"
)
@object_first
@requires("care_planning", "record")
@idempotent
def close_goal(request, resident_id: int, item_id: int, payload: s.PathwayGoalCloseIn):
    goal = _row(TherapyGoal, _ref(resident_id), item_id)
    return _out("goals", rehab.close_goal(goal, status=payload.status, reason=payload.reason))


@registers_router.post(
    R + "/goals/{item_id}/measurements",
    response={201: s.PathwayEntryOut},
    summary="Measure a goal (or read the latest Barthel)",
)
@object_first
@requires("care_planning", "record")
@idempotent
def measure_goal(request, resident_id: int, item_id: int, payload: s.PathwayMeasureIn, response: HttpResponse):
    ref = _ref(resident_id)
    goal = _row(TherapyGoal, ref, item_id)
    m = rehab.measure_goal(
        goal,
        user=request.user,
        value=payload.value,
        occurred_at=_now(payload.occurred_at),
        notes=payload.notes,
        from_assessment=payload.from_assessment,
    )
    return _created(response, ref, "measurements", m)


@registers_router.post(R + "/equipment", response={201: s.PathwayEquipmentOut}, summary="Record equipment issued")
@object_first
@requires("care_planning", "record")
@idempotent
def add_equipment(request, resident_id: int, payload: s.PathwayEquipmentIn):
    return Status(201, rehab.issue_equipment(resident_id=_ref(resident_id).id, user=request.user, **payload.dict()))


@registers_router.post(
    R + "/equipment/{item_id}/service", response=s.PathwayEquipmentOut, summary="Record a service or check"
)
@object_first
@requires("care_planning", "record")
@idempotent
def service_equipment(request, resident_id: int, item_id: int, payload: s.PathwayServiceIn):
    equipment = _row(TherapyEquipment, _ref(resident_id), item_id)
    return rehab.record_service(equipment, **payload.dict())


@registers_router.post(
    R + "/equipment/{item_id}/return", response=s.PathwayEquipmentOut, summary="Equipment returned (reason)"
)
@object_first
@requires("care_planning", "record")
@idempotent
def return_equipment(request, resident_id: int, item_id: int, payload: s.PathwayStopIn):
    equipment = _row(TherapyEquipment, _ref(resident_id), item_id)
    return rehab.return_equipment(equipment, reason=payload.reason, returned_on=payload.on)
