"""Shared answers and helpers of the assessments tests (services, API, pages, scheduling)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from writecarenotes.assessments.services import record_assessment
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.events.models import OutboxEvent
from writecarenotes.platform.tenancy.scope import acting_for

#: Braden: every subscale at its best: 4+4+4+4+4+3 = 23, not at risk (Ayello & Braden 2002: 19-23).
BRADEN_23 = {
    "sensory_perception": "4",
    "moisture": "4",
    "activity": "4",
    "mobility": "4",
    "nutrition": "4",
    "friction_shear": "3",
}
#: Braden 2+2+2+2+2+2 = 12: high risk (10-12).
BRADEN_12 = {k: "2" for k in BRADEN_23}
#: Braden 3+3+3+3+3+3 = 18: at risk (15-18); 16 or less would be "at risk" on the single cut-off.
BRADEN_18 = {k: "3" for k in BRADEN_23}


def events(name: str) -> list:
    return list(OutboxEvent.unscoped.filter(name=name).order_by("occurred_at", "id"))


def record(world, answers=None, *, tool="braden", resident=None, user=None, at=None, **kw):
    """Record an assessment in the world's home, as the system (audit context) for a nurse."""
    resident = resident or world.resident
    with acting_as_system("test"), acting_for([resident.home_id]):
        return record_assessment(
            resident.pk,
            tool,
            dict(BRADEN_23 if answers is None else answers),
            at or timezone.now() - timedelta(minutes=5),
            user or world.users["nurse"],
            **kw,
        )
