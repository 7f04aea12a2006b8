"""Small builders for tests: organisations, homes, units, rooms, users with roles, residents."""

from __future__ import annotations

import itertools
from datetime import date

from writecarenotes.platform.identity.models import Membership, User
from writecarenotes.platform.tenancy.models import REGULATOR_FOR_NATION, CareHome, Organisation, Room, Unit
from writecarenotes.platform.tenancy.scope import acting_for

PASSWORD = "correct-horse-battery-staple"
_seq = itertools.count(1)


def organisation(name: str | None = None) -> Organisation:
    n = next(_seq)
    name = name or f"Test Provider {n}"
    return Organisation.objects.create(name=name, slug=f"test-provider-{n}")


def home(
    org: Organisation, *, name: str | None = None, nation: str = "england", care_type: str = "nursing"
) -> CareHome:
    n = next(_seq)
    return CareHome.objects.create(
        organisation=org,
        name=name or f"Test Home {n}",
        nation=nation,
        regulator=REGULATOR_FOR_NATION[nation],
        registration_number=f"1-{n:09d}",
        care_type=care_type,
        registered_beds=30,
    )


def unit_with_room(h: CareHome, *, unit_name: str = "Ground floor", room_number: str = "1") -> tuple[Unit, Room]:
    with acting_for([h]):
        u = Unit.objects.create(home=h, name=unit_name)
        r = Room.objects.create(home=h, unit=u, number=room_number)
    return u, r


_hash_cache: dict[str, str] = {}


def _hashed(password: str) -> str:
    # Argon2 is deliberately slow (about a second here); hash each test password once per run.
    if password not in _hash_cache:
        from django.contrib.auth.hashers import make_password

        _hash_cache[password] = make_password(password)
    return _hash_cache[password]


def user(email: str | None = None, *, name: str = "Test User", password: str = PASSWORD, **extra) -> User:
    email = email or f"user{next(_seq)}@example.test"
    u = User.objects.create_user(email=email, password=None, full_name=name, **extra)
    u.password = _hashed(password)
    u.save(update_fields=["password"])
    return u


def member(u: User, role: str, *, home: CareHome | None = None, org: Organisation | None = None) -> Membership:
    org = org or home.organisation  # type: ignore[union-attr]
    return Membership.objects.create(user=u, organisation=org, home=home, role=role)


def resident(h: CareHome, *, unit: Unit | None = None, room: Room | None = None, family: str = "Jones", **extra):
    from writecarenotes.residents.models import Resident

    with acting_for([h]):
        return Resident.objects.create(
            home=h,
            unit=unit,
            room=room,
            legal_given_names=extra.pop("given", "Margaret Ann"),
            legal_family_name=family,
            date_of_birth=extra.pop("dob", date(1936, 4, 2)),
            nhs_number=extra.pop("nhs_number", "9990000018"),
            status=extra.pop("status", "in_residence"),
            **extra,
        )
