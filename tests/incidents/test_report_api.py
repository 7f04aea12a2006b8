"""The reporting API: report with people and injuries inline (201, ETag, Location), 422 problems by field
with nothing written, Idempotency-Key, another home's incident 404 before the body is read, PATCH with
If-Match (428 / 412) and a reason (managers and nurses only), people / injuries / photos added later,
closing refused with 409 and the open steps, the list with its filters."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.incidents.conftest import report
from writecarenotes.incidents import obligations
from writecarenotes.incidents.models import Incident
from writecarenotes.incidents.obligations import OpenStep
from writecarenotes.platform.audit.models import AuditRecord

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("report_only")]
BASE = "/api/v1/incidents"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _send(client, method, url, body, **headers):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def carer(world, client_for):
    return client_for(world.users["carer"])


@pytest.fixture
def nurse(world, client_for):
    return client_for(world.users["nurse"])


@pytest.fixture
def manager(world, client_for):
    return client_for(world.users["registered_manager"])


def fall(world, **over) -> dict:
    data = {
        "kind": "fall",
        "occurred_at": (timezone.now() - timedelta(minutes=15)).isoformat(),
        "location": "Room 1, by the bed",
        "what_happened": "Found on the floor beside the bed at the night check.",
        "immediate_actions": "Not moved until checked; nurse called; neuro observations started.",
        "severity": "moderate",
        "witnessed": False,
        "head_struck": True,
        "people": [
            {"role": "affected", "kind": "resident", "resident_id": world.resident.pk},
            {"role": "witness", "kind": "staff", "name": "Chris Carer", "statement": "Heard a bang at 02:10."},
        ],
        "injuries": [{"body_location": "head_back", "kind": "head_injury", "description": "Bump 2 cm"}],
    }
    data.update(over)
    return data


def test_report_read_correct_and_close(world, carer, nurse, manager):
    created = _send(carer, "post", f"{BASE}/", fall(world))
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["reference"].startswith("INC-") and body["resident_ids"] == [world.resident.pk]
    assert created["ETag"] == '"v1"' and created["Location"] == f"{BASE}/{body['id']}"
    assert [p["name"] for p in body["people"]][1] == "Chris Carer"
    assert body["injuries"][0]["body_location_label"] == "Head (back)"
    pk = body["id"]

    got = carer.get(f"{BASE}/{pk}")
    assert got.status_code == 200 and got["ETag"] == '"v1"'
    assert AuditRecord.objects.filter(kind="read", subject_id=str(world.resident.pk)).exists()

    assert (
        _send(carer, "patch", f"{BASE}/{pk}", {"reason": "x", "severity": "low"}, **{"If-Match": '"v1"'}).status_code
        == 403
    )
    assert _send(nurse, "patch", f"{BASE}/{pk}", {"reason": "x", "severity": "low"}).status_code == 428
    changed = _send(
        nurse,
        "patch",
        f"{BASE}/{pk}",
        {"reason": "Seen by the GP: no injury", "severity": "low"},
        **{"If-Match": '"v1"'},
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["severity"] == "low" and changed.json()["version"] == 2 and changed["ETag"] == '"v2"'
    assert changed.json()["versions"][-1]["reason"] == "Seen by the GP: no injury"
    stale = _send(nurse, "patch", f"{BASE}/{pk}", {"reason": "again", "severity": "moderate"}, **{"If-Match": '"v1"'})
    assert stale.status_code == 412 and stale["Content-Type"] == "application/problem+json"

    assert _send(carer, "post", f"{BASE}/{pk}/close", {"summary": "Done"}, **{"If-Match": '"v2"'}).status_code == 403
    closed = _send(manager, "post", f"{BASE}/{pk}/close", {"summary": "Sensor mat fitted."}, **{"If-Match": '"v2"'})
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "closed" and closed.json()["closing_summary"] == "Sensor mat fitted."


def test_closing_with_open_steps_is_a_409_listing_them(world, manager, monkeypatch):
    incident = report(world)
    step = OpenStep(incident.pk, incident.reference, "notification", "Notify CQC: serious injury", None, "/n/")
    monkeypatch.setattr(obligations, "open_steps", lambda i: [step])
    refused = _send(manager, "post", f"{BASE}/{incident.pk}/close", {"summary": "Done"}, **{"If-Match": '"v1"'})
    assert refused.status_code == 409
    assert refused.json()["open_steps"] == [
        {"kind": "notification", "title": "Notify CQC: serious injury", "due_at": None, "url": "/n/"}
    ]
    assert Incident.unscoped.get(pk=incident.pk).status == "open"


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"kind": "ghosts"}, "kind"),
        ({"severity": "awful"}, "severity"),
        ({"location": ""}, "location"),
        ({"occurred_at": "2999-01-01T10:00:00Z"}, "occurred_at"),
        ({"people": []}, "residents"),
        ({"injuries": [{"body_location": "wing", "kind": "bruise"}]}, "injuries.0"),
        ({"kind": "pressure_ulcer"}, "pressure_ulcer_category"),
    ],
)
def test_invalid_reports_are_422_problems_by_field_and_write_nothing(world, carer, over, field):
    response = _send(carer, "post", f"{BASE}/", fall(world, **over))
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not Incident.unscoped.exists()


def test_a_shape_error_is_a_422_too(world, carer):
    response = _send(carer, "post", f"{BASE}/", {"kind": "fall"})
    assert response.status_code == 422 and response.json()["errors"]


def test_idempotency_key_records_once(world, carer):
    body = fall(world)
    first = _send(carer, "post", f"{BASE}/", body, **{"Idempotency-Key": "k-123"})
    again = _send(carer, "post", f"{BASE}/", body, **{"Idempotency-Key": "k-123"})
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Incident.unscoped.count() == 1


def test_another_homes_incident_is_404_even_with_a_bad_body(world, carer, nurse, manager):
    elsewhere = report(world, home=world.foreign_home, resident=world.foreign_resident)
    sister = report(world, home=world.other_home, resident=world.other_home_resident)
    for pk in (elsewhere.pk, sister.pk):
        assert carer.get(f"{BASE}/{pk}").status_code == 404
        assert _send(nurse, "patch", f"{BASE}/{pk}", {"nonsense": True}, **{"If-Match": '"v1"'}).status_code == 404
        assert _send(carer, "post", f"{BASE}/{pk}/people", {"bad": 1}).status_code == 404
        assert _send(manager, "post", f"{BASE}/{pk}/close", {}).status_code == 404
    listed = carer.get(f"{BASE}/").json()
    assert listed["count"] == 0


def test_people_injuries_and_photos_added_later(world, carer):
    incident = report(world)
    person = _send(
        carer, "post", f"{BASE}/{incident.pk}/people", {"role": "witness", "kind": "visitor", "name": "Mr Evans"}
    )
    assert person.status_code == 201, person.content
    affected = next(p for p in carer.get(f"{BASE}/{incident.pk}").json()["people"] if p["role"] == "affected")
    injury = _send(
        carer,
        "post",
        f"{BASE}/{incident.pk}/injuries",
        {"person_id": affected["id"], "body_location": "left_arm_front", "kind": "skin_tear"},
    )
    assert injury.status_code == 201, injury.content
    bad = _send(
        carer, "post", f"{BASE}/{incident.pk}/injuries", {"person_id": 999999, "body_location": "chest", "kind": "cut"}
    )
    assert bad.status_code == 422
    photo = carer.post(
        f"{BASE}/{incident.pk}/photos", {"photo": SimpleUploadedFile("x.png", PNG), "caption": "Left forearm"}
    )
    assert photo.status_code == 201, photo.content
    not_an_image = carer.post(f"{BASE}/{incident.pk}/photos", {"photo": SimpleUploadedFile("x.png", b"hello")})
    assert not_an_image.status_code == 422
    served = carer.get(photo.json()["url"])
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["Cache-Control"] == "private, no-store"


def test_the_list_filters(world, carer):
    a = report(world, kind="fall")
    report(world, kind="skin_tear_injury", severity="low")
    report(world, resident=None, kind="utility_failure", severity="no_harm")
    everything = carer.get(f"{BASE}/").json()
    assert everything["count"] == 3
    assert [i["id"] for i in carer.get(f"{BASE}/?kind=fall").json()["items"]] == [a.pk]
    assert carer.get(f"{BASE}/?resident_id={world.resident.pk}").json()["count"] == 2
    today = timezone.localdate(a.occurred_at).isoformat()
    assert carer.get(f"{BASE}/?occurred_from={today}&occurred_to={today}").json()["count"] == 3
    assert carer.get(f"{BASE}/?status=closed").json()["count"] == 0
