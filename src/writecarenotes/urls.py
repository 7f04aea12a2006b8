"""The composition root: platform URLs, then each service's pages and API router.

This module (with cli.py and demo/) is the only place that knows every service.
"""

from django.urls import include, path

from writecarenotes.platform.api.api import build_api, platform_router
from writecarenotes.platform.web import views as web_views
from writecarenotes.residents.api import router as residents_router

api = build_api()
api.add_router("/platform", platform_router)
api.add_router("/residents", residents_router)

urlpatterns = [
    path("", include(("writecarenotes.platform.web.urls", "web"))),
    path("", include("writecarenotes.platform.identity.urls")),
    path("", include("writecarenotes.platform.catalog.urls")),
    path("", include("writecarenotes.platform.audit.urls")),
    path("", include("writecarenotes.platform.events.urls")),
    path("residents/", include("writecarenotes.residents.urls")),
    path("api/v1/", api.urls),
]

handler400 = web_views.error_400
handler403 = web_views.error_403
handler404 = web_views.error_404
handler500 = web_views.error_500
