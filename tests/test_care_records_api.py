"""The care records API: notes and every chart, idempotent retries, corrections, filters,
summary, settings, alerts and handover, permissions and scoping."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from writecarenotes.care_records.models import CareNote, FoodFluidEntry

pytestmark = pytest.mark.django_db
BASE = "/api/v1/care_records"


def _post(c, path, body, key=None):
    headers = {"Idempotency-Key": key} if key else {}
    return c.post(BASE + path, data=body, content_type="application/json", headers=headers)


def _count(world, model):
    from writecarenotes.platform.tenancy.scope import acting_for

    with acting_for([world.home]):
        return model.objects.count()


def test_post_note_and_list_with_filters(world, client_for):
    c = client_for(world.users["carer"])
    r = _post(c, f"/residents/{world.resident.pk}/notes", {"category": "mood", "text": "Chatty and bright"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["values"]["category"] == "mood" and body["is_late"] is False
    assert r["Location"].endswith(f"/entries/notes/{body['id']}")
    _post(c, f"/residents/{world.resident.pk}/notes", {"category": "social", "text": "Bingo in the lounge"})
    listing = c.get(f"{BASE}/residents/{world.resident.pk}/notes?category=social").json()
    assert listing["count"] == 1 and listing["items"][0]["values"]["text"] == "Bingo in the lounge"
    assert c.get(f"{BASE}/residents/{world.resident.pk}/notes?q=chatty").json()["count"] == 1


def test_retried_post_with_same_key_creates_one_entry(world, client_for):
    c = client_for(world.users["carer"])
    body = {"item": "Orange juice", "fluid_ml": 180}
    first = _post(c, f"/residents/{world.resident.pk}/charts/food-fluid", body, key="retry-1")
    again = _post(c, f"/residents/{world.resident.pk}/charts/food-fluid", body, key="retry-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert _count(world, FoodFluidEntry) == 1
    note = {"category": "mood", "text": "Settled"}
    _post(c, f"/residents/{world.resident.pk}/notes", note, key="retry-2")
    _post(c, f"/residents/{world.resident.pk}/notes", note, key="retry-2")
    assert _count(world, CareNote) == 1


@pytest.mark.parametrize(
    ("chart", "body"),
    [
        ("repositioning", {"position": "right", "skin_check": "blanching"}),
        ("continence", {"stool_type": 6, "pad_changed": True}),
        ("weight", {"weight_kg": "64.3"}),
        ("blood-glucose", {"mmol_per_l": "3.6", "timing": "before_meal"}),
        (
            "behaviour",
            {
                "antecedent": "Personal care",
                "behaviour": "Hitting out",
                "consequence": "Stopped, returned later",
                "duration_minutes": 5,
                "intensity": 3,
            },
        ),
        ("sleep", {"state": "out_of_bed", "notes": "Walking in corridor"}),
    ],
)
def test_every_chart_posts_and_lists(world, client_for, chart, body):
    c = client_for(world.users["nurse"])
    r = _post(c, f"/residents/{world.resident.pk}/charts/{chart}", body)
    assert r.status_code == 201, r.content
    listing = c.get(f"{BASE}/residents/{world.resident.pk}/charts/{chart}").json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == r.json()["id"]


def test_bad_input_is_a_422_problem_with_field_messages(world, client_for):
    c = client_for(world.users["carer"])
    r = _post(
        c, f"/residents/{world.resident.pk}/charts/repositioning", {"position": "upside_down", "skin_check": "intact"}
    )
    assert r.status_code == 422 and r["Content-Type"].startswith("application/problem+json")
    assert any(e["field"] == "position" for e in r.json()["errors"])
    future = (timezone.now() + timedelta(hours=3)).isoformat()
    r = _post(c, f"/residents/{world.resident.pk}/notes", {"category": "mood", "text": "x", "occurred_at": future})
    assert r.status_code == 422 and any(e["field"] == "occurred_at" for e in r.json()["errors"])
    r = _post(c, f"/residents/{world.resident.pk}/charts/continence", {"stool_type": 9})
    assert r.status_code == 422
    r = _post(c, f"/residents/{world.resident.pk}/charts/weight", {"weight_kg": "abc"})
    assert r.status_code == 422


def test_correction_via_api_keeps_history(world, client_for):
    c = client_for(world.users["carer"])
    first = _post(c, f"/residents/{world.resident.pk}/charts/food-fluid", {"item": "Tea", "fluid_ml": 250}).json()
    r = _post(
        c,
        f"/residents/{world.resident.pk}/entries/food-fluid/{first['id']}/correct",
        {"reason": "Half the cup was left", "values": {"fluid_ml": 125}},
    )
    assert r.status_code == 201, r.content
    new = r.json()
    got = c.get(f"{BASE}/residents/{world.resident.pk}/entries/food-fluid/{new['id']}").json()
    assert [h["id"] for h in got["history"]] == [first["id"], new["id"]]
    assert got["history"][0]["struck_reason"] == "Half the cup was left"
    summary = c.get(f"{BASE}/residents/{world.resident.pk}/summary").json()
    assert summary["fluid_total_ml"] == 125
    bad = _post(
        c,
        f"/residents/{world.resident.pk}/entries/food-fluid/{new['id']}/correct",
        {"reason": "x", "values": {"recorded_by": 1}},
    )
    assert bad.status_code == 422


def test_settings_alerts_and_permissions(world, client_for):
    carer = client_for(world.users["carer"])
    nurse = client_for(world.users["nurse"])
    body = {
        "fluid_target_ml": 1600,
        "repositioning_interval_hours": 2,
        "bowel_alert_days": 3,
        "reason": "Care plan review",
    }
    assert (
        carer.put(
            f"{BASE}/residents/{world.resident.pk}/chart-settings", data=body, content_type="application/json"
        ).status_code
        == 403
    )
    url = f"{BASE}/residents/{world.resident.pk}/chart-settings"
    r = nurse.put(url, data=body, content_type="application/json")
    assert r.status_code == 428  # an update must name the version it read
    read = nurse.get(url)
    etag = read["ETag"]
    r = nurse.put(url, data=body, content_type="application/json", headers={"If-Match": etag})
    assert r.status_code == 200 and r.json()["fluid_target_ml"] == 1600 and r["ETag"] != etag
    # a second tablet still holding the first read cannot overwrite the change
    stale = nurse.put(
        url, data={**body, "fluid_target_ml": 1200}, content_type="application/json", headers={"If-Match": etag}
    )
    assert stale.status_code == 412 and stale["ETag"] == r["ETag"]
    assert nurse.get(url).json()["fluid_target_ml"] == 1600
    alerts = carer.get(f"{BASE}/units/{world.unit.pk}/alerts").json()
    assert any(a["kind"] == "repositioning" and a["resident_id"] == world.resident.pk for a in alerts)
    assert (
        client_for(world.users["kitchen"])
        .post(
            f"{BASE}/residents/{world.resident.pk}/notes",
            data={"category": "mood", "text": "x"},
            content_type="application/json",
        )
        .status_code
        == 403
    )


def test_other_homes_are_404(world, client_for):
    c = client_for(world.users["carer"])
    assert (
        _post(c, f"/residents/{world.other_home_resident.pk}/notes", {"category": "mood", "text": "x"}).status_code
        == 404
    )
    assert c.get(f"{BASE}/residents/{world.foreign_resident.pk}/notes").status_code == 404
    other_unit = world.other_home_resident.unit_id
    assert c.get(f"{BASE}/units/{other_unit}/alerts").status_code == 404
    assert c.get(f"{BASE}/units/{other_unit}/handover").status_code == 404
    # another home's resident or unit is a 404 even when the body is invalid (no 422 that would
    # confirm it exists): the API resolves path objects before it reads the body
    for path in (
        f"/residents/{world.other_home_resident.pk}/notes",
        f"/residents/{world.foreign_resident.pk}/charts/weight",
    ):
        r = _post(c, path, {"category": "no such category"})
        assert r.status_code == 404 and r["Content-Type"] == "application/problem+json"
    nurse = client_for(world.users["nurse"])
    assert _post(nurse, f"/units/{other_unit}/handover/items", {}).status_code == 404
    assert _post(nurse, f"/residents/{world.other_home_resident.pk}/vital-signs", {"spo2": "x"}).status_code == 404
    assert _post(nurse, f"/residents/{world.resident.pk}/notes", {"category": "x"}).status_code == 422  # own: 422


def test_handover_api(world, client_for):
    carer = client_for(world.users["carer"])
    nurse = client_for(world.users["nurse"])
    r = _post(
        carer,
        f"/units/{world.unit.pk}/handover/items",
        {"text": "Mrs Evans' daughter visiting at 10", "resident_id": world.resident.pk},
    )
    assert r.status_code == 201, r.content
    assert r.json()["items"][0]["text"].startswith("Mrs Evans")
    assert _post(carer, f"/units/{world.unit.pk}/handover/sign-off", {}).status_code == 403
    signed = _post(nurse, f"/units/{world.unit.pk}/handover/sign-off", {})
    assert signed.status_code == 200 and signed.json()["signed_off_by_id"] == world.users["nurse"].pk
    late = _post(carer, f"/units/{world.unit.pk}/handover/items", {"text": "One more"})
    assert late.status_code == 422


def test_a_long_history_is_counted_and_paged_in_full(world, client_for):
    """More than a thousand notes: the list counts them all and every page can be reached (the
    pagination slices in SQL; nothing beyond an arbitrary cap is lost)."""
    from writecarenotes.care_records.models import CareNote
    from writecarenotes.platform.tenancy.scope import acting_for

    start = timezone.now() - timedelta(days=30)
    with acting_for([world.home]):
        CareNote.objects.bulk_create(
            CareNote(
                home=world.home,
                organisation_id=world.home.organisation_id,
                resident=world.resident,
                recorded_by=world.users["carer"],
                occurred_at=start + timedelta(minutes=i),
                recorded_at=start + timedelta(minutes=i),
                category="mood",
                text=f"Note {i}",
            )
            for i in range(1050)
        )
    c = client_for(world.users["nurse"])
    first = c.get(f"{BASE}/residents/{world.resident.pk}/notes", {"limit": 200}).json()
    assert first["count"] == 1050 and len(first["items"]) == 200 and first["items"][0]["values"]["text"] == "Note 1049"
    last = c.get(f"{BASE}/residents/{world.resident.pk}/notes", {"limit": 200, "offset": 1000}).json()
    assert [i["values"]["text"] for i in last["items"]] == [f"Note {i}" for i in range(49, -1, -1)]
