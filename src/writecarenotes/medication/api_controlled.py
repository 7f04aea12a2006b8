"""API of the controlled drugs register (mounted under /api/v1/medication/).

  /cd/registers                         GET the pages in scope; POST open a page (manage)
  /cd/registers/{cd_register_id}        GET a page with its balance (ETag)
  /cd/registers/{cd_register_id}/entries  GET its entries; POST an entry (received, returned, destroyed,
                                        transferred) with the witness's own e-mail and password
  /cd/registers/{cd_register_id}/checks GET its stock checks; POST a stock check (witnessed)
  /cd/entries/{cd_entry_id}/corrections POST a dated correction note (and a correcting entry)
  /cd/discrepancies                     GET the discrepancies (?status=open|resolved|all)
  /cd/discrepancies/{cd_discrepancy_id}/resolve  POST what was found (manage)

Another home's page, entry or discrepancy: 404 before the body is read. A refused entry (balance below
zero, no witness, wrong password, a date before yesterday): 422 problem with the reasons.
"""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from writecarenotes.medication import services_controlled as cd
from writecarenotes.medication import services_controlled_checks as checks
from writecarenotes.medication.models import CDDiscrepancy, CDEntry, CDRegister, CDStockCheck
from writecarenotes.medication.witness import verify_witness
from writecarenotes.platform.api.concurrency import etag_for
from writecarenotes.platform.api.idempotency import idempotent
from writecarenotes.platform.api.pagination import paginated
from writecarenotes.platform.identity.permissions import requires

router = Router(tags=["medication: controlled drugs"])


class RegisterOut(Schema):
    id: int
    medicine_id: int
    drug: str
    form: str
    strength: str
    dose_unit: str
    resident_id: int | None
    resident_name: str
    balance: Decimal
    version: int


class RegisterIn(Schema):
    medicine_id: int
    resident_id: int | None = Field(None, description="For a resident's own supply; null for the home's stock")


class CDEntryOut(Schema):
    id: int
    sequence: int
    kind: str
    occurred_at: datetime
    quantity: Decimal
    change: Decimal
    balance_after: Decimal
    party_name: str
    party_address: str
    resident_id: int | None
    administration_id: int | None
    reference: str
    note: str
    recorded_by: str
    witness: str
    corrects_id: int | None
    corrections: list[str]


class WitnessIn(Schema):
    witness_email: str = Field("", max_length=254, description="The witness's own e-mail")
    witness_password: str = Field("", max_length=256, description="The witness's own password")


class EntryIn(WitnessIn):
    kind: str = Field(..., description="received, returned, destroyed or transferred")
    quantity: Decimal
    party_name: str = Field("", max_length=160, description="From whom received / to whom supplied")
    party_address: str = Field("", max_length=300)
    occurred_at: datetime | None = None
    reference: str = Field("", max_length=120)
    note: str = Field("", max_length=500)


class CheckIn(WitnessIn):
    counted: Decimal
    note: str = Field("", max_length=500)


class CDCheckOut(Schema):
    id: int
    register_id: int
    checked_at: datetime
    expected: Decimal
    counted: Decimal
    matches: bool
    checked_by: str
    witness: str
    note: str
    discrepancy_id: int | None


class CDCorrectionIn(WitnessIn):
    note: str = Field(..., max_length=500)
    right_quantity: Decimal | None = None


class DiscrepancyOut(Schema):
    id: int
    register_id: int
    drug: str
    expected: Decimal
    counted: Decimal
    status: str
    raised_at: datetime
    resolution: str
    resolved_at: datetime | None
    adjustment_id: int | None


class ResolveIn(WitnessIn):
    resolution: str = Field(..., max_length=1000)
    adjust: bool = False


class DiscrepancyFilters(Schema):
    status: str = Field("open", description="open, resolved or all")


def _register_out(r: CDRegister, names: dict) -> dict:
    m = r.medicine
    return {
        "id": r.pk,
        "medicine_id": m.pk,
        "drug": m.name,
        "form": m.form,
        "strength": m.strength,
        "dose_unit": m.dose_unit,
        "resident_id": r.resident_id,
        "resident_name": names.get(r.resident_id, ""),
        "balance": r.balance,
        "version": r.version,
    }


