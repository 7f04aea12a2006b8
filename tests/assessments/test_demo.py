"""The demo history of assessments: recorded through the services for current residents only, with
several results per tool (trends) and some overdue reviews."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests import factories as f
from writecarenotes.assessments import demo, queries
from writecarenotes.assessments.models import AssessmentAnswer, AssessmentResult
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.tenancy.models import Room
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("seed", [7, 11, 2026])
def test_seed_records_months_of_results_through_the_services(world, seed):
    today = timezone.localdate()
    residents = [world.resident]
    with acting_for([world.home]):
        for n in range(11):
            room = Room.objects.create(home=world.home, unit=world.unit, number=f"S{n}")
            residents.append(
                f.resident(
                    world.home,
                    unit=world.unit,
                    room=room,
                    family=f"Seed{n}",
                    nhs_number="9434765919",
                    admitted_on=today - timedelta(days=10 + 40 * n),
                    height_cm=160 + n if n % 2 else None,
                )
            )
    gone = f.resident(world.home, unit=world.unit, family="Gone", status="discharged", nhs_number="9990000042")
    with acting_for([world.home]), acting_as_system("demo"):
        counts = demo.seed(world.home, [*residents, gone], [world.users["nurse"]], random.Random(seed))
        results = list(AssessmentResult.objects.all())
        overdue = queries.due_list(None)
    assert set(counts) == {"braden", "waterlow", "must", "morse", "barthel"}
    assert sum(counts.values()) == len(results)
    assert {r.resident_id for r in results} <= {r.pk for r in residents}
    per_resident = {}
    for r in results:
        per_resident.setdefault((r.resident_id, r.tool), []).append(r)
    assert max(len(v) for v in per_resident.values()) >= 4  # a trend with several points
    with acting_for([world.home]):
        assert AssessmentAnswer.objects.count() == sum(
            {"braden": 6, "waterlow": 13, "must": 6, "morse": 6, "barthel": 10}[r.tool] for r in results
        )
    assert any(d.status == "overdue" for d in overdue)
    assert all(r.assessed_at.date() >= date(2000, 1, 1) and r.recorded_at >= r.assessed_at for r in results)
