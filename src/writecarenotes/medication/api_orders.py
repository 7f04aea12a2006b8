"""API of the medicines record (mounted under /api/v1/medication/).

/formulary                          GET the home's medicines (?q=&active=) / POST add one (manage)
/formulary/{medicine_id}            GET (ETag) / PATCH correct: a new version with a reason (If-Match)
/formulary/{medicine_id}/active     POST {active, reason} mark inactive or active again (If-Match)
/orders                             GET (?resident_id=&status=&is_prn=) / POST start an order (manage):
                                    409 acknowledgement-required with the safety findings until
                                    ``acknowledgement`` (the reason) is sent; 422 order-refused
/orders/{order_id}                  GET with its versions (ETag) / PATCH change (If-Match, reason)
/orders/{order_id}/suspend|resume|stop   POST {reason} (If-Match)
/residents/{resident_id}/medicines  GET the medicines record (regular, PRN, suspended, stopped)
/reconciliations..., /homely-remedies..., /self-administration..., /orders/{order_id}/covert:
                                    ``api_reconciliation`` and ``api_special``
"""

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from writecarenotes.medication import api_reconciliation, api_special, services_formulary, services_orders
from writecarenotes.medication.models import MedicationOrder, Medicine
from writecarenotes.medication.queries_orders import medicines_record, order_out
from writecarenotes.platform.api.concurrency import etag_for, if_match_header
from writecarenotes.platform.api.idempotency import idempotent
from writecarenotes.platform.api.pagination import Filters, Mapped, paginated
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.residents.public import ResidentNotFound, get_resident

router = Router(tags=["medication: medicines record"])
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
IF_MATCH = {
    "openapi_extra": {
        "parameters": [
            {
                "in": "header",
                "name": "If-Match",
                "required": True,
                "description": "The ETag as you last read it. Missing: 428. Stale: 412.",
                "schema": {"type": "string"},
            }
        ]
    }
}


# --- schemas --------------------------------------------------------------------------------------


class IngredientIn(Schema):
    ingredient: str = Field(..., max_length=80, description="Lower-case approved name, e.g. paracetamol")
    amount_mg: Decimal | None = Field(None, description="mg per dose unit")
    classes: list[str] = Field(default_factory=list, description="Drug classes, e.g. nsaid, opioid")


class MedicineIn(Schema):
    name: str = Field(..., max_length=160)
    form: str
    strength: str = Field("", max_length=60)
    dose_unit: str
    dmd_code: str = Field("", max_length=20)
    controlled_schedule: str = Field("", description="'' or 2, 3, 4, 5 (Misuse of Drugs Regulations 2001)")
    cd_register: bool = False
    time_critical: bool = False
    needs_fridge: bool = False
    ingredients: list[IngredientIn] = Field(default_factory=list)


class MedicineChangeIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)
    name: str | None = Field(None, max_length=160)
    form: str | None = None
    strength: str | None = Field(None, max_length=60)
    dose_unit: str | None = None
    dmd_code: str | None = Field(None, max_length=20)
    controlled_schedule: str | None = None
    cd_register: bool | None = None
    time_critical: bool | None = None
    needs_fridge: bool | None = None
    ingredients: list[IngredientIn] | None = None


class ActiveIn(Schema):
    active: bool
    reason: str = Field(..., min_length=1, max_length=300)


class IngredientOut(Schema):
    ingredient: str
    amount_mg: str | None
    classes: list[str]


class MedicineOut(Schema):
    id: int
    name: str
    form: str
    strength: str
    dose_unit: str
    dmd_code: str
    controlled_schedule: str
    cd_register: bool
    time_critical: bool
    needs_fridge: bool
    active: bool
    version: int
    ingredients: list[IngredientOut]


class MedicineFilters(Filters):
    q: str | None = Field(None, description="Part of the name, strength or an ingredient")
    active: bool | None = None


