"""API conventions (ADR 0007): every error is a problem document, lists page one way, docs work under CSP."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client

from tests import factories as f
from writecarenotes.platform.identity.tokens import issue_token
from writecarenotes.platform.tenancy.scope import acting_for

PROBLEM = "application/problem+json"


@dataclass
class Lite:
    home: object
    other_home: object
    foreign_home: object
    unit: object
    foreign_unit: object
    users: dict


@pytest.fixture
def world(db) -> Lite:
    """A small world for API tests: users without passwords (no Argon2 cost), roles as in conftest."""
    org = f.organisation("Meadow Care")
    home = f.home(org, name="Oak Lodge")
    other_home = f.home(org, name="Ty Celyn", nation="wales", care_type="residential")
    foreign_home = f.home(f.organisation("Elsewhere Care"), name="Far House", nation="scotland")
    unit, _room = f.unit_with_room(home)
    f.unit_with_room(other_home, unit_name="Celyn", room_number="A1")
    foreign_unit, _room = f.unit_with_room(foreign_home, unit_name="North", room_number="N1")
    users = {}
    for role in ("provider_admin", "registered_manager", "nurse", "carer"):
        users[role] = f.user(f"{role}@example.test", name=role.replace("_", " ").title(), password=None)
        if role == "provider_admin":
            f.member(users[role], role, org=org)
        else:
            f.member(users[role], role, home=home)
    return Lite(home, other_home, foreign_home, unit, foreign_unit, users)


def _is_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM), response["Content-Type"]
    body = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["type"].startswith("https://writecarenotes.org/problems/") or body["type"] == "about:blank"
    assert body["instance"]
    return body


def test_unknown_api_path_is_a_404_problem_not_an_html_page(world, client_for):
    c = client_for(world.users["nurse"])
    body = _is_problem(c.get("/api/v1/no-such-thing/at/all"), 404)
    assert body["instance"] == "/api/v1/no-such-thing/at/all"
    _is_problem(Client().get("/api/v1/"), 404)


def test_wrong_method_is_a_405_problem_with_allow(world, client_for):
    response = client_for(world.users["nurse"]).delete("/api/v1/platform/me")
    _is_problem(response, 405)
    assert "GET" in response["Allow"]


def test_anonymous_is_a_401_problem(db):
    _is_problem(Client().get("/api/v1/platform/units"), 401)


def test_missing_capability_is_a_403_problem_even_with_a_bad_body(world, client_for):
    # A carer may not manage homes: refused before the body is even read (no 422 leak).
    c = client_for(world.users["carer"])
    _is_problem(c.post("/api/v1/platform/units", data="not json", content_type="application/json"), 403)


def test_failed_csrf_check_is_a_403_problem(world):
    c = Client(enforce_csrf_checks=True)
    c.force_login(world.users["registered_manager"], backend="writecarenotes.platform.identity.backends.EmailBackend")
    _is_problem(c.post("/api/v1/platform/units", data={"name": "X"}, content_type="application/json"), 403)


def test_invalid_input_is_a_422_problem_with_field_messages(world, client_for):
    c = client_for(world.users["registered_manager"])
    body = _is_problem(
        c.post("/api/v1/platform/units", data={"name": "", "sort_order": -1}, content_type="application/json"), 422
    )
    fields = {e["field"] for e in body["errors"]}
    assert fields == {"name", "sort_order"}
    assert all(e["message"] for e in body["errors"])


def test_duplicate_unit_name_is_a_422_problem_on_the_field(world, client_for):
    c = client_for(world.users["registered_manager"])
    body = _is_problem(
        c.post("/api/v1/platform/units", data={"name": world.unit.name}, content_type="application/json"), 422
    )
    assert body["errors"][0]["message"]


def test_acting_for_all_homes_cannot_add_a_unit_409(world, client_for):
    c = client_for(world.users["provider_admin"])
    session = c.session
    session["wcn_active_home"] = "all"
    session.save()
    body = _is_problem(c.post("/api/v1/platform/units", data={"name": "Annex"}, content_type="application/json"), 409)
    assert "home" in body["detail"]


def test_unexpected_errors_are_a_500_problem_without_details(world, client_for, monkeypatch):
    from writecarenotes.platform.tenancy import services

    def boom(**kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(services, "create_unit", boom)
    c = client_for(world.users["registered_manager"])
    response = c.post("/api/v1/platform/units", data={"name": "Annex"}, content_type="application/json")
    body = _is_problem(response, 500)
    assert "hunter2" not in response.content.decode()
    assert body["detail"] == "The error was logged."


# --- pagination and filters ------------------------------------------------------------------


@pytest.fixture
def many_units(world):
    with acting_for([world.home]):
        from writecarenotes.platform.tenancy.models import Unit

        for i in range(1, 13):
            Unit.objects.create(home=world.home, name=f"Wing {i:02d}", description="garden side" if i % 2 else "")
    return world


def test_lists_answer_items_and_count_with_limit_and_offset(many_units, client_for):
    c = client_for(many_units.users["nurse"])
    page = c.get("/api/v1/platform/units?limit=5&offset=5").json()
    assert page["count"] == 13  # the ground floor and twelve wings
    assert len(page["items"]) == 5
    first = c.get("/api/v1/platform/units?limit=5").json()["items"]
    assert not {u["id"] for u in first} & {u["id"] for u in page["items"]}
    # Only the active home's units: never the other home's.
    everything = c.get("/api/v1/platform/units?limit=200").json()["items"]
    assert {u["home_id"] for u in everything} == {many_units.home.pk}


@pytest.mark.parametrize("query", ["limit=201", "limit=0", "offset=-1", "limit=many"])
def test_out_of_range_paging_is_a_422_problem(world, client_for, query):
    body = _is_problem(client_for(world.users["nurse"]).get(f"/api/v1/platform/units?{query}"), 422)
    assert body["errors"][0]["field"] in {"limit", "offset"}


def test_q_is_the_free_text_filter(many_units, client_for):
    c = client_for(many_units.users["nurse"])
    page = c.get("/api/v1/platform/units?q=GARDEN").json()
    assert page["count"] == 6
    assert all("garden" in u["description"] for u in page["items"])
    assert c.get("/api/v1/platform/units?q=wing 07").json()["count"] == 1


# --- authentication and docs -----------------------------------------------------------------


def test_a_token_sees_only_its_home_and_its_capabilities(world):
    issued = issue_token(
        user=world.users["registered_manager"],
        home=world.home,
        name="tablet",
        capabilities=["homes:view"],
        lifetime=timedelta(days=1),
    )
    c = Client(HTTP_AUTHORIZATION=f"Bearer {issued.raw}")
    assert c.get("/api/v1/platform/units").json()["count"] == 1
    # The user may manage homes, the token may not.
    _is_problem(c.post("/api/v1/platform/units", data={"name": "Annex"}, content_type="application/json"), 403)
    _is_problem(Client(HTTP_AUTHORIZATION="Bearer wcn_nope_nope").get("/api/v1/platform/units"), 401)


def test_openapi_schema_documents_the_conventions(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    post = schema["paths"]["/api/v1/platform/units"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in post["parameters"])
    patch = schema["paths"]["/api/v1/platform/units/{unit_id}"]["patch"]
    assert any(p["name"] == "If-Match" and p["required"] for p in patch["parameters"])
    listing = schema["paths"]["/api/v1/platform/units"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"limit", "offset", "q"}


def test_docs_page_loads_only_local_assets_under_the_strict_csp(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "style=" not in html
    srcs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert srcs and all(s.startswith("/static/") for s in srcs), srcs
    # Every inline <script> is data (JSON), which CSP does not execute.
    for attrs, _body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
        assert "src=" in attrs or 'type="application/json"' in attrs
    for src in srcs:
        asset = Client().get(src)
        assert asset.status_code == 200, src
        b"".join(asset.streaming_content) if asset.streaming else asset.content


def test_me_reports_roles_and_capabilities(world, client_for):
    me = client_for(world.users["nurse"]).get("/api/v1/platform/me").json()
    assert me["roles"] == ["nurse"]
    assert "homes:view" in me["capabilities"]
    assert "homes:manage" not in me["capabilities"]


def test_other_organisations_units_are_not_found(world, client_for):
    c = client_for(world.users["provider_admin"])
    _is_problem(c.get(f"/api/v1/platform/units/{world.foreign_unit.pk}"), 404)