def _entry_out(e: CDEntry) -> dict:
    return {
        **{
            f: getattr(e, f)
            for f in (
                "sequence",
                "kind",
                "occurred_at",
                "quantity",
                "change",
                "balance_after",
                "party_name",
                "party_address",
                "resident_id",
                "administration_id",
                "reference",
                "note",
                "corrects_id",
            )
        },
        "id": e.pk,
        "recorded_by": e.recorded_by.display_name,
        "witness": e.witness.display_name if e.witness_id else "",
        "corrections": [f"{n.written_at:%Y-%m-%d}: {n.note}" for n in e.notes.all()],
    }


def _check_out(c: CDStockCheck) -> dict:
    disc = getattr(c, "discrepancy", None) if hasattr(c, "discrepancy") else None
    return {
        "id": c.pk,
        "register_id": c.register_id,
        "checked_at": c.checked_at,
        "expected": c.expected,
        "counted": c.counted,
        "matches": c.matches,
        "checked_by": c.checked_by.display_name,
        "witness": c.witness.display_name,
        "note": c.note,
        "discrepancy_id": disc.pk if disc else None,
    }


def _discrepancy_out(d: CDDiscrepancy) -> dict:
    return {
        "id": d.pk,
        "register_id": d.register_id,
        "drug": d.register.medicine.name,
        "expected": d.expected,
        "counted": d.counted,
        "status": d.status,
        "raised_at": d.raised_at,
        "resolution": d.resolution,
        "resolved_at": d.resolved_at,
        "adjustment_id": d.adjustment_id,
    }


def _register_or_404(pk: int) -> CDRegister:
    register = CDRegister.objects.select_related("medicine").filter(pk=pk).first()
    if register is None:
        raise Http404(_("No such register page."))
    return register


def _witness(request, payload: WitnessIn, home_id: int):
    return verify_witness(
        request,
        home_id=home_id,
        email=payload.witness_email,
        password=payload.witness_password,
        not_user_id=request.user.pk,
    )


def _entries(register_id: int):
    return (
        CDEntry.objects.filter(register_id=register_id)
        .select_related("recorded_by", "witness")
        .prefetch_related("notes")
    )


@router.get("/cd/registers", response=list[RegisterOut], summary="Controlled drugs register pages")
@paginated
@requires("medication", "view")
def list_registers(request):
    registers = list(CDRegister.objects.select_related("medicine").order_by("medicine__name", "resident_id", "pk"))
    names = cd.resident_names({r.resident_id for r in registers})
    return [_register_out(r, names) for r in registers]


@router.post("/cd/registers", response={201: RegisterOut}, summary="Open a register page")
@requires("medication", "manage")
@idempotent
def post_register(request, payload: RegisterIn, response: HttpResponse):
    home = request.access.active_home
    if home is None:
        raise ValidationError(_("Choose a home first."))
    register = cd.open_register(
        home_id=home.pk, medicine_id=payload.medicine_id, resident_id=payload.resident_id, by=request.user
    )
    response["ETag"] = etag_for(register)
    return Status(201, _register_out(_register_or_404(register.pk), cd.resident_names([register.resident_id])))


@router.get("/cd/registers/{int:cd_register_id}", response=RegisterOut, summary="A register page")
@requires("medication", "view")
def get_register(request, cd_register_id: int, response: HttpResponse):
    register = _register_or_404(cd_register_id)
    response["ETag"] = etag_for(register)
    return _register_out(register, cd.resident_names([register.resident_id]))


@router.get("/cd/registers/{int:cd_register_id}/entries", response=list[CDEntryOut], summary="A page's entries")
@paginated
@requires("medication", "view")
def list_entries(request, cd_register_id: int):
    _register_or_404(cd_register_id)
    return [_entry_out(e) for e in _entries(cd_register_id).order_by("sequence")]


