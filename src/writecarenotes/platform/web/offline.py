"""The installable web app: manifest, service worker and the offline fallback page.

Care home Wi-Fi drops in corridors and bedrooms. The phone keeps notes and chart entries made
while offline (static/wcn/offline.js, IndexedDB) and sends them when the connection returns.
The service worker only keeps the app SHELL (stylesheet, scripts, icon, the offline page):

- it is served from ``/sw.js`` (not /static/) so that its scope is the whole site ("/");
- its cache name carries a version computed from the shell files, so a new release replaces
  the old cache instead of serving stale assets;
- pages are network-first and never stored: a shared device must not keep resident data in a
  cache; when the network is gone a page request gets the offline page instead;
- API JSON and every other request pass straight through, uncached.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from writecarenotes.platform.identity.permissions import public

#: Static files of the app shell (the service worker caches these and the offline page).
SHELL_STATIC = ("wcn/app.css", "wcn/app.js", "wcn/offline.js", "wcn/icon.svg", "django_htmx/htmx-2.min.js")
#: Matches --brand in static/wcn/app.css.
THEME_COLOUR = "#0b5d5e"
#: Matches --wash in static/wcn/app.css.
BACKGROUND_COLOUR = "#f3f5f6"
_SW_SOURCE = Path(__file__).parent / "static" / "wcn" / "sw.js"


def shell_urls() -> list[str]:
    return [static(name) for name in SHELL_STATIC] + [reverse("web:offline")]


def _shell_version() -> str:
    """A short hash of the shell's URLs and contents: changes whenever a release changes them."""
    digest = hashlib.sha256(_SW_SOURCE.read_bytes())
    for name in SHELL_STATIC:
        digest.update(static(name).encode())
        found = finders.find(name)
        if found:
            digest.update(Path(found).read_bytes())
    return digest.hexdigest()[:12]


@lru_cache(maxsize=1)
def _cached_shell_version() -> str:
    return _shell_version()


def shell_version() -> str:
    # Production files never change under a running process; in development they do.
    return _cached_shell_version() if getattr(settings, "PRODUCTION", False) else _shell_version()


@public
@require_GET
def service_worker(request):
    """The service worker script, with its shell list and cache version prepended."""
    config = {"cache": f"wcn-shell-{shell_version()}", "shell": shell_urls(), "offline": reverse("web:offline")}
    body = f"self.WCN_SW = {json.dumps(config)};\n" + _SW_SOURCE.read_text(encoding="utf-8")
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # Browsers re-check the worker at most daily anyway; never let a proxy keep an old one.
    response["Cache-Control"] = "no-cache"
    return response


@public
@require_GET
def manifest(request):
    """The web app manifest: lets a carer install WriteCareNotes on the phone's home screen."""
    data = {
        "name": "WriteCareNotes",
        "short_name": "CareNotes",
        "description": _("Care records at the point of care, even when the Wi-Fi drops."),
        "lang": getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [{"src": static("wcn/icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
    }
    response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


@public
@require_GET
def offline_page(request):
    """Shown by the service worker when a page cannot be reached. Holds no personal data
    (it is cached on the device), so it does not use the signed-in page shell."""
    response = render(request, "web/offline.html")
    response["Cache-Control"] = "no-cache"
    return response
