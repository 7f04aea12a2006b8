"""The assessments API: the tool library, recording with per-item 422 problems, results with every
answer and their versions, corrections, due lists, trends and settings; another home's objects are
404 before the body is read; POST honours Idempotency-Key."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.assessments.support import BRADEN_12, BRADEN_23, events, record
from writecarenotes.assessments.models import AssessmentResult
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.django_db
BASE = "/api/v1/assessments"


def _post(client, url, body, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", headers=headers)


def _put(client, url, body):
    return client.put(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def nurse(world, client_for):
    return client_for(world.users["nurse"])


def test_the_tool_library_and_one_tool_with_items_bands_and_source(world, nurse):
    tools = nurse.get(f"{BASE}/tools").json()
    slugs = [t["slug"] for t in tools]
    assert "braden" in slugs and "waterlow" in slugs
    braden = nurse.get(f"{BASE}/tools/braden").json()
    assert braden["source"].startswith("Bergstrom N") and braden["licence"] and braden["acknowledgement"]
    assert [i["key"] for i in braden["items"]][:2] == ["sensory_perception", "moisture"]
    assert braden["items"][0]["options"][0] == {
        "value": "1",
        "label": braden["items"][0]["options"][0]["label"],
        "points": "1",
    }
    sets = {b["key"]: b for b in braden["band_sets"]}
    assert sets["ayello_braden"]["default"] and not sets["cutoff_16"]["default"]
    assert {"key": "high", "low": "10", "high": "12", "rank": 3}.items() <= {
        k: v for k, v in sets["ayello_braden"]["bands"][1].items() if k in ("key", "low", "high", "rank")
    }.items()
    assert nurse.get(f"{BASE}/tools/tarot").status_code == 404


def test_record_an_assessment_and_read_it_back(world, nurse):
    response = _post(
        nurse,
        f"{BASE}/residents/{world.resident.pk}/results",
        {"tool": "braden", "answers": BRADEN_12, "notes": "Chairfast since Tuesday."},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["total"] == "12" and body["band"]["key"] == "high" and body["band"]["action"]
    assert body["summary"] == "Braden 12: high risk"
    assert {a["item_key"]: a["points"] for a in body["answers"]} == {k: "2" for k in BRADEN_12}
    assert body["next_due_on"] == (timezone.localdate() + timedelta(days=30)).isoformat()
    assert response["Location"] == f"{BASE}/results/{body['id']}"
    detail = nurse.get(response["Location"]).json()
    assert detail["id"] == body["id"] and len(detail["answers"]) == 6 and detail["versions"][0]["id"] == body["id"]
    listed = nurse.get(f"{BASE}/residents/{world.resident.pk}/results?tool=braden").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]


def test_invalid_answers_are_a_422_problem_with_one_error_per_item(world, nurse):
    answers = {**BRADEN_23, "moisture": "9"}
    del answers["activity"]
    response = _post(nurse, f"{BASE}/residents/{world.resident.pk}/results", {"tool": "braden", "answers": answers})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"answers.moisture", "answers.activity"} <= fields
    bad_time = _post(
        nurse,
        f"{BASE}/residents/{world.resident.pk}/results",
        {"tool": "braden", "answers": BRADEN_23, "assessed_at": (timezone.now() + timedelta(hours=2)).isoformat()},
    )
    assert bad_time.status_code == 422 and bad_time.json()["errors"][0]["field"] == "assessed_at"
    unknown = _post(nurse, f"{BASE}/residents/{world.resident.pk}/results", {"tool": "tarot", "answers": {}})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "tool"
    with acting_for([world.home]):
        assert AssessmentResult.objects.count() == 0


def test_another_homes_resident_is_404_before_the_body_is_read(world, nurse):
    for resident in (world.other_home_resident, world.foreign_resident):
        response = _post(nurse, f"{BASE}/residents/{resident.pk}/results", {"nonsense": True})
        assert response.status_code == 404
        assert nurse.get(f"{BASE}/residents/{resident.pk}/results").status_code == 404
        assert nurse.get(f"{BASE}/residents/{resident.pk}/due").status_code == 404
    theirs = record(world, resident=world.other_home_resident)
    assert nurse.get(f"{BASE}/results/{theirs.pk}").status_code == 404
    assert _post(nurse, f"{BASE}/results/{theirs.pk}/correct", {}).status_code == 404


def test_roles_without_the_capability_are_refused(world, client_for):
    carer = client_for(world.users["carer"])  # assessments: view only
    response = _post(carer, f"{BASE}/residents/{world.resident.pk}/results", {"tool": "braden", "answers": {}})
    assert response.status_code == 403
    assert carer.get(f"{BASE}/tools").status_code == 200
    kitchen = client_for(world.users["kitchen"])
    assert kitchen.get(f"{BASE}/tools").status_code == 403
    assert _put(client_for(world.users["nurse"]), f"{BASE}/settings/braden", {"enabled": False}).status_code == 200
    assert _put(client_for(world.users["senior_carer"]), f"{BASE}/settings/braden", {}).status_code == 403


def test_a_retried_post_with_the_same_idempotency_key_records_once(world, nurse):
    url = f"{BASE}/residents/{world.resident.pk}/results"
    body = {"tool": "braden", "answers": BRADEN_23}
    first = _post(nurse, url, body, **{"Idempotency-Key": "assess-1"})
    again = _post(nurse, url, body, **{"Idempotency-Key": "assess-1"})
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
    with acting_for([world.home]):
        assert AssessmentResult.objects.count() == 1
    assert len(events("assessment.recorded")) == 1


def test_correct_a_result_through_the_api(world, nurse):
    original = record(world, BRADEN_23)
    url = f"{BASE}/results/{original.pk}/correct"
    assert _post(nurse, url, {"reason": "", "answers": BRADEN_12}).status_code == 422
    bad = _post(nurse, url, {"reason": "misread", "answers": {**BRADEN_12, "moisture": "0"}})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "answers.moisture"
    response = _post(nurse, url, {"reason": "Read the wrong line of the chart", "answers": BRADEN_12})
    assert response.status_code == 201
    body = response.json()
    assert body["total"] == "12" and [v["id"] for v in body["versions"]] == [original.pk, body["id"]]
    assert body["versions"][0]["strike_reason"] == "Read the wrong line of the chart"
    assert _post(nurse, url, {"reason": "again", "answers": BRADEN_12}).status_code == 422


def test_due_lists_and_trend(world, nurse):
    record(world, BRADEN_23, at=timezone.now() - timedelta(days=3))
    record(world, BRADEN_12)
    due = nurse.get(f"{BASE}/residents/{world.resident.pk}/due").json()
    assert [(d["tool"], d["reason"], d["status"]) for d in due] == [("braden", "review", "later")]
    with acting_for([world.home]):
        from writecarenotes.assessments.services_due import mark_due
        from writecarenotes.platform.audit.services import acting_as_system

        with acting_as_system("test"):
            mark_due(world.resident.pk, "morse", "manual", timezone.localdate() - timedelta(days=2))
    unit = nurse.get(f"{BASE}/units/{world.unit.pk}/due").json()
    assert [(d["tool"], d["status"], d["days"]) for d in unit] == [("morse", "overdue", -2)]
    assert nurse.get(f"{BASE}/due").json() == unit
    trend = nurse.get(f"{BASE}/residents/{world.resident.pk}/trend/braden").json()
    assert [p["total"] for p in trend["points"]] == ["23", "12"]
    assert nurse.get(f"{BASE}/residents/{world.resident.pk}/trend/tarot").status_code == 404


def test_settings_get_and_put(world, client_for):
    manager = client_for(world.users["registered_manager"])
    got = manager.get(f"{BASE}/settings/braden").json()
    assert got == {
        "tool": "braden",
        "enabled": True,
        "band_set": "ayello_braden",
        "band_sets": ["ayello_braden", "cutoff_16"],
        "review_days": 30,
        "review_days_override": None,
        "default_review_days": 30,
    }
    put = _put(manager, f"{BASE}/settings/braden", {"enabled": True, "band_set": "cutoff_16", "review_days": 14})
    assert put.status_code == 200 and put.json()["review_days"] == 14 and put.json()["band_set"] == "cutoff_16"
    bad = _put(manager, f"{BASE}/settings/braden", {"band_set": "nope"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "band_set"
    assert _put(manager, f"{BASE}/settings/tarot", {"nonsense": 1}).status_code == 404
    assert len(manager.get(f"{BASE}/settings").json()) >= 2
