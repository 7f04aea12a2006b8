"""Delivery of outbox events to subscribers: at least once, applied once, retried with back-off.

One delivery runs in ONE transaction that holds the delivery row (SELECT ... FOR UPDATE SKIP
LOCKED on PostgreSQL; SQLite's IMMEDIATE transactions serialise writers): the handler's own
writes, the ProcessedEvent mark and the delivery's new status commit together or not at all.
A worker killed half-way therefore leaves the delivery pending and nothing applied; the next
worker delivers it. A second delivery of an event a subscriber has already applied (a reset
dead letter, a duplicate engine message) finds the ProcessedEvent mark and is skipped.

Engines (the in-process thread, ``writecarenotes worker``, Celery tasks) only call
:func:`deliver`, :func:`run_due` and :func:`relay_due`; the handler code is the same in all.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from uuid import UUID

from django.db import OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from writecarenotes.platform.events import conf, registry
from writecarenotes.platform.events.models import Delivery, DeliveryStatus, ProcessedEvent
from writecarenotes.platform.tenancy.scope import acting_for

logger = logging.getLogger(__name__)

DONE, RETRY, DEAD, SKIPPED, BUSY = "done", "retry", "dead", "skipped", "busy"


def backoff(attempts: int) -> timedelta:
    """Wait before attempt ``attempts + 1``: exponential from WCN_EVENTS_RETRY_BASE, capped, with jitter."""
    delay = min(conf.retry_cap(), conf.retry_base() * (2 ** max(0, attempts - 1)))
    return timedelta(seconds=delay * random.uniform(0.5, 1.0))


def lock(qs, *, of_self: bool = False):
    """Row locks where the database has them; SQLite serialises writers instead."""
    features = connection.features
    if not features.has_select_for_update:
        return qs
    kwargs = {}
    if features.has_select_for_update_skip_locked:
        kwargs["skip_locked"] = True
    if of_self and features.has_select_for_update_of:
        kwargs["of"] = ("self",)
    return qs.select_for_update(**kwargs)


def is_lock_timeout(exc: OperationalError) -> bool:
    return connection.vendor == "sqlite" and "locked" in str(exc)


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def deliver(delivery_id: int, *, now: datetime | None = None) -> str:
    """Attempt one due, pending delivery. Returns done, retry, dead, skipped (not due or not pending) or busy."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            qs = Delivery.unscoped.select_related("event").filter(
                pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
            )
            delivery = lock(qs, of_self=True).first()
            if delivery is None:
                return SKIPPED
            return _attempt(delivery, now)
    except OperationalError as exc:
        if is_lock_timeout(exc):
            return BUSY
        raise


def _attempt(delivery: Delivery, now: datetime) -> str:
    from writecarenotes.platform.events.api import Envelope

    delivery.attempts += 1
    event_row = delivery.event
    error: BaseException | None = None
    try:
        sub = registry.SUBSCRIBERS.get(delivery.subscriber)
        if sub is None:
            raise LookupError(f"subscriber {delivery.subscriber!r} is not registered in this process")
        event = registry.event_type(event_row.name, event_row.version).model_validate(event_row.payload)
        envelope = Envelope(
            event_id=event_row.id,
            name=event_row.name,
            version=event_row.version,
            home_id=event_row.home_id,
            organisation_id=event_row.organisation_id,
            occurred_at=event_row.occurred_at,
            subscriber=delivery.subscriber,
            attempt=delivery.attempts,
        )
        with transaction.atomic():
            _, first_time = ProcessedEvent.objects.get_or_create(subscriber=sub.name, event_id=event_row.id)
            if first_time:
                with acting_for([event_row.home_id], reason=f"event:{sub.name}"):
                    sub.handler(event, envelope)
            else:
                logger.info("%s already applied event %s: skipped", sub.name, event_row.id)
    except Exception as exc:  # noqa: BLE001  (a failing handler must never stop the worker)
        error = exc
    fields = ["attempts", "status", "next_attempt_at", "dispatched_at", "delivered_at", "dead_at", "last_error"]
    delivery.dispatched_at = None
    if error is None:
        delivery.status = DeliveryStatus.DONE
        delivery.delivered_at = now
        delivery.save(update_fields=fields)
        return DONE
    delivery.last_error = _error_text(error)
    if delivery.attempts >= conf.max_attempts():
        delivery.status = DeliveryStatus.DEAD
        delivery.dead_at = now
        outcome = DEAD
        logger.error(
            "Event %s (%s) to %s failed %d times: dead-lettered",
            event_row.id,
            event_row.name,
            delivery.subscriber,
            delivery.attempts,
            exc_info=error,
        )
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
        outcome = RETRY
        logger.warning(
            "Event %s (%s) to %s failed (attempt %d), retrying at %s",
            event_row.id,
            event_row.name,
            delivery.subscriber,
            delivery.attempts,
            delivery.next_attempt_at.isoformat(),
            exc_info=error,
        )
    delivery.save(update_fields=fields)
    return outcome


