"""The demo's investigations: written through the services on the incidents the reporting demo made
(an investigator, whys, factors, one action done and one open, a completed investigation with a
lesson read by some staff)."""

from __future__ import annotations

import random

import pytest

from tests.incidents.test_investigation_services import in_home, make_incident, reported
from writecarenotes.incidents import demo_investigation
from writecarenotes.incidents.models import Investigation, InvestigationAction, LessonLearned, LessonRead
from writecarenotes.platform.audit.models import AuditRecord

pytestmark = pytest.mark.django_db


def test_seed_adds_a_worked_investigation(world):
    reported(world, kind="fall", severity="moderate")  # the policy opened this one
    make_incident(world, kind="medication_error", severity="severe")
    make_incident(world, kind="near_miss", severity="no_harm")
    with in_home(world.home):
        counts = demo_investigation.seed(world.home, [world.resident], [], random.Random(7))
        assert counts["investigations"] == 1 and counts["actions"] == 2 and counts["lessons"] == 1
        inv = Investigation.objects.get()
        assert inv.status == "completed" and inv.investigator_id and inv.whys.count() >= 3
        assert inv.factors.count() == 2
        assert sorted(InvestigationAction.objects.values_list("status", flat=True)) == ["done", "open"]
        lesson = LessonLearned.objects.get()
        assert (
            0
            < LessonRead.objects.filter(lesson=lesson).count()
            < len(list(demo_investigation.lessons.audience_of(lesson)))
        )
        assert AuditRecord.objects.filter(action="incidents.investigation.completed").exists()


def test_seed_opens_investigations_when_the_policy_opened_none(world):
    make_incident(world, kind="medication_error", severity="low")
    make_incident(world, kind="near_miss", severity="no_harm")
    with in_home(world.home):
        counts = demo_investigation.seed(world.home, [world.resident], [], random.Random(3))
        assert counts["investigations"] == 2
        assert Investigation.objects.filter(status="completed").count() == 1
        assert Investigation.objects.filter(status="in_progress").count() == 1


def test_seed_after_the_reporting_demo(world):
    from tests import factories as f
    from writecarenotes.incidents import demo_incidents

    others = [
        f.resident(world.home, unit=world.unit, room=world.room, family=name, nhs_number=nhs)
        for name, nhs in (("Hughes", "9990000042"), ("Owen", "9990000050"))
    ]
    with in_home(world.home):
        demo_incidents.seed(world.home, [world.resident, *others], [], random.Random(11))
        counts = demo_investigation.seed(world.home, [world.resident, *others], [], random.Random(11))
        assert counts["investigations"] >= 1 and counts["lessons"] == 1
        assert Investigation.objects.filter(status="completed").count() == 1
