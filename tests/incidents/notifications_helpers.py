"""Helpers of the notifications tests: incidents made with the ORM (the reporting service's own
fixture is not used, so these tests stand alone) and passed to ``services_notifications.on_reported``."""

from __future__ import annotations

import contextlib
import itertools
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from writecarenotes.incidents import services_notifications as svc
from writecarenotes.incidents.models import Incident, IncidentInjury, IncidentPerson
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.tenancy.scope import acting_for

_seq = itertools.count(1)


@contextlib.contextmanager
def in_home(home):
    with acting_as_system("test"), acting_for([home]):
        yield


def make_incident(home, user, *, resident=None, injury=None, report=True, **facts) -> Incident:
    """An incident in ``home`` an hour ago (a fall, low harm, unless ``facts`` say otherwise), with
    ``resident`` affected; ``on_reported`` is called as the reporting service would."""
    now = timezone.now()
    values = {
        "kind": "fall",
        "severity": "low",
        "occurred_at": now - timedelta(hours=1),
        "location": "Lounge",
        "what_happened": "Found on the floor beside her chair.",
        "immediate_actions": "Checked for injury, hoisted, observations started.",
        "witnessed": False,
        "head_struck": True,
    }
    values.update(facts)
    with in_home(home), transaction.atomic():
        incident = Incident.objects.create(
            home=home, reference=f"INC-2026-{next(_seq):04d}", reported_by=user, reported_at=now, **values
        )
        if resident is not None:
            person = IncidentPerson.objects.create(
                home=home, incident=incident, role="affected", kind="resident", resident=resident, added_by=user
            )
            if injury:
                IncidentInjury.objects.create(
                    home=home,
                    incident=incident,
                    person=person,
                    body_location="head_front",
                    kind=injury,
                    description="3 cm bruise",
                    recorded_by=user,
                )
        incident = Incident.objects.select_related("home").get(pk=incident.pk)
        if report:
            svc.on_reported(incident, user)
    return incident


def correct(incident, user, **changes) -> Incident:
    """Change the incident's facts (as the reporting service's correction would) and call on_changed."""
    with in_home(incident.home), transaction.atomic():
        for key, value in changes.items():
            setattr(incident, key, value)
        incident.version += 1
        incident.save()
        incident = Incident.objects.select_related("home").get(pk=incident.pk)
        svc.on_changed(incident, user, sorted(changes))
    return incident
