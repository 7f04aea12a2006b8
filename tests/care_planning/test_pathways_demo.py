"""The pathways' demo records are written through the services for the home's current residents."""

from __future__ import annotations

import random

import pytest

from tests import factories as f
from writecarenotes.care_planning.demo_pathways import seed
from writecarenotes.care_planning.models.pathways import PathwayEnrolment, SymptomObservation, TherapyEquipment
from writecarenotes.care_planning.services_pathways_rehab import maintenance_due
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.django_db


def test_seed_writes_every_pathway_through_the_services(world):
    residents = [world.resident]
    for i in range(11):
        residents.append(f.resident(world.home, unit=world.unit, family=f"Demo{i}", nhs_number=f"99900001{i:02d}"))
    with acting_for([world.home]), acting_as_system("demo"):
        counts = seed(world.home, residents, [world.users["nurse"]], random.Random(7))
        assert set(PathwayEnrolment.objects.values_list("pathway", flat=True)) == {
            "palliative",
            "dementia",
            "rehabilitation",
            "mental_health",
        }
        assert SymptomObservation.objects.count() == counts["symptom_observations"] > 10
        assert TherapyEquipment.objects.count() == counts["equipment"]
        assert any(i.overdue for i in maintenance_due())
    assert counts["documents"] >= 8 and counts["medicines"] == 8 and counts["sessions"] >= 5
    assert counts["mood_entries"] > 0 and counts["contacts"] >= 1 and counts["advance_decisions"] == 1
    assert seed(world.home, [], [], random.Random(1))["documents"] == 0
