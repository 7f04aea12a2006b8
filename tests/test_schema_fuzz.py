"""Schema-driven fuzzing of every API operation (schemathesis): no 5xx, responses match the schema.

The schema is read from the app itself (/api/v1/openapi.json over WSGI), so a new operation is
fuzzed the moment it is routed. Calls are authenticated with an API token holding every
capability of a registered manager in a home with a resident, a unit and a room; a few
operations are also called without any authentication. The number of examples is bounded so
the whole run stays within about a minute.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests import factories as f
from writecarenotes.platform.identity.capabilities import capability_set
from writecarenotes.platform.identity.tokens import issue_token

EXAMPLES_PER_OPERATION = 12
CHECKS = [not_a_server_error, response_schema_conformance]


def _load_schema():
    # Loaded when the module is collected (pytest-django has set Django up by then); the schema
    # view needs no database. (schemathesis.pytest.from_fixture does not work with pytest 9.)
    from writecarenotes.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


schema = _load_schema()


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """Calling the WSGI app directly fires request_started/finished, whose close_old_connections
    would close the test transaction's connection (PostgreSQL); Django's test client does the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def manager_token(db) -> str:
    org = f.organisation("Fuzz Care")
    home = f.home(org, name="Fuzz House")
    unit, room = f.unit_with_room(home)
    f.resident(home, unit=unit, room=room, family="Fuzzby")
    manager = f.user("fuzz-manager@example.test", name="Fuzz Manager", password=None)
    f.member(manager, "registered_manager", home=home)
    capabilities = sorted(f"{c}:{a}" for c, a in capability_set(frozenset({"registered_manager"})))
    return issue_token(user=manager, home=home, name="fuzz", capabilities=capabilities, lifetime=timedelta(days=1)).raw


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
def test_every_operation_survives_fuzzing(case, manager_token, db):
    case.call_and_validate(headers={"Authorization": f"Bearer {manager_token}"}, checks=CHECKS)


def test_the_schema_lists_the_platform_and_service_operations():
    paths = set(schema.raw_schema["paths"])
    assert {"/api/v1/platform/me", "/api/v1/platform/units", "/api/v1/platform/units/{unit_id}"} <= paths
    assert any(p.startswith("/api/v1/residents") for p in paths)