class OrderFields(Schema):
    source: str | None = Field(None, description="gp, hospital, pharmacy, out_of_hours, specialist, other")
    prescriber: str | None = Field(None, max_length=120)
    prescribed_on: date | None = None
    indication: str | None = Field(None, max_length=200)
    route: str | None = None
    dose: Decimal | None = None
    dose_max: Decimal | None = None
    is_prn: bool | None = None
    times: list[str] | None = Field(None, description='Times of day, "HH:MM"')
    days_of_week: list[int] | None = Field(None, description="0 = Monday ... 6 = Sunday; empty: every day")
    every_n_days: int | None = Field(None, ge=1, le=365)
    food: str | None = None
    start_date: date | None = None
    stop_date: date | None = None
    instructions: str | None = Field(None, max_length=300)
    time_critical: bool | None = None
    mode: str | None = Field(None, description="staff, self (needs a risk assessment), covert (see /covert)")
    prn_indication: str | None = Field(None, max_length=200)
    prn_dose_rule: str | None = Field(None, max_length=200)
    prn_min_interval_minutes: int | None = Field(None, ge=0, le=100000)
    prn_max_doses_24h: int | None = Field(None, ge=0, le=1000)
    prn_max_amount_24h: Decimal | None = None
    prn_expected_effect: str | None = Field(None, max_length=200)
    prn_effect_check_minutes: int | None = Field(None, ge=0, le=100000)
    prn_review_date: date | None = None
    acknowledgement: str = Field(
        "", max_length=500, description="Your reason to go ahead despite the safety findings (after a 409)"
    )


class OrderIn(OrderFields):
    resident_id: Id
    medicine_id: Id


class OrderChangeIn(OrderFields):
    reason: str = Field(..., min_length=1, max_length=300)


class OrderReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)


class OrderVersionOut(Schema):
    version: int
    at: object
    by: str
    reason: str
    changed: list[str]


class OrderOut(Schema):
    id: int
    resident_id: int
    medicine_id: int
    medicine: str
    dose_unit: str
    source: str
    prescriber: str
    prescribed_on: date | None
    indication: str
    route: str
    dose: str
    dose_max: str | None
    dose_text: str
    is_prn: bool
    times: list[str]
    days_of_week: list[int]
    every_n_days: int
    food: str
    start_date: date
    stop_date: date | None
    instructions: str
    time_critical: bool
    mode: str
    prn_indication: str
    prn_dose_rule: str
    prn_min_interval_minutes: int | None
    prn_max_doses_24h: int | None
    prn_max_amount_24h: str | None
    prn_expected_effect: str
    prn_effect_check_minutes: int | None
    prn_review_date: date | None
    status: str
    status_reason: str
    version: int


class OrderDetailOut(OrderOut):
    versions: list[OrderVersionOut]
    acknowledgements: list[dict]


class OrderFilters(Filters):
    resident_id: int | None = None
    status: str | None = None
    is_prn: bool | None = None


class RecordOut(Schema):
    resident_id: int
    regular: list[OrderOut]
    prn: list[OrderOut]
    suspended: list[OrderOut]
    stopped: list[OrderOut]


# --- helpers --------------------------------------------------------------------------------------


def medicine_out(m: Medicine) -> dict:
    return {
        **{f: getattr(m, f) for f in ("id", "name", "form", "strength", "dose_unit", "dmd_code")},
        **{f: getattr(m, f) for f in ("controlled_schedule", "cd_register", "time_critical", "needs_fridge", "active")},
        "version": m.version,
        "ingredients": [
            {
                "ingredient": i.ingredient,
                "amount_mg": None if i.amount_mg is None else f"{i.amount_mg.normalize():f}",
                "classes": list(i.classes),
            }
            for i in m.ingredients.all()
        ],
    }


def _medicine(pk: int) -> Medicine:
    m = Medicine.objects.prefetch_related("ingredients").filter(pk=pk).first()
    if m is None:
        raise Http404(_("No such medicine."))
    return m


def order_or_404(pk: int) -> MedicationOrder:
    o = MedicationOrder.objects.select_related("medicine").filter(pk=pk).first()
    if o is None:
        raise Http404(_("No such order."))
    return o


def version_rows(content_type: str, pk: int, home_id: int) -> list[dict]:
    from writecarenotes.platform.audit.models import RecordVersion

    rows = RecordVersion.objects.filter(content_type=content_type, object_id=str(pk), home_id=home_id).order_by(
        "version"
    )
    return [
        {
            "version": v.version,
            "at": v.at,
            "by": v.actor_email or v.system_reason,
            "reason": v.reason,
            "changed": list(v.changed),
        }
        for v in rows
    ]


