"""The demo seed of incidents (incidents.demo_incidents.seed): reported through the service, relative to
now, deterministic: an unwitnessed fall with a head injury, a skin tear, a near miss."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from tests import factories as f
from writecarenotes.incidents import demo_incidents
from writecarenotes.incidents.models import Incident, IncidentInjury
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.events.models import OutboxEvent
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("report_only")]


def test_the_demo_seed_reports_three_believable_incidents(world):
    residents = [world.resident] + [
        f.resident(world.home, unit=world.unit, family=f"Demo{n}", nhs_number="9434765919") for n in range(2, 5)
    ]
    with acting_for([world.home]), acting_as_system("demo test"):
        counts = demo_incidents.seed(world.home, residents, [], random.Random(3))
        assert counts == {"fall": 1, "skin_tear_injury": 1, "near_miss": 1}
        fall = Incident.objects.get(kind="fall")
        assert fall.witnessed is False and fall.head_struck is True
        assert [i.kind for i in IncidentInjury.objects.filter(incident=fall)] == ["head_injury"]
        assert all(i.occurred_at <= i.reported_at <= timezone.now() for i in Incident.objects.all())
    assert OutboxEvent.unscoped.filter(name="incident.reported").count() == 3


def test_no_residents_no_incidents(world):
    with acting_for([world.home]), acting_as_system("demo test"):
        assert demo_incidents.seed(world.home, [], [], random.Random(3)) == {}