@router.post("/cd/registers/{int:cd_register_id}/entries", response={201: CDEntryOut}, summary="Enter in the register")
@requires("medication", "record")
@idempotent
def post_entry(request, cd_register_id: int, payload: EntryIn):
    register = _register_or_404(cd_register_id)
    witness = _witness(request, payload, register.home_id)
    data = payload.dict(exclude={"witness_email", "witness_password"})
    entry = cd.record_entry(register.pk, by=request.user, witness=witness, **data)
    return Status(201, _entry_out(_entries(register.pk).get(pk=entry.pk)))


@router.get("/cd/registers/{int:cd_register_id}/checks", response=list[CDCheckOut], summary="A page's stock checks")
@paginated
@requires("medication", "view")
def list_checks(request, cd_register_id: int):
    _register_or_404(cd_register_id)
    checks = CDStockCheck.objects.filter(register_id=cd_register_id).select_related(
        "checked_by", "witness", "discrepancy"
    )
    return [_check_out(c) for c in checks]


@router.post("/cd/registers/{int:cd_register_id}/checks", response={201: CDCheckOut}, summary="Record a stock check")
@requires("medication", "record")
@idempotent
def post_check(request, cd_register_id: int, payload: CheckIn):
    register = _register_or_404(cd_register_id)
    witness = _witness(request, payload, register.home_id)
    check = checks.stock_check(
        register.pk, counted=payload.counted, note=payload.note, by=request.user, witness=witness
    )
    check = CDStockCheck.objects.select_related("checked_by", "witness", "discrepancy").get(pk=check.pk)
    return Status(201, _check_out(check))


@router.post("/cd/entries/{int:cd_entry_id}/corrections", response={201: CDEntryOut}, summary="Correct an entry")
@requires("medication", "record")
@idempotent
def post_correction(request, cd_entry_id: int, payload: CDCorrectionIn):
    entry = CDEntry.objects.filter(pk=cd_entry_id).first()
    if entry is None:
        raise Http404(_("No such entry."))
    witness = _witness(request, payload, entry.home_id)
    cd.correct_entry(
        entry.pk, note=payload.note, right_quantity=payload.right_quantity, by=request.user, witness=witness
    )
    return Status(201, _entry_out(_entries(entry.register_id).get(pk=entry.pk)))


@router.get("/cd/discrepancies", response=list[DiscrepancyOut], summary="Discrepancies found by stock checks")
@paginated
@requires("medication", "view")
def list_discrepancies(request, filters: Query[DiscrepancyFilters]):
    qs = CDDiscrepancy.objects.select_related("register__medicine")
    if filters.status != "all":
        if filters.status not in CDDiscrepancy.Status.values:
            raise ValidationError({"status": [_("Choose open, resolved or all.")]})
        qs = qs.filter(status=filters.status)
    return [_discrepancy_out(d) for d in qs]


@router.post(
    "/cd/discrepancies/{int:cd_discrepancy_id}/resolve", response=DiscrepancyOut, summary="Resolve a discrepancy"
)
@requires("medication", "manage")
@idempotent
def post_resolve(request, cd_discrepancy_id: int, payload: ResolveIn):
    discrepancy = CDDiscrepancy.objects.filter(pk=cd_discrepancy_id).first()
    if discrepancy is None:
        raise Http404(_("No such discrepancy."))
    witness = _witness(request, payload, discrepancy.home_id) if payload.adjust else None
    checks.resolve_discrepancy(
        discrepancy.pk, resolution=payload.resolution, adjust=payload.adjust, witness=witness, by=request.user
    )
    return _discrepancy_out(CDDiscrepancy.objects.select_related("register__medicine").get(pk=discrepancy.pk))


def register_exists(pk: int) -> bool:
    return CDRegister.objects.filter(pk=pk).exists()


def entry_exists(pk: int) -> bool:
    return CDEntry.objects.filter(pk=pk).exists()


def discrepancy_exists(pk: int) -> bool:
    return CDDiscrepancy.objects.filter(pk=pk).exists()
