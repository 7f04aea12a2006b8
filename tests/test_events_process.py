"""Event delivery across real processes: a worker killed mid-delivery, and the Celery engine on a real broker.

Each test runs its own database (a SQLite file, or a fresh PostgreSQL database when DATABASE_URL points
at PostgreSQL) in subprocesses, because the work must survive the death of a process.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

SCRIPT = textwrap.dedent(
    """
    import json, os, sys, time
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "writecarenotes.settings")
    import django
    django.setup()
    from typing import ClassVar
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import F
    from writecarenotes.platform.events.api import DomainEvent, publish, register_event, subscriber
    from writecarenotes.platform.events.models import Delivery, ProcessedEvent
    from writecarenotes.platform.tenancy.models import CareHome, Organisation, Unit
    from writecarenotes.platform.tenancy.scope import acting_for

    @register_event
    class Admitted(DomainEvent):
        name: ClassVar[str] = "care_planning.test_counted"
        version: ClassVar[int] = 1
        resident_id: int

    @subscriber("care_planning.test_counted", context="care_planning", name="care_planning.count_admissions")
    def count(event, envelope):
        # Not idempotent by itself: adds one to a counter each time it is applied.
        Unit.objects.filter(name="Counter").update(sort_order=F("sort_order") + 1)
        hang = os.environ.get("HANG_AFTER_APPLY")
        if hang:
            with open(hang, "w") as fh:
                fh.write(str(os.getpid()))
            time.sleep(300)

    action = sys.argv[1]
    if action == "setup":
        call_command("migrate", interactive=False, verbosity=0)
        org = Organisation.objects.create(name="Meadow Care", slug="meadow")
        home = CareHome.objects.create(organisation=org, name="Oak Lodge", nation="england", regulator="cqc",
                                       registration_number="1-1", care_type="nursing", registered_beds=20)
        with acting_for([home]):
            Unit.objects.create(home=home, name="Counter")
    elif action == "publish":
        home = CareHome.objects.get(name="Oak Lodge")
        with transaction.atomic():
            publish(Admitted(resident_id=7), home=home)
    elif action == "state":
        home = CareHome.objects.get(name="Oak Lodge")
        with acting_for([home]):
            print(json.dumps({
                "counter": Unit.objects.get(name="Counter").sort_order,
                "deliveries": list(Delivery.objects.values("status", "attempts")),
                "processed": ProcessedEvent.objects.count(),
            }))
    elif action == "worker":
        from writecarenotes.platform.events.cli import main
        sys.exit(main(sys.argv[2:]))
    """
)


def _pg_url(name: str | None = None) -> str | None:
    """A PostgreSQL server URL (DATABASE_URL, else the local server's root or postgres role), or None."""
    import psycopg

    candidates = [os.environ.get("DATABASE_URL", "")]
    candidates += ["postgres://root@127.0.0.1:5432/postgres", "postgres://postgres@127.0.0.1:5432/postgres"]
    for url in candidates:
        if not url.startswith(("postgres://", "postgresql://")):
            continue
        try:
            psycopg.connect(url, connect_timeout=3).close()
        except psycopg.Error:
            continue
        return url
    return None


class ProcDB:
    """A database of its own for the subprocesses of one test."""

    def __init__(self, tmp_path: Path, *, postgres: bool):
        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.env.update({"WCN_DATA_DIR": str(tmp_path), "WCN_ENV": "test", "PYTHONUNBUFFERED": "1"})
        self.script = tmp_path / "events_proc.py"
        self.script.write_text(SCRIPT)
        self.admin_url = self.dbname = None
        if postgres:
            import psycopg

            self.admin_url = _pg_url()
            self.dbname = f"wcn_events_{secrets.token_hex(4)}"
            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.dbname}"')
            self.env["DATABASE_URL"] = urlparse(self.admin_url)._replace(path=f"/{self.dbname}").geturl()

    def run(self, *args: str, extra_env: dict | None = None, timeout: float = 120) -> str:
        done = subprocess.run(
            [sys.executable, str(self.script), *args],
            env={**self.env, **(extra_env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def start(self, *args: str, extra_env: dict | None = None, log: Path) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, str(self.script), *args],
            env={**self.env, **(extra_env or {})},
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def state(self) -> dict:
        return json.loads(self.run("state").strip().splitlines()[-1])

    def drop(self) -> None:
        if self.dbname:
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')


def _stop(proc: subprocess.Popen) -> None:
    """Stop a process group this test started (the worker and its children)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


@pytest.fixture
def proc_db(tmp_path):
    db = ProcDB(tmp_path, postgres=os.environ.get("DATABASE_URL", "").startswith("postg"))
    yield db
    db.drop()


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_worker_killed_between_commit_and_delivery_delivers_after_restart_applied_once(proc_db, tmp_path):
    proc_db.run("setup")
    proc_db.run("publish")
    assert proc_db.state() == {"counter": 0, "deliveries": [{"status": "pending", "attempts": 0}], "processed": 0}

    flag = tmp_path / "applied"
    worker = proc_db.start(
        "worker", "--engine", "inprocess", extra_env={"HANG_AFTER_APPLY": str(flag)}, log=tmp_path / "w1.log"
    )
    try:
        _wait_for(flag.exists, 60, "the worker to apply the event")
        os.kill(worker.pid, signal.SIGKILL)  # dies after the handler's work, before the delivery is done
        worker.wait(10)
    finally:
        _stop(worker)
    # Nothing of the half-done delivery survived the crash; the event is still owed.
    assert proc_db.state() == {"counter": 0, "deliveries": [{"status": "pending", "attempts": 0}], "processed": 0}

    proc_db.run("worker", "--engine", "inprocess", "--once")  # the restarted worker
    assert proc_db.state() == {"counter": 1, "deliveries": [{"status": "done", "attempts": 1}], "processed": 1}
    proc_db.run("worker", "--engine", "inprocess", "--once")
    assert proc_db.state()["counter"] == 1


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2).close()
    except OSError:
        return False
    return True


@pytest.mark.broker
def test_the_celery_engine_delivers_on_a_real_broker_and_postgresql(tmp_path):
    broker = os.environ.get("WCN_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
    missing = []
    if not _reachable(broker, 5672 if broker.startswith("amqp") else 6379):
        missing.append(f"broker {urlparse(broker).hostname}:{urlparse(broker).port}")
    if _pg_url() is None:
        missing.append("PostgreSQL")
    try:
        import celery  # noqa: F401
    except ImportError:
        missing.append("the celery package")
    if missing:
        message = f"scaled-engine test needs {', '.join(missing)}"
        if os.environ.get("WCN_REQUIRE_BROKER") == "1":
            pytest.fail(message + " (WCN_REQUIRE_BROKER=1)")
        pytest.skip(message)

    db = ProcDB(tmp_path, postgres=True)
    db.env.update({"WCN_EVENTS_MODE": "celery", "WCN_BROKER_URL": broker})
    worker = None
    try:
        db.run("setup")
        log = tmp_path / "celery.log"
        worker = db.start("worker", "--engine", "celery", "--contexts", "care_planning", "--concurrency", "2", log=log)
        _wait_for(lambda: "ready" in log.read_text(), 60, f"the Celery worker to start:\n{log.read_text()[-3000:]}")
        db.run("publish")  # hands the delivery to the broker right after commit
        _wait_for(lambda: db.state()["counter"] == 1, 60, f"the handler to run:\n{log.read_text()[-3000:]}")
        state = _wait_for(
            lambda: (s := db.state())["deliveries"][0]["status"] == "done" and s, 30, "the delivery to be done"
        )
        assert state == {"counter": 1, "deliveries": [{"status": "done", "attempts": 1}], "processed": 1}
        # A second event, and the relay's periodic sweep finding nothing more to do: still applied once each.
        db.run("publish")
        _wait_for(lambda: db.state()["counter"] == 2, 60, "the second event")
        time.sleep(3)
        assert db.state()["counter"] == 2
    finally:
        if worker is not None:
            _stop(worker)
        db.drop()
