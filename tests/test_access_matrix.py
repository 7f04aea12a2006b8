"""Every route x every role: the permission marker is there and it is enforced.

The route list is generated, not written by hand: the Django URL configuration is walked
recursively (pages) and the ninja API's routers are read (API operations). A new page or
endpoint is therefore checked the moment it is routed, and a route without one of the
markers from ``identity.permissions`` (``@requires``, ``@signed_in``, ``@public``) fails
this test.

Object routes are called with the primary key of an object in ANOTHER home of the same
organisation and in ANOTHER organisation: the answer must be 401/403/404 or a redirect to
log-in, never data and never a server error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse
from django.utils.decorators import method_decorator
from django.views import View
from ninja import NinjaAPI, Router

from tests import factories as f
from writecarenotes.platform.identity.capabilities import CAPABILITIES, ROLES, role_can
from writecarenotes.platform.identity.permissions import public, requires, signed_in

# ---------------------------------------------------------------------------------------------
# The collector


@dataclass
class Route:
    kind: str  # "page" or "api"
    template: str  # "/residents/<int:pk>/" or "/api/v1/residents/{resident_id}"
    methods: tuple[str, ...]  # HTTP methods the route answers (pages: unknown -> ("GET",))
    view: object
    name: str = ""
    markers: set[tuple] = field(default_factory=set)

    @property
    def marker(self) -> tuple | None:
        return next(iter(self.markers)) if len(self.markers) == 1 else None

    def __str__(self) -> str:
        return f"{self.kind} {'/'.join(self.methods)} {self.template}"


def _markers_of(view) -> set[tuple]:
    """Every permission marker found on a view: the function, its __wrapped__ chain, and for a
    class-based view the class's dispatch (method_decorator) and its own chain."""
    found: set[tuple] = set()
    seen: set[int] = set()
    todo = [view]
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        todo.append(view_class.dispatch)
    while todo:
        obj = todo.pop()
        if obj is None or id(obj) in seen:
            continue
        seen.add(id(obj))
        marker = getattr(obj, "wcn_permission", None)
        if marker is not None:
            found.add(tuple(marker))
        todo.append(getattr(obj, "__wrapped__", None))
        todo.append(getattr(obj, "__func__", None))
        if isinstance(obj, partial):
            todo.append(obj.func)
    return found


def _is_static(route: str) -> bool:
    return route.lstrip("/").startswith("static/") or route.lstrip("/").startswith("media/")


def collect_pages(patterns, prefix: str = "/") -> list[Route]:
    """Every page route of a URL configuration, except static files and any ninja API."""
    routes: list[Route] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.app_name == "ninja":  # the API is taken from the API itself (collect_api)
                continue
            routes.extend(collect_pages(p.url_patterns, prefix + str(p.pattern)))
        elif isinstance(p, URLPattern):
            template = prefix + str(p.pattern)
            if _is_static(template):
                continue
            routes.append(Route("page", template, ("GET",), p.callback, p.name or "", _markers_of(p.callback)))
    return routes


def _bound_routers(api):
    getter = getattr(api, "_get_bound_routers", None)
    if getter is not None:
        return [(b.prefix, b.path_operations) for b in getter()]
    return [(prefix, router.path_operations) for prefix, router in api._routers]  # older ninja


def collect_api(api, mount: str = "/api/v1") -> list[Route]:
    """Every operation of a ninja API (its own docs and schema URLs are not operations)."""
    routes: list[Route] = []
    for prefix, path_operations in _bound_routers(api):
        for sub, path_view in path_operations.items():
            template = "/".join(x.strip("/") for x in (mount, prefix, sub) if x.strip("/"))
            template = "/" + template + ("/" if sub.endswith("/") else "")
            for op in path_view.operations:
                routes.append(
                    Route(
                        "api",
                        template,
                        tuple(m.upper() for m in op.methods),
                        op.view_func,
                        op.view_func.__name__,
                        _markers_of(op.view_func),
                    )
                )
    return routes


def problems_of(routes: list[Route]) -> list[str]:
    """Routes with no permission marker, or with conflicting markers."""
    out = []
    for r in routes:
        if not r.markers:
            out.append(f"{r}: no permission marker (@requires, @signed_in or @public)")
        elif len(r.markers) > 1:
            out.append(f"{r}: more than one permission marker {sorted(r.markers)}")
    return out


def all_routes() -> list[Route]:
    from writecarenotes.urls import api

    return collect_pages(get_resolver().url_patterns) + collect_api(api)


# ---------------------------------------------------------------------------------------------
# The collector itself


def test_every_route_carries_exactly_one_permission_marker():
    routes = all_routes()
    templates = {r.template for r in routes}
    # The walk really found pages and API operations (a broken walk must not pass silently).
    assert "/residents/<int:pk>/" in templates
    assert "/api/v1/residents/{resident_id}" in templates
    assert "/account/login/" in templates
    assert problems_of(routes) == []


def _unmarked(request):
    return HttpResponse("secret")


@signed_in
def _marked(request):
    return HttpResponse("ok")


def _twice(request):
    return HttpResponse("ok")


