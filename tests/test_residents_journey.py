"""The care journey with the real daily care records provider: the resident's milestones and
their notes on one page, newest first, filterable by kind and date; a carer's read is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from writecarenotes.platform.audit.models import AuditRecord
from writecarenotes.platform.tenancy.models import Room
from writecarenotes.platform.tenancy.scope import acting_for
from writecarenotes.residents import services


@pytest.fixture
def admitted(world):
    with acting_for([world.home]):
        room = Room.objects.create(home=world.home, unit=world.unit, number="5", beds=1)
        r = services.create_enquiry(
            home=world.home,
            legal_given_names="Edith",
            legal_family_name="Marsh",
            date_of_birth=timezone.localdate() - timedelta(days=365 * 88),
        )
        r = services.record_pre_admission(
            r,
            assessed_on=timezone.localdate() - timedelta(days=1),
            assessed_by="RM",
            summary="Frail",
            outcome="suitable",
        )
        return services.admit(r, room=room, admitted_at=timezone.now() - timedelta(hours=3))


def test_milestones_and_notes_on_one_journey(world, admitted, client_for):
    from writecarenotes.care_records.services_notes import record_note

    with acting_for([world.home]):
        record_note(
            resident_id=admitted.pk,
            user=world.users["carer"],
            category="mood",
            text="Settled well, chatted about her garden",
            occurred_at=timezone.now() - timedelta(hours=1),
        )
    c = client_for(world.users["carer"])
    url = f"/residents/{admitted.pk}/journey/"
    html = c.get(url).content.decode()
    main = html[html.index("<main") :]
    assert "Settled well, chatted about her garden" in main
    assert "Admitted to room 5" in main and "Enquiry" in main
    assert main.index("Settled well") < main.index("Admitted to room 5")  # newest first
    notes_only = c.get(url, {"kind": "note"}).content.decode()
    assert "Settled well" in notes_only and "Admitted to room 5" not in notes_only
    milestones = c.get(url, {"kind": "milestone"}).content.decode()
    assert "Settled well" not in milestones and "Admitted to room 5" in milestones
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert "Settled well" not in c.get(url, {"date_from": tomorrow}).content.decode()
    assert AuditRecord.objects.filter(kind="read", subject_id=str(admitted.pk), part="care journey").exists()
