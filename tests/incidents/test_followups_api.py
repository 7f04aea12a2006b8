"""The follow-up tasks API: the home's list (status filter, paginated), an incident's tasks, recording one
(422 problems by field; deterioration refused without escalation), another home's task 404 first."""

import json

import pytest

from tests.incidents.conftest import in_home, report
from writecarenotes.incidents.models import FollowUpTask

pytestmark = pytest.mark.django_db
BASE = "/api/v1/incidents"


def _post(client, url, body, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def nurse(world, client_for):
    return client_for(world.users["nurse"])


def test_list_and_record_post_fall_tasks(world, nurse):
    incident = report(world, witnessed=False, head_struck=True)
    listed = nurse.get(f"{BASE}/followup-tasks").json()
    assert listed["count"] == 3 + 19
    first = listed["items"][0]
    assert first["resident_name"] and first["incident_reference"] == incident.reference
    by_key = {t["key"]: t for t in nurse.get(f"{BASE}/{incident.pk}/followup-tasks").json()}
    neuro = by_key["neuro_00"]
    assert neuro["neuro"] and "NG232" in neuro["source"]

    bad = _post(nurse, f"{BASE}/followup-tasks/{neuro['id']}/done", {"outcome": "", "gcs": 2})
    assert bad.status_code == 422
    assert {"outcome", "gcs", "pupils"} <= {e["field"] for e in bad.json()["errors"]}

    ok = _post(
        nurse,
        f"{BASE}/followup-tasks/{neuro['id']}/done",
        {"outcome": "Alert and orientated.", "gcs": 15, "pupils": "3 mm equal reactive"},
        **{"Idempotency-Key": "neuro-0"},
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["status"] == "done" and ok.json()["gcs"] == 15
    replay = _post(
        nurse,
        f"{BASE}/followup-tasks/{neuro['id']}/done",
        {"outcome": "Alert and orientated.", "gcs": 15, "pupils": "3 mm equal reactive"},
        **{"Idempotency-Key": "neuro-0"},
    )
    assert replay.status_code == 200
    worse = _post(
        nurse,
        f"{BASE}/followup-tasks/{by_key['neuro_01']['id']}/done",
        {"outcome": "Drowsy", "acvpu": "V", "gcs": 12, "pupils": "equal"},
    )
    assert worse.status_code == 422 and "GCS fell from 15 to 12" in worse.content.decode()
    assert nurse.get(f"{BASE}/followup-tasks", {"status": "done"}).json()["count"] == 1
    assert nurse.get(f"{BASE}/followup-tasks", {"status": "all"}).json()["count"] == 22


def test_a_carer_can_read_but_an_inspector_cannot_record(world, client_for):
    incident = report(world, witnessed=True)
    with in_home(world.home):
        task = FollowUpTask.objects.filter(incident=incident).first()
    inspector = client_for(world.users["inspector"])
    assert inspector.get(f"{BASE}/followup-tasks").status_code == 200
    assert _post(inspector, f"{BASE}/followup-tasks/{task.pk}/done", {"outcome": "x"}).status_code == 403


def test_another_homes_task_is_404_before_the_body(world, nurse):
    welsh = report(world, home=world.other_home, resident=world.other_home_resident, witnessed=True)
    with in_home(world.other_home):
        task = FollowUpTask.objects.filter(incident=welsh).first()
    assert _post(nurse, f"{BASE}/followup-tasks/{task.pk}/done", {"bad": 1}).status_code == 404
    assert nurse.get(f"{BASE}/{welsh.pk}/followup-tasks").status_code == 404
    assert nurse.get(f"{BASE}/followup-tasks").json()["count"] == 0
