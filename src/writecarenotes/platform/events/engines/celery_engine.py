"""The scaled engine: Celery workers on RabbitMQ (or Redis), see docs/decisions/0006.

The outbox stays the source of truth. A relay task (every RELAY_SECONDS, from the beat embedded in
``writecarenotes worker --engine celery``) hands due deliveries and job slots to Celery as tasks on a
queue per context (``wcn.ctx.<context>``); publishing processes also hand over their new deliveries
right after commit, so delivery does not wait for the next tick. Tasks only call the dispatcher and
scheduler, which lock the row and skip what is done: a duplicate or late message is harmless.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings

from writecarenotes.platform.events import conf, dispatcher, registry, scheduler

logger = logging.getLogger(__name__)

RELAY_QUEUE = "wcn.relay"
RELAY_SECONDS = 2.0
_app = None


def queue_for(context: str) -> str:
    return f"wcn.ctx.{context}"


def get_app():
    global _app
    if _app is None:
        _app = _make_app()
    return _app


def _make_app():
    from celery import Celery

    app = Celery("writecarenotes", broker=conf.broker_url(), set_as_current=False)
    app.conf.update(
        task_acks_late=True,  # a message is acknowledged after the task ran: a killed worker's task is redelivered
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        result_backend=None,
        task_default_queue=RELAY_QUEUE,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=4,
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1},
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        enable_utc=True,
        timezone="UTC",
        beat_schedule={
            "wcn-events-relay": {
                "task": "wcn.events.relay",
                "schedule": RELAY_SECONDS,
                "options": {"queue": RELAY_QUEUE, "expires": RELAY_SECONDS * 5},
            }
        },
    )

    @app.task(name="wcn.events.deliver", ignore_result=True)
    def deliver_task(delivery_id: int) -> str:
        return dispatcher.deliver(delivery_id)

    @app.task(name="wcn.events.run_job", ignore_result=True)
    def run_job_task(name: str, slot: str) -> str:
        return scheduler.run_job(name, datetime.fromisoformat(slot))

    @app.task(name="wcn.events.relay", ignore_result=True)
    def relay_task() -> int:
        return relay()

    return app


def send_delivery(delivery_id: int, context: str) -> None:
    get_app().send_task("wcn.events.deliver", args=[delivery_id], queue=queue_for(context))


def send_job(name: str, slot: datetime, context: str) -> None:
    get_app().send_task("wcn.events.run_job", args=[name, slot.isoformat()], queue=queue_for(context))


def relay() -> int:
    return dispatcher.relay_due(send_delivery) + scheduler.dispatch_due_jobs(send_job)


def run_worker(*, contexts: list[str] | None, concurrency: int, beat: bool, pool: str, loglevel: str = "INFO") -> int:
    """Run a Celery worker for the given contexts' queues (all contexts in use when None) and the relay."""
    app = get_app()
    chosen = contexts or registry.contexts_in_use()
    queues = [queue_for(c) for c in chosen] + [RELAY_QUEUE]
    argv = ["worker", "--loglevel", loglevel, "--queues", ",".join(queues), "--pool", pool]
    argv += ["--concurrency", str(concurrency), "--without-gossip", "--without-mingle"]
    if beat:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        argv += ["--beat", "--schedule", str(settings.DATA_DIR / "celerybeat-schedule")]
    logger.info("Celery worker for %s (beat: %s)", ", ".join(queues), beat)
    app.worker_main(argv)
    return 0
