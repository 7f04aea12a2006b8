"""API tokens: created on a page (shown once), limited to a home and capabilities, revocable."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests import factories as f
from writecarenotes.platform.identity import services
from writecarenotes.platform.identity.tokens import ApiToken


def bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def place(db):
    org = f.organisation()
    home = f.home(org, name="Oak Lodge")
    other_home = f.home(org, name="Ty Celyn", nation="wales", care_type="residential")
    with_unit = f.unit_with_room(home)
    other_unit = f.unit_with_room(other_home, unit_name="Celyn", room_number="A1")
    f.resident(home, unit=with_unit[0], room=with_unit[1], family="Evans")
    f.resident(other_home, unit=other_unit[0], room=other_unit[1], family="Pritchard", nhs_number="9990000026")
    manager = f.user("rm@example.test", name="Rhian Manager")
    f.member(manager, "registered_manager", home=home)
    f.member(manager, "carer", home=other_home)
    return {"home": home, "other_home": other_home, "manager": manager}


def test_token_page_creates_a_token_shown_once_and_only_its_digest_is_stored(place, client_for):
    c = client_for(place["manager"])
    html = c.get("/account/tokens/").content.decode()
    assert "The token will act for Oak Lodge only." in html
    assert '<label for="id_name">Name</label>' in html
    assert "<legend>What the token may do</legend>" in html
    assert 'value="residents:view"' in html and 'value="users:manage"' in html
    assert 'value="payroll:view"' not in html  # a registered manager has no payroll access
    r = c.post("/account/tokens/", {"name": "Pharmacy", "capabilities": ["residents:view"], "days": "90"})
    assert r.status_code == 200
    assert r["Cache-Control"] == "no-store"
    raw = re.search(r'id="new-token"[^>]*value="(wcn_[^"]+)"', r.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert token.home == place["home"] and token.capabilities == ["residents:view"]
    assert (token.expires_at - timezone.now()).days in (89, 90)
    assert raw not in {token.digest, token.prefix, token.name} and raw.startswith(f"wcn_{token.prefix}_")
    assert all(raw not in str(v) for v in ApiToken.objects.values().get().values())
    # The list shows it without the secret.
    html = c.get("/account/tokens/").content.decode()
    assert "Pharmacy" in html and f"wcn_{token.prefix}" in html and raw not in html
    assert "Residents: View" in html and "Never" in html


def test_token_form_shows_field_errors(place, client_for):
    c = client_for(place["manager"])
    r = c.post("/account/tokens/", {"name": "", "days": "7"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "Give the token a name" in html
    assert "Choose at least one thing the token may do." in html
    assert "Select a valid choice." in html
    r = c.post("/account/tokens/", {"name": "Payroll", "capabilities": ["payroll:view"], "days": "30"})
    assert "Select a valid choice." in r.content.decode()
    assert not ApiToken.objects.exists()


def test_a_token_cannot_exceed_the_users_role_in_that_home(place):
    with pytest.raises(ValidationError) as exc:
        services.create_api_token(
            place["manager"], home=place["other_home"], name="x", capabilities=["users:manage"], days=30
        )
    assert "capabilities" in exc.value.message_dict


def test_bearer_token_is_limited_to_its_home_and_capabilities(place):
    manager = place["manager"]
    viewer = services.create_api_token(manager, home=place["home"], name="A", capabilities=["residents:view"], days=30)
    r = bearer(viewer.raw).get("/api/v1/platform/me")
    assert r.status_code == 200
    assert r.json()["active_home_id"] == place["home"].pk
    assert r.json()["capabilities"] == ["residents:view"]
    r = bearer(viewer.raw).get("/api/v1/residents/")
    assert r.status_code == 200
    assert [x["legal_family_name"] for x in r.json()["items"]] == ["Evans"]  # never the other home's
    narrow = services.create_api_token(manager, home=place["home"], name="B", capabilities=["homes:view"], days=30)
    r = bearer(narrow.raw).get("/api/v1/residents/")
    assert r.status_code == 403
    assert r["Content-Type"] == "application/problem+json"
    assert ApiToken.objects.get(pk=viewer.token.pk).last_used_at is not None


def test_a_token_request_looks_the_token_up_once_and_notes_its_use_once_a_minute(place):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    issued = services.create_api_token(
        place["manager"], home=place["home"], name="A", capabilities=["residents:view"], days=30
    )
    client = bearer(issued.raw)
    with CaptureQueriesContext(connection) as first:
        assert client.get("/api/v1/residents/").status_code == 200
    token_reads = [q for q in first.captured_queries if 'FROM "identity_apitoken"' in q["sql"]]
    token_writes = [q for q in first.captured_queries if q["sql"].startswith('UPDATE "identity_apitoken"')]
    assert len(token_reads) == 1 and len(token_writes) == 1
    with CaptureQueriesContext(connection) as again:
        assert client.get("/api/v1/residents/").status_code == 200
    assert not [q for q in again.captured_queries if q["sql"].startswith('UPDATE "identity_apitoken"')]


def test_token_still_never_exceeds_the_role_if_the_role_is_removed_later(place):
    manager = place["manager"]
    issued = services.create_api_token(manager, home=place["home"], name="A", capabilities=["residents:view"], days=30)
    manager.memberships.filter(home=place["home"]).delete()
    assert bearer(issued.raw).get("/api/v1/residents/").status_code == 403


@pytest.mark.parametrize("how", ["expired", "revoked", "logout_everywhere", "deactivated", "garbled"])
def test_unusable_tokens_get_401(place, how):
    manager = place["manager"]
    issued = services.create_api_token(manager, home=place["home"], name="A", capabilities=["residents:view"], days=30)
    raw = issued.raw
    if how == "expired":
        ApiToken.objects.filter(pk=issued.token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif how == "revoked":
        services.revoke_api_token(manager, issued.token.pk)
    elif how == "logout_everywhere":
        services.logout_everywhere(manager)
    elif how == "deactivated":
        boss = f.user("pa@example.test")
        f.member(boss, "provider_admin", org=place["home"].organisation)
        services.deactivate_user(boss, manager, "Left the company")
    else:
        raw = raw[:-2] + ("AA" if not raw.endswith("AA") else "BB")
    for url in ("/api/v1/platform/me", "/api/v1/residents/"):
        r = bearer(raw).get(url)
        assert r.status_code == 401, (how, url, r.content)


def test_revoke_from_the_page(place, client_for):
    manager = place["manager"]
    issued = services.create_api_token(
        manager, home=place["home"], name="Lab", capabilities=["residents:view"], days=30
    )
    c = client_for(manager)
    assert c.get(f"/account/tokens/{issued.token.pk}/revoke/").status_code == 405
    r = c.post(f"/account/tokens/{issued.token.pk}/revoke/")
    assert r.status_code == 302
    html = c.get("/account/tokens/").content.decode()
    assert "was revoked" in html and "Revoked" in html
    assert bearer(issued.raw).get("/api/v1/platform/me").status_code == 401


def test_nobody_can_revoke_or_see_someone_elses_token(place, client_for):
    issued = services.create_api_token(
        place["manager"], home=place["home"], name="Secret integration", capabilities=["residents:view"], days=30
    )
    other = f.user("other@example.test")
    f.member(other, "registered_manager", home=place["home"])
    c = client_for(other)
    assert "Secret integration" not in c.get("/account/tokens/").content.decode()
    assert c.post(f"/account/tokens/{issued.token.pk}/revoke/").status_code == 404
    assert bearer(issued.raw).get("/api/v1/platform/me").status_code == 200


def test_all_homes_view_asks_to_choose_one_home(place, client_for):
    admin = f.user("pa2@example.test")
    f.member(admin, "provider_admin", org=place["home"].organisation)
    c = client_for(admin)
    c.post("/home/switch/", {"home": "all", "next": "/"})
    html = c.get("/account/tokens/").content.decode()
    assert "Choose one home in the home switcher" in html
    c.post("/account/tokens/", {"name": "x", "capabilities": ["residents:view"], "days": "30"})
    assert not ApiToken.objects.exists()