@method_decorator(public, name="dispatch")
class _MarkedClassView(View):
    def get(self, request):
        return HttpResponse("ok")


class _UnmarkedClassView(View):
    def get(self, request):
        return HttpResponse("secret")


def test_collector_reports_an_unmarked_page_route_and_api_operation():
    patterns = [
        path("fine/", _marked),
        path("class-fine/", _MarkedClassView.as_view()),
        path("nested/", include([path("leak/<int:pk>/", _unmarked)])),
        path("class-leak/", _UnmarkedClassView.as_view()),
        path("twice/", signed_in(public(_twice))),
    ]
    reported = problems_of(collect_pages(patterns))
    assert reported == [
        "page GET /nested/leak/<int:pk>/: no permission marker (@requires, @signed_in or @public)",
        "page GET /class-leak/: no permission marker (@requires, @signed_in or @public)",
        "page GET /twice/: more than one permission marker [('public',), ('signed_in',)]",
    ]

    api = NinjaAPI(urls_namespace="access-matrix-synthetic")
    router = Router()

    @router.get("/leak/{thing_id}")
    def leak(request, thing_id: int):
        return {"secret": thing_id}

    @router.get("/fine")
    @requires("residents", "view")
    def fine(request):
        return {}

    api.add_router("/things", router)
    reported = problems_of(collect_api(api))
    assert reported == [
        "api GET /api/v1/things/leak/{thing_id}: no permission marker (@requires, @signed_in or @public)"
    ]


def test_inspector_may_only_view():
    for context, actions in CAPABILITIES["inspector"].items():
        assert actions <= {"view"}, f"inspector can {sorted(actions)} in {context}"


# ---------------------------------------------------------------------------------------------
# Every route x every role

_PAGE_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
_API_PARAM = re.compile(r"\{(?:(?P<conv>\w+):)?(?P<name>\w+)\}")


def _objects_elsewhere(world) -> dict[str, tuple[object, object]]:
    """Kind of object -> (one in another home of the same organisation, one in another organisation).

    A route parameter picks its kind by name (``resident_id`` -> residents) or, for a bare ``pk``,
    by the path segment before it (``/users/<int:pk>/`` -> users); unknown ones fall back to
    residents. Extend this when a route takes a new kind of id. Homes: only the foreign home,
    because organisation-level roles may legitimately act for the other home of their organisation.
    """
    from datetime import timedelta

    from writecarenotes.platform.identity.tokens import issue_token
    from writecarenotes.platform.tenancy.models import Room, Unit
    from writecarenotes.platform.tenancy.scope import acting_for

    with acting_for([world.other_home]):
        other_unit = Unit.objects.first()
        other_room = Room.objects.first()
    with acting_for([world.foreign_home]):
        foreign_unit = Unit.objects.first()
        foreign_room = Room.objects.first()
    other_user = f.user("other.home@example.test", name="Other Home Carer")
    f.member(other_user, "carer", home=world.other_home)
    foreign_user = f.user("foreign.org@example.test", name="Foreign Manager")
    f.member(foreign_user, "registered_manager", home=world.foreign_home)
    tokens = tuple(
        issue_token(user=u, home=h, name="elsewhere", capabilities=["residents:view"], lifetime=timedelta(days=1)).token
        for u, h in ((other_user, world.other_home), (foreign_user, world.foreign_home))
    )
    return {
        "residents": (world.other_home_resident, world.foreign_resident),
        "units": (other_unit, foreign_unit),
        "rooms": (other_room, foreign_room),
        "homes": (world.foreign_home, world.foreign_home),
        "users": (other_user, foreign_user),
        "tokens": tokens,
        # /audit/history/<content_type>/<pk>/: the history of a resident elsewhere
        "content_type": ("residents.resident", "residents.resident"),
    }


def _kind(name: str, before: str) -> str:
    if name.endswith("_id"):
        name = name[: -len("_id")]
        name = name[:-1] + "ies" if name.endswith("y") else name + "s"
    elif name == "pk":
        name = before.strip("/").rsplit("/", 1)[-1]
    return name


def _fill(route: Route, objects: dict, which: int) -> str:
    pattern = _API_PARAM if route.kind == "api" else _PAGE_PARAM

    def sub(m):
        kind = _kind(m.group("name"), route.template[: m.start()])
        obj = objects.get(kind, objects["residents"])[which]
        return str(getattr(obj, "pk", obj))

    url = pattern.sub(sub, route.template)
    assert not re.search(r"[\^\$\(\)\[\]\\?]", url), f"cannot fill the parameters of {route} (regex route?)"
    return url


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("identity:login") + "?next=")


def _request(client: Client, route: Route, url: str):
    method = "GET" if "GET" in route.methods else route.methods[0]
    if method == "GET":
        return client.get(url)
    return client.generic(method, url, data="{}", content_type="application/json")


