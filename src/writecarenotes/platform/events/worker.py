"""The in-process worker: the default install's delivery and scheduler, with no broker.

In the serving process a daemon thread (started per gunicorn worker process, see apps.py and
gunicorn_hooks.py) wakes when a publishing transaction commits and otherwise every
WCN_EVENTS_POLL_SECONDS, then delivers due events and runs due scheduled jobs.
``writecarenotes worker --engine inprocess`` runs the same loop in the foreground.
Tests never start it: they call dispatcher.run_due() and scheduler.run_due_jobs().
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable

from django.db import connection

from writecarenotes.platform.events import conf, dispatcher, scheduler

logger = logging.getLogger(__name__)

ENV_FLAG = "WCN_RUN_INPROCESS_WORKER"
_wake = threading.Event()
_guard = threading.Lock()
_thread: threading.Thread | None = None
_thread_pid: int | None = None


def wake() -> None:
    _wake.set()


def run_once(contexts: Iterable[str] | None = None) -> dict:
    contexts = list(contexts) if contexts else None
    delivered = dispatcher.run_due(contexts=contexts)
    jobs = scheduler.run_due_jobs(contexts=contexts)
    return {"deliveries": dict(delivered), "jobs": jobs}


def loop(stop: threading.Event, contexts: Iterable[str] | None = None, *, poll: float | None = None) -> None:
    poll = conf.poll_seconds() if poll is None else poll
    while not stop.is_set():
        try:
            result = run_once(contexts)
            if result["deliveries"] or result["jobs"]:
                logger.info("events worker: %s", result)
        except Exception:  # noqa: BLE001  (the database may be briefly unavailable: try again later)
            logger.exception("events worker pass failed")
        finally:
            connection.close()
        _wake.wait(poll)
        _wake.clear()


def start(contexts: Iterable[str] | None = None) -> threading.Thread:
    """Start the daemon thread in this process (once per process, also after a fork)."""
    global _thread, _thread_pid
    with _guard:
        if _thread is not None and _thread.is_alive() and _thread_pid == os.getpid():
            return _thread
        _thread = threading.Thread(
            target=loop, args=(threading.Event(), contexts), name="wcn-events-worker", daemon=True
        )
        _thread_pid = os.getpid()
        _thread.start()
        logger.info("in-process events worker started (pid %s)", _thread_pid)
        return _thread


def served_contexts() -> list[str] | None:
    """The contexts whose subscribers and jobs this process runs: with a service profile
    (WCN_SERVICES, ADR 0008) only its own services' and the platform's; otherwise all (None).
    So an event raised by one profile is handled by the process that serves the subscriber."""
    raw = os.environ.get("WCN_SERVICES", "")
    names = sorted({n.strip().lower() for n in raw.split(",") if n.strip()})
    if not names:
        return None
    return sorted(set(names) | {"platform"})


def start_if_enabled() -> threading.Thread | None:
    if os.environ.get(ENV_FLAG) != "1" or conf.mode() != "inprocess":
        return None
    return start(served_contexts())
