"""The controlled drugs register: append-only entries with a running balance never below zero, a different
witness, reg. 20(b) dates (the day or the next day), corrections as dated notes with a correcting entry,
stock checks raising a discrepancy and its event, and the eMAR hook (administered entries, refusals)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.medication.conftest import in_home, order
from writecarenotes.medication import services_controlled as cd
from writecarenotes.medication import services_controlled_checks as checks
from writecarenotes.medication.models import Administration, CDDiscrepancy, CDEntry, CDRegister, Outcome
from writecarenotes.platform.events.models import OutboxEvent

pytestmark = pytest.mark.django_db

PHARMACY = {"supplier_name": "High Street Pharmacy", "supplier_address": "1 High Street, Oakham"}


@pytest.fixture
def page(world, meds):
    with in_home(world.home):
        return cd.open_register(
            home_id=world.home.pk, medicine_id=meds.morphine.pk, resident_id=None, by=world.users["registered_manager"]
        )


def _receive(world, page, qty="100", **kw):
    with in_home(world.home):
        return cd.receive(
            page.pk, quantity=qty, by=world.users["nurse"], witness=world.users["senior_carer"], **{**PHARMACY, **kw}
        )


def _give(world, medicine, dose, witness="senior_carer", outcome=Outcome.GIVEN):
    o = order(world, medicine, dose=dose)
    now = timezone.now()
    with in_home(world.home):
        admin = Administration.objects.create(
            home=world.home,
            order=o,
            resident=world.resident,
            outcome=outcome,
            dose=Decimal(str(dose)),
            administered_at=now,
            recorded_at=now,
            recorded_by=world.users["nurse"],
            due_at=None,
        )
        cd.on_administered(admin, world.users["nurse"], world.users[witness] if witness else None)
    return admin


def test_receipt_sets_the_running_balance_and_publishes(world, page):
    entry = _receive(world, page, "100")
    assert (entry.sequence, entry.kind, entry.balance_after) == (1, "received", Decimal("100"))
    assert entry.party_name == "High Street Pharmacy" and entry.witness == world.users["senior_carer"]
    second = _receive(world, page, "2.5")
    assert second.sequence == 2 and second.balance_after == Decimal("102.5")
    with in_home(world.home):
        assert CDRegister.objects.get(pk=page.pk).balance == Decimal("102.5")
        assert OutboxEvent.objects.filter(name="medication.cd_entry_recorded").count() == 2


def test_receipt_needs_the_supplier_name_and_address_and_a_positive_quantity(world, page):
    with in_home(world.home), pytest.raises(ValidationError) as exc:
        cd.receive(
            page.pk,
            quantity="0",
            supplier_name="",
            supplier_address="",
            by=world.users["nurse"],
            witness=world.users["senior_carer"],
        )
    assert {"quantity", "party_name", "party_address"} <= set(exc.value.message_dict)


def test_the_witness_must_be_someone_else(world, page):
    with in_home(world.home), pytest.raises(ValidationError) as exc:
        cd.receive(page.pk, quantity="10", by=world.users["nurse"], witness=world.users["nurse"], **PHARMACY)
    assert "different person" in exc.value.message_dict["witness"][0]
    with in_home(world.home), pytest.raises(ValidationError) as exc:
        cd.receive(page.pk, quantity="10", by=world.users["nurse"], witness=None, **PHARMACY)
    assert "witness" in exc.value.message_dict


def test_entries_on_the_day_or_the_next_day_only(world, page):
    today = timezone.localtime()
    yesterday = today - timedelta(days=1)
    assert _receive(world, page, "1", occurred_at=yesterday.replace(hour=0, minute=1)).balance_after == 1
    before = (today - timedelta(days=2)).replace(hour=23, minute=59)
    with pytest.raises(ValidationError) as exc:
        _receive(world, page, "1", occurred_at=before)
    assert "reg. 20(b)" in exc.value.message_dict["occurred_at"][0]
    with pytest.raises(ValidationError):
        _receive(world, page, "1", occurred_at=timezone.now() + timedelta(minutes=10))


def test_supply_down_to_exactly_zero_but_never_below(world, page):
    _receive(world, page, "10")
    with in_home(world.home):
        out = cd.record_entry(
            page.pk,
            kind="returned",
            quantity="10",
            party_name="High Street Pharmacy",
            by=world.users["nurse"],
            witness=world.users["deputy_manager"],
        )
        assert out.balance_after == 0 and out.change == Decimal("-10")
        with pytest.raises(ValidationError) as exc:
            cd.record_entry(
                page.pk,
                kind="destroyed",
                quantity="0.001",
                party_name="Nurse and witness",
                by=world.users["nurse"],
                witness=world.users["deputy_manager"],
            )
        assert "below zero" in exc.value.message_dict["quantity"][0]
        assert CDEntry.objects.filter(register=page).count() == 2


def test_on_administered_appends_the_dose_and_refuses_below_zero(world, meds, page):
    _receive(world, page, "10")
    admin = _give(world, meds.morphine, "2.5")
    with in_home(world.home):
        entry = CDEntry.objects.get(administration=admin)
        assert (entry.kind, entry.quantity, entry.balance_after) == ("administered", Decimal("2.5"), Decimal("7.5"))
        assert entry.resident_id == world.resident.pk and entry.witness == world.users["senior_carer"]
        cd.on_administered(admin, world.users["nurse"], world.users["senior_carer"])  # a retry adds nothing
        assert CDEntry.objects.filter(administration=admin).count() == 1
    _give(world, meds.morphine, "7.5")  # exactly to zero
    with pytest.raises(ValidationError) as exc:
        _give(world, meds.morphine, "0.5")
    assert "below zero" in str(exc.value)


def test_on_administered_refuses_without_a_page_or_a_witness(world, meds):
    with pytest.raises(ValidationError) as exc:
        _give(world, meds.morphine, "5")
    assert "no page" in str(exc.value)
    with pytest.raises(ValidationError):
        _give(world, meds.morphine, "5", witness=None)


def test_on_administered_ignores_other_outcomes_and_unregistered_medicines(world, meds, page):
    _give(world, meds.morphine, "5", outcome=Outcome.REFUSED)
    _give(world, meds.paracetamol, "2", witness=None)
    with in_home(world.home):
        assert not CDEntry.objects.exists()


def test_a_residents_own_page_is_used_before_the_homes(world, meds, page):
    with in_home(world.home):
        own = cd.open_register(
            home_id=world.home.pk,
            medicine_id=meds.morphine.pk,
            resident_id=world.resident.pk,
            by=world.users["registered_manager"],
        )
    _receive(world, own, "20")
    admin = _give(world, meds.morphine, "5")
    with in_home(world.home):
        assert CDEntry.objects.get(administration=admin).register_id == own.pk
        with pytest.raises(ValidationError):
            cd.open_register(
                home_id=world.home.pk,
                medicine_id=meds.morphine.pk,
                resident_id=world.resident.pk,
                by=world.users["registered_manager"],
            )


def test_only_controlled_drugs_get_a_page(world, meds):
    with in_home(world.home), pytest.raises(ValidationError) as exc:
        cd.open_register(
            home_id=world.home.pk,
            medicine_id=meds.paracetamol.pk,
            resident_id=None,
            by=world.users["registered_manager"],
        )
    assert "not a controlled drug" in exc.value.message_dict["medicine"][0]


def test_a_correction_is_a_dated_note_and_a_correcting_entry(world, page):
    entry = _receive(world, page, "100")
    with in_home(world.home):
        note = cd.correct_entry(
            entry.pk,
            note="The delivery note says 10",
            right_quantity="10",
            by=world.users["nurse"],
            witness=world.users["senior_carer"],
        )
        entry.refresh_from_db()
        assert entry.quantity == Decimal("100") and entry.balance_after == Decimal("100")  # never altered
        fix = note.correcting_entry
        assert (fix.kind, fix.change, fix.balance_after, fix.corrects_id) == (
            "correction",
            Decimal("-90"),
            10,
            entry.pk,
        )
        only_note = cd.correct_entry(
            entry.pk, note="Invoice number added: INV-1", by=world.users["nurse"], witness=world.users["senior_carer"]
        )
        assert only_note.correcting_entry is None and only_note.written_at.date() == timezone.now().date()
        with pytest.raises(ValidationError) as exc:
            cd.correct_entry(entry.pk, note="", by=world.users["nurse"], witness=world.users["senior_carer"])
        assert "note" in exc.value.message_dict


def test_a_stock_check_that_matches_raises_nothing(world, page):
    _receive(world, page, "10")
    with in_home(world.home):
        check = checks.stock_check(page.pk, counted="10", by=world.users["nurse"], witness=world.users["senior_carer"])
        assert check.matches and not CDDiscrepancy.objects.exists()
        assert not OutboxEvent.objects.filter(name="medication.cd_discrepancy").exists()


def test_a_stock_check_difference_raises_a_discrepancy_and_the_event(world, page):
    _receive(world, page, "10")
    with in_home(world.home):
        check = checks.stock_check(
            page.pk, counted="9.999", by=world.users["nurse"], witness=world.users["senior_carer"]
        )
        discrepancy = CDDiscrepancy.objects.get()
        assert (discrepancy.expected, discrepancy.counted, discrepancy.check_record_id) == (
            10,
            Decimal("9.999"),
            check.pk,
        )
        event = OutboxEvent.objects.get(name="medication.cd_discrepancy")
        assert event.payload["expected"] == "10.000" and event.payload["counted"] == "9.999"
        assert event.payload["drug"] == "Morphine sulfate 10 mg/5 ml oral solution"
        assert CDRegister.objects.get(pk=page.pk).balance == 10  # the balance is not changed by a count
        resolved = checks.resolve_discrepancy(
            discrepancy.pk,
            resolution="Spillage not recorded",
            adjust=True,
            by=world.users["registered_manager"],
            witness=world.users["nurse"],
        )
        assert resolved.status == "resolved" and resolved.adjustment.balance_after == Decimal("9.999")
        with pytest.raises(ValidationError):
            checks.resolve_discrepancy(discrepancy.pk, resolution="again", by=world.users["registered_manager"])


def test_on_corrected_puts_a_dose_back_on_the_page(world, meds, page):
    _receive(world, page, "10")
    admin = _give(world, meds.morphine, "5")
    with in_home(world.home):
        admin.outcome, admin.dose = Outcome.REFUSED, None
        cd.on_corrected(admin, world.users["nurse"], {"outcome": "given", "dose": "5"})
        assert CDRegister.objects.get(pk=page.pk).balance == 10
        original = CDEntry.objects.get(administration=admin)
        assert original.notes.count() == 1 and original.corrections.get().change == 5
