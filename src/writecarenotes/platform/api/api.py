"""The one NinjaAPI under /api/v1. Services add their routers in writecarenotes.urls."""

from __future__ import annotations

from ninja import NinjaAPI, Router, Schema

from writecarenotes import __version__
from writecarenotes.platform.api import problems
from writecarenotes.platform.api.auth import session_auth, token_auth
from writecarenotes.platform.identity.permissions import signed_in


def build_api(urls_namespace: str = "api-1") -> NinjaAPI:
    api = NinjaAPI(
        title="WriteCareNotes API",
        version=__version__,
        description=(
            "JSON API of WriteCareNotes. Authenticate with the browser session (CSRF token "
            "required on writes) or `Authorization: Bearer <API token>`. Errors are RFC 9457 "
            "problem details."
        ),
        auth=[token_auth, session_auth],
        urls_namespace=urls_namespace,
        docs_url="/docs",
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
