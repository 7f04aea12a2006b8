"""The controlled drugs and stock APIs: a witnessed receipt (the witness's own password), refusals as 422
problems by field, a stock check discrepancy, another home's page a 404, a carer 403; stock receipts, the
reorder list, settings with If-Match, fridge readings."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import PASSWORD
from tests.medication.conftest import in_home
from writecarenotes.medication import services_controlled as cd
from writecarenotes.medication.models import CDRegister

pytestmark = pytest.mark.django_db
BASE = "/api/v1/medication"


def _post(client, url, body, method="post", **headers):
    return getattr(client, method)(
        url, data=json.dumps(body, default=str), content_type="application/json", headers=headers
    )


@pytest.fixture
def nurse(world, client_for):
    return client_for(world.users["nurse"])


@pytest.fixture
def page(world, meds):
    with in_home(world.home):
        return cd.open_register(
            home_id=world.home.pk, medicine_id=meds.morphine.pk, resident_id=None, by=world.users["registered_manager"]
        )


def _receipt(world, **kw):
    return {
        "kind": "received",
        "quantity": "100",
        "party_name": "High Street Pharmacy",
        "party_address": "1 High Street",
        "witness_email": world.users["senior_carer"].email,
        "witness_password": PASSWORD,
        **kw,
    }


def test_witnessed_receipt_then_discrepancy(world, nurse, page):
    url = f"{BASE}/cd/registers/{page.pk}/entries"
    wrong = _post(nurse, url, _receipt(world, witness_password="not-it"))
    assert wrong.status_code == 422
    assert [e["field"] for e in wrong.json()["errors"]] == ["witness"]
    same = _post(nurse, url, _receipt(world, witness_email=world.users["nurse"].email))
    assert same.status_code == 422 and "different person" in same.json()["errors"][0]["message"]

    ok = _post(nurse, url, _receipt(world), **{"Idempotency-Key": "cd-1"})
    assert ok.status_code == 201, ok.content
    body = ok.json()
    assert body["balance_after"] == "100.000" and body["witness"] == world.users["senior_carer"].display_name
    again = _post(nurse, url, _receipt(world), **{"Idempotency-Key": "cd-1"})
    assert again.headers.get("Idempotent-Replayed") == "true"
    with in_home(world.home):
        assert CDRegister.objects.get(pk=page.pk).balance == 100

    too_much = _post(nurse, url, _receipt(world, kind="destroyed", quantity="100.001"))
    assert too_much.status_code == 422 and "below zero" in too_much.json()["errors"][0]["message"]
    old = _post(nurse, url, _receipt(world, occurred_at=(timezone.now() - timedelta(days=3)).isoformat()))
    assert old.status_code == 422 and old.json()["errors"][0]["field"] == "occurred_at"

    check = _post(
        nurse,
        f"{BASE}/cd/registers/{page.pk}/checks",
        {"counted": "99", "witness_email": world.users["senior_carer"].email, "witness_password": PASSWORD},
    )
    assert check.status_code == 201 and check.json()["matches"] is False
    listed = nurse.get(f"{BASE}/cd/discrepancies").json()
    assert listed["count"] == 1 and listed["items"][0]["counted"] == "99.000"
    entries = nurse.get(f"{BASE}/cd/registers/{page.pk}/entries").json()
    assert entries["count"] == 1


def test_other_homes_and_roles(world, client_for, meds, page):
    with in_home(world.other_home):
        from tests.medication.conftest import formulary

        other_meds = formulary(world.other_home)
        other = cd.open_register(
            home_id=world.other_home.pk,
            medicine_id=other_meds.morphine.pk,
            resident_id=None,
            by=world.users["registered_manager"],
        )
    nurse = client_for(world.users["nurse"])
    assert nurse.get(f"{BASE}/cd/registers/{other.pk}").status_code == 404
    assert _post(nurse, f"{BASE}/cd/registers/{other.pk}/entries", {"bad": 1}).status_code == 404
    carer = client_for(world.users["carer"])
    assert carer.get(f"{BASE}/cd/registers").status_code == 403
    inspector = client_for(world.users["inspector"])
    assert inspector.get(f"{BASE}/cd/registers").status_code == 200
    assert _post(inspector, f"{BASE}/cd/registers/{page.pk}/entries", _receipt(world)).status_code == 403


def test_stock_receipt_reorder_settings_and_fridges(world, nurse, meds, client_for):
    manager = client_for(world.users["registered_manager"])
    today = timezone.localdate()
    first = _post(manager, f"{BASE}/stock/settings", {"cycle_start": str(today)}, method="put")
    assert first.status_code == 200 and first.headers["ETag"] == '"v1"'
    stale = _post(manager, f"{BASE}/stock/settings", {"cycle_start": str(today), "order_lead_days": 5}, method="put")
    assert stale.status_code == 428
    changed = _post(
        manager,
        f"{BASE}/stock/settings",
        {"cycle_start": str(today), "order_lead_days": 5},
        method="put",
        **{"If-Match": '"v1"'},
    )
    assert changed.status_code == 200 and changed.json()["order_lead_days"] == 5

    receipt = _post(
        nurse,
        f"{BASE}/stock/receipts",
        {"medicine_id": meds.paracetamol.pk, "resident_id": world.resident.pk, "quantity": "0", "supplier": ""},
    )
    assert receipt.status_code == 422
    assert {"quantity", "supplier"} <= {e["field"] for e in receipt.json()["errors"]}
    receipt = _post(
        nurse,
        f"{BASE}/stock/receipts",
        {
            "medicine_id": meds.paracetamol.pk,
            "resident_id": world.resident.pk,
            "quantity": "0.5",
            "supplier": "High Street Pharmacy",
        },
    )
    assert receipt.status_code == 201 and receipt.json()["balance"] == "0.500"
    reorder = nurse.get(f"{BASE}/stock/reorder").json()
    assert reorder["ordering_date"] == str(today + timedelta(days=23))
    assert reorder["items"] == []  # no regular order: nothing known to run out

    fridge = _post(manager, f"{BASE}/fridges", {"name": "Treatment room"}).json()
    out = _post(nurse, f"{BASE}/fridges/{fridge['id']}/readings", {"current_c": "8.1", "min_c": "3", "max_c": "8.1"})
    assert out.status_code == 422 and out.json()["errors"][0]["field"] == "action_taken"
    out = _post(
        nurse,
        f"{BASE}/fridges/{fridge['id']}/readings",
        {"current_c": "8.1", "min_c": "3", "max_c": "8.1", "action_taken": "Door was open; closed it"},
    )
    assert out.status_code == 201 and out.json()["in_range"] is False
    assert nurse.get(f"{BASE}/fridges").json()["items"][0]["out_of_range_7d"] == 1
    assert nurse.get(f"{BASE}/fridges/{fridge['id']}/missing-days").json() == []
