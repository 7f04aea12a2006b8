"""Tenant scoping: no tenant query without a scope, no row outside it, and the active home switch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import factories as f
from writecarenotes.platform.tenancy.models import Unit
from writecarenotes.platform.tenancy.scope import OutOfScopeError, UnscopedQueryError, acting_for, current_scope
from writecarenotes.residents.models import Resident

SRC = Path(__file__).resolve().parent.parent / "src" / "writecarenotes"

# ---------------------------------------------------------------------------------------------
# The mechanism


@pytest.mark.parametrize("model", [Resident, Unit])
def test_tenant_data_cannot_be_queried_without_a_scope(world, model):
    assert current_scope() is None
    with pytest.raises(UnscopedQueryError):
        list(model.objects.all())
    with pytest.raises(UnscopedQueryError):
        model.objects.count()
    with pytest.raises(UnscopedQueryError):
        model.objects.filter(home=world.home).exists()


def test_a_scope_shows_only_its_homes(world):
    with acting_for([world.home]):
        assert [r.legal_family_name for r in Resident.objects.all()] == ["Evans"]
        assert not Resident.objects.filter(pk=world.foreign_resident.pk).exists()
        assert {u.home_id for u in Unit.objects.all()} == {world.home.pk}
    with acting_for([world.home, world.other_home]):
        assert sorted(r.legal_family_name for r in Resident.objects.all()) == ["Evans", "Pritchard"]
    with acting_for([world.foreign_home]):
        assert [r.legal_family_name for r in Resident.objects.all()] == ["MacLeod"]
    assert current_scope() is None  # the scope ends with the block


def test_a_row_for_a_home_outside_the_scope_cannot_be_saved(world):
    with acting_for([world.home]):
        with pytest.raises(OutOfScopeError):
            Unit(home=world.other_home, name="Sneaky").save()
        with pytest.raises(OutOfScopeError):
            Unit(home=world.foreign_home, name="Sneaky").save()
        with pytest.raises(OutOfScopeError):
            Unit.objects.create(home=world.foreign_home, name="Sneaky")
        Unit.objects.create(home=world.home, name="First floor")  # inside the scope: fine
    with acting_for([world.other_home]), pytest.raises(OutOfScopeError):
        Resident(
            home=world.foreign_home, legal_given_names="A", legal_family_name="B", date_of_birth="1940-01-01"
        ).save()


def test_the_organisation_of_a_row_follows_its_home(world):
    with acting_for([world.other_home]):
        unit = Unit.objects.create(home=world.other_home, name="Annexe")
    assert unit.organisation_id == world.org.pk


def test_acting_for_refuses_homes_of_two_organisations(world):
    with pytest.raises(ValueError), acting_for([world.home, world.foreign_home]):
        pass
    with pytest.raises(ValueError), acting_for([]):
        pass
    with pytest.raises(ValueError), acting_for([987654321]):
        pass
    assert current_scope() is None


# ---------------------------------------------------------------------------------------------
# The request scope and the active home


def _names(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def deputy(world):
    """A deputy manager with a membership in both homes of the organisation."""
    u = f.user("deputy.both@example.test", name="Dana Deputy")
    f.member(u, "deputy_manager", home=world.home)
    f.member(u, "deputy_manager", home=world.other_home)
    return u


def test_a_home_level_role_in_two_homes_sees_one_home_at_a_time(world, client_for, deputy):
    c = client_for(deputy)
    page = _names(c.get("/residents/"))
    assert "Evans" in page and "Pritchard" not in page  # first home by name: Oak Lodge
    assert c.get(f"/residents/{world.other_home_resident.pk}/").status_code == 404

    r = c.post("/home/switch/", {"home": str(world.other_home.pk), "next": "/residents/"})
    assert r.status_code == 302 and r["Location"] == "/residents/"
    page = _names(c.get("/residents/"))
    assert "Pritchard" in page and "Evans" not in page
    assert c.get(f"/residents/{world.other_home_resident.pk}/").status_code == 200
    assert c.get(f"/residents/{world.resident.pk}/").status_code == 404
    api = c.get("/api/v1/residents/").json()
    assert [x["legal_family_name"] for x in api["items"]] == ["Pritchard"]
    assert "Ty Celyn" in _names(c.get("/"))


def test_a_home_of_another_organisation_cannot_be_switched_to(world, client_for, deputy):
    c = client_for(deputy)
    assert c.post("/home/switch/", {"home": str(world.foreign_home.pk)}).status_code == 403
    assert c.post("/home/switch/", {"home": "not-a-number"}).status_code == 403
    page = _names(c.get("/residents/"))
    assert "MacLeod" not in page and "Evans" in page  # still in the first home


def test_all_homes_is_only_for_organisation_level_roles(world, client_for, deputy):
    c = client_for(deputy)
    assert c.post("/home/switch/", {"home": "all"}).status_code == 403
    page = _names(c.get("/residents/"))
    assert "Evans" in page and "Pritchard" not in page


def test_a_provider_admin_can_choose_all_homes_and_sees_both(world, client_for):
    c = client_for(world.users["provider_admin"])
    page = _names(c.get("/"))
    assert 'value="all"' in page  # "All homes" is offered
    page = _names(c.get("/residents/"))
    assert "Evans" in page and "Pritchard" not in page  # one home until asked for all

    assert c.post("/home/switch/", {"home": "all"}).status_code == 302
    page = _names(c.get("/residents/"))
    assert "Evans" in page and "Pritchard" in page
    assert "MacLeod" not in page  # never another organisation's resident
    names = sorted(x["legal_family_name"] for x in c.get("/api/v1/residents/").json()["items"])
    assert names == ["Evans", "Pritchard"]
    assert c.get(f"/residents/{world.foreign_resident.pk}/").status_code == 404


def test_a_home_level_role_is_not_offered_all_homes(world, client_for, deputy):
    page = _names(client_for(deputy).get("/"))
    assert 'value="all"' not in page
    assert "Oak Lodge" in page and "Ty Celyn" in page  # both homes are in the switcher


# ---------------------------------------------------------------------------------------------
# Static: who may bypass the scope

#: Modules (relative to src/writecarenotes/) allowed to use ``Model.unscoped``. A module is added
#: only with the reason it must see every tenant's rows.
UNSCOPED_ALLOWED = (
    "platform/tenancy/models.py",  # defines the manager
    "platform/tenancy/scope.py",  # defines the manager
    "demo/",  # builds and resets the demo organisation
    "platform/audit/",  # verifies the hash chain of every tenant's audit trail
    # The outbox dispatcher is a background worker delivering every tenant's queued events.
    "platform/events/dispatcher.py",
    # publish() bulk-creates the deliveries of an event whose own row was just saved through the
    # scope check (TenantModel.save); bulk_create bypasses save(), hence the explicit manager.
    "platform/events/api.py",
)

_UNSCOPED = re.compile(r"\.unscoped\b")


def test_unscoped_is_used_only_by_listed_system_code():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if "/migrations/" in f"/{rel}" or rel.startswith(UNSCOPED_ALLOWED):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _UNSCOPED.search(line):
                offenders.append(f"{rel}:{number}: {line.strip()}")
    assert offenders == [], "Model.unscoped outside the allow-list in tests/test_tenancy.py:\n" + "\n".join(offenders)
