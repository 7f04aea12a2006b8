"""Scheduled jobs: each job runs once per slot, however many workers are looking.

A slot is the start of the period a run belongs to: for ``every=timedelta(hours=1)`` the top of
the hour (UTC), for ``at="06:00"`` 06:00 today in settings.TIME_ZONE (or yesterday, before 06:00).
Only the latest slot is run (no back-fill after a long stop). A ScheduledJobRun row, unique per
(job, slot), is locked while the job runs in the same transaction; a failed run is tried again
on the next tick, up to conf.JOB_MAX_ATTEMPTS times.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from writecarenotes.platform.events import conf, registry
from writecarenotes.platform.events.dispatcher import is_lock_timeout, lock
from writecarenotes.platform.events.models import JobRunStatus, ScheduledJobRun

logger = logging.getLogger(__name__)

DONE, FAILED, SKIPPED, BUSY = "done", "failed", "skipped", "busy"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: A queued job run not started after this long is handed to the engine again.
RESEND_JOB_AFTER = timedelta(minutes=1)


def current_slot(job: registry.ScheduledJob, now: datetime) -> datetime:
    if job.every is not None:
        return _EPOCH + ((now - _EPOCH) // job.every) * job.every
    assert job.at is not None
    today = timezone.localtime(now).date()
    slot = timezone.make_aware(datetime.combine(today, job.at))
    if slot > now:
        slot = timezone.make_aware(datetime.combine(today - timedelta(days=1), job.at))
    return slot.astimezone(UTC)


def _jobs(contexts: Iterable[str] | None) -> list[registry.ScheduledJob]:
    wanted = set(contexts) if contexts else None
    return [j for _, j in sorted(registry.JOBS.items()) if wanted is None or j.context in wanted]


def _finished(run: ScheduledJobRun | None) -> bool:
    if run is None:
        return False
    return run.status == JobRunStatus.DONE or (
        run.status == JobRunStatus.FAILED and run.attempts >= conf.JOB_MAX_ATTEMPTS
    )


def run_job(name: str, slot: datetime, *, now: datetime | None = None) -> str:
    """Run job ``name`` for ``slot`` unless it has run (done), is running elsewhere (busy) or gave up."""
    job = registry.JOBS[name]
    try:
        try:
            with transaction.atomic():
                ScheduledJobRun.objects.get_or_create(job=name, slot=slot)
        except IntegrityError:
            pass  # another runner created it at the same moment
        with transaction.atomic():
            run = lock(ScheduledJobRun.objects.filter(job=name, slot=slot)).first()
            if run is None:
                return BUSY  # locked by a runner that is running it now
            if _finished(run):
                return SKIPPED
            run.attempts += 1
            run.started_at = now or timezone.now()
            try:
                with transaction.atomic():
                    job.func(slot)
            except Exception as exc:  # noqa: BLE001  (a failing job must never stop the worker)
                run.status = JobRunStatus.FAILED
                run.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                outcome = FAILED
                logger.exception("Scheduled job %s (slot %s) failed, attempt %d", name, slot, run.attempts)
            else:
                run.status = JobRunStatus.DONE
                outcome = DONE
            run.finished_at = timezone.now()
            run.save()
            return outcome
    except OperationalError as exc:
        if is_lock_timeout(exc):
            return BUSY
        raise


def run_due_jobs(*, now: datetime | None = None, contexts: Iterable[str] | None = None) -> dict[str, str]:
    """Run every job (of the given contexts) whose current slot has not run yet."""
    now = now or timezone.now()
    outcomes = {}
    for job in _jobs(contexts):
        slot = current_slot(job, now)
        if _finished(ScheduledJobRun.objects.filter(job=job.name, slot=slot).first()):
            continue
        try:
            outcomes[job.name] = run_job(job.name, slot, now=now)
        except Exception:  # noqa: BLE001
            logger.exception("Scheduled job %s could not be started", job.name)
            outcomes[job.name] = "error"
    return outcomes


def dispatch_due_jobs(send: Callable[[str, datetime, str], None], *, now: datetime | None = None) -> int:
    """For an engine: hand each due job's slot to ``send(name, slot, context)`` (re-sent if it went missing)."""
    now = now or timezone.now()
    sent = 0
    for job in _jobs(None):
        slot = current_slot(job, now)
        try:
            with transaction.atomic():
                run, created = ScheduledJobRun.objects.get_or_create(job=job.name, slot=slot)
        except IntegrityError:
            continue  # another relay is handing it over right now
        if _finished(run):
            continue
        if not created:
            stale = ScheduledJobRun.objects.filter(pk=run.pk, queued_at__lt=now - RESEND_JOB_AFTER)
            if not stale.update(queued_at=now):
                continue
        try:
            send(job.name, slot, job.context)
            sent += 1
        except Exception:  # noqa: BLE001
            logger.exception("Could not hand job %s to the engine", job.name)
    return sent
