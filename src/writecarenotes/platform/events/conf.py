"""Settings of the event engine, read from Django settings or the environment (docs/configuration.md).

WCN_EVENTS_MODE            "inprocess" (default: the serving process delivers, no broker) or "celery"
WCN_EVENTS_MAX_ATTEMPTS    attempts before a delivery is dead-lettered (default 8)
WCN_EVENTS_RETRY_BASE      seconds before the first retry (default 10); doubles each attempt, with jitter
WCN_EVENTS_RETRY_CAP       longest wait between attempts in seconds (default 3600)
WCN_EVENTS_POLL_SECONDS    how often the in-process worker looks for due work (default 5)
WCN_EVENTS_DELIVER_NOW     deliver synchronously right after commit (tests and one-off scripts; default off)
WCN_BROKER_URL             the Celery broker (default amqp://guest:guest@127.0.0.1:5672//)
"""

from __future__ import annotations

import os
from datetime import timedelta

from django.conf import settings

MODES = ("inprocess", "celery")


def _get(name: str, default: str) -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value)


def mode() -> str:
    value = _get("WCN_EVENTS_MODE", "inprocess").strip().lower()
    if value not in MODES:
        raise ValueError(f"WCN_EVENTS_MODE must be one of {', '.join(MODES)}, not {value!r}")
    return value


def max_attempts() -> int:
    return max(1, int(_get("WCN_EVENTS_MAX_ATTEMPTS", "8")))


def retry_base() -> float:
    return float(_get("WCN_EVENTS_RETRY_BASE", "10"))


def retry_cap() -> float:
    return float(_get("WCN_EVENTS_RETRY_CAP", "3600"))


def poll_seconds() -> float:
    return float(_get("WCN_EVENTS_POLL_SECONDS", "5"))


def deliver_now() -> bool:
    return _get("WCN_EVENTS_DELIVER_NOW", "0").strip().lower() in {"1", "true", "yes", "on"}


def broker_url() -> str:
    return _get("WCN_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")


#: A dispatched delivery not done after this long is sent to the engine again (lost message).
REDISPATCH_AFTER = timedelta(minutes=5)
#: Job attempts for one slot before it is given up until the next slot.
JOB_MAX_ATTEMPTS = 3
#: Done deliveries and processed-event marks older than this are purged (never the outbox itself).
KEEP_DONE = timedelta(days=90)
