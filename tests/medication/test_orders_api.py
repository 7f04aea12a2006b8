"""The medicines record through the API: start an order (409 with the safety findings until acknowledged,
422 with the field named), change with If-Match (428 / 412), suspend and stop, the record; a
reconciliation from open to complete with a second checker's credential; homely remedies, self and covert
administration; roles and other homes."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories as f
from tests.medication.conftest import in_home, order
from writecarenotes.medication.models import MedicationOrder
from writecarenotes.residents.models import Resident

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def nka(world):
    Resident.unscoped.filter(pk=world.resident.pk).update(no_known_allergies=True)


@pytest.fixture
def nurse(world, client_for):
    return client_for(world.users["nurse"])


def send(client, method, url, body=None, **headers):
    return getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json", headers=headers)


def order_body(world, medicine, **extra):
    return {
        "resident_id": world.resident.pk,
        "medicine_id": medicine.pk,
        "prescriber": "Dr A Patel",
        "dose": "1",
        "times": ["08:00"],
        "start_date": str(TODAY()),
        **extra,
    }


def test_start_change_suspend_stop(world, meds, nka, nurse):
    r = send(nurse, "post", "/api/v1/medication/orders", order_body(world, meds.paracetamol, dose="0"))
    assert r.status_code == 422 and {"field": "dose", "message": "The dose must be more than 0."} in r.json()["errors"]
    r = send(
        nurse, "post", "/api/v1/medication/orders", order_body(world, meds.paracetamol), **{"Idempotency-Key": "a1"}
    )
    assert r.status_code == 201 and r["ETag"] == '"v1"'
    pk = r.json()["id"]
    again = send(
        nurse, "post", "/api/v1/medication/orders", order_body(world, meds.paracetamol), **{"Idempotency-Key": "a1"}
    )
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    with in_home(world.home):
        assert MedicationOrder.objects.count() == 1
    assert send(nurse, "patch", f"/api/v1/medication/orders/{pk}", {"dose": "2", "reason": "GP"}).status_code == 428
    assert (
        send(
            nurse, "patch", f"/api/v1/medication/orders/{pk}", {"dose": "2", "reason": "GP"}, **{"If-Match": '"v0"'}
        ).status_code
        == 412
    )
    r = send(nurse, "patch", f"/api/v1/medication/orders/{pk}", {"dose": "2", "reason": "GP"}, **{"If-Match": '"v1"'})
    assert (
        r.status_code == 200 and r.json()["dose"] == "2" and [v["reason"] for v in r.json()["versions"]] == ["", "GP"]
    )
    r = send(
        nurse, "post", f"/api/v1/medication/orders/{pk}/suspend", {"reason": "Nil by mouth"}, **{"If-Match": '"v2"'}
    )
    assert r.status_code == 200 and r.json()["status"] == "suspended"
    r = send(nurse, "post", f"/api/v1/medication/orders/{pk}/stop", {"reason": "Stopped by GP"}, **{"If-Match": '"v3"'})
    assert r.json()["status"] == "stopped" and r.json()["status_reason"] == "Stopped by GP"
    r = nurse.get(f"/api/v1/medication/residents/{world.resident.pk}/medicines")
    assert r.status_code == 200 and [o["id"] for o in r.json()["stopped"]] == [pk] and r.json()["regular"] == []


def test_findings_answer_409_until_acknowledged(world, meds, nka, nurse):
    order(world, meds.ibuprofen)
    r = send(nurse, "post", "/api/v1/medication/orders", order_body(world, meds.naproxen))
    assert r.status_code == 409 and r.json()["type"].endswith("acknowledgement-required")
    assert r.json()["findings"] and all("rule" in x and "message" in x for x in r.json()["findings"])
    r = send(
        nurse,
        "post",
        "/api/v1/medication/orders",
        order_body(world, meds.naproxen, acknowledgement="GP switching NSAID"),
    )
    assert r.status_code == 201 and r.json()["acknowledgements"][0]["reason"] == "GP switching NSAID"


def test_roles_and_other_homes(world, meds, nka, client_for):
    senior = client_for(world.users["senior_carer"])
    assert send(senior, "post", "/api/v1/medication/orders", order_body(world, meds.paracetamol)).status_code == 403
    assert senior.get(f"/api/v1/medication/residents/{world.resident.pk}/medicines").status_code == 200
    assert client_for(world.users["carer"]).get("/api/v1/medication/orders").status_code == 403
    nurse = client_for(world.users["nurse"])
    assert nurse.get(f"/api/v1/medication/residents/{world.foreign_resident.pk}/medicines").status_code == 404
    foreign = send(
        nurse,
        "post",
        "/api/v1/medication/orders",
        {**order_body(world, meds.paracetamol), "resident_id": world.foreign_resident.pk},
    )
    assert foreign.status_code == 422  # not in scope: "No such resident"
    assert nurse.get("/api/v1/medication/orders/999999").status_code == 404


def test_reconciliation_through_the_api(world, meds, nka, nurse):
    keep = order(world, meds.lactulose)
    r = send(
        nurse,
        "post",
        "/api/v1/medication/reconciliations",
        {"resident_id": world.resident.pk, "occasion": "admission", "sources_checked": ["gp_record", "brought_in"]},
    )
    assert r.status_code == 201
    rid = r.json()["id"]
    assert r.json()["undecided_order_ids"] == [keep.pk]
    r = send(
        nurse,
        "post",
        f"/api/v1/medication/reconciliations/{rid}/lines",
        {"order_id": keep.pk, "decision": "continue", "sources": {"gp_record": "lactulose 10 ml 08:00"}},
    )
    assert r.status_code == 201
    r = send(
        nurse,
        "post",
        f"/api/v1/medication/reconciliations/{rid}/lines",
        {
            "medicine_id": meds.paracetamol.pk,
            "decision": "new",
            "reason": "Brought in, on GP list",
            "sources": {"brought_in": "paracetamol 500 mg 2 qds"},
            "order": {"prescriber": "Dr A Patel", "dose": "2", "times": ["08:00", "12:00", "16:00", "20:00"]},
        },
    )
    assert r.status_code == 201, r.content
    version = r.json()["version"]
    deputy = world.users["deputy_manager"]
    r = send(
        nurse,
        "post",
        f"/api/v1/medication/reconciliations/{rid}/complete",
        {"second_checker_email": deputy.email, "second_checker_password": "wrong"},
        **{"If-Match": f'"v{version}"'},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "second_checker"
    r = send(
        nurse,
        "post",
        f"/api/v1/medication/reconciliations/{rid}/complete",
        {"second_checker_email": deputy.email, "second_checker_password": f.PASSWORD},
        **{"If-Match": f'"v{version}"'},
    )
    assert r.status_code == 200 and r.json()["status"] == "completed" and r.json()["second_checker_id"] == deputy.pk
    new_line = [ln for ln in r.json()["lines"] if ln["decision"] == "new"][0]
    r = nurse.get(f"/api/v1/medication/orders/{new_line['result_order_id']}")
    assert r.json()["times"] == ["08:00", "12:00", "16:00", "20:00"] and r.json()["dose"] == "2"


def test_homely_remedy_self_and_covert_through_the_api(world, meds, nka, nurse):
    r = send(
        nurse,
        "post",
        "/api/v1/medication/homely-remedies",
        {
            "medicine_id": meds.paracetamol.pk,
            "indication": "Mild pain",
            "dose": "1",
            "dose_max": "2",
            "min_interval_minutes": 240,
            "max_doses_24h": 4,
            "max_days": 2,
            "expected_effect": "Pain eased",
            "authorised_by": "Priya Shah",
            "authoriser_role": "pharmacist",
            "authorised_on": str(TODAY()),
            "review_date": str(TODAY() + timedelta(days=365)),
        },
    )
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    r = send(nurse, "post", f"/api/v1/medication/homely-remedies/{rid}/authorise", {"resident_id": world.resident.pk})
    assert r.status_code == 201 and r.json()["source"] == "homely_remedy" and r.json()["is_prn"] is True
    r = send(
        nurse,
        "patch",
        f"/api/v1/medication/homely-remedies/{rid}",
        {"reason": "Review", "max_days": 3},
        **{"If-Match": '"v1"'},
    )
    assert r.status_code == 200 and r.json()["max_days"] == 3
    r = send(
        nurse,
        "post",
        "/api/v1/medication/self-administration",
        {
            "resident_id": world.resident.pk,
            "medicine_id": meds.lactulose.pk,
            "level": "prompted",
            "storage": "Bedside",
            "lockable": False,
            "agreed_by": "Resident",
            "review_date": str(TODAY() + timedelta(days=30)),
        },
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "lockable"
    o = order(world, meds.cocareldopa)
    r = send(nurse, "post", f"/api/v1/medication/orders/{o.pk}/covert", {"pharmacist_name": "Priya Shah"})
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert {"capacity_assessment_id", "best_interest_decision_id", "how_to_give", "review_date"} <= fields
