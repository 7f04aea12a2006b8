"""Optimistic concurrency: ETag on read, If-Match on update; a stale tablet cannot overwrite a newer change."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.test_api_conventions import world  # noqa: F401  (the small API world fixture)
from writecarenotes.platform.api.concurrency import (
    PreconditionFailed,
    check_if_match,
    etag_for,
    parse_if_match,
)
from writecarenotes.platform.tenancy.models import Unit
from writecarenotes.platform.tenancy.scope import acting_for


def _url(unit) -> str:
    return f"/api/v1/platform/units/{unit.pk}"


def _patch(client, unit, body: dict, if_match: str | None):
    headers = {"If-Match": if_match} if if_match is not None else {}
    return client.patch(_url(unit), data=body, content_type="application/json", headers=headers)


def _name(unit) -> str:
    with acting_for([unit.home_id]):
        return Unit.objects.get(pk=unit.pk).name


def test_reading_a_unit_gives_a_strong_etag(world, client_for):  # noqa: F811
    response = client_for(world.users["nurse"]).get(_url(world.unit))
    assert response.status_code == 200
    etag = response["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
    assert client_for(world.users["carer"]).get(_url(world.unit))["ETag"] == etag  # same row, same tag


def test_an_update_with_the_etag_read_succeeds_and_changes_the_etag(world, client_for):  # noqa: F811
    c = client_for(world.users["registered_manager"])
    etag = c.get(_url(world.unit))["ETag"]
    response = _patch(c, world.unit, {"name": "Ground floor (nursing)"}, etag)
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Ground floor (nursing)"
    assert response["ETag"] != etag
    assert response["ETag"] == c.get(_url(world.unit))["ETag"]
    assert _name(world.unit) == "Ground floor (nursing)"


def test_an_update_without_if_match_is_refused_with_428(world, client_for):  # noqa: F811
    response = _patch(client_for(world.users["registered_manager"]), world.unit, {"name": "Renamed"}, None)
    assert response.status_code == 428
    assert response["Content-Type"].startswith("application/problem+json")
    assert "If-Match" in response.json()["detail"]
    assert _name(world.unit) == "Ground floor"


def test_a_stale_update_is_refused_with_412_and_changes_nothing(world, client_for):  # noqa: F811
    manager = client_for(world.users["registered_manager"])
    admin = client_for(world.users["provider_admin"])
    tablet_etag = manager.get(_url(world.unit))["ETag"]  # the tablet reads ...
    office_etag = admin.get(_url(world.unit))["ETag"]
    assert _patch(admin, world.unit, {"description": "Lift by the kitchen"}, office_etag).status_code == 200
    # ... then, later, saves its own change based on what it read: refused.
    response = _patch(manager, world.unit, {"name": "Renamed"}, tablet_etag)
    assert response.status_code == 412
    assert response["Content-Type"].startswith("application/problem+json")
    assert response["ETag"] == admin.get(_url(world.unit))["ETag"]  # re-read, check, retry
    assert _name(world.unit) == "Ground floor"


def test_if_match_star_and_lists_of_tags(world, client_for):  # noqa: F811
    c = client_for(world.users["registered_manager"])
    etag = c.get(_url(world.unit))["ETag"]
    assert _patch(c, world.unit, {"sort_order": 2}, f'"nope", {etag}').status_code == 200
    assert _patch(c, world.unit, {"sort_order": 3}, "*").status_code == 200
    current = c.get(_url(world.unit))["ETag"]
    assert _patch(c, world.unit, {"sort_order": 4}, f"W/{current}").status_code == 412  # strong comparison


def test_update_validation_and_permissions(world, client_for):  # noqa: F811
    manager = client_for(world.users["registered_manager"])
    etag = manager.get(_url(world.unit))["ETag"]
    response = _patch(manager, world.unit, {"name": None}, etag)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "name"
    response = _patch(manager, world.unit, {"name": "x" * 121}, etag)
    assert response.status_code == 422
    assert _patch(client_for(world.users["nurse"]), world.unit, {"name": "Renamed"}, etag).status_code == 403
    # Another organisation's unit: not found, whatever the headers say.
    assert _patch(manager, world.foreign_unit, {"name": "Mine"}, "*").status_code == 404
    assert _name(world.unit) == "Ground floor"


def test_a_unit_created_via_the_api_can_be_updated_with_its_etag(world, client_for):  # noqa: F811
    c = client_for(world.users["registered_manager"])
    created = c.post("/api/v1/platform/units", data={"name": "Annex"}, content_type="application/json")
    assert created.status_code == 201
    assert created["Location"].endswith(f"/api/v1/platform/units/{created.json()['id']}")
    unit = SimpleNamespace(pk=created.json()["id"], home_id=world.home.pk)
    assert _patch(c, unit, {"description": "Quiet"}, created["ETag"]).status_code == 200


def test_etags_of_versioned_rows_and_header_parsing():
    assert etag_for(SimpleNamespace(version=3)) == '"v3"'
    assert parse_if_match('"a", W/"b" ,"c,d"') == ['"a"', 'W/"b"', '"c,d"']
    check_if_match('"v3"', '"v3"')
    check_if_match(None, '"v3"')  # not required here: the caller decides
    with pytest.raises(PreconditionFailed):
        check_if_match('"v2"', '"v3"')


def test_unit_changes_are_in_the_audit_trail_with_before_and_after(db):
    from tests import factories as f
    from writecarenotes.platform.api.concurrency import etag_for
    from writecarenotes.platform.audit.models import AuditRecord
    from writecarenotes.platform.tenancy import services
    from writecarenotes.platform.tenancy.scope import acting_for

    home = f.home(f.organisation())
    with acting_for([home]):
        unit = services.create_unit(home=home, name="Ground floor")
        services.update_unit(unit_id=unit.pk, changes={"name": "Garden wing"}, if_match=etag_for(unit))
    created, updated = AuditRecord.objects.filter(target_id=str(unit.pk), kind="change").order_by("seq")
    assert created.action == "tenancy.unit_created" and created.home_id == home.pk
    assert updated.before["name"] == "Ground floor" and updated.after["name"] == "Garden wing"
