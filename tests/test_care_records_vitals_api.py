"""Vital signs and SBARD over the API: NEWS2 in the answer, Idempotency-Key, problems, scoping."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from writecarenotes.care_records.models import VitalSigns
from writecarenotes.platform.identity.tokens import issue_token
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.django_db


def _url(resident_id, tail="vital-signs"):
    return f"/api/v1/care_records/residents/{resident_id}/{tail}"


def _body(**over):
    body = {
        "occurred_at": timezone.now().isoformat(),
        "respiration_rate": 22,
        "spo2": 95,
        "on_oxygen": False,
        "systolic_bp": 105,
        "diastolic_bp": 60,
        "pulse": 95,
        "consciousness": "A",
        "temperature": "38.3",
        "soft_signs": ["drowsy"],
    }
    body.update(over)
    return body


def _post(c, resident_id, body, key=None, tail="vital-signs"):
    headers = {"Idempotency-Key": key} if key else {}
    return c.post(_url(resident_id, tail), data=body, content_type="application/json", headers=headers)


def _count(world):
    with acting_for([world.home]):
        return VitalSigns.objects.count()


def test_post_answers_news2_band_and_advice(world, client_for):
    c = client_for(world.users["carer"])
    r = _post(c, world.resident.pk, _body())
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["news2"]["total"] == 6 and data["news2"]["band"] == "medium"
    assert data["news2"]["scores"]["respiration_rate"] == 2
    assert data["advice"]["urgency"] == "urgent" and not data["advice"]["call_999"]
    assert data["missing"] == []
    listed = c.get(_url(world.resident.pk)).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == data["id"]
    one = c.get(_url(world.resident.pk, f"vital-signs/{data['id']}"))
    assert one.json()["news2"]["total"] == 6


def test_incomplete_set_over_the_api(world, client_for):
    r = _post(
        client_for(world.users["carer"]), world.resident.pk, {"occurred_at": timezone.now().isoformat(), "pulse": 80}
    )
    assert r.status_code == 201
    assert r.json()["news2"] is None and "respiration_rate" in r.json()["missing"]


def test_retry_with_the_same_idempotency_key_records_once(world, client_for):
    c = client_for(world.users["carer"])
    body = _body()
    first = _post(c, world.resident.pk, body, key="vs-7d1c")
    again = _post(c, world.resident.pk, body, key="vs-7d1c")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
    assert _count(world) == 1


def test_impossible_values_are_422_with_field_errors(world, client_for):
    r = _post(client_for(world.users["carer"]), world.resident.pk, _body(spo2=101, respiration_rate=90))
    assert r.status_code == 422
    assert r["Content-Type"].startswith("application/problem+json")
    fields = {e["field"] for e in r.json()["errors"]}
    assert {"spo2", "respiration_rate"} <= fields
    bad_acvpu = _post(client_for(world.users["carer"]), world.resident.pk, _body(consciousness="X"))
    assert bad_acvpu.status_code == 422
    assert _count(world) == 0


def test_scoping_and_permissions(world, client_for):
    c = client_for(world.users["carer"])
    assert _post(c, world.foreign_resident.pk, _body()).status_code == 404
    assert c.get(_url(world.other_home_resident.pk)).status_code == 404
    assert _post(client_for(world.users["family"]), world.resident.pk, _body()).status_code == 403
    assert _post(client_for(world.users["inspector"]), world.resident.pk, _body()).status_code == 403
    assert client_for(world.users["inspector"]).get(_url(world.resident.pk)).status_code == 200
    scale = {"spo2_scale": 2, "reason": "COPD"}
    assert _post(c, world.resident.pk, scale, tail="spo2-scale").status_code == 403
    assert _post(client_for(world.users["nurse"]), world.resident.pk, scale, tail="spo2-scale").status_code == 200


def test_token_client_sees_only_its_home(world):
    issued = issue_token(
        user=world.users["nurse"],
        home=world.home,
        name="tablet",
        capabilities=["care_records:record", "care_records:view"],
        lifetime=timedelta(days=1),
    )
    c = Client(HTTP_AUTHORIZATION=f"Bearer {issued.raw}")
    body = _body()
    assert _post(c, world.resident.pk, body, key="tablet-1").status_code == 201
    assert _post(c, world.resident.pk, body, key="tablet-1")["Idempotent-Replayed"] == "true"
    assert c.get(_url(world.other_home_resident.pk)).status_code == 404
    assert _count(world) == 1


def test_sbard_over_the_api(world, client_for):
    c = client_for(world.users["senior_carer"])
    vs_id = _post(c, world.resident.pk, _body()).json()["id"]
    body = {
        "occurred_at": timezone.now().isoformat(),
        "vital_signs_id": vs_id,
        "situation": "NEWS2 6",
        "background": "COPD",
        "assessment": "Temp 38.3",
        "recommendation": "Visit today",
        "contacted": "nhs_111",
        "decision": "Clinician call-back within 2 hours",
    }
    r = _post(c, world.resident.pk, body, key="sbard-1", tail="sbard")
    assert r.status_code == 201, r.content
    assert r.json()["contacted"] == "nhs_111" and r.json()["vital_signs_id"] == vs_id
    assert _post(c, world.resident.pk, body, key="sbard-1", tail="sbard").json()["id"] == r.json()["id"]
    assert c.get(_url(world.resident.pk, "sbard")).json()["count"] == 1
    missing = _post(c, world.resident.pk, dict(body, situation=""), tail="sbard")
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "situation"


def test_correction_over_the_api(world, client_for):
    c = client_for(world.users["nurse"])
    vs_id = _post(c, world.resident.pk, _body()).json()["id"]
    url = f"vital-signs/{vs_id}/correct"
    no_reason = _post(c, world.resident.pk, {"reason": "", "values": {"respiration_rate": 16}}, tail=url)
    assert no_reason.status_code == 422
    bad_field = _post(c, world.resident.pk, {"reason": "typo", "values": {"news2_total": 0}}, tail=url)
    assert bad_field.status_code == 422 and bad_field.json()["errors"][0]["field"] == "news2_total"
    r = _post(
        c, world.resident.pk, {"reason": "Counted for 15 s", "values": {"respiration_rate": 16}}, key="c1", tail=url
    )
    assert r.status_code == 201, r.content
    assert r.json()["news2"]["total"] == 4 and r.json()["respiration_rate"] == 16
    old = c.get(_url(world.resident.pk, f"vital-signs/{vs_id}")).json()
    assert old["struck_reason"] == "Counted for 15 s" and old["replaced_by_id"] == r.json()["id"]
    again = _post(c, world.resident.pk, {"reason": "again", "values": {"pulse": 70}}, tail=url)
    assert again.status_code == 422
    assert _post(c, world.foreign_resident.pk, {"reason": "x"}, tail=url).status_code == 404
