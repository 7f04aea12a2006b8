"""Shared fixtures of the incidents tests (written by the REPORT work; every sub-domain may use them).

``report(world, **facts)`` reports an incident through ``services_report.report_incident`` (so the
lifecycle hooks of every sub-domain run, as in real use) and returns the saved ``Incident``:

    incident = report(world)                                   # a witnessed fall of world.resident, low harm
    incident = report(world, witnessed=False, head_struck=True, severity="moderate")
    incident = report(world, home=world.other_home, resident=world.other_home_resident)   # the Welsh home
    incident = report(world, kind="abuse", abuse_alleged=True, resident=None)   # no resident affected
    incident = report(world, injuries=[{"body_location": "head_back", "kind": "head_injury"}])

Keywords: ``resident`` (default ``world.resident``; None for no resident), ``user`` (default the carer),
``home`` (default the resident's home, else ``world.home``), ``people`` (extra people dicts),
``injuries`` (dicts: body_location, kind, description; default: on the first resident), ``at``
(occurred_at, default 30 minutes ago), and any fact (kind, severity, witnessed, head_struck,
serious_injury_tests, treatment_to_prevent_serious_injury, medical_attention, abuse_alleged,
police_involved, disruption_hours, unexpected_or_unintended, location, what_happened ...). It acts as the
system in the home's scope. The ``incident`` fixture is the same function bound to ``world``:
``incident(severity="severe")``.

``in_home(home)`` is a context manager acting as the system for a home (for reads in tests).

``report_only``: a fixture that keeps the other sub-domains out (no lifecycle reactions, no open steps, no
panels), for tests of the report sub-domain's own contract; ``report_only.reported`` and
``report_only.changed`` record the lifecycle calls. With ``WCN_INCIDENTS_FULL=1`` in the environment it keeps
nothing out (the report tests then run with every sub-domain's real reactions and panels).
"""

from __future__ import annotations

import contextlib
import os
from datetime import timedelta

import pytest
from django.utils import timezone

from writecarenotes.incidents import lifecycle, obligations
from writecarenotes.incidents.services_report import report_incident
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.tenancy.scope import acting_for

_DEFAULT = object()


@contextlib.contextmanager
def in_home(home):
    with acting_as_system("test"), acting_for([home]):
        yield


def report(world, *, resident=_DEFAULT, user=None, home=None, people=(), injuries=(), at=None, **facts):
    resident = world.resident if resident is _DEFAULT else resident
    home = home or (resident.home if resident is not None else world.home)
    values = {
        "kind": "fall",
        "occurred_at": at or timezone.now() - timedelta(minutes=30),
        "location": "Lounge, by the window",
        "what_happened": "Found sitting on the floor beside her chair.",
        "immediate_actions": "Checked for injury, helped up with the hoist, observations taken.",
        "severity": "low",
        "witnessed": True,
        "head_struck": False,
        **facts,
    }
    persons = [{"role": "affected", "kind": "resident", "resident_id": resident.pk}] if resident is not None else []
    persons += list(people)
    with in_home(home):
        return report_incident(
            user=user or world.users["carer"], values=values, people=persons, injuries=list(injuries), home_id=home.pk
        )


@pytest.fixture
def incident(world):
    """incident(**facts) -> a reported Incident (see ``report``)."""

    def make(**facts):
        return report(world, **facts)

    return make


class _Calls:
    def __init__(self):
        self.reported: list = []
        self.changed: list = []


@pytest.fixture
def report_only(monkeypatch):
    calls = _Calls()
    if os.environ.get("WCN_INCIDENTS_FULL") == "1":
        return calls
    monkeypatch.setattr(lifecycle, "SUBDOMAINS", ())
    monkeypatch.setattr(obligations, "SUBDOMAINS", ())
    monkeypatch.setattr(lifecycle, "after_report", lambda incident, by: calls.reported.append((incident.pk, by)))
    monkeypatch.setattr(
        lifecycle, "after_change", lambda incident, by, changed: calls.changed.append((incident.pk, list(changed)))
    )
    from writecarenotes.incidents import views_report

    monkeypatch.setattr(views_report, "PANELS", ())
    return calls
