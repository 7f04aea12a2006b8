"""Version history of records (tested on tenancy.Unit; the lead attaches it to residents)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from tests import factories as f
from writecarenotes.platform.audit.models import AuditRecord, RecordVersion
from writecarenotes.platform.audit.services import acting_as_system, save_version
from writecarenotes.platform.tenancy.models import Unit
from writecarenotes.platform.tenancy.scope import acting_for


def edit_unit(unit: Unit, *, reason: str = "", **changes) -> RecordVersion | None:
    with transaction.atomic():
        for k, v in changes.items():
            setattr(unit, k, v)
        unit.save()
        return save_version(unit, reason=reason)


@pytest.fixture
def versioned_unit(world):
    unit = world.unit
    with acting_as_system("test"), acting_for([world.home]):
        edit_unit(unit)  # version 1: as created
        edit_unit(unit, name="Rowan wing", reason="Renamed after the refurbishment")
        edit_unit(unit, description="Dementia care", sort_order=2, reason="Unit now specialises")
    return unit


def test_versions_record_who_changed_which_field_when_and_why(versioned_unit, world):
    versions = list(RecordVersion.objects.filter(content_type="tenancy.unit", object_id=str(versioned_unit.pk)))
    assert [v.version for v in versions] == [1, 2, 3]
    assert versions[1].changed == ["name"] and versions[1].reason == "Renamed after the refurbishment"
    assert versions[2].changed == ["description", "sort_order"]
    assert versions[0].data["name"] == "Ground floor" and versions[2].data["name"] == "Rowan wing"
    assert all(v.home_id == world.home.pk and v.actor_display == "system: test" for v in versions)
    audit = AuditRecord.objects.get(pk=versions[1].audit_record_id)
    assert (audit.action, audit.before, audit.after) == (
        "tenancy.unit.update",
        {"name": "Ground floor"},
        {"name": "Rowan wing"},
    )


def test_a_change_needs_a_reason_and_an_unchanged_save_makes_no_version(versioned_unit, world):
    with acting_for([world.home]):
        with pytest.raises(ValueError, match="reason"):
            edit_unit(versioned_unit, name="No reason given")
        versioned_unit.refresh_from_db()
        assert versioned_unit.name == "Rowan wing"  # the change rolled back with the refusal
        assert edit_unit(versioned_unit, reason="nothing changed") is None
    assert RecordVersion.objects.filter(object_id=str(versioned_unit.pk)).count() == 3


def test_versions_cannot_be_rewritten(versioned_unit):
    with pytest.raises(DatabaseError), transaction.atomic():
        RecordVersion.objects.filter(object_id=str(versioned_unit.pk)).update(reason="rewritten")


def test_history_page_shows_previous_versions_to_a_manager(versioned_unit, world, client_for):
    c = client_for(world.users["registered_manager"])
    r = c.get(f"/audit/history/tenancy.unit/{versioned_unit.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Version 3" in html and "Version 1" in html
    assert "Renamed after the refurbishment" in html and "Unit now specialises" in html
    assert "Ground floor" in html and "Rowan wing" in html  # before -> after of version 2
    read = AuditRecord.objects.get(kind="read", part="version history")
    assert read.subject_id == str(versioned_unit.pk) and read.actor_email == world.users["registered_manager"].email


def test_history_page_is_scoped_and_needs_audit_view(versioned_unit, world, client_for):
    url = f"/audit/history/tenancy.unit/{versioned_unit.pk}/"
    assert client_for(world.users["carer"]).get(url).status_code == 403
    outsider = f.user("other-manager@example.test")
    f.member(outsider, "registered_manager", home=world.other_home)
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(world.users["inspector"]).get(url).status_code == 200
    assert client_for(world.users["registered_manager"]).get("/audit/history/nope.model/1/").status_code == 404
