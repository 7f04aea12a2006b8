"""Recording notes through a real server, for ``care_records_perf.py --http`` (issue 4).

Starts ``writecarenotes serve`` (gunicorn sync workers, the in-process events worker as in the
default install) on the benchmark's SQLite file and posts notes from concurrent client threads with
an API token, one note per request and then in batches (``POST /entries/batch``); prints the JSON
lines ``http_record_entry_per_second``, ``http_record_entry_batched_per_second`` and
``http_audit_and_events`` (audit rows and events written: one each per entry).
"""

from __future__ import annotations

import json
import os
import sys
import time as clock
import uuid
from pathlib import Path

from care_records_perf import MARK, TARGET_PER_SECOND, emit
from care_records_perf import _written as written


def measure_http(
    home, nurse, resident_id: int, seconds: float, workers: int, clients: int, db_path: Path, batch_size: int = 25
) -> None:
    """Notes through a real server: ``writecarenotes serve`` (gunicorn, ``workers`` sync workers, the
    in-process events worker as in the default install) on the benchmark database, and ``clients``
    concurrent clients on this machine posting with an API token, each request with a new
    Idempotency-Key; then the same with ``batch_size`` notes per request (POST /entries/batch, each
    entry with its own key). Sustained rate = entries recorded (201) per second over the time box."""
    import http.client
    import socket
    import subprocess

    from writecarenotes.platform.audit.context import acting_as_system
    from writecarenotes.platform.identity.services import create_api_token
    from writecarenotes.platform.tenancy.scope import acting_for

    with acting_for([home], reason="benchmark"), acting_as_system("benchmark"):
        issued = create_api_token(
            nurse, home=home, name="benchmark", capabilities=["care_records:record", "care_records:view"], days=30
        )
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_path}", "WCN_DATA_DIR": str(db_path.parent)}
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "writecarenotes", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = clock.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if clock.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the benchmark server did not start")
            clock.sleep(0.2)
        headers = {"Authorization": f"Bearer {issued.raw}", "Content-Type": "application/json"}
        audit_before, events_before = written(home)
        single = _run(port, headers, seconds, clients, _single_note(resident_id, headers))
        batched = _run(port, headers, seconds, clients, _batch_of_notes(resident_id, headers, batch_size))
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    audit_after, events_after = written(home)
    for metric, run in [("http_record_entry_per_second", single), ("http_record_entry_batched_per_second", batched)]:
        value = run["created"] / run["elapsed"]
        extra = {"batch_size": batch_size} if metric.endswith("batched_per_second") else {}
        emit(
            metric=metric,
            value=round(value, 1),
            n=run["created"],
            refused_or_failed=run["other"],
            seconds=round(run["elapsed"], 2),
            workers=workers,
            clients=clients,
            **extra,
            target=TARGET_PER_SECOND,
            met=value >= TARGET_PER_SECOND and run["other"] == 0,
        )
    emit(
        metric="http_audit_and_events",
        entries_recorded=single["created"] + batched["created"],
        audit_rows_written=audit_after - audit_before,
        events_written=events_after - events_before,
    )


def _post(port: int, path: str, body: str, headers: dict):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", path, body, headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, data


def _single_note(resident_id: int, headers: dict):
    """One note per request, each with a new Idempotency-Key: (created, other) per call."""
    path = f"/api/v1/care_records/residents/{resident_id}/notes"

    def send(port: int, n: int, i: int) -> tuple[int, int]:
        body = json.dumps({"category": "mood", "text": f"{MARK} over HTTP: client {n}, note {i}."})
        status, _data = _post(port, path, body, {**headers, "Idempotency-Key": uuid.uuid4().hex})
        return (1, 0) if status == 201 else (0, 1)

    return send


def _batch_of_notes(resident_id: int, headers: dict, size: int):
    """``size`` notes per request through POST /entries/batch, each entry with its own key."""

    def send(port: int, n: int, i: int) -> tuple[int, int]:
        entries = [
            {
                "key": uuid.uuid4().hex,
                "resident_id": resident_id,
                "kind": "notes",
                "values": {"category": "mood", "text": f"{MARK} over HTTP in a batch: client {n}, {i}.{k}."},
            }
            for k in range(size)
        ]
        status, data = _post(port, "/api/v1/care_records/entries/batch", json.dumps({"entries": entries}), headers)
        if status != 200:
            return 0, size
        created = sum(1 for r in json.loads(data)["results"] if r["status"] == 201 and not r["replayed"])
        return created, size - created

    return send


def _run(port: int, headers: dict, seconds: float, clients: int, send) -> dict:
    """``clients`` threads calling ``send`` until the time box ends; entries created and refused."""
    import threading

    counts = {"created": 0, "other": 0}
    lock = threading.Lock()
    stop_at = clock.perf_counter() + seconds

    def client(n: int) -> None:
        i = 0
        while clock.perf_counter() < stop_at:
            i += 1
            created, other = send(port, n, i)
            with lock:
                counts["created"] += created
                counts["other"] += other

    start = clock.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {**counts, "elapsed": clock.perf_counter() - start}
