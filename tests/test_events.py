"""Domain events: transactional outbox, at-least-once delivery applied once, retries, dead letters, jobs."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import ClassVar

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from writecarenotes.platform.events import dispatcher, registry, scheduler
from writecarenotes.platform.events.api import (
    DomainEvent,
    TransactionRequiredError,
    UnknownEventError,
    publish,
    register_event,
    scheduled_job,
    subscriber,
)
from writecarenotes.platform.events.models import (
    Delivery,
    DeliveryStatus,
    JobRunStatus,
    OutboxEvent,
    ProcessedEvent,
    ScheduledJobRun,
)
from writecarenotes.platform.identity.capabilities import ROLES
from writecarenotes.platform.tenancy.models import Unit
from writecarenotes.platform.tenancy.scope import acting_for, current_scope


class DoseRefused(DomainEvent):
    name: ClassVar[str] = "medication.dose_refused"
    version: ClassVar[int] = 1
    resident_id: int
    medicine: str


class Unregistered(DomainEvent):
    name: ClassVar[str] = "testing.unregistered"
    version: ClassVar[int] = 1


SEEN: list = []
FAIL = {"on": False}


def count_refusal(event: DoseRefused, envelope) -> None:
    """A deliberately non-idempotent effect: it adds one to a counter row each time it is applied."""
    scope = current_scope()
    SEEN.append((event, envelope, scope.home_ids if scope else None))
    Unit.objects.filter(name="Ground floor").update(sort_order=F("sort_order") + 1)
    if FAIL["on"]:
        raise RuntimeError("pharmacy system unreachable")


class _Users(dict):
    """Users with a role in the home, made on first use (password hashing is slow on purpose)."""

    def __init__(self, org, home):
        super().__init__()
        self.org, self.home = org, home

    def __missing__(self, role):
        u = f.user(f"{role}@example.test", name=f"{ROLES[role].label} User")
        if ROLES[role].org_level:
            f.member(u, role, org=self.org)
        else:
            f.member(u, role, home=self.home)
        self[role] = u
        return u


@pytest.fixture
def world(db):
    """A lighter world than conftest's: one provider with a home, and a home of another provider."""
    org = f.organisation("Meadow Care")
    home = f.home(org, name="Oak Lodge")
    unit, room = f.unit_with_room(home)
    other_org = f.organisation("Elsewhere Care")
    foreign_home = f.home(other_org, name="Far House", nation="scotland", care_type="residential")
    fu, froom = f.unit_with_room(foreign_home, unit_name="North", room_number="N1")
    return SimpleNamespace(
        org=org,
        home=home,
        unit=unit,
        resident=f.resident(home, unit=unit, room=room, family="Evans"),
        foreign_home=foreign_home,
        foreign_resident=f.resident(foreign_home, unit=fu, room=froom, family="MacLeod", nhs_number="9990000034"),
        users=_Users(org, home),
    )


@pytest.fixture
def events(world):
    register_event(DoseRefused)
    subscriber("medication.dose_refused", context="care_planning", name="care_planning.note_refusal")(count_refusal)
    SEEN.clear()
    FAIL["on"] = False
    yield
    registry.unregister("care_planning.note_refusal")
    registry.unregister_event(DoseRefused)


def counter(world) -> int:
    with acting_for([world.home]):
        return Unit.objects.get(pk=world.unit.pk).sort_order


def refuse(world, **kw):
    with transaction.atomic():
        return publish(DoseRefused(resident_id=world.resident.pk, medicine="Paracetamol"), home=world.home, **kw)


# ------------------------------------------------------------------ the outbox


def test_publish_records_the_event_and_one_delivery_per_subscriber(events, world):
    event_id = refuse(world)
    row = OutboxEvent.unscoped.get(pk=event_id)
    assert (row.name, row.version, row.home_id, row.organisation_id) == (
        "medication.dose_refused",
        1,
        world.home.pk,
        world.org.pk,
    )
    assert row.payload == {"resident_id": world.resident.pk, "medicine": "Paracetamol"}
    d = Delivery.unscoped.get(event_id=event_id)
    assert (d.subscriber, d.context, d.status, d.attempts) == (
        "care_planning.note_refusal",
        "care_planning",
        "pending",
        0,
    )


