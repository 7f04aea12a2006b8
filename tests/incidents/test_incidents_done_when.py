"""Issue 7, "Done when", through the API with every sub-domain at work (no part switched off):

A carer reports an unwitnessed fall with a head injury; the nurse gets the post-fall tasks; the
manager sees that a CQC regulation 18 notification (once the harm test is met) and the duty-of-candour
steps are due, prepares the notification with one click, and closes the investigation with actions;
the same incident in the Welsh or the Irish home gets that nation's rules. Nothing closes while a
required step is open.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories as f

pytestmark = pytest.mark.django_db
BASE = "/api/v1/incidents"


def _post(c, path, body=None, **headers):
    return c.post(BASE + path, data=body or {}, content_type="application/json", headers=headers)


def _patch(c, path, body, **headers):
    return c.patch(BASE + path, data=body, content_type="application/json", headers=headers)


def _fall(resident, **facts) -> dict:
    return {
        "kind": "fall",
        "occurred_at": (timezone.now() - timedelta(minutes=40)).isoformat(),
        "location": "Bedroom, between the bed and the en-suite door",
        "what_happened": "Found on the floor at the 2-hourly check. Nobody saw her fall.",
        "immediate_actions": "Not moved until the nurse checked her; head injury observations started.",
        "severity": "moderate",
        "witnessed": False,
        "head_struck": True,
        "medical_attention": "nurse_gp",
        "people": [{"role": "affected", "kind": "resident", "resident_id": resident.pk}],
        "injuries": [{"body_location": "head_back", "kind": "head_injury", "description": "Swelling 3 cm"}],
        **facts,
    }


def _report(c, resident, **facts) -> dict:
    r = _post(c, "/", _fall(resident, **facts), **{"Idempotency-Key": f"fall-{resident.pk}"})
    assert r.status_code == 201, r.content
    return r.json()


def _notifications(c, incident_id: int) -> dict:
    items = c.get(f"{BASE}/notifications?limit=100").json()["items"]
    return {n["code"]: n for n in items if n["incident_id"] == incident_id}


def test_an_unwitnessed_fall_with_a_head_injury_in_england(world, client_for):
    carer = client_for(world.users["carer"])
    nurse = client_for(world.users["nurse"])
    manager = client_for(world.users["registered_manager"])

    # 1. a carer reports it from a phone
    incident = _report(carer, world.resident)
    pk = incident["id"]
    assert incident["reference"].startswith("INC-")

    # 2. the nurse gets the post-fall tasks, with the head injury protocol
    tasks = nurse.get(f"{BASE}/{pk}/followup-tasks").json()
    titles = " ".join(t["title"] for t in tasks).lower()
    assert "post-fall" in titles and "neurological" in titles and "anticoagulant" in titles
    assert all(t["status"] == "open" for t in tasks)
    first = min(tasks, key=lambda t: t["due_at"])
    done = _post(
        nurse,
        f"/followup-tasks/{first['id']}/done",
        {"outcome": "No new injury found.", "gcs": 15, "pupils": "Equal, 3 mm, reacting"},
    )
    assert done.status_code == 200, done.content

    # 3. no notification yet: harm is moderate but no harm test is met; candour is due already
    assert _notifications(manager, pk) == {}
    duties = manager.get(f"{BASE}/{pk}/duties").json()
    candour_steps = [s for s in duties["steps"] if s["kind"] == "candour"]
    assert candour_steps and all(s["status"] == "open" and s["due_at"] for s in candour_steps)

    # the hospital finds a fracture: the nurse corrects the facts (a new version, with the reason)
    current = manager.get(f"{BASE}/{pk}")
    changed = _patch(
        nurse,
        f"/{pk}",
        {
            "reason": "A&E: fractured left wrist",
            "serious_injury_tests": ["body_structure"],
            "medical_attention": "hospital",
        },
        **{"If-Match": current["ETag"]},
    )
    assert changed.status_code == 200, changed.content

    # 4. the CQC regulation 18 notification is due; the manager prepares it with one click
    (reg18,) = _notifications(manager, pk).values()
    assert reg18["code"] == "cqc_reg18_serious_injury" and reg18["regulator"] == "cqc"
    assert reg18["status"] == "required"
    detail = manager.get(f"{BASE}/notifications/{reg18['id']}")
    prepared = _post(manager, f"/notifications/{reg18['id']}/prepare", **{"If-Match": detail["ETag"]})
    assert prepared.status_code == 200, prepared.content
    body = prepared.json()
    assert body["status"] == "prepared"
    text = str(body).lower()
    assert world.resident.legal_family_name.lower() in text and "fractured left wrist" in text

    # 5. nothing closes while a required step is open
    refused = _post(manager, f"/{pk}/close", {"summary": "All done."}, **{"If-Match": changed["ETag"]})
    assert refused.status_code == 409
    kinds = {s["kind"] for s in refused.json()["open_steps"]}
    assert {"notification", "candour", "followup", "investigation"} <= kinds

    # 6. the investigation (opened by the home's policy for moderate harm) is closed with actions
    inv = manager.get(f"{BASE}/{pk}/investigation")
    assert inv.status_code == 200, inv.content
    inv_id = inv.json()["id"]
    assigned = _patch(
        manager,
        f"/investigations/{inv_id}",
        {"investigator_id": world.users["deputy_manager"].pk, "findings": "The call bell was out of reach."},
        **{"If-Match": inv["ETag"]},
    )
    assert assigned.status_code == 200, assigned.content
    why = _post(
        manager,
        f"/investigations/{inv_id}/whys",
        {"why": "Why did she get up alone?", "because": "The call bell was on the chair, out of reach."},
    )
    assert why.status_code == 201, why.content
    action = _post(
        manager,
        f"/investigations/{inv_id}/actions",
        {
            "description": "Check the call bell is within reach at every 2-hourly check",
            "owner_id": world.users["nurse"].pk,
            "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        },
    )
    assert action.status_code == 201, action.content
    latest = manager.get(f"{BASE}/{pk}/investigation")
    completed = _post(
        manager,
        f"/investigations/{inv_id}/complete",
        {"conclusion": "Unwitnessed fall; the call bell was out of reach."},
        **{"If-Match": latest["ETag"]},
    )
    assert completed.status_code == 200, completed.content
    assert completed.json()["status"] == "completed"
    steps = _post(manager, f"/{pk}/close", {"summary": "All done."}, **{"If-Match": changed["ETag"]}).json()
    kinds = {s["kind"] for s in steps["open_steps"]}
    assert "investigation" not in kinds and "action" in kinds  # the action is still tracked to completion


def _working_in(client, home):
    """Staff of several homes work in one at a time (the home switcher)."""
    session = client.session
    session["wcn_active_home"] = home.pk
    session.save()
    return client


def _home_with_resident(world, nation: str, name: str):
    home = f.home(world.org, name=name, nation=nation, care_type="nursing")
    unit, room = f.unit_with_room(home, unit_name="Ward", room_number="7")
    resident = f.resident(home, unit=unit, room=room, family="Byrne" if nation == "ireland" else "Hughes")
    f.member(world.users["registered_manager"], "registered_manager", home=home)
    f.member(world.users["carer"], "carer", home=home)
    f.member(world.users["nurse"], "nurse", home=home)
    return home, resident


@pytest.mark.parametrize(
    ("nation", "regulator", "code_part"),
    [("wales", "ciw", "ciw_"), ("ireland", "hiqa", "hiqa_")],
)
def test_the_same_fall_in_another_nation_gets_that_nations_rules(world, client_for, nation, regulator, code_part):
    home, resident = _home_with_resident(world, nation, f"{nation.title()} House")
    carer = _working_in(client_for(world.users["carer"]), home)
    manager = _working_in(client_for(world.users["registered_manager"]), home)
    incident = _report(
        carer, resident, home_id=home.pk, serious_injury_tests=["body_structure"], medical_attention="hospital"
    )
    notes = _notifications(manager, incident["id"])
    assert notes, f"no notification for a serious injury in {nation}"
    assert all(n["regulator"] == regulator and n["code"].startswith(code_part) for n in notes.values())
    assert not any(n["code"].startswith("cqc_") for n in notes.values())
    duties = manager.get(f"{BASE}/{incident['id']}/candour").json()
    assert duties["nation"] == nation
    if nation == "ireland":
        # HIQA: within 3 working days (never sooner than the third working day after the report)
        (n,) = notes.values()
        assert "3 working days" in n["deadline"]
        due = timezone.localtime(timezone.datetime.fromisoformat(n["due_at"])).date()
        assert due >= timezone.localdate() + timedelta(days=3)
