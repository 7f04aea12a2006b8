"""API of medicines stock and the fridge log (mounted under /api/v1/medication/).

/stock/items                          GET the stock items in scope with days remaining (?resident_id=)
/stock/items/{stock_item_id}          GET an item with its recent movements (ETag)
/stock/receipts                       POST a receipt from the pharmacy
/stock/items/{stock_item_id}/counts   POST a count (carried_forward at a cycle start)
/stock/items/{stock_item_id}/outgoings  POST a return to the pharmacy or a disposal
/stock/reorder                        GET the next cycle's dates and the items that run out before it
/stock/settings                       GET the home's cycle (ETag); PUT it (manage; If-Match once it exists)
/fridges                              GET the fridges with today's status; POST add one (manage)
/fridges/{fridge_id}/readings         GET the readings; POST a reading (out of range needs action_taken)
/fridges/{fridge_id}/missing-days     GET the days of the last 28 without a reading
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from writecarenotes.medication import services_stock as stock
from writecarenotes.medication import services_stock_fridges as fridges
from writecarenotes.medication.models import Fridge, FridgeReading, StockItem
from writecarenotes.platform.api.concurrency import etag_for, if_match_header
from writecarenotes.platform.api.idempotency import idempotent
from writecarenotes.platform.api.pagination import paginated
from writecarenotes.platform.identity.permissions import requires

router = Router(tags=["medication: stock and fridges"])


class StockItemOut(Schema):
    id: int
    medicine_id: int
    medicine: str
    dose_unit: str
    resident_id: int | None
    resident_name: str
    balance: Decimal
    daily_use: Decimal
    days_left: int | None
    runs_out: date | None
    needs_count: bool
    needs_count_reason: str
    version: int


class MovementOut(Schema):
    id: int
    kind: str
    change: Decimal
    balance_after: Decimal
    counted: Decimal | None
    occurred_at: datetime
    supplier: str
    reason: str
    reference: str
    administration_id: int | None
    cycle_start: date | None


class ItemDetailOut(StockItemOut):
    movements: list[MovementOut]


class ReceiptIn(Schema):
    medicine_id: int
    resident_id: int | None = Field(None, description="null for the home's stock (homely remedies)")
    quantity: Decimal
    supplier: str = Field(..., max_length=160)
    reference: str = Field("", max_length=120)
    occurred_at: datetime | None = None


class CountIn(Schema):
    counted: Decimal
    carried_forward: bool = False
    reason: str = Field("", max_length=300)


class OutgoingIn(Schema):
    kind: str = Field(..., description="return or disposal")
    quantity: Decimal
    reason: str = Field(..., max_length=300)
    supplier: str = Field("", max_length=160)
    reference: str = Field("", max_length=120)


class ReorderItem(StockItemOut):
    before_ordering_date: bool


class ReorderOut(Schema):
    cycle_start: date | None
    next_cycle_start: date | None
    ordering_date: date | None
    items: list[ReorderItem]


class StockSettingsIn(Schema):
    cycle_start: date
    cycle_days: int = 28
    order_lead_days: int = 7


class StockSettingsOut(StockSettingsIn):
    version: int


class ItemFilters(Schema):
    resident_id: int | None = None


class FridgeIn(Schema):
    name: str = Field(..., max_length=80)
    location: str = Field("", max_length=120)


class FridgeOut(Schema):
    id: int
    name: str
    location: str
    read_today: bool
    out_of_range_7d: int
    last_read_at: datetime | None


class ReadingIn(Schema):
    current_c: Decimal
    min_c: Decimal
    max_c: Decimal
    action_taken: str = Field("", max_length=1000)
    read_at: datetime | None = None


class ReadingOut(Schema):
    id: int
    fridge_id: int
    read_at: datetime
    current_c: Decimal
    min_c: Decimal
    max_c: Decimal
    in_range: bool
    action_taken: str
    recorded_by: str


def _item_out(row: stock.StockRow) -> dict:
    i = row.item
    return {
        "id": i.pk,
        "medicine_id": i.medicine_id,
        "medicine": i.medicine.name,
        "dose_unit": i.medicine.dose_unit,
        "resident_id": i.resident_id,
        "resident_name": row.resident_name,
        "balance": i.balance,
        "daily_use": row.daily,
        "days_left": row.days_left,
        "runs_out": row.runs_out,
        "needs_count": i.needs_count,
        "needs_count_reason": i.needs_count_reason,
        "version": i.version,
    }


def _home_id(request) -> int:
    if request.access.active_home is None:
        raise ValidationError(_("Choose a home first."))
    return request.access.active_home.pk


def _detail(item_id: int) -> dict:
    item = StockItem.objects.filter(pk=item_id).first()
    if item is None:
        raise Http404(_("No such stock item."))
    row = next(r for r in stock.stock_rows(resident_id=item.resident_id) if r.item.pk == item.pk)
    movements = [
        {f: getattr(m, f) for f in MovementOut.model_fields} | {"id": m.pk} for m in item.movements.all()[:100]
    ]
    return {**_item_out(row), "movements": movements}


@router.get("/stock/items", response=list[StockItemOut], summary="Stock items with days remaining")
@paginated
@requires("medication", "view")
def list_items(request, filters: Query[ItemFilters]):
    return [_item_out(r) for r in stock.stock_rows(resident_id=filters.resident_id)]


@router.get("/stock/items/{int:stock_item_id}", response=ItemDetailOut, summary="A stock item and its movements")
@requires("medication", "view")
def get_item(request, stock_item_id: int, response: HttpResponse):
    detail = _detail(stock_item_id)
    response["ETag"] = f'"v{detail["version"]}"'
    return detail


@router.post("/stock/receipts", response={201: ItemDetailOut}, summary="Receive from the pharmacy")
@requires("medication", "record")
@idempotent
def post_receipt(request, payload: ReceiptIn):
    movement = stock.receive(_home_id(request), by=request.user, **payload.dict())
    return Status(201, _detail(movement.item_id))


@router.post("/stock/items/{int:stock_item_id}/counts", response={201: ItemDetailOut}, summary="Count the stock")
@requires("medication", "record")
@idempotent
def post_count(request, stock_item_id: int, payload: CountIn):
    stock.count(stock_item_id, by=request.user, **payload.dict())
    return Status(201, _detail(stock_item_id))


@router.post(
    "/stock/items/{int:stock_item_id}/outgoings",
    response={201: ItemDetailOut},
    summary="Return to the pharmacy or dispose of",
)
@requires("medication", "record")
@idempotent
def post_outgoing(request, stock_item_id: int, payload: OutgoingIn):
    stock.return_or_dispose(stock_item_id, by=request.user, **payload.dict())
    return Status(201, _detail(stock_item_id))


@router.get("/stock/reorder", response=ReorderOut, summary="What runs out before the next cycle")
@requires("medication", "view")
def get_reorder(request):
    cycle, rows = stock.reorder_list(_home_id(request))
    return {
        "cycle_start": cycle.start if cycle else None,
        "next_cycle_start": cycle.next_start if cycle else None,
        "ordering_date": cycle.ordering_date if cycle else None,
        "items": [{**_item_out(r.row), "before_ordering_date": r.before_ordering_date} for r in rows],
    }


@router.get("/stock/settings", response=StockSettingsOut, summary="The home's ordering cycle")
@requires("medication", "view")
def get_settings(request, response: HttpResponse):
    row = stock.settings_for(_home_id(request))
    if row is None:
        raise Http404(_("No ordering cycle set yet."))
    response["ETag"] = etag_for(row)
    return row


@router.put("/stock/settings", response=StockSettingsOut, summary="Set the home's ordering cycle")
@requires("medication", "manage")
def put_settings(request, payload: StockSettingsIn, response: HttpResponse):
    home_id = _home_id(request)
    exists = stock.settings_for(home_id) is not None
    if_match = if_match_header(request, required=exists)
    row = stock.save_settings(home_id, by=request.user, if_match=if_match, **payload.dict())
    response["ETag"] = etag_for(row)
    return row


@router.get("/fridges", response=list[FridgeOut], summary="Medicines fridges")
@paginated
@requires("medication", "view")
def list_fridges(request):
    return [
        {
            "id": r.fridge.pk,
            "name": r.fridge.name,
            "location": r.fridge.location,
            "read_today": r.read_today,
            "out_of_range_7d": r.out_of_range_7d,
            "last_read_at": r.last.read_at if r.last else None,
        }
        for r in fridges.fridge_rows()
    ]


@router.post("/fridges", response={201: FridgeOut}, summary="Add a fridge")
@requires("medication", "manage")
@idempotent
def post_fridge(request, payload: FridgeIn):
    f = fridges.add_fridge(_home_id(request), by=request.user, **payload.dict())
    return Status(
        201,
        {
            "id": f.pk,
            "name": f.name,
            "location": f.location,
            "read_today": False,
            "out_of_range_7d": 0,
            "last_read_at": None,
        },
    )


def _reading_out(r: FridgeReading) -> dict:
    return {
        f: getattr(r, f)
        for f in ("id", "fridge_id", "read_at", "current_c", "min_c", "max_c", "in_range", "action_taken")
    } | {"recorded_by": r.recorded_by.display_name}


@router.get("/fridges/{int:fridge_id}/readings", response=list[ReadingOut], summary="A fridge's readings")
@paginated
@requires("medication", "view")
def list_readings(request, fridge_id: int):
    return [_reading_out(r) for r in FridgeReading.objects.filter(fridge_id=fridge_id).select_related("recorded_by")]


@router.post("/fridges/{int:fridge_id}/readings", response={201: ReadingOut}, summary="Record a reading")
@requires("medication", "record")
@idempotent
def post_reading(request, fridge_id: int, payload: ReadingIn):
    reading = fridges.record_reading(fridge_id, by=request.user, **payload.dict())
    return Status(201, _reading_out(reading))


@router.get("/fridges/{int:fridge_id}/missing-days", response=list[date], summary="Days without a reading")
@requires("medication", "view")
def get_missing(request, fridge_id: int):
    fridge = Fridge.objects.filter(pk=fridge_id).first()
    if fridge is None:
        raise Http404(_("No such fridge."))
    return fridges.missing_days(fridge)


def item_exists(pk: int) -> bool:
    return StockItem.objects.filter(pk=pk).exists()


def fridge_exists(pk: int) -> bool:
    return Fridge.objects.filter(pk=pk).exists()
