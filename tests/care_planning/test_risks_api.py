"""The risk register API: the NPSA matrix, raising (422 problems by field), reading with versions and
ETag, PATCH with If-Match (428 / 412) and a reason, closing, the overdue lists; another home's
resident or risk is 404 before the body is read; POST honours Idempotency-Key."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from writecarenotes.care_planning.models.risks import Risk
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.django_db
BASE = "/api/v1/care_planning"


def _send(client, method, url, body, **headers):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def api(world, client_for):
    return client_for(world.users["nurse"])


def body(world, **over) -> dict:
    data = {
        "kind": "pressure_damage",
        "description": "Sits in her chair most of the day; Waterlow 17.",
        "likelihood": 4,
        "impact": 4,
        "controls": "Pressure cushion, 2-hourly repositioning, skin checks at each change.",
        "residual_likelihood": 2,
        "residual_impact": 4,
        "owner_id": world.users["nurse"].pk,
        "review_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
    }
    data.update(over)
    return data


def test_the_matrix(world, api):
    m = api.get(f"{BASE}/risk-matrix").json()
    assert m["likelihood"]["5"] == "Almost certain" and m["impact"]["1"] == "Negligible"
    assert [(g["key"], g["low"], g["high"]) for g in m["grades"]] == [
        ("low", 1, 3),
        ("moderate", 4, 6),
        ("high", 8, 12),
        ("extreme", 15, 25),
    ]
    assert "National Patient Safety Agency" in m["source"]


def test_raise_read_change_and_close(world, api):
    created = _send(api, "post", f"{BASE}/residents/{world.resident.pk}/risks", body(world))
    assert created.status_code == 201, created.content
    risk = created.json()
    assert (risk["score"], risk["rating"], risk["residual_score"], risk["residual_rating"]) == (
        16,
        "extreme",
        8,
        "high",
    )
    assert created["Location"] == f"{BASE}/risks/{risk['id']}" and created["ETag"] == '"v1"'
    got = api.get(f"{BASE}/risks/{risk['id']}")
    assert got["ETag"] == '"v1"' and got.json()["versions"][0]["reason"] == "Risk raised"
    url = f"{BASE}/risks/{risk['id']}"
    assert _send(api, "patch", url, {"reason": "x", "impact": 3}).status_code == 428
    assert _send(api, "patch", url, {"reason": "x", "impact": 3}, **{"If-Match": '"v9"'}).status_code == 412
    changed = _send(
        api, "patch", url, {"reason": "Healed sacrum", "likelihood": 3, "impact": 3}, **{"If-Match": '"v1"'}
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["rating"] == "high" and changed["ETag"] == '"v2"'
    assert [v["reason"] for v in changed.json()["versions"]] == ["Risk raised", "Healed sacrum"]
    bad = _send(
        api, "patch", url, {"reason": "x", "residual_likelihood": 5, "residual_impact": 5}, **{"If-Match": '"v2"'}
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "residual_likelihood"
    closed = _send(api, "post", f"{url}/close", {"reason": "Moved to hospital care"}, **{"If-Match": '"v2"'})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    listed = api.get(f"{BASE}/residents/{world.resident.pk}/risks?status=closed").json()
    assert listed["count"] == 1 and listed["items"][0]["closed_reason"] == "Moved to hospital care"


def test_refusals_are_problems_by_field(world, api):
    response = _send(
        api, "post", f"{BASE}/residents/{world.resident.pk}/risks", body(world, kind="other", likelihood=7)
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    fields = {e["field"] for e in response.json()["errors"]}
    assert "likelihood" in fields
    response = _send(api, "post", f"{BASE}/residents/{world.resident.pk}/risks", body(world, kind="other"))
    assert response.status_code == 422 and {e["field"] for e in response.json()["errors"]} == {"other_kind"}
    with acting_for([world.home]):
        assert Risk.objects.count() == 0


def test_another_homes_resident_or_risk_is_404_before_the_body(world, api, client_for):
    assert _send(api, "post", f"{BASE}/residents/{world.other_home_resident.pk}/risks", {"junk": 1}).status_code == 404
    assert api.get(f"{BASE}/residents/{world.foreign_resident.pk}/risks").status_code == 404
    other = client_for(world.users["registered_manager"])
    created = _send(other, "post", f"{BASE}/residents/{world.resident.pk}/risks", body(world)).json()
    # a nurse of another home does not see it
    from tests import factories as f

    stranger = f.user("stranger@example.test")
    f.member(stranger, "nurse", home=world.other_home)
    s = client_for(stranger)
    assert s.get(f"{BASE}/risks/{created['id']}").status_code == 404
    assert _send(s, "post", f"{BASE}/risks/{created['id']}/close", {}).status_code == 404


def test_idempotency_key_records_once(world, api):
    url = f"{BASE}/residents/{world.resident.pk}/risks"
    first = _send(api, "post", url, body(world), **{"Idempotency-Key": "risk-1"})
    second = _send(api, "post", url, body(world), **{"Idempotency-Key": "risk-1"})
    assert first.status_code == second.status_code == 201 and second["Idempotent-Replayed"] == "true"
    with acting_for([world.home]):
        assert Risk.objects.count() == 1


def test_carers_read_but_do_not_raise(world, client_for):
    carer = client_for(world.users["carer"])
    assert carer.get(f"{BASE}/residents/{world.resident.pk}/risks").status_code == 200
    assert _send(carer, "post", f"{BASE}/residents/{world.resident.pk}/risks", body(world)).status_code == 403


def test_overdue_lists(world, api):
    created = _send(api, "post", f"{BASE}/residents/{world.resident.pk}/risks", body(world)).json()
    with acting_for([world.home]):
        Risk.objects.filter(pk=created["id"]).update(review_on=timezone.localdate() - timedelta(days=2))
    home = api.get(f"{BASE}/risks/overdue").json()
    assert home["count"] == 1 and home["items"][0]["days_overdue"] == 2
    unit = api.get(f"{BASE}/units/{world.unit.pk}/risks/overdue").json()
    assert unit["items"][0]["resident_name"] == home["items"][0]["resident_name"]
    assert api.get(f"{BASE}/units/{world.other_home_resident.unit_id}/risks/overdue").status_code == 404