def test_a_rolled_back_change_publishes_nothing(events, world):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            publish(DoseRefused(resident_id=1, medicine="X"), home=world.home)
            raise RuntimeError("the change failed")
    assert not OutboxEvent.unscoped.exists()
    assert not Delivery.unscoped.exists()
    assert dispatcher.run_due() == {}
    assert counter(world) == 0


@pytest.mark.django_db(transaction=True)
def test_publish_outside_a_transaction_is_refused(events, world):
    assert not connection.in_atomic_block
    with pytest.raises(TransactionRequiredError):
        publish(DoseRefused(resident_id=1, medicine="X"), home=world.home)
    assert not OutboxEvent.unscoped.exists()


def test_unknown_event_types_and_bad_payloads_are_rejected(events, world):
    with pytest.raises(UnknownEventError), transaction.atomic():
        publish(Unregistered(), home=world.home)
    with pytest.raises(ValueError):
        DoseRefused(resident_id="not a number", medicine="X")
    with pytest.raises(ValueError):
        DoseRefused(resident_id=1, medicine="X", extra="field")
    with pytest.raises(ValueError):

        @subscriber("medication.dose_refused", context="no_such_context", name="x.y")
        def nope(event, envelope):
            pass


def test_a_request_cannot_publish_for_a_home_outside_its_scope(events, world):
    from writecarenotes.platform.tenancy.scope import OutOfScopeError

    with acting_for([world.home]), pytest.raises(OutOfScopeError), transaction.atomic():
        publish(DoseRefused(resident_id=1, medicine="X"), home=world.foreign_home)


def test_a_subscriber_to_an_unregistered_event_fails_the_system_check(events):
    from writecarenotes.platform.events.checks import check_subscribers

    assert check_subscribers() == []
    subscriber("testing.never_registered", context="residents", name="residents.orphan")(count_refusal)
    try:
        assert [e.id for e in check_subscribers()] == ["events.E001"]
    finally:
        registry.unregister("residents.orphan")


# ------------------------------------------------------------------ delivery


def test_a_committed_event_is_delivered_once_inside_the_events_home_scope(events, world):
    event_id = refuse(world)
    assert dispatcher.run_due() == {"done": 1}
    assert counter(world) == 1
    event, envelope, scope_homes = SEEN[0]
    assert event == DoseRefused(resident_id=world.resident.pk, medicine="Paracetamol")
    assert (envelope.event_id, envelope.home_id, envelope.attempt) == (event_id, world.home.pk, 1)
    assert scope_homes == frozenset([world.home.pk])
    d = Delivery.unscoped.get(event_id=event_id)
    assert d.status == DeliveryStatus.DONE and d.delivered_at is not None
    assert ProcessedEvent.objects.filter(event_id=event_id, subscriber="care_planning.note_refusal").count() == 1
    assert dispatcher.run_due() == {}  # nothing left
    assert counter(world) == 1


def test_deliver_now_setting_delivers_right_after_commit(events, world, settings, django_capture_on_commit_callbacks):
    settings.WCN_EVENTS_DELIVER_NOW = "1"
    with django_capture_on_commit_callbacks(execute=True):
        refuse(world)
    assert counter(world) == 1


