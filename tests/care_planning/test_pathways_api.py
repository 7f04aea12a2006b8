"""The pathways API: templates, enrolments, documents with ETag / If-Match and versions, entries with
history and corrections, registers with If-Match updates, equipment maintenance; 422 problems by field,
404 for another home's resident before the body is read, Idempotency-Key on POST, paginated lists."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from writecarenotes.care_planning.models.pathways import SymptomObservation
from writecarenotes.platform.events.models import OutboxEvent

pytestmark = pytest.mark.django_db
API = "/api/v1/care_planning"


def _post(client, url, body, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", headers=headers)


def _put(client, url, body, **headers):
    return client.put(url, data=json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def nurse(world, client_for):
    return client_for(world.users["nurse"])


def base(world, resident=None) -> str:
    return f"{API}/residents/{(resident or world.resident).pk}/pathways"


def _fields(problem) -> dict:
    return {e["field"]: e["message"] for e in problem.get("errors", [])}


def test_templates_and_the_overview(world, nurse):
    templates = nurse.get(f"{API}/pathway-templates").json()
    assert [t["pathway"] for t in templates] == ["dementia", "mental_health", "palliative", "rehabilitation"]
    assert templates[2]["need_domain"] == "end_of_life" and templates[2]["interventions"][0]["text"]
    overview = nurse.get(base(world)).json()
    assert overview["enrolments"] == [] and len(overview["documents"]) == 9
    assert nurse.get(base(world, world.other_home_resident)).status_code == 404


def test_start_and_end_a_pathway(world, nurse, client_for):
    r = _post(nurse, base(world) + "/enrolments/palliative/start", {}, **{"Idempotency-Key": "start-1"})
    assert r.status_code == 201 and r.json()["pathway"] == "palliative"
    again = _post(nurse, base(world) + "/enrolments/palliative/start", {}, **{"Idempotency-Key": "start-1"})
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    dup = _post(nurse, base(world) + "/enrolments/palliative/start", {})
    assert dup.status_code == 422 and "pathway" in _fields(dup.json())
    assert _post(nurse, base(world) + "/enrolments/tarot/start", {}).status_code == 404
    senior = client_for(world.users["senior_carer"])
    assert _post(senior, base(world) + "/enrolments/palliative/end", {"reason": "x"}).status_code == 403
    assert _post(nurse, base(world) + "/enrolments/palliative/end", {}).status_code == 422
    assert _post(nurse, base(world) + "/enrolments/palliative/end", {"reason": "Recovered"}).json()["ended_on"]


def test_documents_with_etag_if_match_and_versions(world, nurse):
    url = base(world) + "/documents/this_is_me"
    blank = nurse.get(url).json()
    assert blank["id"] is None and blank["fields"][0]["key"] == "name_i_like" and "Alzheimer" in blank["source"]
    bad = _put(nurse, url, {"values": {"name_i_like": "", "shoe_size": 5}})
    assert bad.status_code == 422
    assert set(_fields(bad.json())) == {"values.name_i_like", "values.completed_by", "values"}
    created = _put(nurse, url, {"values": {"name_i_like": "Peggy", "completed_by": "Ann"}})
    assert created.status_code == 200 and created.json()["version"] == 1
    etag = created.headers["ETag"]
    body = {"values": {"name_i_like": "Peg", "completed_by": "Ann"}, "reason": "She asked"}
    assert _put(nurse, url, body).status_code == 428
    assert _put(nurse, url, body, **{"If-Match": '"v9"'}).status_code == 412
    assert _put(nurse, url, {**body, "reason": ""}, **{"If-Match": etag}).status_code == 422
    ok = _put(nurse, url, body, **{"If-Match": etag})
    assert ok.status_code == 200 and ok.json()["version"] == 2 and ok.headers["ETag"] != etag
    versions = nurse.get(url + "/versions").json()
    assert versions["count"] == 2 and versions["items"][0]["reason"] == "She asked"
    assert versions["items"][0]["changes"] == [
        {"label": "The name I like to be called", "before": "Peggy", "after": "Peg"}
    ]
    assert nurse.get(base(world) + "/documents/tarot").status_code == 404
    assert nurse.get(base(world) + "/documents?pathway=dementia").json()[0]["version"] == 2
    other = _put(nurse, base(world, world.other_home_resident) + "/documents/this_is_me", {"values": "junk"})
    assert other.status_code == 404  # before the body is read


def test_symptoms_recorded_listed_and_corrected(world, nurse, client_for):
    url = base(world) + "/symptoms"
    bad = _post(nurse, url, {"scores": {"pain": 7, "mood": 1}})
    assert bad.status_code == 422 and {"pain", "scores"} <= set(_fields(bad.json()))
    r = _post(nurse, url, {"scores": {"pain": 3, "nausea": None}, "actions": "PRN given"}, **{"Idempotency-Key": "s1"})
    assert r.status_code == 201, r.content
    obs = r.json()
    assert obs["values"]["severe"] == ["pain"] and obs["values"]["scores"]["nausea"] is None
    assert r.headers["Location"].endswith(f"/symptoms/{obs['id']}")
    assert (
        _post(
            nurse, url, {"scores": {"pain": 3, "nausea": None}, "actions": "PRN given"}, **{"Idempotency-Key": "s1"}
        ).json()["id"]
        == obs["id"]
    )
    early = (timezone.now() - timedelta(hours=2)).isoformat()
    _post(nurse, url, {"scores": {"pain": 1}, "occurred_at": early})
    listed = nurse.get(url + "?limit=1").json()
    assert listed["count"] == 2 and len(listed["items"]) == 1 and listed["items"][0]["id"] == obs["id"]
    assert nurse.get(url + "?limit=500").status_code == 422
    fixed = _post(nurse, f"{url}/{obs['id']}/correct", {"reason": "Was 2", "values": {"scores": {"pain": 2}}})
    assert fixed.status_code == 201 and fixed.json()["values"]["scores"]["pain"] == 2
    assert _post(nurse, f"{url}/{obs['id']}/correct", {"reason": "again", "values": {}}).status_code == 422
    assert (
        _post(nurse, f"{url}/{fixed.json()['id']}/correct", {"reason": "x", "values": {"colour": "red"}}).status_code
        == 422
    )
    one = nurse.get(f"{url}/{fixed.json()['id']}").json()
    assert [h["id"] for h in one["history"]] == [obs["id"], fixed.json()["id"]]
    assert nurse.get(url).json()["count"] == 2 and nurse.get(url + "?include_struck=true").json()["count"] == 3
    carer = client_for(world.users["carer"])
    assert carer.get(url).status_code == 200 and _post(carer, url, {"scores": {"pain": 1}}).status_code == 403
    assert _post(nurse, base(world, world.foreign_resident) + "/symptoms", {"scores": "x"}).status_code == 404
    assert OutboxEvent.unscoped.filter(name="pathway.symptoms_recorded").count() == 3


def test_registers_with_if_match(world, nurse):
    url = base(world) + "/medicines"
    body = {
        "drug": "Levomepromazine",
        "dose": "6.25 mg",
        "route": "subcutaneous",
        "indication": "nausea_vomiting",
        "prescribed_on": timezone.localdate().isoformat(),
    }
    bad = _post(nurse, url, {**body, "route": "ear", "prescribed_on": "2999-01-01"})
    assert bad.status_code == 422 and {"route", "prescribed_on"} <= set(_fields(bad.json()))
    med = _post(nurse, url, body).json()
    assert med["version"] == 1 and med["resident"] == world.resident.pk
    got = nurse.get(f"{url}/{med['id']}")
    change = {"reason": "Dose reduced", "dose": "3 mg"}
    assert _put(nurse, f"{url}/{med['id']}", change).status_code == 428
    ok = _put(nurse, f"{url}/{med['id']}", change, **{"If-Match": got.headers["ETag"]})
    assert ok.status_code == 200 and ok.json()["dose"] == "3 mg"
    assert _put(nurse, f"{url}/{med['id']}", change, **{"If-Match": got.headers["ETag"]}).status_code == 412
    stopped = _post(nurse, f"{url}/{med['id']}/stop", {"reason": "Nausea settled"})
    assert stopped.json()["stopped_on"] == timezone.localdate().isoformat()
    assert nurse.get(url).json()["count"] == 1

    decisions = base(world) + "/advance-decisions"
    adrt = {
        "made_on": "2024-03-01",
        "treatments_refused": "CPR",
        "document_location": "Office",
        "checked_on": "2024-03-02",
        "checked_by": "Jo RN",
        "refuses_life_sustaining": True,
        "life_at_risk_statement": True,
        "in_writing": True,
        "signed": True,
    }
    d = _post(nurse, decisions, adrt).json()
    assert d["is_valid"] and not d["applies_to_life_sustaining"] and "a witness" in d["problems"][0]
    etag = nurse.get(f"{decisions}/{d['id']}").headers["ETag"]
    d2 = _put(
        nurse,
        f"{decisions}/{d['id']}",
        {**adrt, "witnessed": True, "reason": "Witnessed copy found"},
        **{"If-Match": etag},
    ).json()
    assert d2["applies_to_life_sustaining"] and d2["problems"] == [] and d2["version"] == 2

    contacts = base(world) + "/contacts"
    c = _post(nurse, contacts, {"team": "CMHT", "phone": "01632 960001"}).json()
    assert _post(nurse, contacts, {"team": "CMHT", "phone": "not a phone"}).status_code == 422
    assert _post(nurse, f"{contacts}/{c['id']}/end", {"reason": "Discharged"}).json()["ended_on"]


def test_mood_sessions_goals_and_equipment(world, nurse):
    mood = _post(nurse, base(world) + "/mood", {"mood_score": 1, "observations": ["perceptions"]})
    assert mood.status_code == 201 and mood.json()["values"]["concern"] is True
    assert _post(nurse, base(world) + "/mood", {"mood_score": 9}).status_code == 422
    goal = _post(
        nurse,
        base(world) + "/goals",
        {
            "description": "Walk 40 m",
            "discipline": "physiotherapy",
            "measure": "other",
            "measure_label": "metres",
            "baseline_value": "5",
            "target_value": "40",
            "target_on": "2031-01-01",
        },
    )
    assert goal.status_code == 201, goal.content
    gid = goal.json()["id"]
    m = _post(nurse, f"{base(world)}/goals/{gid}/measurements", {"value": "12.5"})
    assert m.status_code == 201 and m.json()["values"]["value"] == "12.50"
    g = nurse.get(f"{base(world)}/goals/{gid}")
    assert g.json()["progress_percent"] == 21 and g.json()["measurements"][0]["values"]["value"] == "12.50"
    changed = _put(
        nurse,
        f"{base(world)}/goals/{gid}",
        {"reason": "Doing well", "target_value": "60"},
        **{"If-Match": g.headers["ETag"]},
    )
    assert changed.status_code == 200 and changed.json()["target_value"] in ("60.00", 60, "60")
    assert _post(nurse, f"{base(world)}/goals/{gid}/measurements", {"from_assessment": True}).status_code == 422
    s = _post(
        nurse,
        base(world) + "/sessions",
        {
            "therapist": "Lee",
            "discipline": "physiotherapy",
            "duration_minutes": 30,
            "activity": "Walking",
            "progress_rating": 4,
            "goal_id": gid,
        },
    )
    assert s.status_code == 201 and s.json()["values"]["goal_id"] == gid
    closed = _post(nurse, f"{base(world)}/goals/{gid}/close", {"status": "achieved", "reason": "Walks to the garden"})
    assert closed.json()["status"] == "achieved"
    overdue = (timezone.localdate() - timedelta(days=1)).isoformat()
    e = _post(
        nurse, base(world) + "/equipment", {"item": "Hoist", "issued_on": "2024-01-01", "next_service_due": overdue}
    )
    assert e.status_code == 201
    due = nurse.get(f"{API}/pathways/equipment-maintenance").json()
    assert due["count"] == 1 and due["items"][0]["overdue"] and due["items"][0]["equipment"]["item"] == "Hoist"
    serviced = _post(
        nurse,
        f"{base(world)}/equipment/{e.json()['id']}/service",
        {"serviced_on": timezone.localdate().isoformat(), "next_service_due": "2031-01-01"},
    )
    assert serviced.json()["next_service_due"] == "2031-01-01"
    assert nurse.get(f"{API}/pathways/equipment-maintenance").json()["count"] == 0


def test_a_session_for_another_residents_goal_is_refused(world, nurse):
    r = _post(
        nurse,
        base(world) + "/sessions",
        {
            "therapist": "Lee",
            "discipline": "physiotherapy",
            "duration_minutes": 30,
            "activity": "x",
            "progress_rating": 4,
            "goal_id": 999999,
        },
    )
    assert r.status_code == 422 and "goal_id" in _fields(r.json())
    assert SymptomObservation.unscoped.count() == 0
