"""Medicines stock: receipts, doses off the balance (never blocked, flagged for a count), counts and carried
forward, returns refused beyond the stock, days remaining, the 28-day cycle and the reorder list; the fridge
log at its exact 2.0 and 8.0 °C limits, the action an out-of-range reading needs, and missing days."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.medication.conftest import in_home, order
from writecarenotes.medication import services_stock as stock
from writecarenotes.medication import services_stock_fridges as fridges
from writecarenotes.medication.models import Administration, Outcome, StockItem
from writecarenotes.platform.events.models import OutboxEvent

pytestmark = pytest.mark.django_db


def _receive(world, medicine, qty, resident=True):
    with in_home(world.home):
        return stock.receive(
            world.home.pk,
            medicine_id=medicine.pk,
            resident_id=world.resident.pk if resident else None,
            quantity=qty,
            supplier="High Street Pharmacy",
            by=world.users["nurse"],
        )


def _give(world, o, dose, outcome=Outcome.GIVEN):
    now = timezone.now()
    with in_home(world.home):
        a = Administration.objects.create(
            home=world.home,
            order=o,
            resident=world.resident,
            outcome=outcome,
            dose=Decimal(str(dose)),
            administered_at=now,
            recorded_at=now,
            recorded_by=world.users["nurse"],
        )
        stock.on_administered(a, world.users["nurse"], None)
    return a


def test_receipt_and_doses_make_the_running_balance(world, meds):
    o = order(world, meds.paracetamol, dose=2, times=["08:00", "18:00"])
    movement = _receive(world, meds.paracetamol, "56")
    assert movement.balance_after == 56
    _give(world, o, 2)
    _give(world, o, 2, outcome=Outcome.REFUSED)  # nothing taken off
    with in_home(world.home):
        item = StockItem.objects.get()
        assert item.balance == 54 and not item.needs_count
        assert OutboxEvent.objects.filter(name="medication.stock_received").count() == 1


def test_a_dose_with_too_little_stock_is_not_blocked_but_flags_a_count(world, meds):
    o = order(world, meds.paracetamol, dose=2)
    _receive(world, meds.paracetamol, "2")
    _give(world, o, 2)  # exactly the stock: no flag
    with in_home(world.home):
        assert not StockItem.objects.get().needs_count
    _give(world, o, 2)
    with in_home(world.home):
        item = StockItem.objects.get()
        assert item.balance == -2 and item.needs_count and "count it" in item.needs_count_reason
        assert OutboxEvent.objects.filter(name="medication.stock_count_needed").count() == 1
        stock.count(item.pk, counted="10", by=world.users["nurse"], reason="Found a box in the trolley")
        item.refresh_from_db()
        assert item.balance == 10 and not item.needs_count


def test_a_dose_with_no_stock_record_creates_a_flagged_item(world, meds):
    o = order(world, meds.ibuprofen, dose=1)
    _give(world, o, 1)
    with in_home(world.home):
        item = StockItem.objects.get()
        assert item.resident_id == world.resident.pk and item.balance == -1 and item.needs_count


def test_carried_forward_is_a_count_at_the_cycle_start(world, meds):
    _receive(world, meds.paracetamol, "20")
    with in_home(world.home):
        item = StockItem.objects.get()
        mv = stock.count(item.pk, counted="12", carried_forward=True, by=world.users["nurse"])
        assert (mv.kind, mv.change, mv.balance_after) == ("carried_forward", Decimal("-8"), Decimal("12"))
        event = OutboxEvent.objects.filter(name="medication.stock_received").order_by("occurred_at").last()
        assert event.payload["carried_forward"] is True


def test_returns_and_disposals_never_beyond_the_recorded_stock(world, meds):
    _receive(world, meds.paracetamol, "10")
    with in_home(world.home):
        item = StockItem.objects.get()
        with pytest.raises(ValidationError) as exc:
            stock.return_or_dispose(
                item.pk,
                kind="return",
                quantity="10.001",
                reason="Stopped",
                supplier="High Street Pharmacy",
                by=world.users["nurse"],
            )
        assert "Count the stock first" in exc.value.message_dict["quantity"][0]
        with pytest.raises(ValidationError) as exc:
            stock.return_or_dispose(item.pk, kind="return", quantity="1", reason="", by=world.users["nurse"])
        assert {"reason", "supplier"} <= set(exc.value.message_dict)
        mv = stock.return_or_dispose(item.pk, kind="disposal", quantity="10", reason="Dropped", by=world.users["nurse"])
        assert mv.balance_after == 0


def test_days_remaining_from_the_schedule(world, meds):
    order(world, meds.paracetamol, dose=2, times=["08:00", "18:00"])  # 4 a day
    _receive(world, meds.paracetamol, "30")
    with in_home(world.home):
        row = stock.stock_rows()[0]
    assert row.daily == 4 and row.days_left == 7  # 30 / 4 = 7.5 -> 7 whole days
    assert row.runs_out == timezone.localdate() + timedelta(days=7)


def test_cycle_dates_and_the_reorder_list(world, meds):
    today = timezone.localdate()
    with in_home(world.home):
        stock.save_settings(world.home.pk, cycle_start=today - timedelta(days=10), by=world.users["registered_manager"])
        cycle = stock.cycle_on(stock.settings_for(world.home.pk), today)
    assert cycle.start == today - timedelta(days=10) and cycle.next_start == today + timedelta(days=18)
    assert cycle.ordering_date == today + timedelta(days=11)
    order(world, meds.paracetamol, dose=1)  # 1 a day
    order(world, meds.warfarin, dose=1)
    order(world, meds.ibuprofen, dose=1)
    _receive(world, meds.paracetamol, "11")  # runs out exactly on the ordering date: order now
    _receive(world, meds.warfarin, "17")  # runs out the day before the next cycle: with the cycle order
    _receive(world, meds.ibuprofen, "18")  # lasts until the next cycle: not listed
    with in_home(world.home):
        _, rows = stock.reorder_list(world.home.pk, today)
    listed = {r.row.item.medicine.name: r.before_ordering_date for r in rows}
    assert listed == {"Paracetamol 500 mg tablets": True, "Warfarin 1 mg tablets": False}


def test_settings_refuse_impossible_cycles(world):
    with in_home(world.home), pytest.raises(ValidationError) as exc:
        stock.save_settings(
            world.home.pk,
            cycle_start=date(2025, 1, 6),
            cycle_days=28,
            order_lead_days=29,
            by=world.users["registered_manager"],
        )
    assert "order_lead_days" in exc.value.message_dict


@pytest.fixture
def fridge(world):
    with in_home(world.home):
        return fridges.add_fridge(world.home.pk, name="Treatment room", by=world.users["registered_manager"])


@pytest.mark.parametrize(
    ("current", "low", "high", "ok"),
    [("5", "2.0", "8.0", True), ("5", "1.9", "8", False), ("5", "2", "8.1", False), ("2.0", "2.0", "2.0", True)],
)
def test_fridge_range_is_2_to_8_inclusive(world, fridge, current, low, high, ok):
    with in_home(world.home):
        kw = {} if ok else {"action_taken": "Moved the insulin to the spare fridge; told the pharmacist"}
        reading = fridges.record_reading(
            fridge.pk, current_c=current, min_c=low, max_c=high, by=world.users["nurse"], **kw
        )
        assert reading.in_range is ok
        assert OutboxEvent.objects.filter(name="medication.fridge_out_of_range").exists() is not ok


def test_an_out_of_range_reading_needs_the_action_taken(world, fridge):
    with in_home(world.home), pytest.raises(ValidationError) as exc:
        fridges.record_reading(fridge.pk, current_c="9", min_c="4", max_c="9.5", by=world.users["nurse"])
    assert "Green Book" in exc.value.message_dict["action_taken"][0]
    with in_home(world.home), pytest.raises(ValidationError) as exc:
        fridges.record_reading(fridge.pk, current_c="5", min_c="6", max_c="4", by=world.users["nurse"])
    assert "min_c" in exc.value.message_dict


def test_days_without_a_reading_are_listed(world, fridge):
    today = timezone.localdate()
    with in_home(world.home):
        fridge.created_at = timezone.now() - timedelta(days=3)
        fridge.save()
        fridges.record_reading(
            fridge.pk,
            current_c="5",
            min_c="4",
            max_c="6",
            by=world.users["nurse"],
            read_at=timezone.now() - timedelta(days=2),
        )
        missing = fridges.missing_days(fridge, today=today)
    assert missing == [today - timedelta(days=3), today - timedelta(days=1), today]