def test_a_failing_handler_is_retried_with_back_off_then_dead_lettered(events, world, settings):
    settings.WCN_EVENTS_MAX_ATTEMPTS = 4
    settings.WCN_EVENTS_RETRY_BASE = 10
    settings.WCN_EVENTS_RETRY_CAP = 25
    FAIL["on"] = True
    event_id = refuse(world)
    now = timezone.now()
    waits = []
    for attempt in range(1, 4):
        assert dispatcher.run_due(now=now) == {"retry": 1}
        d = Delivery.unscoped.get(event_id=event_id)
        assert (d.status, d.attempts) == ("pending", attempt)
        assert "pharmacy system unreachable" in d.last_error
        waits.append((d.next_attempt_at - now).total_seconds())
        # not due yet: nothing happens before the back-off has passed
        assert dispatcher.run_due(now=now + timedelta(seconds=waits[-1] - 1)) == {}
        now = d.next_attempt_at
    # exponential with jitter (half to full of 10, 20, then capped 25 seconds)
    assert 5 <= waits[0] <= 10 and 10 <= waits[1] <= 20 and 12.5 <= waits[2] <= 25
    assert dispatcher.run_due(now=now) == {"dead": 1}
    d = Delivery.unscoped.get(event_id=event_id)
    assert (d.status, d.attempts) == ("dead", 4) and d.dead_at is not None
    assert dispatcher.run_due(now=now + timedelta(days=1)) == {}  # dead letters are not retried by themselves
    assert counter(world) == 0  # every failed attempt was rolled back, the counter included
    assert not ProcessedEvent.objects.exists()


def test_an_event_already_applied_before_a_crash_is_not_applied_again(events, world):
    """The handler committed its work but the worker died before the delivery was marked done."""
    event_id = refuse(world)
    with transaction.atomic():  # what the crashed worker had committed: the effect and the mark
        with acting_for([world.home]):
            Unit.objects.filter(pk=world.unit.pk).update(sort_order=F("sort_order") + 1)
        ProcessedEvent.objects.create(subscriber="care_planning.note_refusal", event_id=event_id)
    assert dispatcher.run_due() == {"done": 1}
    assert SEEN == []  # the handler was not called again
    assert counter(world) == 1
    assert Delivery.unscoped.get(event_id=event_id).status == "done"


def test_a_duplicate_delivery_is_applied_once(events, world):
    event_id = refuse(world)
    pk = Delivery.unscoped.get(event_id=event_id).pk
    assert dispatcher.deliver(pk) == "done"
    assert dispatcher.deliver(pk) == "skipped"  # a duplicate engine message
    Delivery.unscoped.filter(pk=pk).update(status="pending")  # even if the row were reset by mistake
    assert dispatcher.deliver(pk) == "done"
    assert counter(world) == 1
    assert len(SEEN) == 1


def test_a_worker_limited_to_other_contexts_leaves_the_delivery_alone(events, world):
    refuse(world)
    assert dispatcher.run_due(contexts=["residents"]) == {}
    assert counter(world) == 0
    assert dispatcher.run_due(contexts=["care_planning"]) == {"done": 1}
    assert counter(world) == 1


# ------------------------------------------------------------------ dead letters: page and API


def make_dead_letter(world, settings) -> Delivery:
    settings.WCN_EVENTS_MAX_ATTEMPTS = 1
    FAIL["on"] = True
    event_id = refuse(world)
    assert dispatcher.run_due() == {"dead": 1}
    FAIL["on"] = False
    return Delivery.unscoped.get(event_id=event_id)


def test_admins_see_dead_letters_and_retry_delivers(events, world, settings, client_for):
    dead = make_dead_letter(world, settings)
    c = client_for(world.users["provider_admin"])
    page = c.get(reverse("events:dead_letters"))
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("medication.dose_refused", "care_planning.note_refusal", "Oak Lodge", "pharmacy system unreachable"):
        assert text in html
    assert f'action="{reverse("events:retry", args=[dead.pk])}"' in html
    assert ">Retry<" in html
    response = c.post(reverse("events:retry", args=[dead.pk]), follow=True)
    assert response.status_code == 200
    assert "will be tried again" in response.content.decode()
    assert "No failed deliveries" in response.content.decode()
    dead.refresh_from_db()
    assert (dead.status, dead.attempts) == ("pending", 0)
    assert dispatcher.run_due() == {"done": 1}
    assert counter(world) == 1


def test_the_nav_links_the_dead_letters_for_admins_only(events, world, client_for):
    url = reverse("events:dead_letters")
    assert url in client_for(world.users["provider_admin"]).get(reverse("web:dashboard")).content.decode()
    assert url not in client_for(world.users["nurse"]).get(reverse("web:dashboard")).content.decode()


