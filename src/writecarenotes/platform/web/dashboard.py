"""The landing dashboard: panels chosen by the user's capabilities in the active home.

A context contributes panels by declaring ``wcn_dashboard_panels`` on its AppConfig: a list
of callables ``(request) -> dict | None`` returning {"title", "template", ...context}. The
platform reads them through the app registry and never imports a service.
"""

from __future__ import annotations

from django.apps import apps


def dashboard_panels(request) -> list[dict]:
    panels: list[dict] = []
    for config in apps.get_app_configs():
        for provider in getattr(config, "wcn_dashboard_panels", []):
            panel = provider(request)
            if panel:
                panels.append(panel)
    return sorted(panels, key=lambda p: p.get("order", 100))
