"""The demo history: weeks of records, an overdue repositioning now, residents drinking little."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from tests import factories as f
from writecarenotes.care_records import alerts, demo
from writecarenotes.care_records.models import CareNote, ChartSettings, FoodFluidEntry, RepositioningEntry
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.django_db


def test_demo_history_is_realistic_and_has_something_to_alert(world):
    residents = [world.resident] + [
        f.resident(world.home, unit=world.unit, family=f"Demo{i}", nhs_number="9990000018") for i in range(7)
    ]
    residents.append(
        f.resident(world.home, unit=world.unit, family="Gone", status="discharged", nhs_number="9990000018")
    )
    with acting_for([world.home]), acting_as_system("demo test"):
        counts = demo.generate(world.home, residents, days=21, rng=random.Random(4))
        assert counts["CareNote"] >= 8 * 21 * 3
        assert not CareNote.objects.filter(resident_id=residents[-1].pk).exists()  # discharged: nothing new
        assert not CareNote.objects.filter(occurred_at__gt=timezone.now()).exists()
        assert FoodFluidEntry.objects.filter(amount_eaten="refused").exists()
        assert ChartSettings.objects.count() == 8
        on_schedule = ChartSettings.objects.filter(repositioning_interval_hours__isnull=False)
        assert on_schedule.exists() and RepositioningEntry.objects.exists()
        found = alerts.alerts_for(world.unit.pk)
    assert any(a.kind == "repositioning" for a in found)
