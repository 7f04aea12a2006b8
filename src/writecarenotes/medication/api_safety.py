"""API of the safety checks (mounted under /api/v1/medication/).

  /safety/check                            POST a dry run of every check for a dose: order_id, dose, at (default
                                           now), due_at (the slot; empty for PRN). Answers the findings, whether any
                                           refuses the dose whatever the role, and whether you may override them.
                                           Nothing is recorded (the round screen calls it before "Give").
  /safety/order-check                      POST a dry run of the prescribing checks: resident_id, medicine_id
                                           (allergy status and match, duplicate therapy, interactions)
  /safety/rules                            GET the interaction rules and ingredient limits in use, with sources
  /safety/overrides                        GET the overrides in scope (paginated; ?reviewed=no|yes|all, default no)
  /safety/overrides/{override_id}          GET one override
  /safety/overrides/{override_id}/review   POST the manager's review: review_note (never your own override; once: 409)

Another home's order, resident, medicine or override: 404 (overrides: before the body is read).
"""

from datetime import datetime
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from writecarenotes.medication import safety
from writecarenotes.medication.models import MedicationOrder, Medicine, SafetyOverride
from writecarenotes.medication.safety_rules.findings import RULES
from writecarenotes.medication.services_safety import (
    OverrideNotFound,
    override_queryset,
    override_row,
    review_override,
    rows_of,
)
from writecarenotes.medication.views_safety import rules_context
from writecarenotes.platform.api.idempotency import idempotent
from writecarenotes.platform.api.pagination import paginated
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.residents import public as residents

router = Router(tags=["medication: safety checks"])


class FindingOut(Schema):
    rule: str
    label: str
    message: str
    overridable: bool
    source: str


class SafetyCheckOut(Schema):
    findings: list[FindingOut]
    refused: bool = Field(description="A finding refuses it whatever the role (not overridable)")
    can_override: bool = Field(description="You may override every finding with a reason")


class DoseCheckIn(Schema):
    order_id: int
    dose: Decimal = Field(..., gt=0, max_digits=10, decimal_places=3, description="In the medicine's dose unit")
    at: datetime | None = Field(None, description="When it is given (default now)")
    due_at: datetime | None = Field(None, description="The scheduled slot; empty for a when-required dose")


class OrderCheckIn(Schema):
    resident_id: int
    medicine_id: int
    exclude_order_id: int | None = Field(None, description="The order being changed")


class OverrideOut(Schema):
    id: int
    rule: str
    rule_label: str
    message: str
    reason: str
    by: str
    at: datetime
    administration_id: int
    resident_id: int
    resident_name: str
    medicine: str
    dose: str
    given_at: datetime
    outcome: str
    reviewed: bool
    reviewed_by: str
    reviewed_at: datetime | None
    review_note: str


class OverrideFilters(Schema):
    reviewed: str = Field("no", description="no (default), yes or all")


class ReviewIn(Schema):
    review_note: str = Field(..., min_length=1, max_length=300, description="What you found and what was done")


class LimitOut(Schema):
    ingredient: str
    adult_mg_24h: Decimal
    source: str
    low_weight_below_kg: Decimal | None
    low_weight_mg_per_kg: Decimal | None
    low_weight_source: str


class InteractionRuleOut(Schema):
    first: list[str]
    second: list[str]
    severity: str
    effect: str
    advice: str
    source: str


class RulesOut(Schema):
    checker: str
    complete: bool
    limits: list[LimitOut]
    interactions: list[InteractionRuleOut]
    do_not_duplicate: dict[str, str]
    rules: dict[str, str]


def _check_out(request, findings) -> dict:
    return {
        "findings": [f.as_dict() for f in findings],
        "refused": any(not f.overridable for f in findings),
        "can_override": bool(findings) and safety.can_override(request.access, findings),
    }


