"""Navigation built from the installed contexts and the user's capabilities.

A context's AppConfig declares ``wcn_nav = [NavItem(...)]``; the platform reads it through
Django's app registry, so the platform never imports a service.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    context: str
    action: str = "view"
    order: int = 100


PLATFORM_NAV = [
    NavItem(_("Dashboard"), "web:dashboard", "", order=0),
    NavItem(_("Services"), "catalog:services", "catalog", order=900),
    NavItem(_("Who can do what"), "identity:access_table", "users", order=910),
]


def nav_for(access) -> list[dict]:
    items = list(PLATFORM_NAV)
    for config in apps.get_app_configs():
        items.extend(getattr(config, "wcn_nav", []))
    out = []
    for item in sorted(items, key=lambda i: (i.order, str(i.label))):
        if item.context and not access.can(item.context, item.action):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        out.append({"label": item.label, "url": url, "name": item.url_name})
    return out
