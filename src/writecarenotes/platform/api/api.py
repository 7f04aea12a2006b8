"""The one NinjaAPI under /api/v1. Services add their routers in writecarenotes.urls."""

from __future__ import annotations

import functools

from django.apps import apps
from django.http import Http404
from ninja import NinjaAPI, Router, Schema

from writecarenotes import __version__
from writecarenotes.platform.api import problems
from writecarenotes.platform.api.auth import session_auth, token_auth
from writecarenotes.platform.api.homes import units_router
from writecarenotes.platform.identity.permissions import public, requires, signed_in


def _marker_of(view) -> tuple | None:
    while view is not None:
        marker = getattr(view, "wcn_permission", None)
        if marker is not None:
            return tuple(marker)
        view = getattr(view, "__wrapped__", None)
    return None


def path_object_checks(context: str = "") -> dict:
    """``{path parameter: exists(value) -> bool}`` that apply to the routes of capability ``context``.

    A context's AppConfig declares ``wcn_api_path_objects`` (e.g. incidents: ``{"incident_id": ...}``);
    they apply to that context's own routes only, so two contexts may use the same parameter name for
    different things. A context that sets ``wcn_api_path_objects_shared = True`` (residents:
    ``resident_id``; tenancy: ``unit_id``) declares them for every context's routes."""
    if context not in _path_checks:
        found: dict = {}
        for config in apps.get_app_configs():
            declared = getattr(config, "wcn_api_path_objects", {}) or {}
            if getattr(config, "wcn_api_path_objects_shared", False) or config.label == context:
                found.update(declared)
        _path_checks[context] = found
    return _path_checks[context]


_path_checks: dict[str, dict] = {}


def missing_path_object(kw: dict, context: str = "") -> str:
    """The name of the first path parameter whose object is not in the caller's scope ("" if none).

    Runs after the capability check and BEFORE the body is parsed: another home's resident (or
    unit) is a 404 whatever the body, never a 422 that would confirm it exists. A value that is
    not a number is left to ninja (422 on the path parameter)."""
    for name, exists in path_object_checks(context).items():
        if name not in kw:
            continue
        try:
            value = int(kw[name])
        except (TypeError, ValueError):
            continue
        if not exists(value):
            return name
    return ""


def _permission_first(operation) -> None:
    """Check an operation's capability BEFORE its input is parsed: a caller without the
    capability gets 403, never a 422 that would tell them about the input, nor a stored
    Idempotency-Key. The check is the same ``requires`` the view carries (denials recorded once)."""
    marker = _marker_of(operation.view_func)
    if not marker or marker[0] != "capability":
        return
    check = requires(marker[1], marker[2])(lambda request: None)
    run = operation.run
    run_checks = operation._run_checks

    def checks_once(request):
        """Authentication runs once per request: here, before the capability check; ninja's own
        ``run`` asks again and gets the same answer without a second token lookup."""
        if getattr(request, "_wcn_checks_passed", False):
            return None
        refused = run_checks(request)
        if refused is None:
            request._wcn_checks_passed = True
        return refused

    operation._run_checks = checks_once

    @functools.wraps(run)
    def guarded_run(request, **kw):
        refused = operation._run_checks(request)  # authentication (sets request.access for tokens)
        if refused is not None:
            return refused
        try:
            check(request)
        except Exception as exc:  # noqa: BLE001  (NotSignedIn / PermissionDenied -> 401 / 403 problem)
            return operation.api.on_exception(request, exc)
        missing = missing_path_object(kw, marker[1])
        if missing:
            return operation.api.on_exception(request, Http404(missing))
        return run(request, **kw)

    operation.run = guarded_run


class WcnNinjaAPI(NinjaAPI):
    def _get_bound_routers(self):
        fresh = self._bound_routers_cache is None
        bound = super()._get_bound_routers()
        if fresh:
            for bound_router in bound:
                for path_view in bound_router.path_operations.values():
                    for operation in path_view.operations:
                        _permission_first(operation)
        return bound


def build_api(urls_namespace: str = "api-1") -> NinjaAPI:
    api = WcnNinjaAPI(
        title="WriteCareNotes API",
        version=__version__,
        description=(
            "JSON API of WriteCareNotes. Authenticate with the browser session (CSRF token "
            "required on writes) or `Authorization: Bearer <API token>`. Errors are RFC 9457 "
            "problem details (application/problem+json; 422 lists field errors as [{field, message}]). "
            "Lists take `limit` (1-200) and `offset` and answer {items, count}; filters are named after "
            "fields, `q` is free text, date ranges are `<field>_from`/`<field>_to`. POST honours an "
            "`Idempotency-Key` header (24 h). Updates of records need `If-Match` with the ETag read "
            "(428 without it, 412 when stale). See docs/decisions/0007-api-conventions.md."
        ),
        auth=[token_auth, session_auth],
        urls_namespace=urls_namespace,
        docs_url="/docs",
        # The schema and its docs page describe open-source software: public. The page loads
        # swagger-ui from our own static files, with no inline script (CSP-safe).
        docs_decorator=public,
    )
    problems.install(api)
    return api


class MeOut(Schema):
    email: str
    full_name: str
    active_home_id: int | None
    roles: list[str]
    capabilities: list[str]


platform_router = Router(tags=["platform"])
platform_router.add_router("/units", units_router)


@platform_router.get("/me", response=MeOut, summary="Who am I, and what may I do here")
@signed_in
def me(request):
    access = request.access
    return {
        "email": request.user.email,
        "full_name": request.user.full_name,
        "active_home_id": access.active_home.pk if access.active_home else None,
        "roles": sorted(access.roles),
        "capabilities": sorted(f"{c}:{a}" for c, a in access.capabilities),
    }