def due(*, now: datetime | None = None, contexts: Iterable[str] | None = None):
    qs = Delivery.unscoped.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now or timezone.now())
    if contexts:
        qs = qs.filter(context__in=list(contexts))
    return qs.order_by("next_attempt_at", "id")


def run_due(*, now: datetime | None = None, contexts: Iterable[str] | None = None, limit: int = 200) -> Counter:
    """Deliver every due delivery (of the given contexts). Returns a count of outcomes."""
    now = now or timezone.now()
    outcomes: Counter = Counter()
    for pk in list(due(now=now, contexts=contexts).values_list("pk", flat=True)[:limit]):
        try:
            outcomes[deliver(pk, now=now)] += 1
        except Exception:  # noqa: BLE001  (log and go on with the next delivery)
            logger.exception("Delivery %s could not be attempted", pk)
            outcomes["error"] += 1
    return outcomes


def relay_due(send: Callable[[int, str], None], *, now: datetime | None = None, limit: int = 500) -> int:
    """Hand due deliveries to an engine (``send(delivery_id, context)``); re-send ones lost for too long."""
    now = now or timezone.now()
    with transaction.atomic():
        qs = due(now=now).filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=now - conf.REDISPATCH_AFTER))
        rows = list(lock(qs).values_list("pk", "context")[:limit])
        Delivery.unscoped.filter(pk__in=[pk for pk, _ in rows]).update(dispatched_at=now)
    sent = 0
    for pk, context in rows:
        try:
            send(pk, context)
            sent += 1
        except Exception:  # noqa: BLE001  (broker down: the next relay tick tries again)
            logger.exception("Could not hand delivery %s to the engine", pk)
            Delivery.unscoped.filter(pk=pk, dispatched_at=now).update(dispatched_at=None)
    return sent


def committed(event_id: UUID) -> None:
    """Called after the publishing transaction commits: deliver now, wake the worker, or hand to the engine."""
    if conf.deliver_now():
        for pk in Delivery.unscoped.filter(event_id=event_id).values_list("pk", flat=True):
            deliver(pk)
        return
    if conf.mode() == "inprocess":
        from writecarenotes.platform.events import worker

        worker.wake()
        return
    from writecarenotes.platform.events.engines import celery_engine

    relay_due(celery_engine.send_delivery, limit=50)


def retry_dead_letter(delivery_id: int, *, now: datetime | None = None) -> Delivery:
    """Put a dead delivery back in the queue with a fresh set of attempts (the admin's Retry button).

    Uses the scoped manager: the caller's scope decides which deliveries it may retry.
    """
    now = now or timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id, status=DeliveryStatus.DEAD)
        delivery.status = DeliveryStatus.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = now
        delivery.dead_at = None
        delivery.dispatched_at = None
        delivery.save(update_fields=["status", "attempts", "next_attempt_at", "dead_at", "dispatched_at"])
        from writecarenotes.platform.audit.services import record_change

        record_change(
            "events.dead_letter_retried",
            target=delivery,
            before={"status": "dead"},
            after={"status": "pending", "subscriber": delivery.subscriber},
        )
        event_id = delivery.event_id
        transaction.on_commit(lambda: committed(event_id), robust=True)
    logger.info("Dead letter %s (%s) put back for retry", delivery.pk, delivery.subscriber)
    return delivery


def purge_done(*, now: datetime | None = None) -> tuple[int, int]:
    """Delete done deliveries and processed-event marks older than conf.KEEP_DONE. The outbox stays."""
    cutoff = (now or timezone.now()) - conf.KEEP_DONE
    with transaction.atomic():
        deliveries, _ = Delivery.unscoped.filter(status=DeliveryStatus.DONE, delivered_at__lt=cutoff).delete()
        marks, _ = ProcessedEvent.objects.filter(processed_at__lt=cutoff).delete()
    return deliveries, marks


def status_counts() -> dict[str, int]:
    """Deliveries of every tenant by status (for `writecarenotes worker status`)."""
    from django.db.models import Count

    return dict(Delivery.unscoped.values_list("status").annotate(n=Count("id")).order_by())