@pytest.mark.parametrize("role", ["registered_manager", "nurse", "carer", "inspector"])
def test_other_roles_may_not_see_or_retry_dead_letters(events, world, settings, client_for, role):
    dead = make_dead_letter(world, settings)
    c = client_for(world.users[role])
    assert c.get(reverse("events:dead_letters")).status_code == 403
    assert c.post(reverse("events:retry", args=[dead.pk])).status_code == 403
    assert c.post(f"/api/v1/events/dead-letters/{dead.pk}/retry").status_code == 403
    dead.refresh_from_db()
    assert dead.status == "dead"


def test_retry_of_an_unknown_or_live_delivery_is_404(events, world, client_for):
    c = client_for(world.users["provider_admin"])
    assert c.post(reverse("events:retry", args=[999999])).status_code == 404
    assert c.get(reverse("events:retry", args=[1])).status_code == 405
    response = c.post("/api/v1/events/dead-letters/999999/retry")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_dead_letters_of_another_organisation_are_invisible(events, world, settings, client_for):
    settings.WCN_EVENTS_MAX_ATTEMPTS = 1
    FAIL["on"] = True
    with transaction.atomic():
        publish(DoseRefused(resident_id=world.foreign_resident.pk, medicine="X"), home=world.foreign_home)
    assert dispatcher.run_due() == {"dead": 1}
    foreign = Delivery.unscoped.get(home=world.foreign_home)
    c = client_for(world.users["provider_admin"])
    assert "Far House" not in c.get(reverse("events:dead_letters")).content.decode()
    assert c.post(reverse("events:retry", args=[foreign.pk])).status_code == 404
    assert c.get("/api/v1/events/dead-letters").json() == []
    foreign.refresh_from_db()
    assert foreign.status == "dead"


def test_api_lists_and_retries_dead_letters(events, world, settings, client_for):
    dead = make_dead_letter(world, settings)
    c = client_for(world.users["provider_admin"])
    listed = c.get("/api/v1/events/dead-letters")
    assert listed.status_code == 200
    [item] = listed.json()
    assert item["id"] == dead.pk
    assert item["event"] == "medication.dose_refused"
    assert item["subscriber"] == "care_planning.note_refusal"
    assert item["attempts"] == 1 and item["status"] == "dead"
    retried = c.post(f"/api/v1/events/dead-letters/{dead.pk}/retry")
    assert retried.status_code == 200
    assert retried.json()["status"] == "pending"
    assert c.get("/api/v1/events/dead-letters").json() == []
    assert dispatcher.run_due() == {"done": 1}


# ------------------------------------------------------------------ scheduled jobs


RUNS: list = []


@pytest.fixture
def hourly_job(db):
    RUNS.clear()

    # a context with no jobs of its own yet (transport is not built), so only the test's job is due
    @scheduled_job("testing.hourly", every=timedelta(hours=1), context="transport")
    def hourly(slot):
        RUNS.append(slot)

    yield
    registry.unregister("testing.hourly")


def test_slots_for_every_and_daily_at_jobs():
    hourly = registry.ScheduledJob("a.b", "platform", print, every=timedelta(hours=1))
    now = datetime(2026, 7, 1, 10, 42, tzinfo=UTC)
    assert scheduler.current_slot(hourly, now) == datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    daily = registry.ScheduledJob("a.c", "platform", print, at=datetime.strptime("06:00", "%H:%M").time())
    # 06:00 in London is 05:00 UTC in summer
    assert scheduler.current_slot(daily, now) == datetime(2026, 7, 1, 5, 0, tzinfo=UTC)
    assert scheduler.current_slot(daily, datetime(2026, 7, 1, 4, 0, tzinfo=UTC)) == datetime(
        2026, 6, 30, 5, 0, tzinfo=UTC
    )
    assert scheduler.current_slot(daily, datetime(2026, 1, 15, 7, 0, tzinfo=UTC)) == datetime(
        2026, 1, 15, 6, 0, tzinfo=UTC
    )


