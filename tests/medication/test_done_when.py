"""Issue 6, "done when", through the API: a nurse reconciles a new resident's medicines, a round is run,
a PRN dose too soon and a paracetamol overdose across two products are refused with their reasons, a
controlled drug is recorded with a witness who types their own password, and the MAR chart prints.

The morning is frozen at 08:10 (``clock``) and moved on through the day."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests import factories as f
from tests.medication.conftest import in_home, slot
from writecarenotes.incidents.models import Incident
from writecarenotes.medication.models import Administration, CDRegister, SafetyOverride
from writecarenotes.platform.events import dispatcher

pytestmark = pytest.mark.django_db
API = "/api/v1/medication"


def send(client, path, body=None, method="post", **headers):
    return getattr(client, method)(
        f"{API}{path}", data=json.dumps(body or {}), content_type="application/json", headers=headers
    )


def test_a_morning_of_medicines_for_a_new_resident(world, meds, clock, nka, client_for):
    nurse = client_for(world.users["nurse"])
    carer = client_for(world.users["senior_carer"])
    deputy = world.users["deputy_manager"]
    today = str(timezone.localdate())

    # 1. reconciliation on admission: the GP list and what came in with her, checked by a second nurse
    r = send(
        nurse,
        "/reconciliations",
        {"resident_id": world.resident.pk, "occasion": "admission", "sources_checked": ["gp_record", "brought_in"]},
    )
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    for medicine, body in (
        (meds.cocodamol, {"prescriber": "Dr A Patel", "dose": "2", "times": ["08:00", "12:00"]}),
        (meds.morphine, {"prescriber": "Dr A Patel", "dose": "2.5", "times": ["08:00"]}),
    ):
        r = send(
            nurse,
            f"/reconciliations/{rid}/lines",
            {
                "medicine_id": medicine.pk,
                "decision": "new",
                "reason": "On the GP list and brought in",
                "sources": {"gp_record": medicine.name, "brought_in": medicine.name},
                "order": {**body, "start_date": today},
            },
        )
        assert r.status_code == 201, r.content
    version = r.json()["version"]
    r = send(
        nurse,
        f"/reconciliations/{rid}/complete",
        {"second_checker_email": deputy.email, "second_checker_password": f.PASSWORD},
        **{"If-Match": f'"v{version}"'},
    )
    assert r.status_code == 200 and r.json()["status"] == "completed", r.content
    orders = {ln["medicine_id"]: ln["result_order_id"] for ln in r.json()["lines"]}
    cocodamol, morphine = orders[meds.cocodamol.pk], orders[meds.morphine.pk]

    # 2. a "when required" paracetamol: a duplicate of the paracetamol in co-codamol, acknowledged once
    prn_body = {
        "resident_id": world.resident.pk,
        "medicine_id": meds.paracetamol.pk,
        "prescriber": "Dr A Patel",
        "dose": "1",
        "dose_max": "2",
        "is_prn": True,
        "start_date": today,
        "prn_indication": "Pain in her hip",
        "prn_min_interval_minutes": 240,
        "prn_max_doses_24h": 4,
        "prn_expected_effect": "Pain eased",
        "prn_effect_check_minutes": 60,
        "prn_review_date": str(timezone.localdate() + timedelta(days=28)),
    }
    r = send(nurse, "/orders", prn_body)
    assert r.status_code == 409 and "duplicate_therapy" in {x["rule"] for x in r.json()["findings"]}
    r = send(nurse, "/orders", {**prn_body, "acknowledgement": "GP aware: total paracetamol counted"})
    assert r.status_code == 201, r.content
    prn = r.json()["id"]

    # 3. the controlled drug arrives from the pharmacy: a register page, the receipt witnessed
    r = send(nurse, "/cd/registers", {"medicine_id": meds.morphine.pk, "resident_id": world.resident.pk})
    assert r.status_code == 201, r.content
    register = r.json()["id"]
    receipt = {
        "kind": "received",
        "quantity": "100",
        "party_name": "High Street Pharmacy",
        "party_address": "1 High Street",
        "witness_email": deputy.email,
        "witness_password": f.PASSWORD,
    }
    assert send(nurse, f"/cd/registers/{register}/entries", receipt).status_code == 201

    # 4. the 08:00 round on the tablet
    r = carer.get(f"{API}/rounds", {"unit": world.unit.pk, "slot": "08:00"})
    due = {d["order_id"] for d in r.json()["residents"][0]["doses"]}
    assert {cocodamol, morphine} <= due
    given = {"outcome": "given", "due_at": slot(clock).isoformat()}
    assert send(carer, "/administrations", {**given, "order_id": cocodamol, "dose": "2"}).status_code == 201
    r = send(carer, "/administrations", {**given, "order_id": morphine, "dose": "2.5"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "witness"  # nobody confirmed
    r = send(
        carer,
        "/administrations",
        {**given, "order_id": morphine, "dose": "2.5", "witness_email": deputy.email, "witness_password": f.PASSWORD},
    )
    assert r.status_code == 201, r.content
    with in_home(world.home):
        assert CDRegister.objects.get(pk=register).balance == Decimal("97.5")

    # 5. PRN paracetamol: given; again 3 h 59 min later is too soon (and the senior carer may not override)
    clock.now = slot(clock, "08:20")
    assert send(carer, "/administrations", {"order_id": prn, "outcome": "given", "dose": "2"}).status_code == 201
    clock.now = slot(clock, "12:19")
    r = send(carer, "/administrations", {"order_id": prn, "outcome": "given", "dose": "2"})
    assert r.status_code == 422 and [x["rule"] for x in r.json()["findings"]] == ["prn_interval"]
    assert r.json()["can_override"] is False and "12:20" in r.json()["errors"][0]["message"]
    clock.now = slot(clock, "12:20")
    assert send(carer, "/administrations", {"order_id": prn, "outcome": "given", "dose": "2"}).status_code == 201
    r = send(
        carer,
        "/administrations",
        {"order_id": cocodamol, "outcome": "given", "dose": "2", "due_at": slot(clock, "12:00").isoformat()},
    )
    assert r.status_code == 201, r.content  # 4 g of paracetamol since 08:00: exactly the limit

    # 6. one more paracetamol tablet in the afternoon would pass 4 g in 24 hours across the two products:
    # refused whatever the role, even by a nurse with a reason
    clock.now = slot(clock, "16:30")
    r = send(
        nurse,
        "/administrations",
        {"order_id": prn, "outcome": "given", "dose": "1", "override_reason": "She is in pain"},
    )
    assert r.status_code == 422
    finding = [x for x in r.json()["findings"] if x["rule"] == "ingredient_max_24h"][0]
    assert finding["overridable"] is False and "paracetamol" in finding["message"].lower()
    with in_home(world.home):
        assert Administration.objects.filter(order_id=prn).count() == 2
        assert not SafetyOverride.objects.exists()  # the duplicate was acknowledged once, not at each dose

    # 7. the MAR chart prints, and a reported error becomes an incident
    pdf = nurse.get(f"/medication/residents/{world.resident.pk}/mar.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    r = send(
        nurse,
        "/errors",
        {
            "resident_id": world.resident.pk,
            "order_id": prn,
            "kind": "wrong_time",
            "description": "PRN paracetamol offered before the interval; stopped by the eMAR, no dose given.",
            "occurred_at": clock.now.isoformat(),
            "harm": "no_harm",
        },
    )
    assert r.status_code == 201
    dispatcher.run_due()
    assert Incident.unscoped.filter(kind="medication_error", source="medication").count() == 1
