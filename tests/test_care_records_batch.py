"""Recording many entries in one request (POST /api/v1/care_records/entries/batch): each entry is
recorded as if posted alone (its own key, validation, audit record and event), succeeds or fails on
its own, and shares its key with the single-entry endpoints."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from writecarenotes.care_records.api_batch import MAX_BATCH
from writecarenotes.care_records.models import CareNote, FoodFluidEntry
from writecarenotes.platform.audit.models import AuditRecord
from writecarenotes.platform.events.models import OutboxEvent
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.django_db
BASE = "/api/v1/care_records"


def _batch(c, entries):
    return c.post(f"{BASE}/entries/batch", data={"entries": entries}, content_type="application/json")


def _note(world, key, text="Bright and chatty", resident=None):
    rid = (resident or world.resident).pk
    return {"key": key, "resident_id": rid, "kind": "notes", "values": {"category": "mood", "text": text}}


def _count(world, model):
    with acting_for([world.home]):
        return model.objects.count()


def test_each_entry_is_recorded_with_its_own_audit_record_and_event(world, client_for):
    c = client_for(world.users["carer"])
    audit_before, events_before = _count(world, AuditRecord), _count(world, OutboxEvent)
    late = (timezone.now() - timedelta(hours=3)).isoformat()
    r = _batch(
        c,
        [
            _note(world, "k-1", "Had breakfast in the lounge"),
            {
                "key": "k-2",
                "resident_id": world.resident.pk,
                "kind": "food-fluid",
                "values": {"item": "Tea", "fluid_ml": 150, "occurred_at": late},
            },
            _note(world, "k-3", "Walked to the garden with a frame"),
        ],
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["recorded"] == 3
    assert [x["status"] for x in body["results"]] == [201, 201, 201]
    assert [x["key"] for x in body["results"]] == ["k-1", "k-2", "k-3"]
    tea = body["results"][1]
    assert tea["entry"]["values"]["fluid_ml"] == 150 and tea["entry"]["is_late"] is True
    assert tea["location"].endswith(f"/entries/food-fluid/{tea['entry']['id']}")
    assert _count(world, CareNote) == 2 and _count(world, FoodFluidEntry) == 1
    assert _count(world, AuditRecord) - audit_before == 3
    assert _count(world, OutboxEvent) - events_before == 3


def test_a_bad_entry_is_refused_alone_with_field_messages(world, client_for):
    c = client_for(world.users["carer"])
    r = _batch(
        c,
        [
            _note(world, "ok-1", "Settled after lunch"),
            {"key": "bad-1", "resident_id": world.resident.pk, "kind": "notes", "values": {"category": "mood"}},
            {
                "key": "bad-2",
                "resident_id": world.resident.pk,
                "kind": "food-fluid",
                "values": {"item": "Tea", "fluid_ml": -5},
            },
            {"key": "bad-3", "resident_id": world.resident.pk, "kind": "teleport", "values": {}},
            _note(world, "ok-2", "Asleep at the 02:00 check"),
        ],
    )
    assert r.status_code == 200
    results = {x["key"]: x for x in r.json()["results"]}
    assert results["ok-1"]["status"] == results["ok-2"]["status"] == 201
    for key, field in [("bad-1", "text"), ("bad-2", "fluid_ml"), ("bad-3", "kind")]:
        assert results[key]["status"] == 422 and results[key]["entry"] is None
        assert results[key]["problem"]["status"] == 422
        assert field in [e["field"] for e in results[key]["problem"]["errors"]], results[key]
    assert r.json()["recorded"] == 2
    assert _count(world, CareNote) == 2 and _count(world, FoodFluidEntry) == 0


def test_future_time_of_care_is_refused_with_the_reason(world, client_for):
    c = client_for(world.users["carer"])
    future = (timezone.now() + timedelta(hours=2)).isoformat()
    entry = _note(world, "f-1")
    entry["values"]["occurred_at"] = future
    result = _batch(c, [entry]).json()["results"][0]
    assert result["status"] == 422
    assert result["problem"]["errors"] == [
        {"field": "occurred_at", "message": "The time of care cannot be in the future."}
    ]
    assert _count(world, CareNote) == 0


def test_a_retried_batch_replays_and_records_nothing_twice(world, client_for):
    c = client_for(world.users["carer"])
    entries = [_note(world, "r-1", "Drank well"), _note(world, "r-2", "Visit from her son")]
    first = _batch(c, entries).json()
    again = _batch(c, entries).json()
    assert again["recorded"] == 0
    assert [x["replayed"] for x in again["results"]] == [True, True]
    assert [x["entry"] for x in again["results"]] == [x["entry"] for x in first["results"]]
    assert _count(world, CareNote) == 2


def test_the_key_is_shared_with_the_single_entry_endpoint(world, client_for):
    c = client_for(world.users["carer"])
    body = {"category": "mood", "text": "Sang along at the concert"}
    single = c.post(
        f"{BASE}/residents/{world.resident.pk}/notes",
        data=body,
        content_type="application/json",
        headers={"Idempotency-Key": "shared-1"},
    )
    assert single.status_code == 201
    result = _batch(c, [_note(world, "shared-1", body["text"])]).json()["results"][0]
    assert result["replayed"] is True and result["entry"] == single.json()
    # and the other way round: recorded in a batch first, then retried alone
    _batch(c, [_note(world, "shared-2", "Quiet afternoon")])
    alone = c.post(
        f"{BASE}/residents/{world.resident.pk}/notes",
        data={"category": "mood", "text": "Quiet afternoon"},
        content_type="application/json",
        headers={"Idempotency-Key": "shared-2"},
    )
    assert alone.status_code == 201 and alone["Idempotent-Replayed"] == "true"
    assert _count(world, CareNote) == 2


def test_a_key_reused_for_a_different_entry_is_refused(world, client_for):
    c = client_for(world.users["carer"])
    _batch(c, [_note(world, "dup", "First text")])
    result = _batch(c, [_note(world, "dup", "Another text")]).json()["results"][0]
    assert result["status"] == 422 and result["problem"]["errors"][0]["field"] == "key"
    # the same key twice in one batch: the second replays the first
    results = _batch(c, [_note(world, "twice", "Same"), _note(world, "twice", "Same")]).json()["results"]
    assert results[0]["status"] == 201 and results[1]["replayed"] is True
    assert _count(world, CareNote) == 2


def test_residents_outside_scope_and_not_in_residence(world, client_for):
    c = client_for(world.users["carer"])
    results = _batch(
        c,
        [
            _note(world, "s-1", resident=world.foreign_resident),
            _note(world, "s-2", resident=world.other_home_resident),
            _note(world, "s-3"),
        ],
    ).json()["results"]
    assert [x["status"] for x in results] == [404, 404, 201]
    assert results[0]["problem"]["detail"] == "No such resident."


def test_limits_permissions_and_bad_bodies(world, client_for):
    too_many = [_note(world, f"m-{i}") for i in range(MAX_BATCH + 1)]
    c = client_for(world.users["carer"])
    r = _batch(c, too_many)
    assert r.status_code == 422 and r["Content-Type"] == "application/problem+json"
    assert _batch(c, []).status_code == 422
    bad_key = _batch(c, [_note(world, "has space")])
    assert bad_key.status_code == 422
    assert _count(world, CareNote) == 0
    # finance cannot record care; family cannot either
    assert _batch(client_for(world.users["finance"]), [_note(world, "p-1")]).status_code == 403
    assert _batch(client_for(world.users["family"]), [_note(world, "p-2")]).status_code == 403
    from django.test import Client

    assert _batch(Client(), [_note(world, "p-3")]).status_code == 401


def test_the_audit_chain_stays_whole_when_an_entry_fails_after_its_audit_record(world, client_for, monkeypatch):
    """The batch holds the home's chain head once; an entry whose savepoint rolls back after its audit
    record was appended (here: its key stored meanwhile by another request) must not leave a gap."""
    from writecarenotes.platform.api import idempotency
    from writecarenotes.platform.audit.chain import chain_key, verify_chain

    real_store = idempotency.Claim.store

    def store(self, response, **kw):
        if self.where["key"] == "boom":
            raise idempotency.KeyInUse(stored_meanwhile=True)
        return real_store(self, response, **kw)

    monkeypatch.setattr(idempotency.Claim, "store", store)
    c = client_for(world.users["carer"])
    results = _batch(
        c, [_note(world, "c-1", "Breakfast"), _note(world, "boom", "Lost"), _note(world, "c-3", "Lunch")]
    ).json()["results"]
    assert [r["status"] for r in results] == [201, 409, 201]
    assert _count(world, CareNote) == 2
    report = verify_chain(chain_key(world.home.pk, None))
    assert report.ok, report.problem
    # and a single entry afterwards continues the same chain
    single = c.post(
        f"{BASE}/residents/{world.resident.pk}/notes",
        data={"category": "mood", "text": "Afternoon nap"},
        content_type="application/json",
    )
    assert single.status_code == 201
    assert verify_chain(chain_key(world.home.pk, None)).ok
