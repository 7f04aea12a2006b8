"""The investigation API: open, read with ETag, PATCH with If-Match (428 / 412), whys, factors,
actions done, completion refused with field problems then accepted, lessons with read receipts,
trends and the monthly summary (JSON and CSV); another home's objects are 404; bad input is 422."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.incidents.test_investigation_services import in_home, make_incident, opened
from writecarenotes.incidents.models import Investigation, LessonRead

pytestmark = pytest.mark.django_db
BASE = "/api/v1/incidents"


def _send(client, method, url, body, **headers):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def manager(world, client_for):
    return client_for(world.users["registered_manager"])


def _fields(response) -> set[str]:
    return {e["field"] for e in response.json().get("errors", [])}


def test_the_whole_investigation_through_the_api(world, manager, client_for):
    incident = make_incident(world, kind="near_miss", severity="no_harm")
    assert manager.get(f"{BASE}/{incident.pk}/investigation").status_code == 404
    carer = client_for(world.users["carer"])
    assert _send(carer, "post", f"{BASE}/{incident.pk}/investigation", {}).status_code == 403
    created = _send(manager, "post", f"{BASE}/{incident.pk}/investigation", {"reason": "Pattern of near misses"})
    assert created.status_code == 201, created.content
    inv = created.json()
    assert inv["status"] == "open" and inv["opened_because"] == "manager" and created["ETag"] == '"v1"'
    url = f"{BASE}/investigations/{inv['id']}"

    patch = {"investigator_id": world.users["nurse"].pk}
    assert _send(manager, "patch", url, patch).status_code == 428
    assert _send(manager, "patch", url, patch, **{"If-Match": '"v7"'}).status_code == 412
    nurse = client_for(world.users["nurse"])
    assert _send(nurse, "patch", url, patch, **{"If-Match": '"v1"'}).status_code == 403  # managers assign
    changed = _send(manager, "patch", url, patch, **{"If-Match": '"v1"'})
    assert changed.status_code == 200 and changed.json()["investigator_name"] == "Nurse User"
    assert changed.json()["status"] == "in_progress" and changed["ETag"] == '"v2"'

    refused = _send(manager, "post", f"{url}/complete", {}, **{"If-Match": '"v2"'})
    assert refused.status_code == 422 and _fields(refused) == {"findings", "root_cause"}

    assert _send(nurse, "post", f"{url}/whys", {"why": "", "because": "x"}).status_code == 422
    why = _send(nurse, "post", f"{url}/whys", {"why": "Why did it nearly happen?", "because": "Two similar packs."})
    assert why.status_code == 201 and why.json()["position"] == 1
    fixed = _send(
        nurse,
        "patch",
        f"{BASE}/investigations/whys/{why.json()['id']}",
        {"why": "Why did it nearly happen?", "because": "Two look-alike packs.", "reason": "Wording"},
        **{"If-Match": '"v1"'},
    )
    assert fixed.status_code == 200 and fixed.json()["version"] == 2
    bad = _send(nurse, "post", f"{url}/factors", {"category": "luck", "detail": ""})
    assert bad.status_code == 422 and _fields(bad) == {"category", "detail"}
    factor = _send(nurse, "post", f"{url}/factors", {"category": "equipment", "detail": "Look-alike packaging"})
    assert factor.status_code == 201 and factor.json()["category_label"] == "Equipment and resources factors"
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    action = _send(
        nurse,
        "post",
        f"{url}/actions",
        {"description": "Store packs apart", "owner_id": world.users["nurse"].pk, "due_on": due},
    )
    assert action.status_code == 201 and action["ETag"] == '"v1"'
    open_list = nurse.get(f"{BASE}/investigations/actions/open").json()
    assert open_list["count"] == 1 and open_list["items"][0]["description"] == "Store packs apart"
    done_url = f"{BASE}/investigations/actions/{action.json()['id']}/done"
    assert _send(nurse, "post", done_url, {"note": "Moved"}).status_code == 428
    done = _send(nurse, "post", done_url, {"note": "Moved to separate shelves"}, **{"If-Match": '"v1"'})
    assert done.status_code == 200 and done.json()["status"] == "done"

    current = manager.get(f"{BASE}/{incident.pk}/investigation")
    etag = current["ETag"]
    completed = _send(
        manager, "post", f"{url}/complete", {"findings": "Packs stored side by side."}, **{"If-Match": etag}
    )
    assert completed.status_code == 200, completed.content
    assert completed.json()["status"] == "completed" and completed.json()["completed_at"]

    lesson = _send(
        manager, "post", f"{url}/lessons", {"title": "Look-alikes", "text": "Store apart.", "audience": "all"}
    )
    assert lesson.status_code == 201
    lid = lesson.json()["id"]
    mine = carer.get(f"{BASE}/investigations/lessons").json()
    assert [x["id"] for x in mine["items"]] == [lid]
    read = _send(carer, "post", f"{BASE}/investigations/lessons/{lid}/read", {})
    assert read.status_code == 200 and read.json()["has_read"] is True and read.json()["read"] is None
    seen = manager.get(f"{BASE}/investigations/lessons/{lid}").json()
    assert "Carer User" in [r["name"] for r in seen["read"]] and "Nurse User" in [r["name"] for r in seen["unread"]]
    with in_home(world.home):
        assert LessonRead.objects.count() == 1


def test_another_homes_investigation_is_404_before_the_body(world, client_for):
    foreign = make_incident(world, home=world.other_home)
    inv = opened(world, foreign)
    manager = client_for(world.users["registered_manager"])  # a member of Oak Lodge only
    assert manager.get(f"{BASE}/{foreign.pk}/investigation").status_code == 404
    assert _send(manager, "post", f"{BASE}/investigations/{inv.pk}/whys", {"bad": 1}).status_code == 404
    assert _send(manager, "post", f"{BASE}/{foreign.pk}/investigation", {}).status_code == 404
    with in_home(world.other_home):
        assert Investigation.objects.count() == 1


def test_trends_and_the_monthly_summary(world, manager, client_for):
    when = timezone.localtime(timezone.now() - timedelta(hours=1))  # the month of the incidents, even at 00:30
    make_incident(world, kind="fall", severity="low", at=when)
    make_incident(world, kind="fall", severity="moderate", at=when)
    today = when.date()
    data = manager.get(f"{BASE}/investigations/trends").json()
    assert data["total"] == 2 and data["by_type"] == [{"key": "fall", "label": "Fall", "count": 2}]
    assert manager.get(f"{BASE}/investigations/trends?start=2026-02-01&end=2026-01-01").status_code == 422
    assert manager.get(f"{BASE}/investigations/trends?start=nonsense").status_code == 422
    fallers = manager.get(f"{BASE}/investigations/repeat-fallers").json()
    assert [f["name"] for f in fallers] == ["Margaret Evans"]
    summary = manager.get(f"{BASE}/investigations/summary/{today.year}/{today.month}")
    assert summary.status_code == 200 and summary.json()["total"] == 2
    assert summary.json()["severities"] == ["no_harm", "low", "moderate", "severe", "death"]
    assert manager.get(f"{BASE}/investigations/summary/{today.year}/13").status_code == 404
    csv = manager.get(f"{BASE}/investigations/summary/{today.year}/{today.month}/csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert "Incidents by type,Fall,2" in csv.content.decode()
    assert client_for(world.users["family"]).get(f"{BASE}/investigations/trends").status_code == 403
    cats = manager.get(f"{BASE}/investigations/factor-categories").json()
    assert "NPSA" in cats["source"] and len(cats["categories"]) == 9
