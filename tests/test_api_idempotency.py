"""Idempotency-Key on POST: a tablet that retries on bad Wi-Fi never records a thing twice."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection
from django.test import Client

from tests.test_api_conventions import world  # noqa: F401  (the small API world fixture)
from writecarenotes.platform.api import idempotency
from writecarenotes.platform.api.models import IdempotencyRecord
from writecarenotes.platform.identity.tokens import issue_token
from writecarenotes.platform.tenancy.models import Unit
from writecarenotes.platform.tenancy.scope import acting_for

URL = "/api/v1/platform/units"


def _units(home) -> list[str]:
    with acting_for([home]):
        return sorted(Unit.objects.values_list("name", flat=True))


def _post(client, body: dict, key: str | None = None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(URL, data=body, content_type="application/json", headers=headers)


def test_a_retry_with_the_same_key_replays_the_answer_without_a_second_unit(world, client_for):  # noqa: F811
    c = client_for(world.users["registered_manager"])
    first = _post(c, {"name": "Annex", "sort_order": 3}, key="3f1c-annex")
    assert first.status_code == 201, first.content
    again = _post(c, {"sort_order": 3, "name": "Annex"}, key="3f1c-annex")  # same body, keys reordered
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert again["Location"] == first["Location"] and again["ETag"] == first["ETag"]
    assert "Idempotent-Replayed" not in first
    assert _units(world.home) == ["Annex", "Ground floor"]


def test_the_same_key_with_a_different_body_is_refused(world, client_for):  # noqa: F811
    c = client_for(world.users["registered_manager"])
    assert _post(c, {"name": "Annex"}, key="k-1").status_code == 201
    response = _post(c, {"name": "Garden wing"}, key="k-1")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert _units(world.home) == ["Annex", "Ground floor"]


def test_without_a_key_each_post_is_its_own_request(world, client_for):  # noqa: F811
    c = client_for(world.users["registered_manager"])
    assert _post(c, {"name": "Annex"}).status_code == 201
    assert _post(c, {"name": "Annex"}).status_code == 422  # the second one is a real duplicate name
    assert not IdempotencyRecord.objects.exists()


def test_keys_belong_to_their_caller(world, client_for):  # noqa: F811
    manager = client_for(world.users["registered_manager"])
    admin = client_for(world.users["provider_admin"])
    assert _post(manager, {"name": "Annex"}, key="shared-key").status_code == 201
    response = _post(admin, {"name": "Garden wing"}, key="shared-key")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    tokens = [
        issue_token(
            user=world.users["registered_manager"],
            home=world.home,
            name=f"tablet {n}",
            capabilities=["homes:view", "homes:manage"],
            lifetime=timedelta(days=1),
        ).raw
        for n in (1, 2)
    ]
    one, two = (Client(HTTP_AUTHORIZATION=f"Bearer {t}") for t in tokens)
    assert _post(one, {"name": "Wing 1"}, key="tablet-key").status_code == 201
    assert _post(one, {"name": "Wing 1"}, key="tablet-key")["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in _post(two, {"name": "Wing 2"}, key="tablet-key")
    assert _units(world.home) == ["Annex", "Garden wing", "Ground floor", "Wing 1", "Wing 2"]


def test_a_refused_request_is_not_stored_and_may_be_retried_with_the_same_key(world, client_for):  # noqa: F811
    c = client_for(world.users["registered_manager"])
    assert _post(c, {"name": ""}, key="retry-me").status_code == 422
    assert _post(c, {"name": "Annex"}, key="retry-me").status_code == 201
    assert client_for(world.users["carer"]).post(URL, {}, headers={"Idempotency-Key": "x"}).status_code == 403
    assert IdempotencyRecord.objects.count() == 1


@pytest.mark.parametrize("key", ["x" * 256, "has space", "naïve"])
def test_a_malformed_key_is_a_422_problem(world, client_for, key):  # noqa: F811
    response = _post(client_for(world.users["registered_manager"]), {"name": "Annex"}, key=key)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert _units(world.home) == ["Ground floor"]


def test_a_duplicate_still_in_progress_gets_a_409_problem(world, client_for, monkeypatch):  # noqa: F811
    monkeypatch.setattr(idempotency, "try_lock", lambda lock_id: False)
    response = _post(client_for(world.users["registered_manager"]), {"name": "Annex"}, key="busy")
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    assert response["Retry-After"] == "1"
    assert _units(world.home) == ["Ground floor"]


def test_keys_expire_after_24_hours(world, client_for):  # noqa: F811
    c = client_for(world.users["registered_manager"])
    assert _post(c, {"name": "Annex"}, key="old").status_code == 201
    IdempotencyRecord.objects.update(created_at=idempotency.timezone.now() - timedelta(hours=25))
    # After 24 h the key is forgotten: the request runs again (here: refused, the name is taken).
    assert _post(c, {"name": "Annex"}, key="old").status_code == 422
    assert not IdempotencyRecord.objects.exists()
    assert _post(c, {"name": "Garden wing"}, key="new").status_code == 201
    assert idempotency.purge_expired() == 0
    assert idempotency.purge_expired(now=idempotency.timezone.now() + timedelta(hours=25)) == 1


def test_the_change_and_its_key_are_one_transaction(world, monkeypatch):  # noqa: F811
    c = Client(raise_request_exception=False)
    c.force_login(world.users["registered_manager"], backend="writecarenotes.platform.identity.backends.EmailBackend")

    def disk_full(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(IdempotencyRecord.objects, "create", disk_full)
    response = _post(c, {"name": "Annex"}, key="k")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/problem+json")
    assert _units(world.home) == ["Ground floor"]  # no change without its key


def test_a_server_error_after_the_change_rolls_the_change_back(world, client_for, monkeypatch):  # noqa: F811
    from writecarenotes.platform.tenancy import services

    real = services.create_unit

    def create_then_fail(**kwargs):
        real(**kwargs)
        raise RuntimeError("lost the connection to the printer")

    monkeypatch.setattr(services, "create_unit", create_then_fail)
    response = _post(client_for(world.users["registered_manager"]), {"name": "Annex"}, key="k")
    assert response.status_code == 500
    assert _units(world.home) == ["Ground floor"]
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (advisory locks)")
def test_two_simultaneous_retries_make_one_unit_on_postgresql(world, transactional_db, monkeypatch):  # noqa: F811
    from writecarenotes.platform.tenancy import services

    real = services.create_unit

    def slow_create(**kwargs):
        time.sleep(1.0)
        return real(**kwargs)

    monkeypatch.setattr(services, "create_unit", slow_create)
    statuses: list[int] = []

    def send():
        try:
            c = Client()
            c.force_login(
                world.users["registered_manager"], backend="writecarenotes.platform.identity.backends.EmailBackend"
            )
            statuses.append(_post(c, {"name": "Annex"}, key="same-dose").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
        time.sleep(0.2)
    for t in threads:
        t.join()
    assert sorted(statuses) == [201, 409]
    assert _units(world.home) == ["Annex", "Ground floor"]
