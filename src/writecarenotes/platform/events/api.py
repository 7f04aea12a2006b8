"""Domain events: the only module of ``platform.events`` that other contexts import.

Define an event (in your context's ``events.py``)::

    @register_event
    class ResidentAdmitted(DomainEvent):
        name: ClassVar[str] = "resident.admitted"
        version: ClassVar[int] = 1
        resident_id: int
        admitted_on: date

Publish it inside the transaction of the change (a named service function)::

    with transaction.atomic():
        resident = ...save()...
        publish(ResidentAdmitted(resident_id=resident.pk, admitted_on=today), home=resident.home_id)

Subscribe in another context (its ``subscribers.py``); the handler must be idempotent in
effect, which the engine guarantees for database work: it runs in one transaction with the
"processed" mark, inside ``acting_for([event's home])``::

    @subscriber("resident.admitted", context="care_planning", name="care_planning.admission_tasks")
    def create_admission_tasks(event: ResidentAdmitted, envelope: Envelope) -> None: ...

Scheduled work (its ``jobs.py``)::

    @scheduled_job("assessments.due_tomorrow", at="06:00", context="assessments")
    def remind(slot): ...
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import ClassVar
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from pydantic import BaseModel, ConfigDict

from writecarenotes.platform.events import registry
from writecarenotes.platform.events.registry import UnknownEventError
from writecarenotes.platform.tenancy.scope import organisation_of_home

__all__ = [
    "DomainEvent",
    "Envelope",
    "TransactionRequiredError",
    "UnknownEventError",
    "publish",
    "register_event",
    "scheduled_job",
    "subscriber",
]

logger = logging.getLogger(__name__)


class TransactionRequiredError(RuntimeError):
    """publish() was called outside transaction.atomic(): the event could outlive a rolled-back change."""


class DomainEvent(BaseModel):
    """Base of every domain event: class attributes ``name`` and ``version``; fields are the payload."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: ClassVar[str] = ""
    version: ClassVar[int] = 1


@dataclass(frozen=True)
class Envelope:
    """What a subscriber knows about a delivery besides the payload."""

    event_id: UUID
    name: str
    version: int
    home_id: int
    organisation_id: int
    occurred_at: datetime
    subscriber: str
    attempt: int


def register_event(cls: type[DomainEvent]) -> type[DomainEvent]:
    if not (isinstance(cls, type) and issubclass(cls, DomainEvent)):
        raise TypeError("register_event decorates DomainEvent subclasses")
    registry.check_name(cls.name, "event")
    if not isinstance(cls.version, int) or cls.version < 1:
        raise ValueError(f"event {cls.name}: version must be a positive integer")
    registry.add_event_type(cls)
    return cls


def subscriber(event_name: str, *, context: str, name: str) -> Callable[[Callable], Callable]:
    """Register ``handler(event, envelope) -> None`` for every event called ``event_name``."""
    registry.check_name(event_name, "event")
    registry.check_name(name, "subscriber")
    registry.check_context(context)

    def decorator(handler: Callable) -> Callable:
        registry.add_subscriber(registry.Subscriber(name, event_name, context, handler))
        return handler

    return decorator


def scheduled_job(
    name: str, *, context: str, every: timedelta | None = None, at: str | time | None = None
) -> Callable[[Callable], Callable]:
    """Register ``func(slot: datetime) -> None`` to run once per slot: every ``every``, or daily ``at`` "HH:MM"
    (the home's time zone, settings.TIME_ZONE)."""
    registry.check_name(name, "job")
    registry.check_context(context)
    if (every is None) == (at is None):
        raise ValueError(f"job {name}: give exactly one of every= or at=")
    if every is not None and every < timedelta(minutes=1):
        raise ValueError(f"job {name}: every= must be at least one minute")
    if isinstance(at, str):
        at = time.fromisoformat(at)

    def decorator(func: Callable) -> Callable:
        registry.add_job(registry.ScheduledJob(name, context, func, every=every, at=at))
        return func

    return decorator


def publish(event: DomainEvent, *, home) -> UUID:
    """Record ``event`` for ``home`` (a CareHome or its id) in the current transaction; return its id.

    Nothing is delivered unless the transaction commits; once it commits the event is delivered
    to every subscriber at least once, by the serving process or by the workers.
    """
    from writecarenotes.platform.events.models import Delivery, OutboxEvent
    from writecarenotes.platform.tenancy.models import CareHome

    if not isinstance(event, DomainEvent):
        raise TypeError("publish() takes a DomainEvent")
    if registry.EVENT_TYPES.get((event.name, event.version)) is not type(event):
        raise UnknownEventError(f"event type {type(event).__name__} is not registered (use @register_event)")
    if not transaction.get_connection().in_atomic_block:
        raise TransactionRequiredError("publish() must run inside transaction.atomic(), with the change it reports")
    home_id = home.pk if isinstance(home, CareHome) else int(home)
    org_id = organisation_of_home(home_id)
    now = timezone.now()
    row = OutboxEvent(
        home_id=home_id,
        organisation_id=org_id,
        name=event.name,
        version=event.version,
        payload=event.model_dump(mode="json"),
        occurred_at=now,
    )
    row.save(force_insert=True)  # TenantModel.save refuses a home outside the active scope
    subs = registry.subscribers_for(event.name)
    deliveries = Delivery.unscoped.bulk_create(
        [
            Delivery(
                event=row,
                home_id=home_id,
                organisation_id=org_id,
                subscriber=s.name,
                context=s.context,
                next_attempt_at=now,
            )
            for s in subs
        ]
    )
    if deliveries:
        event_id = row.id
        transaction.on_commit(lambda: _after_commit(event_id), robust=True)
    return row.id


def _after_commit(event_id: UUID) -> None:
    from writecarenotes.platform.events import dispatcher

    dispatcher.committed(event_id)
