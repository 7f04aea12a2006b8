"""Medicines stock: receipts against the 28-day cycle, carried-forward counts, the running balance, days
remaining, the reorder list, returns and disposals.

The balance of an item = receipts - doses given (``on_administered``, from the eMAR) - returns - disposals
+/- counts (a count sets the balance to what was counted, and the movement keeps the difference). A dose
given with too little stock recorded is never blocked (care is never stopped because a count is wrong):
the item is flagged for a count and ``medication.stock_count_needed`` is published. NICE SC1 asks homes to
keep records of medicines received, given and disposed of, and to order in good time; the cycle and the
lead time are the home's settings (``StockSettings``: 28 days, ordered 7 days before, by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.medication import schedule
from writecarenotes.medication.events_stock import StockCountNeeded, StockReceived
from writecarenotes.medication.models import (
    MedicationOrder,
    Medicine,
    MovementKind,
    OrderStatus,
    Outcome,
    StockItem,
    StockMovement,
    StockSettings,
)
from writecarenotes.medication.services_controlled import CLOCK_SLACK, parse_quantity, resident_names
from writecarenotes.medication.services_controlled import fmt as _fmt
from writecarenotes.platform.api.concurrency import check_if_match, etag_for
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.events.api import publish
from writecarenotes.residents.public import ResidentNotFound, get_resident

DEFAULT_CYCLE_DAYS = 28
DEFAULT_LEAD_DAYS = 7


class ItemNotFound(LookupError):
    pass


def _text(value, field: str, max_length: int, errors: dict, *, required: bool = False, message: str = "") -> str:
    text = (value or "").strip()
    if "\x00" in text:
        errors[field] = [_("Remove the invisible control characters.")]
    elif required and not text:
        errors[field] = [message]
    elif len(text) > max_length:
        errors[field] = [_("Keep it to %(n)s characters.") % {"n": max_length}]
    return text


def _when(value: datetime | None, errors: dict, field: str = "occurred_at") -> datetime:
    now = timezone.now()
    when = value or now
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    if when > now + CLOCK_SLACK:
        errors[field] = [_("The time cannot be in the future.")]
    return when


# --- the cycle -----------------------------------------------------------------------------------------


def settings_for(home_id: int) -> StockSettings | None:
    return StockSettings.objects.filter(home_id=home_id).first()


@dataclass(frozen=True)
class Cycle:
    start: date  # the current cycle's first day
    next_start: date  # the next cycle's first day (its supply should be in the home by then)
    ordering_date: date  # the next cycle's ordering date: next_start - lead time
    days: int
    lead_days: int


def cycle_on(settings: StockSettings, day: date) -> Cycle:
    days = settings.cycle_days or DEFAULT_CYCLE_DAYS
    offset = (day - settings.cycle_start).days // days
    start = settings.cycle_start + timedelta(days=offset * days)
    next_start = start + timedelta(days=days)
    return Cycle(
        start, next_start, next_start - timedelta(days=settings.order_lead_days), days, settings.order_lead_days
    )


def save_settings(
    home_id: int,
    *,
    cycle_start: date,
    order_lead_days: int = DEFAULT_LEAD_DAYS,
    cycle_days: int = DEFAULT_CYCLE_DAYS,
    by,
    if_match: str | None = None,
) -> StockSettings:
    errors: dict[str, list[str]] = {}
    if not isinstance(cycle_start, date):
        errors["cycle_start"] = [_("Enter the date a cycle starts.")]
    if not isinstance(cycle_days, int) or not 7 <= cycle_days <= 56:
        errors["cycle_days"] = [_("A cycle is 7 to 56 days (28 in most homes).")]
    if not isinstance(order_lead_days, int) or not 0 <= order_lead_days <= 28:
        errors["order_lead_days"] = [_("Order 0 to 28 days before the cycle starts.")]
    elif isinstance(cycle_days, int) and order_lead_days >= cycle_days:
        errors["order_lead_days"] = [_("The lead time must be shorter than the cycle.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = StockSettings.objects.select_for_update().filter(home_id=home_id).first()
        if current is not None:
            check_if_match(if_match, etag_for(current))
        before = (
            {"cycle_start": str(current.cycle_start), "cycle_days": current.cycle_days, "lead": current.order_lead_days}
            if current
            else None
        )
        row = current or StockSettings(home_id=home_id, version=0)
        row.cycle_start, row.cycle_days, row.order_lead_days = cycle_start, cycle_days, order_lead_days
        row.updated_at = timezone.now()
        row.version += 1
        row.save()
        record_change(
            "medication.stock.settings",
            target=row,
            before=before,
            after={"cycle_start": str(cycle_start), "cycle_days": cycle_days, "lead": order_lead_days},
        )
    return row


# --- items and movements -----------------------------------------------------------------------------------


def _medicine(home_id: int, medicine_id) -> Medicine:
    medicine = Medicine.objects.filter(pk=medicine_id, home_id=home_id).first() if medicine_id else None
    if medicine is None:
        raise ValidationError({"medicine": [_("Choose a medicine of this home.")]})
    return medicine


def _check_resident(home_id: int, resident_id: int | None) -> None:
    if resident_id is None:
        return
    try:
        ref = get_resident(resident_id)
    except ResidentNotFound:
        raise ValidationError({"resident": [_("Choose a resident of this home.")]}) from None
    if ref.home_id != home_id:
        raise ValidationError({"resident": [_("Choose a resident of this home.")]})


def _locked_item(home_id: int, medicine_id: int, resident_id: int | None, *, create: bool) -> StockItem | None:
    item = (
        StockItem.objects.select_for_update()
        .select_related("medicine")
        .filter(home_id=home_id, medicine_id=medicine_id, resident_id=resident_id)
        .first()
    )
    if item is None and create:
        StockItem.objects.create(
            home_id=home_id, medicine_id=medicine_id, resident_id=resident_id, created_at=timezone.now()
        )
        item = (
            StockItem.objects.select_for_update()
            .select_related("medicine")
            .get(home_id=home_id, medicine_id=medicine_id, resident_id=resident_id)
        )
    return item


def _item_by_id(item_id: int) -> StockItem:
    item = StockItem.objects.select_for_update().select_related("medicine").filter(pk=item_id).first()
    if item is None:
        raise ItemNotFound(item_id)
    return item


def _move(item: StockItem, *, kind: str, change: Decimal, by, occurred_at: datetime, **fields) -> StockMovement:
    item.balance += change
    item.version += 1
    movement = StockMovement.objects.create(
        home_id=item.home_id,
        item=item,
        kind=kind,
        change=change,
        balance_after=item.balance,
        occurred_at=occurred_at,
        recorded_by=by,
        **fields,
    )
    item.save(update_fields=["balance", "version", "needs_count", "needs_count_reason", "last_counted_at"])
    record_change(
        f"medication.stock.{kind}",
        target=movement,
        subject=("residents.resident", item.resident_id) if item.resident_id else None,
        before={"balance": str(item.balance - change)},
        after={"balance": str(item.balance), "item": item.pk, "change": str(change)},
    )
    return movement


def receive(
    home_id: int,
    *,
    medicine_id,
    resident_id: int | None,
    quantity,
    supplier: str,
    by,
    occurred_at: datetime | None = None,
    reference: str = "",
) -> StockMovement:
    """Medicines received from the pharmacy, for a resident (or the home's stock), in the current cycle."""
    errors: dict[str, list[str]] = {}
    try:
        qty = parse_quantity(quantity)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    supplier = _text(supplier, "supplier", 160, errors, required=True, message=_("Write the pharmacy it came from."))
    reference = _text(reference, "reference", 120, errors)
    when = _when(occurred_at, errors)
    try:
        medicine = _medicine(home_id, medicine_id)
        _check_resident(home_id, resident_id)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    settings = settings_for(home_id)
    cycle = cycle_on(settings, timezone.localdate(when)).start if settings else None
    with transaction.atomic():
        item = _locked_item(home_id, medicine.pk, resident_id, create=True)
        movement = _move(
            item,
            kind=MovementKind.RECEIPT,
            change=qty,
            by=by,
            occurred_at=when,
            cycle_start=cycle,
            supplier=supplier,
            reference=reference,
        )
        publish(
            StockReceived(
                item_id=item.pk,
                medicine=medicine.name,
                resident_id=resident_id,
                quantity=str(qty),
                balance=str(item.balance),
                cycle_start=cycle,
                occurred_at=when,
            ),
            home=home_id,
        )
    return movement


def count(item_id: int, *, counted, by, reason: str = "", carried_forward: bool = False) -> StockMovement:
    """A physical count: the balance becomes the count (the movement keeps the difference). At a cycle
    start, ``carried_forward`` records it as the quantity carried into the new cycle."""
    errors: dict[str, list[str]] = {}
    try:
        qty = parse_quantity(counted, "counted", allow_zero=True)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    reason = _text(reason, "reason", 300, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        item = _item_by_id(item_id)
        now = timezone.now()
        settings = settings_for(item.home_id)
        item.needs_count, item.needs_count_reason, item.last_counted_at = False, "", now
        movement = _move(
            item,
            kind=MovementKind.CARRIED_FORWARD if carried_forward else MovementKind.COUNT,
            change=qty - item.balance,
            by=by,
            occurred_at=now,
            counted=qty,
            reason=reason,
            cycle_start=cycle_on(settings, timezone.localdate(now)).start if settings else None,
        )
        if carried_forward:
            publish(
                StockReceived(
                    item_id=item.pk,
                    medicine=item.medicine.name,
                    resident_id=item.resident_id,
                    quantity=str(qty),
                    balance=str(item.balance),
                    carried_forward=True,
                    cycle_start=movement.cycle_start,
                    occurred_at=now,
                ),
                home=item.home_id,
            )
    return movement


def return_or_dispose(
    item_id: int,
    *,
    kind: str,
    quantity,
    by,
    reason: str,
    supplier: str = "",
    reference: str = "",
    occurred_at: datetime | None = None,
) -> StockMovement:
    """Returned to the pharmacy, or disposed of (with the reason). More than the recorded stock is refused:
    count it first."""
    if kind not in (MovementKind.RETURN, MovementKind.DISPOSAL):
        raise ValidationError({"kind": [_("Choose returned or disposed of.")]})
    errors: dict[str, list[str]] = {}
    try:
        qty = parse_quantity(quantity)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        qty = None
    reason = _text(
        reason, "reason", 300, errors, required=True, message=_("Write why (stopped, expired, refused, spoiled...).")
    )
    supplier = _text(
        supplier,
        "supplier",
        160,
        errors,
        required=kind == MovementKind.RETURN,
        message=_("Write the pharmacy it went back to."),
    )
    reference = _text(reference, "reference", 120, errors)
    when = _when(occurred_at, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        item = _item_by_id(item_id)
        if qty > item.balance:
            raise ValidationError(
                {
                    "quantity": [
                        _("Refused: the record shows %(b)s in stock. Count the stock first, then record it.")
                        % {"b": _fmt(item.balance)}
                    ]
                }
            )
        return _move(
            item, kind=kind, change=-qty, by=by, occurred_at=when, reason=reason, supplier=supplier, reference=reference
        )


def _flag(item: StockItem, reason: str) -> None:
    if not item.needs_count:
        publish(
            StockCountNeeded(
                item_id=item.pk,
                medicine=item.medicine.name,
                resident_id=item.resident_id,
                balance=str(item.balance),
                reason=reason,
            ),
            home=item.home_id,
        )
    item.needs_count, item.needs_count_reason = True, reason[:300]


def on_administered(administration, by, witness=None) -> None:
    """Called by ``lifecycle.after_administration``: a dose given comes off the resident's stock of the
    medicine (or the home's stock, for a homely remedy). Never refuses: too little stock flags a count."""
    if administration.outcome != Outcome.GIVEN:
        return
    if StockMovement.objects.filter(administration=administration).exists():
        return
    dose = administration.dose if administration.dose is not None else administration.order.dose
    qty = Decimal(str(dose))
    if qty <= 0:
        return
    medicine_id = administration.order.medicine_id
    item = _locked_item(administration.home_id, medicine_id, administration.resident_id, create=False)
    if item is None:
        item = _locked_item(administration.home_id, medicine_id, None, create=False)
    if item is None:
        item = _locked_item(administration.home_id, medicine_id, administration.resident_id, create=True)
    if item.balance < qty:
        _flag(
            item,
            _("A dose of %(q)s was given with %(b)s recorded in stock: count it.")
            % {"q": _fmt(qty), "b": _fmt(item.balance)},
        )
    _move(
        item,
        kind=MovementKind.DOSE,
        change=-qty,
        by=by,
        occurred_at=administration.administered_at,
        administration=administration,
    )


def on_corrected(administration, by, before: dict) -> None:
    """A corrected eMAR record: the difference in the dose given goes back on (or comes off) the stock."""
    old = Decimal(str(before.get("dose") or 0)) if before.get("outcome") == Outcome.GIVEN else Decimal(0)
    new = Decimal(str(administration.dose or 0)) if administration.outcome == Outcome.GIVEN else Decimal(0)
    if old == new:
        return
    first = StockMovement.objects.filter(administration=administration).select_related("item").order_by("pk").first()
    if first is None:
        if old:
            return  # the original dose was never taken off a stock record
        on_administered(administration, by)
        return
    item = _item_by_id(first.item_id)
    change = old - new
    if change < 0 and item.balance < -change:
        _flag(item, _("A corrected dose record took more than the recorded stock: count it."))
    _move(
        item,
        kind=MovementKind.DOSE_CORRECTION,
        change=change,
        by=by,
        occurred_at=timezone.now(),
        administration=administration,
        reason=_("eMAR record corrected"),
    )


# --- reading the stock --------------------------------------------------------------------------------------


@dataclass
class StockRow:
    item: StockItem
    resident_name: str
    daily: Decimal  # dose units a day from the active regular orders (0: PRN only or none)
    days_left: int | None  # whole days the stock lasts; None when not used on a schedule
    runs_out: date | None


def _daily_use(items: list[StockItem], today: date) -> dict[tuple[int, int | None], Decimal]:
    """{(medicine id, resident id): daily quantity} from the active regular orders, in one query."""
    resident_ids = {i.resident_id for i in items if i.resident_id}
    medicine_ids = {i.medicine_id for i in items}
    if not medicine_ids:
        return {}
    orders = MedicationOrder.objects.filter(
        medicine_id__in=medicine_ids, status=OrderStatus.ACTIVE, is_prn=False, start_date__lte=today
    ).filter(Q(stop_date__isnull=True) | Q(stop_date__gte=today))
    home_items = {i.medicine_id for i in items if i.resident_id is None}
    use: dict[tuple[int, int | None], Decimal] = {}
    for order in orders.only(
        "medicine_id", "resident_id", "dose", "dose_max", "is_prn", "times", "days_of_week", "every_n_days"
    ):
        daily = schedule.daily_quantity(order)
        if order.resident_id in resident_ids:
            key = (order.medicine_id, order.resident_id)
            use[key] = use.get(key, Decimal(0)) + daily
        if order.medicine_id in home_items:
            key = (order.medicine_id, None)
            use[key] = use.get(key, Decimal(0)) + daily
    return use


def stock_rows(*, resident_id: int | None = None, today: date | None = None) -> list[StockRow]:
    """Every stock item in scope with days remaining. Three queries."""
    today = today or timezone.localdate()
    qs = StockItem.objects.select_related("medicine")
    if resident_id is not None:
        qs = qs.filter(resident_id=resident_id)
    items = list(qs.order_by("resident_id", "medicine__name", "pk"))
    use = _daily_use(items, today)
    names = resident_names({i.resident_id for i in items})
    rows = []
    for item in items:
        daily = use.get((item.medicine_id, item.resident_id), Decimal(0))
        days_left = runs_out = None
        if daily > 0:
            days_left = int((max(item.balance, Decimal(0)) / daily).to_integral_value(rounding=ROUND_FLOOR))
            runs_out = today + timedelta(days=days_left)
        rows.append(
            StockRow(item, names.get(item.resident_id, "") if item.resident_id else "", daily, days_left, runs_out)
        )
    rows.sort(key=lambda r: (r.resident_name == "", r.resident_name, r.item.medicine.name))
    return rows


@dataclass
class ReorderRow:
    row: StockRow
    before_ordering_date: bool  # runs out before the order is even placed: order now (interim supply)


def reorder_list(home_id: int, today: date | None = None) -> tuple[Cycle | None, list[ReorderRow]]:
    """Items that will run out before the next cycle's supply: those running out before (or on) the next
    ordering date need an order now; the rest before the next cycle starts must be on the cycle's order.
    Items flagged for a count or with nothing left are listed too."""
    today = today or timezone.localdate()
    settings = settings_for(home_id)
    if settings is None:
        return None, []
    cycle = cycle_on(settings, today)
    out = []
    for row in stock_rows(today=today):
        if row.item.home_id != home_id:
            continue
        if row.runs_out is not None and row.runs_out < cycle.next_start:
            out.append(ReorderRow(row, row.runs_out <= cycle.ordering_date))
        elif row.runs_out is None and row.daily == 0 and row.item.balance <= 0:
            out.append(ReorderRow(row, True))
    out.sort(key=lambda r: (r.row.runs_out or today, r.row.resident_name, r.row.item.medicine.name))
    return cycle, out