def order_detail(order_id: int, response: HttpResponse) -> dict:
    o = order_or_404(order_id)
    response["ETag"] = etag_for(o)
    from writecarenotes.medication.models import PrescribingAcknowledgement

    acks = PrescribingAcknowledgement.objects.filter(order=o).order_by("at")
    return {
        **order_out(o),
        "versions": version_rows("medication.medicationorder", o.pk, o.home_id),
        "acknowledgements": [
            {
                "order_version": a.order_version,
                "findings": a.findings,
                "reason": a.reason,
                "by_id": a.by_id,
                "at": a.at.isoformat(),
            }
            for a in acks
        ],
    }


def _values(payload: Schema, *, exclude: set) -> dict:
    return {k: v for k, v in payload.dict(exclude_unset=True).items() if k not in exclude}


def _order(run):
    try:
        return run()
    except services_orders.OrderNotFound:
        raise Http404(_("No such order.")) from None


# --- formulary ------------------------------------------------------------------------------------


@router.get("/formulary", response=list[MedicineOut], summary="The home's medicines")
@paginated
@requires("medication", "view")
def list_medicines(request, filters: Query[MedicineFilters]):
    qs = Medicine.objects.prefetch_related("ingredients").order_by("name", "pk")
    if filters.q:
        from django.db.models import Q

        qs = qs.filter(
            Q(name__icontains=filters.q)
            | Q(strength__icontains=filters.q)
            | Q(ingredients__ingredient__icontains=filters.q)
        ).distinct()
    if filters.active is not None:
        qs = qs.filter(active=filters.active)
    return Mapped(qs, medicine_out)


@router.post("/formulary", response={201: MedicineOut}, summary="Add a medicine with its ingredients")
@requires("medication", "manage")
@idempotent
def add_medicine(request, payload: MedicineIn, response: HttpResponse):
    data = payload.dict()
    ingredients = data.pop("ingredients")
    m = services_formulary.add_medicine(values=data, ingredients=ingredients)
    response["ETag"] = etag_for(m)
    response["Location"] = f"/api/v1/medication/formulary/{m.pk}"
    return Status(201, medicine_out(_medicine(m.pk)))


@router.get("/formulary/{int:medicine_id}", response=MedicineOut, summary="One medicine (and its ETag)")
@requires("medication", "view")
def get_medicine(request, medicine_id: int, response: HttpResponse):
    m = _medicine(medicine_id)
    response["ETag"] = etag_for(m)
    return medicine_out(m)


@router.patch("/formulary/{int:medicine_id}", response=MedicineOut, summary="Correct a medicine", **IF_MATCH)
@requires("medication", "manage")
def correct_medicine(request, medicine_id: int, payload: MedicineChangeIn, response: HttpResponse):
    if_match = if_match_header(request)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k == "ingredients"}
    reason, ingredients = data.pop("reason"), data.pop("ingredients", None)
    try:
        m = services_formulary.correct_medicine(
            medicine_id, values=data, ingredients=ingredients, reason=reason, if_match=if_match
        )
    except services_formulary.MedicineNotFound:
        raise Http404(_("No such medicine.")) from None
    response["ETag"] = etag_for(m)
    return medicine_out(_medicine(m.pk))


@router.post(
    "/formulary/{int:medicine_id}/active", response=MedicineOut, summary="Mark inactive (or active)", **IF_MATCH
)
@requires("medication", "manage")
@idempotent
def set_medicine_active(request, medicine_id: int, payload: ActiveIn, response: HttpResponse):
    if_match = if_match_header(request)
    try:
        m = services_formulary.set_active(medicine_id, active=payload.active, reason=payload.reason, if_match=if_match)
    except services_formulary.MedicineNotFound:
        raise Http404(_("No such medicine.")) from None
    response["ETag"] = etag_for(m)
    return medicine_out(_medicine(m.pk))


# --- orders ---------------------------------------------------------------------------------------


