"""API of statutory notifications: list, read with ETag, prepare and submit (If-Match, Idempotency-Key),
problems by field, another home's notification is 404, carers may not prepare; HIQA returns."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests import factories as f
from tests.incidents.notifications_helpers import in_home, make_incident
from writecarenotes.incidents import services_notifications as svc
from writecarenotes.incidents.models import PeriodicReturn, StatutoryNotification

pytestmark = pytest.mark.django_db
BASE = "/api/v1/incidents"


def _send(client, method, url, body=None, **headers):
    return getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json", headers=headers)


@pytest.fixture
def api(world, client_for):
    return client_for(world.users["registered_manager"])


@pytest.fixture
def injury(world):
    incident = make_incident(
        world.home,
        world.users["registered_manager"],
        resident=world.resident,
        injury="suspected_fracture",
        severity="severe",
        serious_injury_tests=["body_structure"],
        medical_attention="admitted",
    )
    with in_home(world.home):
        return StatutoryNotification.objects.get(incident=incident)


def test_list_and_get_with_etag(world, api, injury):
    listed = api.get(f"{BASE}/notifications?status=required").json()
    assert listed["count"] == 1 and listed["items"][0]["code"] == "cqc_reg18_serious_injury"
    assert listed["items"][0]["deadline"].startswith("Without delay")
    got = api.get(f"{BASE}/notifications/{injury.pk}")
    assert got.status_code == 200 and got["ETag"] == '"v1"'
    assert got.json()["sections"] == [] and "18(2)(a)" in got.json()["why"]


def test_prepare_then_submit(world, api, injury):
    url = f"{BASE}/notifications/{injury.pk}"
    assert _send(api, "post", f"{url}/prepare").status_code == 428
    assert _send(api, "post", f"{url}/prepare", **{"If-Match": '"v9"'}).status_code == 412
    prepared = _send(api, "post", f"{url}/prepare", **{"If-Match": '"v1"'})
    assert prepared.status_code == 200, prepared.content
    body = prepared.json()
    assert body["status"] == "prepared" and prepared["ETag"] == '"v2"'
    assert "Oak Lodge" in body["text"] and body["sections"][0]["title"] == "The service"
    when = (timezone.now() - timedelta(minutes=5)).isoformat()
    submitted = _send(
        api, "post", f"{url}/submit", {"submitted_at": when, "reference": "CQC-0001"}, **{"If-Match": '"v2"'}
    )
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted" and submitted.json()["regulator_reference"] == "CQC-0001"
    again = _send(api, "post", f"{url}/submit", {"submitted_at": when}, **{"If-Match": '"v3"'})
    assert again.status_code == 422 and again["Content-Type"].startswith("application/problem+json")


def test_submit_problems_by_field(world, api, injury):
    url = f"{BASE}/notifications/{injury.pk}/submit"
    future = (timezone.now() + timedelta(days=1)).isoformat()
    r = _send(api, "post", url, {"submitted_at": future}, **{"If-Match": '"v1"'})
    assert r.status_code == 422
    assert "submitted_at" in json.dumps(r.json())
    r = _send(api, "post", url, {"submitted_at": "not a date"}, **{"If-Match": '"v1"'})
    assert r.status_code == 422
    r = _send(
        api, "post", url, {"submitted_at": timezone.now().isoformat(), "reference": "x" * 101}, **{"If-Match": '"v1"'}
    )
    assert r.status_code == 422
    with in_home(world.home):
        assert StatutoryNotification.objects.get(pk=injury.pk).status == "required"


def test_idempotency_key_prepares_once(world, api, injury):
    url = f"{BASE}/notifications/{injury.pk}/prepare"
    first = _send(api, "post", url, **{"If-Match": '"v1"', "Idempotency-Key": "prep-1"})
    second = _send(api, "post", url, **{"If-Match": '"v1"', "Idempotency-Key": "prep-1"})
    assert first.status_code == second.status_code == 200
    assert first.json()["version"] == second.json()["version"] == 2


def test_another_homes_notification_is_404_before_the_body(world, client_for):
    user = f.user("wales.rm@example.test")
    f.member(user, "registered_manager", home=world.other_home)
    incident = make_incident(world.other_home, user, resident=world.other_home_resident, police_involved=True)
    with in_home(world.other_home):
        n = StatutoryNotification.objects.get(incident=incident)
    api = client_for(world.users["registered_manager"])  # Oak Lodge only
    assert api.get(f"{BASE}/notifications/{n.pk}").status_code == 404
    r = _send(api, "post", f"{BASE}/notifications/{n.pk}/submit", {"bad": 1}, **{"If-Match": '"v1"'})
    assert r.status_code == 404
    assert api.get(f"{BASE}/notifications").json()["count"] == 0


def test_carers_see_but_cannot_prepare(world, client_for, injury):
    carer = client_for(world.users["carer"])
    assert carer.get(f"{BASE}/notifications/{injury.pk}").status_code == 200
    assert _send(carer, "post", f"{BASE}/notifications/{injury.pk}/prepare", **{"If-Match": '"v1"'}).status_code == 403


def test_hiqa_returns_through_the_api(world, client_for):
    ie = f.home(world.org, name="Teach Aoibhinn", nation="ireland", care_type="nursing")
    unit, room = f.unit_with_room(ie, unit_name="Ard", room_number="2")
    resident = f.resident(ie, unit=unit, room=room, family="Ní Bhriain", nhs_number="")
    user = f.user("ie.rm@example.test")
    f.member(user, "registered_manager", home=ie)
    last_quarter_day = date(2026, 3, 15)
    make_incident(
        ie,
        user,
        resident=resident,
        kind="pressure_ulcer",
        pressure_ulcer_category="2",
        occurred_at=timezone.make_aware(timezone.datetime(2026, 3, 15, 10, 0)),
    )
    with in_home(ie):
        created = svc.ensure_returns(ie, date(2026, 4, 2))
        # the quarter just ended has a category 2 pressure ulcer; the half-year July to December 2025
        # had its nil return due by 31 January: not made late
        assert [r.kind for r in created] == ["quarterly"]
        assert svc.ensure_returns(ie, date(2026, 4, 3)) == []
    ret = created[0]
    assert (ret.period_start, ret.period_end, ret.due_on) == (date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 30))
    assert ret.counts["pressure_ulcers_2_plus"] == 1 and last_quarter_day
    api = client_for(user)
    got = api.get(f"{BASE}/notification-returns/{ret.pk}")
    assert got.status_code == 200 and got.json()["form"] == "NF39"
    no_figures = _send(
        api,
        "post",
        f"{BASE}/notification-returns/{ret.pk}/submit",
        {"submitted_on": "2026-04-10"},
        **{"If-Match": got["ETag"]},
    )
    assert no_figures.status_code == 422 and "restraint_occasions" in json.dumps(no_figures.json())
    patched = _send(
        api,
        "patch",
        f"{BASE}/notification-returns/{ret.pk}",
        {"restraint_occasions": 2, "restraint_details": "Bed rails, night, at her request"},
        **{"If-Match": got["ETag"]},
    )
    assert patched.status_code == 200, patched.content
    done = _send(
        api,
        "post",
        f"{BASE}/notification-returns/{ret.pk}/submit",
        {"submitted_on": "2026-04-10", "reference": "H1"},
        **{"If-Match": patched["ETag"]},
    )
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    with in_home(ie):
        assert PeriodicReturn.objects.get(pk=ret.pk).restraint_occasions == 2
    # Oak Lodge's manager does not see the Irish return
    assert client_for(world.users["registered_manager"]).get(f"{BASE}/notification-returns/{ret.pk}").status_code == 404
