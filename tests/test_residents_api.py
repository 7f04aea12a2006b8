"""Residents API: enquiry to discharge over HTTP, refused transitions as 422 problems, profile
sections with If-Match, allergies/contacts, Idempotency-Key, the care journey, FHIR Patient."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from writecarenotes.platform.tenancy.models import Room
from writecarenotes.platform.tenancy.scope import acting_for
from writecarenotes.residents.models import Resident

API = "/api/v1/residents"


def post(c, url, body, **headers):
    return c.post(url, data=json.dumps(body), content_type="application/json", **headers)


def patch(c, url, body, **headers):
    return c.patch(url, data=json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def manager(world, client_for):
    return client_for(world.users["registered_manager"])


@pytest.fixture
def room(world):
    with acting_for([world.home]):
        return Room.objects.create(home=world.home, unit=world.unit, number="7", beds=1)


def _enquiry(c):
    r = post(
        c,
        f"{API}/",
        {
            "legal_given_names": "Albert",
            "legal_family_name": "Price",
            "date_of_birth": "1931-07-09",
            "nhs_number": "943 476 5919",
        },
    )
    assert r.status_code == 201, r.content
    return r.json()["id"]


def test_enquiry_to_discharge_over_the_api(world, manager, room):
    rid = _enquiry(manager)
    today = timezone.localdate().isoformat()
    r = post(
        manager,
        f"{API}/{rid}/pre-admission",
        {"assessed_on": today, "assessed_by": "RM", "summary": "Needs help to stand", "outcome": "suitable"},
    )
    assert r.status_code == 200 and r.json()["status"] == "pre_admission"
    at = (timezone.now() - timedelta(minutes=10)).isoformat()
    r = post(manager, f"{API}/{rid}/admit", {"room_id": room.pk, "admitted_at": at})
    assert r.status_code == 200 and r.json()["room"] == "7" and r.json()["status"] == "in_residence"
    r = post(manager, f"{API}/{rid}/absence", {"kind": "hospital", "started_at": timezone.now().isoformat()})
    assert r.json()["status"] == "temporarily_absent"
    r = post(manager, f"{API}/{rid}/return", {"returned_at": timezone.now().isoformat()})
    assert r.json()["status"] == "in_residence"
    r = post(
        manager,
        f"{API}/{rid}/discharge",
        {"discharged_at": timezone.now().isoformat(), "destination": "home", "reason": "Recovered"},
    )
    assert r.json()["status"] == "discharged"
    journey = manager.get(f"{API}/{rid}/timeline").json()
    assert [i["category"] for i in journey["items"]][:2] == ["discharged", "returned"]
    assert journey["next_before"] is None
    only = manager.get(f"{API}/{rid}/timeline", {"category": "admitted"}).json()["items"]
    assert len(only) == 1 and only[0]["title"].startswith("Admitted to room 7")
    page = manager.get(f"{API}/{rid}/timeline", {"limit": 2}).json()
    assert [i["category"] for i in page["items"]] == ["discharged", "returned"] and page["next_before"]
    older = manager.get(f"{API}/{rid}/timeline", {"limit": 2, "before": page["next_before"]}).json()["items"]
    assert older and all(i["at"] < page["items"][-1]["at"] for i in older)
    bad = manager.get(f"{API}/{rid}/timeline", {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "date_to"
    assert manager.get(f"{API}/{rid}/timeline", {"limit": 0}).status_code == 422


def test_a_refused_transition_is_a_422_problem_with_the_reason(world, manager, room):
    rid = _enquiry(manager)
    r = post(manager, f"{API}/{rid}/admit", {"room_id": room.pk, "admitted_at": timezone.now().isoformat()})
    assert r.status_code == 422
    assert r["Content-Type"].startswith("application/problem+json")
    assert "pre-admission assessment first" in json.dumps(r.json())
    r = post(manager, f"{API}/{rid}/death", {})
    assert r.status_code == 422


def test_a_full_room_is_refused(world, manager):
    # world.room (1 bed) is taken by world.resident
    rid = _enquiry(manager)
    post(
        manager,
        f"{API}/{rid}/pre-admission",
        {
            "assessed_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "assessed_by": "RM",
            "summary": "x",
            "outcome": "suitable",
        },
    )
    r = post(manager, f"{API}/{rid}/admit", {"room_id": world.room.pk, "admitted_at": timezone.now().isoformat()})
    assert r.status_code == 422
    assert any(e["field"] == "room" and "no free bed" in e["message"] for e in r.json()["errors"])


def test_profile_update_needs_if_match_and_refuses_stale(world, manager):
    url = f"{API}/{world.resident.pk}"
    got = manager.get(url)
    etag = got["ETag"]
    body = {"reason": "Family told us", "preferences": "Tea with milk, no sugar"}
    assert patch(manager, f"{url}/about", body).status_code == 428
    r = patch(manager, f"{url}/about", body, HTTP_IF_MATCH=etag)
    assert r.status_code == 200 and r.json()["preferences"] == "Tea with milk, no sugar"
    assert r["ETag"] != etag
    assert patch(manager, f"{url}/about", {"reason": "x", "about_me": "y"}, HTTP_IF_MATCH=etag).status_code == 412
    r = patch(manager, f"{url}/identity", {"reason": "typo", "nhs_number": "1234567890"}, HTTP_IF_MATCH=r["ETag"])
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "nhs_number"


def test_carers_cannot_admit_or_change_identity_but_can_record_allergies(world, client_for):
    carer = client_for(world.users["carer"])
    url = f"{API}/{world.resident.pk}"
    assert post(carer, f"{API}/", {}).status_code == 403
    assert patch(carer, f"{url}/identity", {"reason": "x"}, HTTP_IF_MATCH="*").status_code == 403
    r = post(carer, f"{url}/allergies", {"substance": "Latex", "severity": "moderate", "reaction": "Rash"})
    assert r.status_code == 201
    assert carer.get(f"{url}/allergies").json()[0]["substance"] == "Latex"
    inspector = client_for(world.users["inspector"])
    assert inspector.get(url).status_code == 200
    assert post(inspector, f"{url}/allergies", {"substance": "Nuts", "severity": "mild"}).status_code == 403


def test_idempotency_key_never_creates_two_allergies(world, manager):
    url = f"{API}/{world.resident.pk}/allergies"
    body = {"substance": "Penicillin", "severity": "severe"}
    first = post(manager, url, body, HTTP_IDEMPOTENCY_KEY="k-123")
    again = post(manager, url, body, HTTP_IDEMPOTENCY_KEY="k-123")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert len(manager.get(url).json()) == 1


def test_contacts_over_the_api(world, manager):
    url = f"{API}/{world.resident.pk}/contacts"
    r = post(
        manager, url, {"name": "Susan Evans", "relationship": "Daughter", "phone": "07700 900123", "next_of_kin": True}
    )
    assert r.status_code == 201
    cid = r.json()["id"]
    r = post(manager, url, {"name": "No Phone", "relationship": "Son", "emergency_contact": True})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "phone"
    assert patch(manager, f"{url}/{cid}", {"reason": "x", "phone": "07700 900999"}).status_code == 428
    r = patch(manager, f"{url}/{cid}", {"reason": "New number", "phone": "07700 900999"}, HTTP_IF_MATCH="*")
    assert r.status_code == 200 and r.json()["phone"] == "07700 900999"


def test_other_homes_residents_are_404_everywhere(world, manager):
    for other in (world.other_home_resident, world.foreign_resident):
        for path in ("", "/allergies", "/contacts", "/timeline", "/fhir/Patient"):
            assert manager.get(f"{API}/{other.pk}{path}").status_code == 404
        assert post(manager, f"{API}/{other.pk}/absence", {}).status_code == 404


def test_fhir_patient(world, manager):
    with acting_for([world.home]):
        Resident.objects.filter(pk=world.resident.pk).update(nhs_number="9434765919", preferred_name="Peggy")
    r = manager.get(f"{API}/{world.resident.pk}/fhir/Patient")
    assert r.status_code == 200 and r["Content-Type"] == "application/fhir+json"
    p = r.json()
    assert p["resourceType"] == "Patient" and p["birthDate"] == "1936-04-02"
    [ident] = p["identifier"]
    assert ident["system"] == "https://fhir.nhs.uk/Id/nhs-number" and ident["value"] == "9434765919"
    assert ident["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == "02"
    assert {"use": "official", "family": "Evans", "given": ["Margaret", "Ann"]} in p["name"]
    assert p["active"] is True