def test_a_job_runs_once_per_slot(hourly_job):
    now = datetime(2026, 7, 1, 10, 5, tzinfo=UTC)
    assert scheduler.run_due_jobs(now=now, contexts=["transport"]) == {"testing.hourly": "done"}
    assert scheduler.run_due_jobs(now=now + timedelta(minutes=50), contexts=["transport"]) == {}
    assert scheduler.run_due_jobs(now=now + timedelta(hours=1), contexts=["transport"]) == {"testing.hourly": "done"}
    assert RUNS == [datetime(2026, 7, 1, 10, tzinfo=UTC), datetime(2026, 7, 1, 11, tzinfo=UTC)]
    assert scheduler.run_due_jobs(now=now, contexts=["residents"]) == {}


def test_a_failing_job_is_tried_again_then_given_up_until_the_next_slot(db):
    calls = []

    @scheduled_job("testing.flaky", every=timedelta(hours=1), context="transport")
    def flaky(slot):
        calls.append(slot)
        raise RuntimeError("boom")

    try:
        now = datetime(2026, 7, 1, 10, 5, tzinfo=UTC)
        outcomes = [scheduler.run_due_jobs(now=now, contexts=["transport"]) for _ in range(5)]
        assert outcomes == [{"testing.flaky": "failed"}] * 3 + [{}, {}]
        run = ScheduledJobRun.objects.get(job="testing.flaky")
        assert (run.status, run.attempts) == (JobRunStatus.FAILED, 3)
        assert "boom" in run.last_error
    finally:
        registry.unregister("testing.flaky")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runners_run_a_job_once_per_slot():
    started, release = threading.Event(), threading.Event()
    runs = []

    @scheduled_job("testing.slow", every=timedelta(hours=1), context="transport")
    def slow(slot):
        runs.append(slot)
        started.set()
        release.wait(10)

    outcomes = {}

    def runner(key):
        try:
            outcomes[key] = scheduler.run_due_jobs(now=now, contexts=["transport"]).get("testing.slow")
        finally:
            connection.close()

    now = datetime(2026, 7, 1, 10, 5, tzinfo=UTC)
    try:
        first = threading.Thread(target=runner, args=("first",))
        first.start()
        assert started.wait(10)
        second = threading.Thread(target=runner, args=("second",))
        second.start()
        second.join(1.5)  # PostgreSQL: skips the locked row at once; SQLite: waits for the lock
        release.set()
        first.join(10)
        second.join(30)
        assert outcomes["first"] == "done"
        assert outcomes["second"] in {"busy", "skipped", None}
        assert len(runs) == 1
        assert scheduler.run_due_jobs(now=now, contexts=["transport"]) == {}
        assert ScheduledJobRun.objects.get(job="testing.slow").status == JobRunStatus.DONE
    finally:
        release.set()
        registry.unregister("testing.slow")


def test_the_purge_job_removes_old_bookkeeping_but_never_the_outbox(events, world):
    old_id = refuse(world)
    assert dispatcher.run_due() == {"done": 1}
    long_ago = timezone.now() - timedelta(days=91)
    Delivery.unscoped.filter(event_id=old_id).update(delivered_at=long_ago)
    ProcessedEvent.objects.filter(event_id=old_id).update(processed_at=long_ago)
    recent_id = refuse(world)
    assert dispatcher.run_due() == {"done": 1}
    assert "events.purge_processed" in registry.JOBS
    assert scheduler.run_due_jobs(contexts=["platform"]) == {"events.purge_processed": "done"}
    assert not Delivery.unscoped.filter(event_id=old_id).exists()
    assert not ProcessedEvent.objects.filter(event_id=old_id).exists()
    assert Delivery.unscoped.filter(event_id=recent_id).exists()
    assert OutboxEvent.unscoped.filter(pk__in=[old_id, recent_id]).count() == 2


def test_a_service_profile_runs_only_its_own_and_the_platforms_subscribers(monkeypatch):
    from writecarenotes.platform.events import worker

    monkeypatch.delenv("WCN_SERVICES", raising=False)
    assert worker.served_contexts() is None
    monkeypatch.setenv("WCN_SERVICES", "care_records, residents")
    assert worker.served_contexts() == ["care_records", "platform", "residents"]
    monkeypatch.setenv("WCN_SERVICES", "platform")
    assert worker.served_contexts() == ["platform"]
