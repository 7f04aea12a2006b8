"""The demo care plans: proposed from the demo assessments and agreed through the services, with some
left proposed and some reviews due."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests import factories as f
from writecarenotes.assessments import demo as assessments_demo
from writecarenotes.care_planning import demo_plans
from writecarenotes.care_planning.models.plans import CarePlan
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.tenancy.models import Room
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.django_db


def test_seed_proposes_and_agrees_plans_from_the_demo_assessments(world):
    today = timezone.localdate()
    residents = [world.resident]
    with acting_for([world.home]):
        for n in range(9):
            room = Room.objects.create(home=world.home, unit=world.unit, number=f"D{n}")
            residents.append(
                f.resident(
                    world.home,
                    unit=world.unit,
                    room=room,
                    family=f"Demo{n}",
                    nhs_number="9434765919",
                    admitted_on=today - timedelta(days=20 + 30 * n),
                )
            )
    gone = f.resident(world.home, unit=world.unit, family="Gone", status="discharged", nhs_number="9990000042")
    nurse = world.users["nurse"]
    with acting_for([world.home]), acting_as_system("demo"):
        assessments_demo.seed(world.home, [*residents, gone], [nurse], random.Random(5))
        counts = demo_plans.seed(world.home, [*residents, gone], [nurse], random.Random(5))
        plans = list(CarePlan.objects.all())
    assert counts["proposed"] == len(plans) > 0 and 0 < counts["agreed"] < counts["proposed"]
    assert {p.resident_id for p in plans} <= {r.pk for r in residents}
    statuses = {p.status for p in plans}
    assert {"agreed", "proposed"} <= statuses
    assert any(p.next_review_on and p.next_review_on < today for p in plans)  # some reviews overdue
    assert any(p.in_my_words for p in plans)
    assert all(p.agreed_at is None or p.agreed_at.date() >= date(2000, 1, 1) for p in plans)
