"""The Mental Capacity Act API: the home's framework, assessments with the two-stage test (422 for an
inconsistent outcome), corrections, best-interest decisions, liberty records of the home's nation
only, grant / extend (urgent DoLS: once, 7 days) / end with If-Match, the expiring list; another
home's records are 404 before the body is read."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories as f

pytestmark = pytest.mark.django_db
BASE = "/api/v1/care_planning"
TODAY = timezone.localdate


def _send(client, method, url, body, **headers):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def api(world, client_for):
    return client_for(world.users["nurse"])


def assessment(world, **over) -> dict:
    data = {
        "decision": "Whether to use bed rails",
        "impairment": True,
        "impairment_evidence": "Delirium with a chest infection since Monday.",
        "understand": False,
        "understand_evidence": "Could not say what the rails are for.",
        "retain": False,
        "retain_evidence": "Forgot the explanation at once.",
        "use_weigh": False,
        "use_weigh_evidence": "Could not weigh falling against feeling trapped.",
        "communicate": True,
        "communicate_evidence": "Speaks.",
        "because_of_impairment": True,
        "practicable_steps": "Explained with the rails in front of her, daughter present, tried again at 14:00.",
        "outcome": "lacks_capacity",
        "assessor_id": world.users["nurse"].pk,
        "assessed_on": TODAY().isoformat(),
        "review_on": (TODAY() + timedelta(days=7)).isoformat(),
    }
    data.update(over)
    return data


def test_the_framework_follows_the_homes_nation(world, api):
    fw = api.get(f"{BASE}/residents/{world.resident.pk}/frameworks").json()
    assert fw["nation"] == "england" and fw["framework"] == "dols"
    assert [k["key"] for k in fw["kinds"]] == ["dols_standard", "dols_urgent"]
    urgent = fw["kinds"][1]
    assert urgent["max_days"] == 7 and "78" in urgent["source"]


def test_assessment_decision_and_correction(world, api):
    url = f"{BASE}/residents/{world.resident.pk}/capacity-assessments"
    bad = _send(api, "post", url, assessment(world, outcome="has_capacity"))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "outcome"
    created = _send(api, "post", url, assessment(world))
    assert created.status_code == 201, created.content
    a = created.json()
    assert a["outcome_label"] == "Lacks capacity for this decision"
    decision = {
        "capacity_assessment_id": a["id"],
        "decision": "Use a low bed and a crash mat instead of rails.",
        "options_considered": "Rails; low bed and crash mat; sensor mat only.",
        "consulted": [{"name": "Ann Evans", "relationship": "Daughter", "views": "Hates the idea of rails."}],
        "wishes_feelings_beliefs": "Has always valued her independence.",
        "least_restrictive": "No rails: she can still get out of bed safely.",
        "decision_maker": "Nina Nurse",
        "decision_maker_role": "Nurse in charge",
        "decided_on": TODAY().isoformat(),
    }
    d = _send(api, "post", f"{BASE}/residents/{world.resident.pk}/best-interest-decisions", decision)
    assert d.status_code == 201, d.content
    assert d.json()["consulted"][0]["relationship"] == "Daughter"
    assert api.get(f"{BASE}/best-interest-decisions/{d.json()['id']}").status_code == 200
    corrected = _send(
        api, "post", f"{BASE}/capacity-assessments/{a['id']}/correct", {**assessment(world), "reason": "Wrong date"}
    )
    assert corrected.status_code == 201
    original = api.get(f"{BASE}/capacity-assessments/{a['id']}").json()
    assert original["struck_reason"] == "Wrong date" and original["replaced_by_id"] == corrected.json()["id"]
    assert api.get(f"{BASE}/residents/{world.resident.pk}/capacity-assessments").json()["count"] == 2


def test_urgent_dols_seven_days_and_one_extension(world, api):
    url = f"{BASE}/residents/{world.resident.pk}/liberty"
    start = TODAY()
    too_long = {"kind": "dols_urgent", "start_on": start.isoformat(), "end_on": (start + timedelta(days=8)).isoformat()}
    assert _send(api, "post", url, too_long).status_code == 422
    created = _send(api, "post", url, {**too_long, "end_on": (start + timedelta(days=7)).isoformat()})
    assert created.status_code == 201 and created["ETag"] == '"v1"'
    rid = created.json()["id"]
    ext = {"new_end_on": (start + timedelta(days=14)).isoformat(), "decided_on": start.isoformat(), "reason": "BIA ill"}
    assert _send(api, "post", f"{BASE}/liberty/{rid}/extend", ext).status_code == 428
    extended = _send(api, "post", f"{BASE}/liberty/{rid}/extend", ext, **{"If-Match": '"v1"'})
    assert extended.status_code == 200 and extended.json()["end_on"] == (start + timedelta(days=14)).isoformat()
    again = _send(
        api,
        "post",
        f"{BASE}/liberty/{rid}/extend",
        {**ext, "new_end_on": (start + timedelta(days=15)).isoformat()},
        **{"If-Match": '"v2"'},
    )
    assert again.status_code == 422 and "only once" in again.json()["errors"][0]["message"]
    expiring = api.get(f"{BASE}/liberty/expiring").json()
    assert expiring["count"] == 1 and expiring["items"][0]["state"] == "expiring"
    ended = _send(
        api,
        "post",
        f"{BASE}/liberty/{rid}/end",
        {"ended_on": start.isoformat(), "reason": "Went home"},
        **{"If-Match": '"v2"'},
    )
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    assert [v["version"] for v in ended.json()["versions"]] == [1, 2, 3]


def test_standard_granted_with_conditions_and_the_wrong_framework_refused(world, api):
    url = f"{BASE}/residents/{world.resident.pk}/liberty"
    assert _send(api, "post", url, {"kind": "ni_panel", "requested_on": TODAY().isoformat()}).status_code == 422
    created = _send(
        api, "post", url, {"kind": "dols_standard", "requested_on": TODAY().isoformat(), "body": "Shire CC"}
    )
    rid = created.json()["id"]
    grant = {
        "decided_on": TODAY().isoformat(),
        "start_on": TODAY().isoformat(),
        "end_on": (TODAY() + timedelta(days=180)).isoformat(),
        "conditions": ["Supported visits to the town centre weekly"],
    }
    granted = _send(api, "post", f"{BASE}/liberty/{rid}/grant", grant, **{"If-Match": '"v1"'})
    assert granted.status_code == 200 and granted.json()["conditions"] == grant["conditions"]
    assert granted.json()["status_label"] == "In force" and granted.json()["days_left"] == 180


def test_another_homes_records_are_404_and_senior_carers_cannot_record_liberty(world, api, client_for):
    created = _send(api, "post", f"{BASE}/residents/{world.resident.pk}/capacity-assessments", assessment(world)).json()
    stranger = f.user("stranger@example.test")
    f.member(stranger, "registered_manager", home=world.other_home)
    s = client_for(stranger)
    assert s.get(f"{BASE}/capacity-assessments/{created['id']}").status_code == 404
    assert _send(s, "post", f"{BASE}/capacity-assessments/{created['id']}/correct", {"x": 1}).status_code == 404
    assert _send(s, "post", f"{BASE}/residents/{world.resident.pk}/liberty", {"x": 1}).status_code == 404
    senior = client_for(world.users["senior_carer"])
    body = {"kind": "dols_standard", "requested_on": TODAY().isoformat()}
    assert _send(senior, "post", f"{BASE}/residents/{world.resident.pk}/liberty", body).status_code == 403
