"""Recording notes through a real server, for ``care_records_perf.py --http`` (issue 4).

Starts ``writecarenotes serve`` (gunicorn sync workers, the in-process events worker as in the
default install) on the benchmark's SQLite file and posts notes from concurrent client threads with
an API token; prints the JSON line ``http_record_entry_per_second``.
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


def measure_http(home, nurse, resident_id: int, seconds: float, workers: int, clients: int, db_path: Path) -> None:
    """Notes through a real server: ``writecarenotes serve`` (gunicorn, ``workers`` sync workers, the
    in-process events worker as in the default install) on the benchmark database, and ``clients``
    concurrent clients on this machine posting with an API token, each request with a new
    Idempotency-Key. Sustained rate = 201 answers per second over the time box."""
    import http.client
    import socket
    import subprocess
    import threading

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
        path = f"/api/v1/care_records/residents/{resident_id}/notes"
        headers = {"Authorization": f"Bearer {issued.raw}", "Content-Type": "application/json"}
        audit_before, events_before = written(home)
        counts = {"created": 0, "other": 0}
        lock = threading.Lock()
        stop_at = clock.perf_counter() + seconds

        def client(n: int) -> None:
            i = 0
            while clock.perf_counter() < stop_at:
                i += 1
                body = json.dumps({"category": "mood", "text": f"{MARK} over HTTP: client {n}, note {i}."})
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("POST", path, body, {**headers, "Idempotency-Key": uuid.uuid4().hex})
                status = conn.getresponse().status
                conn.close()
                with lock:
                    counts["created" if status == 201 else "other"] += 1

        start = clock.perf_counter()
        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = clock.perf_counter() - start
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    audit_after, events_after = written(home)
    value = counts["created"] / elapsed
    emit(
        metric="http_record_entry_per_second",
        value=round(value, 1),
        n=counts["created"],
        refused_or_failed=counts["other"],
        seconds=round(elapsed, 2),
        workers=workers,
        clients=clients,
        target=TARGET_PER_SECOND,
        met=value >= TARGET_PER_SECOND and counts["other"] == 0,
        audit_rows_written=audit_after - audit_before,
        events_written=events_after - events_before,
    )
