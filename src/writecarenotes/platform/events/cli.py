"""`writecarenotes worker ...`: run event delivery and scheduled jobs outside the web server.

writecarenotes worker [--engine inprocess|celery] [--contexts a,b] [--once]
                      [--concurrency N] [--pool prefork|solo|threads] [--no-beat]
writecarenotes worker status          counts of pending, done and dead deliveries

The default install needs none of this (`writecarenotes serve` delivers in-process). Scaled
installs run `writecarenotes worker --engine celery` (one or more), with WCN_EVENTS_MODE=celery
for every process and WCN_BROKER_URL pointing at RabbitMQ or Redis.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading


def _contexts(value: str | None) -> list[str] | None:
    if not value:
        return None
    from writecarenotes.platform.events import registry

    out = [c.strip() for c in value.split(",") if c.strip()]
    for c in out:
        registry.check_context(c)
    return out


def cmd_run(ns) -> int:
    from writecarenotes.platform.events import conf, worker

    try:
        contexts = _contexts(ns.contexts)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    engine = ns.engine or conf.mode()
    if engine == "celery":
        from writecarenotes.platform.events.engines import celery_engine

        return celery_engine.run_worker(
            contexts=contexts, concurrency=ns.concurrency, beat=not ns.no_beat, pool=ns.pool
        )
    if ns.once:
        print(worker.run_once(contexts), flush=True)
        return 0
    stop = threading.Event()

    def _stop(signum, frame):
        stop.set()
        worker.wake()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    print(f"events worker running (in-process engine, contexts: {', '.join(contexts or ['all'])})", flush=True)
    worker.loop(stop, contexts)
    return 0


def cmd_status(ns) -> int:
    from writecarenotes.platform.events.dispatcher import status_counts

    counts = status_counts()
    for status in ("pending", "done", "dead"):
        print(f"{status}: {counts.get(status, 0)}")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="writecarenotes worker", description=__doc__.split("\n")[0])
    parser.add_argument("action", nargs="?", choices=["run", "status"], default="run")
    parser.add_argument("--engine", choices=["inprocess", "celery"], help="default: WCN_EVENTS_MODE")
    parser.add_argument("--contexts", help="comma-separated contexts whose subscribers and jobs to run (default all)")
    parser.add_argument("--once", action="store_true", help="in-process engine: one pass, then exit")
    parser.add_argument("--concurrency", type=int, default=2, help="Celery: worker processes or threads")
    parser.add_argument("--pool", default="prefork", choices=["prefork", "solo", "threads"], help="Celery pool")
    parser.add_argument("--no-beat", action="store_true", help="Celery: do not run the relay/scheduler beat here")
    ns = parser.parse_args(argv)
    return cmd_status(ns) if ns.action == "status" else cmd_run(ns)
