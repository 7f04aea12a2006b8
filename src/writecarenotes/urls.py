"""The composition root: platform URLs, then each service's pages and API router.

This module (with cli.py and demo/) is the only place that knows every service.

Service profiles (ADR 0008): ``WCN_SERVICES`` (a comma list of service labels, for example
``residents,medication``; empty or absent means every service; ``platform`` alone means none)
chooses the services this process serves. The platform's pages and API are always served. A
service that is not served here keeps its URL names (so links to it still render, and the
gateway sends them to the process that serves it) but answers 404, and its API router is not
mounted (404 problem, and it is absent from this process's OpenAPI schema).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import import_module

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.urls import URLPattern, URLResolver, include, path
from django.utils.module_loading import import_string

from writecarenotes.platform.api.api import build_api, platform_router
from writecarenotes.platform.api.problems import api_not_found
from writecarenotes.platform.audit.api import router as audit_router
from writecarenotes.platform.events.api_router import router as events_router
from writecarenotes.platform.identity.capabilities import CONTEXTS
from writecarenotes.platform.identity.permissions import public
from writecarenotes.platform.web import views as web_views


@dataclass(frozen=True)
class Service:
    """Where a service plugs in: its pages (URL prefix, urlconf module) and its API router."""

    pages_prefix: str
    pages: str  # dotted path of the urlconf module
    api: str  # "module.attribute" of the ninja Router, mounted at /api/v1/<label>/


#: Every service context that has pages or an API. Add a line when a context is built.
SERVICES: dict[str, Service] = {
    "residents": Service("residents/", "writecarenotes.residents.urls", "writecarenotes.residents.api.router"),
    "care_records": Service("care/", "writecarenotes.care_records.urls", "writecarenotes.care_records.api.router"),
    "assessments": Service("assessments/", "writecarenotes.assessments.urls", "writecarenotes.assessments.api.router"),
    "care_planning": Service(
        "care-plans/", "writecarenotes.care_planning.urls", "writecarenotes.care_planning.api.router"
    ),
    "incidents": Service("incidents/", "writecarenotes.incidents.urls", "writecarenotes.incidents.api.router"),
    "medication": Service("medication/", "writecarenotes.medication.urls", "writecarenotes.medication.api.router"),
}
PLATFORM = "platform"


def enabled_services(value: str | None = None) -> frozenset[str]:
    """The service labels a ``WCN_SERVICES`` value selects; a clear error for unknown names."""
    raw = os.environ.get("WCN_SERVICES", "") if value is None else value
    names = {n.strip().lower() for n in raw.split(",") if n.strip()}
    if not names:
        return frozenset(SERVICES)
    unknown = sorted(names - set(SERVICES) - {PLATFORM})
    if unknown:
        planned = [n for n in unknown if n in CONTEXTS]
        hint = f" ({', '.join(planned)}: not built yet)" if planned else ""
        raise ImproperlyConfigured(
            f"WCN_SERVICES names unknown service(s): {', '.join(unknown)}{hint}. "
            f"Known: {', '.join([PLATFORM, *sorted(SERVICES)])}."
        )
    return frozenset(names - {PLATFORM})


@public
def not_served_here(request, *args, **kwargs):
    """A page of a service this process does not serve (the gateway routes it elsewhere)."""
    raise Http404("This service is not served by this process.")


def _stubbed(patterns: list) -> list:
    """The same URL names and shapes, each answering 404."""
    out = []
    for p in patterns:
        if isinstance(p, URLResolver):
            out.append(URLResolver(p.pattern, _stubbed(p.url_patterns), p.default_kwargs, p.app_name, p.namespace))
        elif isinstance(p, URLPattern):
            out.append(URLPattern(p.pattern, not_served_here, p.default_args, p.name))
    return out


def _service_pages(service: Service, served: bool):
    if served:
        return path(service.pages_prefix, include(service.pages))
    module = import_module(service.pages)
    return path(service.pages_prefix, include((_stubbed(module.urlpatterns), module.app_name)))


ENABLED_SERVICES = enabled_services()

api = build_api()
api.add_router("/platform", platform_router)
api.add_router("/events", events_router)
api.add_router("/audit", audit_router)
for _label in sorted(ENABLED_SERVICES):
    api.add_router(f"/{_label}", import_string(SERVICES[_label].api))

_api_urls = api.urls
for _pattern in _api_urls[0]:
    if getattr(_pattern, "name", None) == "api-root":
        _pattern.callback.wcn_permission = ("public",)  # ninja's /api/v1/ root: 404 pointing to the docs

urlpatterns = [
    path("", include(("writecarenotes.platform.web.urls", "web"))),
    path("", include("writecarenotes.platform.identity.urls")),
    path("", include("writecarenotes.platform.catalog.urls")),
    path("", include("writecarenotes.platform.audit.urls")),
    path("", include("writecarenotes.platform.events.urls")),
    *[_service_pages(service, label in ENABLED_SERVICES) for label, service in SERVICES.items()],
    path("api/v1/", _api_urls),
    path("api/v1/<path:rest>", api_not_found),
]

handler400 = web_views.error_400
handler403 = web_views.error_403
handler404 = web_views.error_404
handler500 = web_views.error_500
