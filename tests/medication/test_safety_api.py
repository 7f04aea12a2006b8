"""The safety API: the dose dry run (findings, refused, may override), the order dry run, the rules with
their sources, the overrides list and the manager's review (not your own, once; 404 for another home)."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.medication.conftest import in_home, order
from writecarenotes.medication.models import Administration, SafetyOverride
from writecarenotes.platform.audit.models import AuditRecord
from writecarenotes.platform.events.models import OutboxEvent

pytestmark = pytest.mark.django_db
BASE = "/api/v1/medication/safety"


def _post(client, url, body, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", headers=headers)


def overridden(world, medicine, *, by="nurse", home=None, resident=None, rule="prn_interval", minutes_ago=30):
    home = home or world.home
    resident = resident or world.resident
    o = order(world, medicine, resident=resident, is_prn=True, prn_min_interval_minutes=240)
    at = timezone.now() - timedelta(minutes=minutes_ago)
    with in_home(home):
        adm = Administration.objects.create(
            home=home,
            order=o,
            resident=resident,
            outcome="given",
            dose=Decimal(1),
            administered_at=at,
            recorded_at=at,
            recorded_by=world.users[by],
        )
        return SafetyOverride.objects.create(
            home=home,
            administration=adm,
            rule=rule,
            message="Last dose 2 h ago at 10:05; next dose from 12:05.",
            reason="GP phoned: may give now",
            by=world.users[by],
            at=at,
        )


def test_dose_dry_run(world, meds, client_for):
    o = order(world, meds.paracetamol, is_prn=True, prn_min_interval_minutes=240)
    at = timezone.now() - timedelta(minutes=1)
    with in_home(world.home):
        Administration.objects.create(
            home=world.home,
            order=o,
            resident=world.resident,
            outcome="given",
            dose=Decimal(1),
            administered_at=at - timedelta(hours=1),
            recorded_at=at,
            recorded_by=world.users["nurse"],
        )
    body = {"order_id": o.pk, "dose": "1", "at": at.isoformat()}
    nurse = client_for(world.users["nurse"])
    r = _post(nurse, f"{BASE}/check", body)
    assert r.status_code == 200, r.content
    data = r.json()
    assert [f["rule"] for f in data["findings"]] == ["prn_interval"]
    assert data["findings"][0]["label"] == "PRN minimum interval" and "next dose from" in data["findings"][0]["message"]
    assert data["refused"] is False and data["can_override"] is True
    senior = _post(client_for(world.users["senior_carer"]), f"{BASE}/check", body).json()
    assert senior["can_override"] is False
    refused = _post(nurse, f"{BASE}/check", {**body, "dose": "3"}).json()
    assert refused["refused"] is True and refused["can_override"] is False
    clean = _post(nurse, f"{BASE}/check", {"order_id": o.pk, "dose": "1", "at": (at + timedelta(hours=3)).isoformat()})
    assert clean.json()["findings"][0]["rule"] == "window_not_open"  # in the future


def test_dose_dry_run_bad_input_and_permissions(world, meds, client_for):
    o = order(world, meds.paracetamol, is_prn=True)
    nurse = client_for(world.users["nurse"])
    bad = _post(nurse, f"{BASE}/check", {"order_id": o.pk, "dose": "-1"})
    assert bad.status_code == 422 and bad["Content-Type"].startswith("application/problem+json")
    assert "dose" in {e["field"] for e in bad.json()["errors"]}
    assert _post(nurse, f"{BASE}/check", {"order_id": 999999, "dose": "1"}).status_code == 404
    other = order(world, meds.paracetamol, resident=world.other_home_resident, is_prn=True)
    assert _post(nurse, f"{BASE}/check", {"order_id": other.pk, "dose": "1"}).status_code == 404
    assert _post(client_for(world.users["carer"]), f"{BASE}/check", {"order_id": o.pk, "dose": "1"}).status_code == 403
    assert (
        _post(client_for(world.users["inspector"]), f"{BASE}/check", {"order_id": o.pk, "dose": "1"}).status_code == 403
    )


def test_order_dry_run(world, meds, client_for):
    order(world, meds.warfarin)
    nurse = client_for(world.users["nurse"])
    r = _post(nurse, f"{BASE}/order-check", {"resident_id": world.resident.pk, "medicine_id": meds.naproxen.pk})
    assert r.status_code == 200, r.content
    assert [f["rule"] for f in r.json()["findings"]] == ["allergy_status", "interaction"]
    foreign = _post(
        nurse, f"{BASE}/order-check", {"resident_id": world.foreign_resident.pk, "medicine_id": meds.naproxen.pk}
    )
    assert foreign.status_code == 404


def test_rules_list_their_sources(world, client_for):
    data = client_for(world.users["inspector"]).get(f"{BASE}/rules").json()
    assert data["complete"] is False and "not complete" in data["checker"]
    assert data["limits"][0]["ingredient"] == "paracetamol" and data["limits"][0]["adult_mg_24h"] == "4000"
    assert all(r["source"] for r in data["interactions"])
    assert "nsaid" in data["do_not_duplicate"]


def test_list_and_review_an_override(world, meds, client_for):
    mine = overridden(world, meds.paracetamol)
    overridden(world, meds.ibuprofen, home=world.other_home, resident=world.other_home_resident)
    manager = client_for(world.users["registered_manager"])
    listed = manager.get(f"{BASE}/overrides").json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert item["id"] == mine.pk and item["reason"] == "GP phoned: may give now" and item["by"] == "Nurse User"
    assert item["medicine"] == "Paracetamol 500 mg tablets" and item["reviewed"] is False and item["resident_name"]

    empty = _post(manager, f"{BASE}/overrides/{mine.pk}/review", {"review_note": ""})
    assert empty.status_code == 422
    own = _post(client_for(world.users["nurse"]), f"{BASE}/overrides/{mine.pk}/review", {"review_note": "Fine"})
    assert own.status_code == 422 and "your own override" in own.content.decode()
    carer = _post(client_for(world.users["senior_carer"]), f"{BASE}/overrides/{mine.pk}/review", {"review_note": "x"})
    assert carer.status_code == 403

    ok = _post(
        manager,
        f"{BASE}/overrides/{mine.pk}/review",
        {"review_note": "GP confirmed by phone; note in record."},
        **{"Idempotency-Key": "review-1"},
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["reviewed"] is True and ok.json()["reviewed_by"] == "Registered manager User"
    again = _post(
        manager,
        f"{BASE}/overrides/{mine.pk}/review",
        {"review_note": "GP confirmed by phone; note in record."},
        **{"Idempotency-Key": "review-1"},
    )
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    twice = _post(manager, f"{BASE}/overrides/{mine.pk}/review", {"review_note": "Again"})
    assert twice.status_code == 409 and "Already reviewed by Registered manager User" in twice.content.decode()
    assert manager.get(f"{BASE}/overrides").json()["count"] == 0
    assert manager.get(f"{BASE}/overrides", {"reviewed": "yes"}).json()["count"] == 1
    assert manager.get(f"{BASE}/overrides/{mine.pk}").json()["review_note"] == "GP confirmed by phone; note in record."
    with in_home(world.home):
        assert AuditRecord.objects.filter(action="medication.safety_override.review").count() == 1
        assert OutboxEvent.objects.filter(name="medication.safety_override_reviewed").count() == 1


def test_another_homes_override_is_404_before_the_body(world, meds, client_for):
    welsh = overridden(world, meds.ibuprofen, home=world.other_home, resident=world.other_home_resident)
    manager = client_for(world.users["registered_manager"])
    assert _post(manager, f"{BASE}/overrides/{welsh.pk}/review", {"bad": 1}).status_code == 404
    assert manager.get(f"{BASE}/overrides/{welsh.pk}").status_code == 404


def test_override_list_queries_do_not_grow(world, meds, client_for, django_assert_max_num_queries):
    for m in (meds.paracetamol, meds.ibuprofen, meds.lactulose, meds.naproxen, meds.warfarin):
        overridden(world, m)
    manager = client_for(world.users["registered_manager"])
    manager.get(f"{BASE}/overrides")
    with django_assert_max_num_queries(16):
        r = manager.get(f"{BASE}/overrides")
    assert r.json()["count"] == 5
