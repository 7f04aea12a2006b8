"""Recording throughput for ``care_records_perf.py`` (issue 4): quick notes through the API one per
request, in batches (``POST /api/v1/care_records/entries/batch``), and through the service function.
Each prints one JSON line; audit rows and outbox events written are counted (one each per entry).
"""

from __future__ import annotations

import time as clock
import uuid

from care_records_perf import MARK, TARGET_PER_SECOND, emit
from care_records_perf import _written as written


def measure_api(client, home, resident_id: int, seconds: float, limit: int) -> None:
    audit_before, events_before = written(home)

    url = f"/api/v1/care_records/residents/{resident_id}/notes"
    done = 0
    start = clock.perf_counter()
    while done < limit and clock.perf_counter() - start < seconds:
        response = client.post(
            url,
            data={"category": "mood", "text": f"{MARK} through the API: bright and chatty, {done}."},
            content_type="application/json",
            headers={"Idempotency-Key": uuid.uuid4().hex},
        )
        assert response.status_code == 201, response.content[:300]  # noqa: S101
        done += 1
    elapsed = clock.perf_counter() - start
    value = done / elapsed
    audit_after, events_after = written(home)
    emit(
        metric="api_record_entry_per_second",
        value=round(value, 1),
        n=done,
        seconds=round(elapsed, 2),
        target=TARGET_PER_SECOND,
        met=value >= TARGET_PER_SECOND,
        audit_rows_written=audit_after - audit_before,
        events_written=events_after - events_before,
    )


def measure_service(home, user, resident_id: int, seconds: float, limit: int) -> None:
    from django.utils import timezone

    from writecarenotes.care_records.services_notes import record_note
    from writecarenotes.platform.audit.context import acting_as_system
    from writecarenotes.platform.tenancy.scope import acting_for

    done = 0
    with acting_for([home], reason="benchmark"), acting_as_system("benchmark"):
        start = clock.perf_counter()
        while done < limit and clock.perf_counter() - start < seconds:
            record_note(
                resident_id=resident_id,
                user=user,
                category="mood",
                text=f"{MARK} through the service",
                occurred_at=timezone.now(),
            )
            done += 1
        elapsed = clock.perf_counter() - start
    emit(metric="service_record_note_per_second", value=round(done / elapsed, 1), n=done, seconds=round(elapsed, 2))


def measure_api_batch(client, home, resident_id: int, seconds: float, limit: int, size: int) -> None:
    """Notes through ``POST /entries/batch``, ``size`` per request, each entry with its own key."""
    audit_before, events_before = written(home)
    done = 0
    start = clock.perf_counter()
    while done < limit and clock.perf_counter() - start < seconds:
        entries = [
            {
                "key": uuid.uuid4().hex,
                "resident_id": resident_id,
                "kind": "notes",
                "values": {
                    "category": "mood",
                    "text": f"{MARK} in a batch through the API: bright and chatty, {done + k}.",
                },
            }
            for k in range(size)
        ]
        response = client.post(
            "/api/v1/care_records/entries/batch", data={"entries": entries}, content_type="application/json"
        )
        assert response.status_code == 200, response.content[:300]  # noqa: S101
        assert response.json()["recorded"] == size, response.content[:300]  # noqa: S101
        done += size
    elapsed = clock.perf_counter() - start
    value = done / elapsed
    audit_after, events_after = written(home)
    emit(
        metric="api_record_entry_batched_per_second",
        value=round(value, 1),
        n=done,
        batch_size=size,
        seconds=round(elapsed, 2),
        target=TARGET_PER_SECOND,
        met=value >= TARGET_PER_SECOND,
        audit_rows_written=audit_after - audit_before,
        events_written=events_after - events_before,
    )