@router.get("/orders", response=list[OrderOut], summary="Medication orders (?resident_id=&status=&is_prn=)")
@paginated
@requires("medication", "view")
def list_orders(request, filters: Query[OrderFilters]):
    qs = MedicationOrder.objects.select_related("medicine").order_by("resident_id", "medicine__name", "pk")
    if filters.resident_id is not None:
        qs = qs.filter(resident_id=filters.resident_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.is_prn is not None:
        qs = qs.filter(is_prn=filters.is_prn)
    return Mapped(qs, order_out)


@router.post(
    "/orders", response={201: OrderDetailOut}, summary="Start an order (409 until safety findings are acknowledged)"
)
@requires("medication", "manage")
@idempotent
def start_order(request, payload: OrderIn, response: HttpResponse):
    values = _values(payload, exclude={"resident_id", "medicine_id", "acknowledgement"})
    order = services_orders.start_order(
        user=request.user,
        resident_id=payload.resident_id,
        medicine_id=payload.medicine_id,
        values=values,
        acknowledgement=payload.acknowledgement,
    )
    response["Location"] = f"/api/v1/medication/orders/{order.pk}"
    return Status(201, order_detail(order.pk, response))


@router.get("/orders/{int:order_id}", response=OrderDetailOut, summary="One order with its history (and its ETag)")
@requires("medication", "view")
def get_order(request, order_id: int, response: HttpResponse):
    o = order_or_404(order_id)
    record_read("residents.resident", o.resident_id, home=o.home_id, part="medication order (API)")
    return order_detail(o.pk, response)


@router.patch(
    "/orders/{int:order_id}",
    response=OrderDetailOut,
    summary="Change an order: a new version with a reason",
    **IF_MATCH,
)
@requires("medication", "manage")
def change_order(request, order_id: int, payload: OrderChangeIn, response: HttpResponse):
    if_match = if_match_header(request)
    values = _values(payload, exclude={"reason", "acknowledgement"})
    _order(
        lambda: services_orders.change_order(
            order_id,
            user=request.user,
            values=values,
            reason=payload.reason,
            if_match=if_match,
            acknowledgement=payload.acknowledgement,
        )
    )
    return order_detail(order_id, response)


def _set_status(request, order_id: int, payload: OrderReasonIn, response: HttpResponse, fn) -> dict:
    if_match = if_match_header(request)
    _order(lambda: fn(order_id, user=request.user, reason=payload.reason, if_match=if_match))
    return order_detail(order_id, response)


@router.post("/orders/{int:order_id}/suspend", response=OrderDetailOut, summary="Suspend an order", **IF_MATCH)
@requires("medication", "manage")
@idempotent
def suspend_order(request, order_id: int, payload: OrderReasonIn, response: HttpResponse):
    return _set_status(request, order_id, payload, response, services_orders.suspend_order)


@router.post("/orders/{int:order_id}/resume", response=OrderDetailOut, summary="Resume a suspended order", **IF_MATCH)
@requires("medication", "manage")
@idempotent
def resume_order(request, order_id: int, payload: OrderReasonIn, response: HttpResponse):
    return _set_status(request, order_id, payload, response, services_orders.resume_order)


@router.post("/orders/{int:order_id}/stop", response=OrderDetailOut, summary="Stop an order", **IF_MATCH)
@requires("medication", "manage")
@idempotent
def stop_order(request, order_id: int, payload: OrderReasonIn, response: HttpResponse):
    return _set_status(request, order_id, payload, response, services_orders.stop_order)


@router.get("/residents/{int:resident_id}/medicines", response=RecordOut, summary="A resident's medicines record")
@requires("medication", "view")
def resident_medicines(request, resident_id: int):
    try:
        ref = get_resident(resident_id)
    except ResidentNotFound:
        raise Http404(_("No such resident.")) from None
    record_read("residents.resident", ref.id, home=ref.home_id, part="medicines record (API)", label=ref.display_name)
    rec = medicines_record(ref.id, with_history=False)
    return {
        "resident_id": ref.id,
        **{k: [order_out(o) for o in getattr(rec, k)] for k in ("regular", "prn", "suspended", "stopped")},
    }


router.add_router("", api_reconciliation.router)
router.add_router("", api_special.router)
