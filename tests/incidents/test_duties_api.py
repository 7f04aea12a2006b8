"""The duties API: the steps of an incident with the candour decision per nation, recording a step (422
problems by field; refusals), declining (managers only), safeguarding, people told (Idempotency-Key),
another home's incident or step is 404 before the body is read."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.incidents.conftest import report

pytestmark = pytest.mark.django_db
BASE = "/api/v1/incidents"


def _post(client, url, body, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def nurse(world, client_for):
    return client_for(world.users["nurse"])


def _step(duties: dict, kind: str, key: str) -> dict:
    return next(s for s in duties["steps"] if s["kind"] == kind and s["key"] == key)


def test_list_steps_and_record_a_candour_step(world, nurse):
    incident = report(world, severity="severe")
    duties = nurse.get(f"{BASE}/{incident.pk}/duties").json()
    assert duties["candour"]["applies"] and duties["candour"]["statutory"]
    assert "regulation 20" in duties["candour"]["law"]
    step = _step(duties, "candour", "notify_in_person")
    assert step["status"] == "open" and step["due_at"]

    bad = _post(nurse, f"{BASE}/duty-steps/{step['id']}/done", {"notes": "Told her"})
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["errors"]}
    assert {"addressed_to", "addressed_as"} <= fields

    ok = _post(
        nurse,
        f"{BASE}/duty-steps/{step['id']}/done",
        {"notes": "Met her daughter in the lounge.", "addressed_to": "Ann Evans", "addressed_as": "lacks_capacity"},
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["status"] == "done" and ok.json()["done_by"] == world.users["nurse"].display_name
    again = _post(
        nurse, f"{BASE}/duty-steps/{step['id']}/done", {"notes": "x", "addressed_to": "y", "addressed_as": "self"}
    )
    assert again.status_code == 422 and "already recorded" in again.content.decode()


def test_the_candour_decision_follows_the_homes_nation(world, client_for):
    welsh = report(world, home=world.other_home, resident=world.other_home_resident, severity="severe")
    admin = client_for(world.users["provider_admin"])  # organisation-wide: may act for the Welsh home
    session = admin.session
    session["wcn_active_home"] = world.other_home.pk
    session.save()
    d = admin.get(f"{BASE}/{welsh.pk}/candour")
    assert d.status_code == 200, d.content
    assert d.json()["nation"] == "wales" and d.json()["applies"] and not d.json()["statutory"]
    assert "NHS bodies only" in d.json()["law"]


def test_decline_is_for_managers_and_needs_a_reason(world, nurse, client_for):
    incident = report(world, severity="low")
    step = _step(nurse.get(f"{BASE}/{incident.pk}/duties").json(), "informed", "relative")
    assert _post(nurse, f"{BASE}/duty-steps/{step['id']}/decline", {"reason": "x"}).status_code == 403
    manager = client_for(world.users["registered_manager"])
    assert _post(manager, f"{BASE}/duty-steps/{step['id']}/decline", {"reason": ""}).status_code == 422
    ok = _post(manager, f"{BASE}/duty-steps/{step['id']}/decline", {"reason": "No family; she has capacity."})
    assert ok.status_code == 200 and ok.json()["status"] == "declined"


def test_safeguarding_record_and_referral(world, nurse):
    incident = report(
        world, kind="abuse", abuse_alleged=True, what_happened="Bruises on both arms; says a carer grabbed her."
    )
    record = nurse.get(f"{BASE}/{incident.pk}/safeguarding")
    assert record.status_code == 200 and record.json()["law"].startswith("Care Act 2014")
    duties = nurse.get(f"{BASE}/{incident.pk}/duties").json()
    referral = _step(duties, "safeguarding", "referral")
    r = _post(
        nurse,
        f"{BASE}/duty-steps/{referral['id']}/done",
        {"authority_name": "Oakshire CC", "referral_reference": "SG-77", "done_at": timezone.now().isoformat()},
    )
    assert r.status_code == 200, r.content
    assert nurse.get(f"{BASE}/{incident.pk}/safeguarding").json()["referral_reference"] == "SG-77"
    no_abuse = report(world, severity="low")
    assert nurse.get(f"{BASE}/{no_abuse.pk}/safeguarding").status_code == 404


def test_record_a_gp_told_once_with_an_idempotency_key(world, nurse):
    incident = report(world, severity="low")
    body = {
        "party": "gp",
        "name": "Dr Shah",
        "relationship": "Riverside Surgery",
        "informed_at": (timezone.now() - timedelta(minutes=10)).isoformat(),
        "method": "phone",
        "what_said": "Fall without injury; no visit needed.",
    }
    first = _post(nurse, f"{BASE}/{incident.pk}/informed", body, **{"Idempotency-Key": "gp-1"})
    second = _post(nurse, f"{BASE}/{incident.pk}/informed", body, **{"Idempotency-Key": "gp-1"})
    assert first.status_code == 201 and second.status_code == 201
    assert len(nurse.get(f"{BASE}/{incident.pk}/informed").json()) == 1
    assert _step(nurse.get(f"{BASE}/{incident.pk}/duties").json(), "informed", "gp")["status"] == "done"
    bad = _post(
        nurse, f"{BASE}/{incident.pk}/informed", {**body, "party": "cousin", "informed_at": "2020-01-01T00:00:00Z"}
    )
    assert bad.status_code == 422
    assert {"party", "informed_at"} <= {e["field"] for e in bad.json()["errors"]}


def test_another_homes_incident_or_step_is_404_before_the_body(world, nurse):
    welsh = report(world, home=world.other_home, resident=world.other_home_resident, severity="severe")
    assert nurse.get(f"{BASE}/{welsh.pk}/duties").status_code == 404
    from tests.incidents.conftest import in_home
    from writecarenotes.incidents.models import DutyStep

    with in_home(world.other_home):
        step_id = DutyStep.objects.filter(incident=welsh).first().pk
    r = _post(nurse, f"{BASE}/duty-steps/{step_id}/done", {"not": "valid"})
    assert r.status_code == 404
    assert _post(nurse, f"{BASE}/{welsh.pk}/informed", {}).status_code == 404
