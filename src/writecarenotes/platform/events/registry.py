"""In-process registries of event types, subscribers and scheduled jobs (filled at import time).

Each installed app's ``events``, ``subscribers`` and ``jobs`` modules are imported when the
app registry is ready (see apps.py), so every process knows every subscriber; a worker may
still be limited to the subscribers of some contexts (``writecarenotes worker --contexts``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time, timedelta

from writecarenotes.platform.identity.capabilities import CONTEXTS

#: Contexts that may own subscribers and jobs: every bounded context, plus the platform itself.
PLATFORM_CONTEXT = "platform"
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


class UnknownEventError(LookupError):
    """An event name (or name and version) that no module registered."""


@dataclass(frozen=True)
class Subscriber:
    name: str
    event_name: str
    context: str
    handler: Callable


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    context: str
    func: Callable
    every: timedelta | None = None
    at: time | None = None


EVENT_TYPES: dict[tuple[str, int], type] = {}
SUBSCRIBERS: dict[str, Subscriber] = {}
JOBS: dict[str, ScheduledJob] = {}


def check_context(context: str) -> None:
    if context != PLATFORM_CONTEXT and context not in CONTEXTS:
        raise ValueError(f"unknown context {context!r}")


def check_name(name: str, what: str) -> None:
    if not NAME_RE.match(name):
        raise ValueError(f"{what} name {name!r} must look like 'context.something' (lower case, dots)")


def add_event_type(cls: type) -> None:
    key = (cls.name, cls.version)
    existing = EVENT_TYPES.get(key)
    if existing is not None and existing.__qualname__ != cls.__qualname__:
        raise ValueError(f"event {cls.name} v{cls.version} is registered twice")
    EVENT_TYPES[key] = cls


def event_type(name: str, version: int) -> type:
    try:
        return EVENT_TYPES[(name, version)]
    except KeyError:
        raise UnknownEventError(f"no event type {name!r} version {version} is registered") from None


def known_event_names() -> set[str]:
    return {name for name, _ in EVENT_TYPES}


def add_subscriber(sub: Subscriber) -> None:
    existing = SUBSCRIBERS.get(sub.name)
    if existing is not None and existing.handler.__qualname__ != sub.handler.__qualname__:
        raise ValueError(f"subscriber {sub.name!r} is registered twice")
    SUBSCRIBERS[sub.name] = sub


def subscribers_for(event_name: str) -> list[Subscriber]:
    return sorted((s for s in SUBSCRIBERS.values() if s.event_name == event_name), key=lambda s: s.name)


def add_job(job: ScheduledJob) -> None:
    existing = JOBS.get(job.name)
    if existing is not None and existing.func.__qualname__ != job.func.__qualname__:
        raise ValueError(f"scheduled job {job.name!r} is registered twice")
    JOBS[job.name] = job


def unregister(name: str) -> None:
    """Forget a subscriber or scheduled job (tests register their own and remove them after)."""
    SUBSCRIBERS.pop(name, None)
    JOBS.pop(name, None)


def unregister_event(cls: type) -> None:
    EVENT_TYPES.pop((cls.name, cls.version), None)


def contexts_in_use() -> list[str]:
    return sorted({s.context for s in SUBSCRIBERS.values()} | {j.context for j in JOBS.values()})
