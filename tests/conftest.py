from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.test import Client

from tests import factories as f
from writecarenotes.platform.identity.capabilities import ROLES


@pytest.fixture(autouse=True)
def _two_factor_off_unless_asked(settings, request):
    """Most tests are not about two-factor; tests marked ``two_factor`` get it required."""
    settings.TWO_FACTOR_REQUIRED = bool(request.node.get_closest_marker("two_factor"))


def pytest_configure(config):
    config.addinivalue_line("markers", "two_factor: run with two-factor authentication required")
    os.environ.setdefault("WCN_ENV", "test")
    # Audit rows are append-only (database triggers); let the test-only flush empty them.
    from writecarenotes.platform.audit.dbguard import allow_test_flush

    allow_test_flush()


@dataclass
class World:
    """Two organisations; the first has two homes (England nursing, Wales residential)."""

    org: object
    home: object
    other_home: object
    other_org: object
    foreign_home: object
    unit: object
    room: object
    resident: object
    other_home_resident: object
    foreign_resident: object
    users: dict  # role -> user with that role in `home` (organisation-level for org roles)


@pytest.fixture
def world(db) -> World:
    org = f.organisation("Meadow Care")
    home = f.home(org, name="Oak Lodge", nation="england", care_type="nursing")
    other_home = f.home(org, name="Ty Celyn", nation="wales", care_type="residential")
    other_org = f.organisation("Elsewhere Care")
    foreign_home = f.home(other_org, name="Far House", nation="scotland", care_type="residential")
    unit, room = f.unit_with_room(home)
    ou, oroom = f.unit_with_room(other_home, unit_name="Celyn", room_number="A1")
    fu, froom = f.unit_with_room(foreign_home, unit_name="North", room_number="N1")
    users = {}
    for code, role in ROLES.items():
        u = f.user(f"{code}@example.test", name=f"{role.label} User")
        if role.org_level:
            f.member(u, code, org=org)
        else:
            f.member(u, code, home=home)
        users[code] = u
    return World(
        org=org,
        home=home,
        other_home=other_home,
        other_org=other_org,
        foreign_home=foreign_home,
        unit=unit,
        room=room,
        resident=f.resident(home, unit=unit, room=room, family="Evans"),
        other_home_resident=f.resident(other_home, unit=ou, room=oroom, family="Pritchard", nhs_number="9990000026"),
        foreign_resident=f.resident(foreign_home, unit=fu, room=froom, family="MacLeod", nhs_number="9990000034"),
        users=users,
    )


@pytest.fixture
def client_for(db):
    """client_for(user) -> a Django test Client logged in as that user."""

    def make(user) -> Client:
        c = Client()
        c.force_login(user, backend="writecarenotes.platform.identity.backends.EmailBackend")
        return c

    return make