def _check(route: Route, who: str, role: str | None, url: str, response, has_params: bool) -> str | None:
    """The rule for one request; returns a failure message or None."""
    status = response.status_code
    where = f"{route} as {who} -> {url}: {status}"
    if status >= 500:
        return f"{where} (server error)"
    kind, *rest = route.marker
    if role is None:  # anonymous
        if kind == "public":
            return None if status < 500 else where
        if route.kind == "api":
            return None if status == 401 else f"{where}, expected 401"
        # A POST-only page (require_POST outside the marker) answers a GET with 405 before any check.
        return None if _is_login_redirect(response) or status == 405 else f"{where}, expected a redirect to log-in"
    allowed = kind != "capability" or (role != "outsider" and role_can(role, rest[0], rest[1]))
    if not allowed:
        # Pages: a POST-only page may answer a GET with 405 before any check. The API checks the
        # capability before it validates the body, so it always answers 403.
        refused = (403,) if route.kind == "api" else (403, 405)
        return None if status in refused else f"{where}, expected 403 ({rest[0]}:{rest[1]} not held)"
    if has_params:
        if status in (401, 403, 404, 405) or _is_login_redirect(response):
            return None
        return f"{where}, expected 403/404 for an object of another home/organisation"
    if status in (401, 403):
        return f"{where}, the role holds the capability but was refused"
    return None


def _clients(world, client_for) -> dict[str, tuple[str | None, Client]]:
    outsider = f.user("outsider@example.test", name="No Membership")
    clients: dict[str, tuple[str | None, Client]] = {"anonymous": (None, Client())}
    for code, user in world.users.items():
        clients[code] = (code, client_for(user))
    clients["outsider"] = ("outsider", client_for(outsider))  # signed in, member of no home
    return clients


def run_matrix(routes: list[Route], world, clients) -> tuple[int, list[str]]:
    objects = _objects_elsewhere(world)
    failures: list[str] = []
    checked = 0
    for route in routes:
        has_params = bool((_API_PARAM if route.kind == "api" else _PAGE_PARAM).search(route.template))
        urls = [_fill(route, objects, 0), _fill(route, objects, 1)] if has_params else [route.template]
        for who, (role, client) in clients.items():
            for url in urls:
                response = _request(client, route, url)
                checked += 1
                if has_params and response.status_code == 200 and route.marker[0] != "public":
                    body = response.content.decode(errors="replace")
                    failures.append(f"{route} as {who} -> {url}: 200 with data ({body[:80]!r})")
                    continue
                problem = _check(route, who, role, url, response, has_params)
                if problem:
                    failures.append(problem)
    return checked, failures


def test_every_route_for_every_role_refuses_other_homes_and_missing_capabilities(world, client_for):
    routes = all_routes()
    assert problems_of(routes) == []
    checked, failures = run_matrix(routes, world, _clients(world, client_for))
    assert checked >= len(routes) * len(ROLES)
    assert failures == [], "\n".join(failures)


# A deliberately broken URL configuration, to prove the matrix catches leaks (used below).
@requires("residents", "view")
def _leaky_detail(request, pk: int):
    from writecarenotes.residents.models import Resident

    return HttpResponse(Resident.unscoped.get(pk=pk).legal_family_name)


@signed_in
def _crashing(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("leak/<int:pk>/", _leaky_detail),
    path("crash/", _crashing),
    path("", include("writecarenotes.urls")),  # log-in page and the rest, for the redirects
]


def test_the_matrix_catches_a_leaky_view_and_a_server_error(world, client_for, settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    routes = collect_pages(urlpatterns[:2])
    clients = _clients(world, client_for)
    for _, client in clients.values():
        client.raise_request_exception = False
    _, failures = run_matrix(routes, world, {k: clients[k] for k in ("anonymous", "nurse", "family")})
    text = "\n".join(failures)
    assert f"/leak/{world.foreign_resident.pk}/: 200 with data ('MacLeod')" in text
    assert f"/leak/{world.other_home_resident.pk}/: 200 with data ('Pritchard')" in text
    assert "page GET /crash/ as nurse -> /crash/: 500 (server error)" in text
    assert len([x for x in failures if "as nurse" in x]) == 3
    # Refused where refusal is due: family holds no residents:view, anonymous goes to log-in.
    assert [x for x in failures if "as family" in x] == ["page GET /crash/ as family -> /crash/: 500 (server error)"]
    assert "as anonymous" not in text


def test_a_signed_in_page_redirects_an_anonymous_visitor_to_log_in(db):
    response = Client().get("/residents/?q=Evans")
    assert response.status_code == 302
    assert response["Location"] == reverse("identity:login") + "?next=/residents/%3Fq%3DEvans"


def test_an_htmx_request_of_an_anonymous_visitor_loads_the_log_in_page_in_the_window(db):
    response = Client().get(
        "/residents/?q=Ev", headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/residents/"}
    )
    assert response["HX-Redirect"] == reverse("identity:login") + "?next=/residents/"


def test_the_api_answers_an_anonymous_caller_with_a_401_problem(db):
    response = Client().get("/api/v1/residents/")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 401


@pytest.mark.parametrize("role", ["carer", "inspector", "kitchen"])
def test_a_role_without_users_view_is_refused_the_access_page(world, client_for, role):
    response = client_for(world.users[role]).get("/access/")
    assert response.status_code == 403
    assert "Who can do what" not in response.content.decode()