@router.post("/safety/check", response=SafetyCheckOut, summary="Dry run of every safety check for a dose")
@requires("medication", "record")
def post_check(request, payload: DoseCheckIn):
    order = MedicationOrder.objects.select_related("medicine").filter(pk=payload.order_id).first()
    if order is None:
        raise Http404(_("No such order."))
    at = payload.at or timezone.now()
    findings = safety.check_dose(order, dose=payload.dose, at=at, due_at=payload.due_at)
    return _check_out(request, findings)


@router.post("/safety/order-check", response=SafetyCheckOut, summary="Dry run of the prescribing checks")
@requires("medication", "record")
def post_order_check(request, payload: OrderCheckIn):
    medicine = Medicine.objects.filter(pk=payload.medicine_id).first()
    if medicine is None:
        raise Http404(_("No such medicine."))
    try:
        findings = safety.check_order(
            resident_id=payload.resident_id, medicine=medicine, exclude_order_id=payload.exclude_order_id
        )
    except residents.ResidentNotFound:
        raise Http404(_("No such resident.")) from None
    return _check_out(request, findings)


@router.get("/safety/rules", response=RulesOut, summary="The interaction rules and limits in use, with sources")
@requires("medication", "view")
def get_rules(request):
    ctx = rules_context()
    return {
        "checker": ctx["checker"].name,
        "complete": ctx["checker"].complete,
        "limits": [limit.__dict__ for limit in ctx["limits"]],
        "interactions": [
            {**r.__dict__, "first": sorted(r.first), "second": sorted(r.second)} for r in ctx["interactions"]
        ],
        "do_not_duplicate": ctx["do_not_duplicate"],
        "rules": RULES,
    }


def override_out(row) -> dict:
    o = row.override
    return {
        "id": o.pk,
        "rule": o.rule,
        "rule_label": row.rule_label,
        "message": o.message,
        "reason": o.reason,
        "by": o.by.display_name,
        "at": o.at,
        "administration_id": o.administration_id,
        "resident_id": row.resident_id,
        "resident_name": row.resident_name,
        "medicine": row.medicine,
        "dose": row.dose_text,
        "given_at": row.given_at,
        "outcome": row.outcome,
        "reviewed": o.reviewed_at is not None,
        "reviewed_by": o.reviewed_by.display_name if o.reviewed_by_id else "",
        "reviewed_at": o.reviewed_at,
        "review_note": o.review_note,
    }


class _Page:
    """The overrides queryset for ``@paginated``: a page's rows are turned into items together (one query
    for the residents' names per page, not one per row)."""

    def __init__(self, qs):
        self.qs = qs

    def all(self):
        return self

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if isinstance(key, slice):
            return [override_out(r) for r in rows_of(list(self.qs[key]))]
        return override_out(rows_of([self.qs[key]])[0])

    def __iter__(self):
        return iter(self[:])


@router.get("/safety/overrides", response=list[OverrideOut], summary="Safety check overrides in scope")
@paginated
@requires("medication", "view")
def list_overrides(request, filters: Query[OverrideFilters]):
    choice = {"no": False, "yes": True, "all": None}
    if filters.reviewed not in choice:
        raise Http404(_("No such filter."))
    return _Page(override_queryset(choice[filters.reviewed]))


def _one(override_id: int) -> dict:
    try:
        return override_out(override_row(override_id))
    except OverrideNotFound:
        raise Http404(_("No such override.")) from None


@router.get("/safety/overrides/{int:override_id}", response=OverrideOut, summary="A safety check override")
@requires("medication", "view")
def get_override(request, override_id: int):
    return _one(override_id)


@router.post(
    "/safety/overrides/{int:override_id}/review", response=OverrideOut, summary="Review a safety check override"
)
@requires("medication", "manage")
@idempotent
def post_review(request, override_id: int, payload: ReviewIn):
    try:
        review_override(override_id, user=request.user, note=payload.review_note)
    except OverrideNotFound:
        raise Http404(_("No such override.")) from None
    return _one(override_id)


def override_exists(pk: int) -> bool:
    try:
        return SafetyOverride.objects.filter(pk=pk).exists()
    except (TypeError, ValueError):
        return False
