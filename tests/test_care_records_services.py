"""Services of notes and charts: audit row and event in the same transaction, refusals, rollback,
late entries, corrections that never edit in place, chart settings."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tests import factories as f
from writecarenotes.care_records.models import CareNote, ChartSettings, FoodFluidEntry, WeightEntry
from writecarenotes.care_records.services_charts import record_chart_entry, set_chart_settings
from writecarenotes.care_records.services_notes import correct_entry, history_of, record_note
from writecarenotes.platform.audit.models import AuditRecord
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.events.models import OutboxEvent
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.django_db


def _note(world, **kw):
    values = {
        "category": "personal_care",
        "text": "Assisted with a shower; skin intact.",
        "occurred_at": timezone.now(),
    }
    values.update(kw)
    with acting_as_system("test"), acting_for([world.home]):
        return record_note(resident_id=world.resident.pk, user=world.users["carer"], **values)


def _events(name):
    return list(OutboxEvent.unscoped.filter(name=name))


def test_note_is_saved_with_audit_and_event(world):
    note = _note(world)
    assert not note.is_late
    audit = AuditRecord.objects.get(action="care_records.note.recorded")
    assert audit.subject_type == "residents.resident" and audit.subject_id == str(world.resident.pk)
    [event] = _events("care_records.note_recorded")
    assert event.payload["note_id"] == note.pk and event.payload["category"] == "personal_care"
    assert _events("care_records.fall_noted") == []


def test_fall_note_publishes_fall_noted(world):
    note = _note(world, category="mobility", text="Found on the floor by the bed; no injury seen.", fall=True)
    [event] = _events("care_records.fall_noted")
    assert event.payload["note_id"] == note.pk


def test_entry_over_an_hour_after_the_care_is_marked_late(world):
    note = _note(world, occurred_at=timezone.now() - timedelta(hours=1, minutes=5))
    assert note.is_late
    assert not _note(world, occurred_at=timezone.now() - timedelta(minutes=50)).is_late


def test_refusals_leave_nothing(world):
    with pytest.raises(ValidationError) as exc:
        _note(world, occurred_at=timezone.now() + timedelta(hours=1))
    assert "occurred_at" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _note(world, category="gossip")
    assert "category" in exc.value.message_dict
    with pytest.raises(ValidationError):
        _note(world, text="   ")
    with acting_for([world.home]):
        assert CareNote.objects.count() == 0
    assert not AuditRecord.objects.filter(action__startswith="care_records.").exists()
    assert _events("care_records.note_recorded") == []


def test_discharged_resident_cannot_get_new_records(world):
    gone = f.resident(world.home, unit=world.unit, family="Gone", status="discharged", nhs_number="9990000042")
    with acting_as_system("test"), acting_for([world.home]), pytest.raises(ValidationError):
        record_note(
            resident_id=gone.pk, user=world.users["carer"], category="mood", text="x", occurred_at=timezone.now()
        )


def test_rollback_removes_entry_audit_and_event(world):
    with pytest.raises(RuntimeError), acting_as_system("test"), acting_for([world.home]), transaction.atomic():
        record_chart_entry(
            "food-fluid",
            resident_id=world.resident.pk,
            user=world.users["carer"],
            occurred_at=timezone.now(),
            values={"item": "Tea", "fluid_ml": 200},
        )
        raise RuntimeError("boom")
    with acting_for([world.home]):
        assert FoodFluidEntry.objects.count() == 0
    assert not AuditRecord.objects.filter(action="care_records.food_fluid.recorded").exists()
    assert _events("care_records.chart_entry_recorded") == []


def test_low_glucose_publishes_event(world):
    with acting_as_system("test"), acting_for([world.home]):
        for value in ("4.0", "3.9"):
            record_chart_entry(
                "blood-glucose",
                resident_id=world.resident.pk,
                user=world.users["nurse"],
                occurred_at=timezone.now(),
                values={"mmol_per_l": Decimal(value)},
            )
    [event] = _events("care_records.low_blood_glucose_recorded")
    assert event.payload["mmol_per_l"] == 3.9


def test_food_fluid_needs_an_amount(world):
    with acting_as_system("test"), acting_for([world.home]), pytest.raises(ValidationError) as exc:
        record_chart_entry(
            "food-fluid",
            resident_id=world.resident.pk,
            user=world.users["carer"],
            occurred_at=timezone.now(),
            values={"item": "Tea"},
        )
    assert "fluid_ml" in exc.value.message_dict


def test_correction_strikes_and_replaces_never_edits(world):
    note = _note(world, text="Drank 200 ml of tea.")
    with acting_as_system("test"), acting_for([world.home]):
        replacement = correct_entry(
            note,
            reason="Wrong resident's drink noted",
            new_values={"text": "Drank 150 ml of tea."},
            user=world.users["nurse"],
        )
        original = CareNote.objects.get(pk=note.pk)
        assert original.text == "Drank 200 ml of tea."  # never edited in place
        assert original.struck_at is not None and original.struck_by_id == world.users["nurse"].pk
        assert original.struck_reason == "Wrong resident's drink noted" and original.replaced_by_id == replacement.pk
        assert replacement.text == "Drank 150 ml of tea." and replacement.category == note.category
        assert replacement.occurred_at == note.occurred_at
        assert list(CareNote.objects.current()) == [replacement]
        assert [e.pk for e in history_of(replacement)] == [note.pk, replacement.pk]
        with pytest.raises(ValidationError):
            correct_entry(original, reason="again", new_values={"text": "x"}, user=world.users["nurse"])
        with pytest.raises(ValidationError):
            correct_entry(replacement, reason=" ", new_values={"text": "x"}, user=world.users["nurse"])
    audit = AuditRecord.objects.get(action="care_records.note.corrected")
    assert audit.reason == "Wrong resident's drink noted"
    [event] = _events("care_records.entry_corrected")
    assert event.payload["replacement_id"] == replacement.pk


def test_correction_of_a_chart_entry_revalidates(world):
    with acting_as_system("test"), acting_for([world.home]):
        w = record_chart_entry(
            "weight",
            resident_id=world.resident.pk,
            user=world.users["carer"],
            occurred_at=timezone.now(),
            values={"weight_kg": Decimal("61.2")},
        )
        with pytest.raises(ValidationError):
            correct_entry(w, reason="typo", new_values={"weight_kg": Decimal("612")}, user=world.users["nurse"])
        assert WeightEntry.objects.get(pk=w.pk).struck_at is None  # refused: nothing struck
        fixed = correct_entry(w, reason="typo", new_values={"weight_kg": Decimal("62.1")}, user=world.users["nurse"])
        assert fixed.weight_kg == Decimal("62.1")


def test_chart_settings_are_audited(world):
    with acting_as_system("test"), acting_for([world.home]):
        s = set_chart_settings(
            resident_id=world.resident.pk, values={"fluid_target_ml": 1800, "repositioning_interval_hours": 2}
        )
        assert ChartSettings.objects.get().fluid_target_ml == 1800
        with pytest.raises(ValidationError):
            set_chart_settings(resident_id=world.resident.pk, values={"fluid_target_ml": 50})
    assert s.repositioning_interval_hours == 2
    assert AuditRecord.objects.filter(action="care_records.chart_settings.changed").count() == 1


def test_another_homes_resident_is_not_found(world):
    from writecarenotes.residents.public import ResidentNotFound

    with acting_as_system("test"), acting_for([world.home]), pytest.raises(ResidentNotFound):
        record_note(
            resident_id=world.other_home_resident.pk,
            user=world.users["carer"],
            category="mood",
            text="x",
            occurred_at=timezone.now(),
        )
