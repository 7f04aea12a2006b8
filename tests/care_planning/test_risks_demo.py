"""The demo seed of risks and capacity records (care_planning.demo_risks.seed): written through the
services; an overdue risk review, a DoLS authorisation ending within 28 days, best-interest decisions."""

from __future__ import annotations

import random

import pytest

from tests import factories as f
from writecarenotes.care_planning import demo_risks
from writecarenotes.care_planning.models.capacity import BestInterestDecision, CapacityAssessment, LibertyRecord
from writecarenotes.care_planning.models.risks import Risk
from writecarenotes.care_planning.services_capacity_liberty import expiry_list
from writecarenotes.care_planning.services_risks import overdue_reviews
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.events.models import OutboxEvent
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.django_db


def test_the_demo_seed_records_through_the_services(world):
    residents = [world.resident]
    for n in range(2, 9):
        residents.append(f.resident(world.home, unit=world.unit, family=f"Demo{n}", nhs_number="9434765919"))
    with acting_for([world.home]), acting_as_system("demo test"):
        counts = demo_risks.seed(world.home, residents, [], random.Random(7))
        assert counts["risks"] == Risk.objects.count() >= len(residents)
        assert overdue_reviews()  # one in six raised weeks ago, review now overdue
        assert CapacityAssessment.objects.filter(outcome="lacks_capacity").count() == 3
        assert BestInterestDecision.objects.count() == 3
        assert LibertyRecord.objects.filter(framework="dols").count() == 3
        [expiring] = expiry_list()["expiring"][:1]
        assert 0 <= expiring.days_left <= 28 and expiring.record.conditions
    assert OutboxEvent.unscoped.filter(name="risk.raised").count() == counts["risks"]
