"""The care plans API end to end: propose from assessments, change with If-Match, agree, tasks for the
unit and recording them (carers), reviews; 422 problems, 404 for another home, Idempotency-Key."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.care_planning.conftest import WATERLOW_17, assess, plans_home
from writecarenotes.care_planning.models.plans import CarePlan, TaskCompletion
from writecarenotes.platform.events import dispatcher

pytestmark = pytest.mark.django_db
BASE = "/api/v1/care_planning"


def _send(client, method, url, body=None, **headers):
    return client.generic(method, url, data=json.dumps(body or {}), content_type="application/json", headers=headers)


def test_propose_change_agree_and_read_a_plan(world, nurse):
    assess(world, "waterlow", WATERLOW_17)
    r = _send(nurse, "POST", f"{BASE}/residents/{world.resident.pk}/plans/propose")
    assert r.status_code == 201, r.content
    body = r.json()
    assert [p["domain"] for p in body["created"]] == ["skin_integrity"] and body["results_used"] == 1
    plan = body["created"][0]
    assert plan["status"] == "proposed" and plan["assessments"][0]["summary"] == "Waterlow 17: high risk"
    repo = next(i for i in plan["interventions"] if i["chart"] == "repositioning")
    assert (repo["every_hours"], repo["repositioning_hours"]) == (4, 4)

    url = f"{BASE}/plans/{plan['id']}"
    got = nurse.get(url)
    etag = got["ETag"]
    assert got.json()["goals"][0]["text"].startswith("Skin stays intact")
    # change: If-Match is required (428), a reason too (422), a stale one is refused (412)
    assert (
        _send(nurse, "PATCH", url, {"in_my_words": "I like lying on my left side.", "reason": "x"}).status_code == 428
    )
    bad = _send(nurse, "PATCH", url, {"in_my_words": "I like lying on my left side."}, **{"If-Match": etag})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "reason"
    ok = _send(
        nurse,
        "PATCH",
        url,
        {"in_my_words": "I like lying on my left side.", "reason": "Talked with Margaret"},
        **{"If-Match": etag},
    )
    assert ok.status_code == 200 and ok.json()["in_my_words"] == "I like lying on my left side."
    assert _send(nurse, "PATCH", url, {"needs": "x", "reason": "y"}, **{"If-Match": etag}).status_code == 412

    refused = _send(nurse, "POST", f"{url}/agree", {"resident_involved": True})
    assert refused.status_code == 422 and {e["field"] for e in refused.json()["errors"]} == {"agreement_recorded"}
    agreed = _send(nurse, "POST", f"{url}/agree", {"resident_involved": True, "agreement_recorded": True})
    assert agreed.status_code == 200 and agreed.json()["status"] == "agreed" and agreed.json()["next_review_on"]
    listing = nurse.get(f"{BASE}/residents/{world.resident.pk}/plans").json()
    assert listing["count"] == 1 and listing["items"][0]["status"] == "agreed"


def test_goals_interventions_and_their_errors(world, nurse):
    r = _send(
        nurse,
        "POST",
        f"{BASE}/residents/{world.resident.pk}/plans",
        {"domain": "sleep", "in_my_words": "I go to bed late and like the door ajar."},
    )
    assert r.status_code == 201, r.content
    plan_id = r.json()["id"]
    goal = _send(
        nurse,
        "POST",
        f"{BASE}/plans/{plan_id}/goals",
        {"text": "Sleeps through most nights", "target_on": str(timezone.localdate() + timedelta(days=28))},
    )
    assert goal.status_code == 201
    bad = _send(
        nurse,
        "POST",
        f"{BASE}/plans/{plan_id}/interventions",
        {"what": "Check", "schedule_kind": "times_of_day", "times": ["26:00"]},
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "times"
    item = _send(
        nurse,
        "POST",
        f"{BASE}/plans/{plan_id}/interventions",
        {"what": "Night check", "schedule_kind": "times_of_day", "times": ["23:00", "03:00"], "chart": "sleep"},
    )
    assert item.status_code == 201 and item.json()["times"] == ["03:00", "23:00"]
    changed = _send(
        nurse,
        "PATCH",
        f"{BASE}/interventions/{item.json()['id']}",
        {"times": ["02:00"], "reason": "Wakes at 2"},
        **{"If-Match": item["ETag"]},
    )
    assert changed.status_code == 200 and changed.json()["times"] == ["02:00"]
    progress = _send(nurse, "POST", f"{BASE}/goals/{goal.json()['id']}/progress", {"note": "Slept 6 hours"})
    assert progress.status_code == 201 and progress.json()["progress"][0]["note"] == "Slept 6 hours"
    again = _send(nurse, "POST", f"{BASE}/residents/{world.resident.pk}/plans", {"domain": "sleep"})
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "domain"
    ended = _send(nurse, "POST", f"{BASE}/interventions/{item.json()['id']}/end", {"reason": "Sleeping well"})
    assert ended.status_code == 200 and ended.json()["active"] is False


def test_another_homes_objects_are_404_even_with_a_bad_body(world, nurse):
    with plans_home(world):
        pass
    assert (
        _send(nurse, "POST", f"{BASE}/residents/{world.other_home_resident.pk}/plans", {"domain": 5}).status_code == 404
    )
    assert _send(nurse, "POST", f"{BASE}/residents/{world.foreign_resident.pk}/plans/propose").status_code == 404
    assert nurse.get(f"{BASE}/plans/999999").status_code == 404
    assert _send(nurse, "PATCH", f"{BASE}/goals/999999", {"text": 1}).status_code == 404


def test_carers_see_the_unit_tasks_and_record_them_once(world, nurse, carer):
    assess(world, "waterlow", WATERLOW_17)
    plan = _send(nurse, "POST", f"{BASE}/residents/{world.resident.pk}/plans/propose").json()["created"][0]
    _send(nurse, "POST", f"{BASE}/plans/{plan['id']}/agree", {"resident_involved": True, "agreement_recorded": True})
    dispatcher.run_due()
    # carers may not agree plans (care_planning:view only), but record tasks (care_records:record)
    assert _send(carer, "POST", f"{BASE}/plans/{plan['id']}/archive", {"reason": "x"}).status_code == 403
    tasks = carer.get(f"{BASE}/units/{world.unit.pk}/tasks").json()
    assert tasks["count"] >= 2
    shift_task = next(t for t in tasks["items"] if t["schedule_kind"] == "each_shift")
    assert shift_task["state"] in ("to_do", "missed") and shift_task["resident_name"]
    key = str(uuid.uuid4())
    body = {"intervention_id": shift_task["intervention_id"], "due_at": shift_task["due_at"], "outcome": "done"}
    first = _send(carer, "POST", f"{BASE}/tasks", body, **{"Idempotency-Key": key})
    assert first.status_code == 201, first.content
    replay = _send(carer, "POST", f"{BASE}/tasks", body, **{"Idempotency-Key": key})
    assert replay.status_code == 201 and replay.json()["id"] == first.json()["id"]
    with plans_home(world):
        assert TaskCompletion.objects.count() == 1
    dup = _send(carer, "POST", f"{BASE}/tasks", body)
    assert dup.status_code == 422
    missing = _send(
        carer,
        "POST",
        f"{BASE}/tasks",
        {"intervention_id": shift_task["intervention_id"], "due_at": shift_task["due_at"], "outcome": "not_done"},
    )
    assert missing.status_code == 422
    states = {
        t["intervention_id"]: t["state"]
        for t in carer.get(f"{BASE}/units/{world.unit.pk}/tasks").json()["items"]
        if t["schedule_kind"] == "each_shift"
    }
    assert states[shift_task["intervention_id"]] == "done"
    assert carer.get(f"{BASE}/units/{world.other_home_resident.unit_id}/tasks").status_code == 404


def test_review_preview_and_holding_a_review(world, nurse):
    assess(world, "waterlow", WATERLOW_17)
    plan = _send(nurse, "POST", f"{BASE}/residents/{world.resident.pk}/plans/propose").json()["created"][0]
    _send(nurse, "POST", f"{BASE}/plans/{plan['id']}/agree", {"resident_involved": True, "agreement_recorded": True})
    preview = nurse.get(f"{BASE}/plans/{plan['id']}/review").json()
    assert preview["records"]["falls"] == 0 and "Falls recorded: 0." in preview["records_text"]
    assert preview["assessments"][0]["now"] == "Waterlow 17: high risk"
    bad = _send(nurse, "POST", f"{BASE}/plans/{plan['id']}/reviews", {"outcome": "continue"})
    assert bad.status_code == 422
    held = _send(
        nurse,
        "POST",
        f"{BASE}/plans/{plan['id']}/reviews",
        {"summary": "Skin intact.", "outcome": "continue", "resident_involved": True, "agreement_recorded": True},
    )
    assert held.status_code == 201 and held.json()["records"]["records"]["falls"] == 0
    assert nurse.get(f"{BASE}/plans/{plan['id']}/reviews").json()["count"] == 1
    due = nurse.get(f"{BASE}/reviews/due?within_days=60").json()
    assert due["count"] == 1 and due["items"][0]["overdue"] is False
    with plans_home(world):
        assert CarePlan.objects.get(pk=plan["id"]).status == "agreed"
