"""The platform's own dashboard panels: the active home's facts (or every home in "All homes"),
and what the user's role can do here, with links to the pages that exist and a plain list of
what is still planned.

Services add facts about a home by declaring ``wcn_home_facts`` on their AppConfig: callables
``(request, homes) -> [{"key", "label", "values": {home_id: value}}]`` (one query each, for all
the homes at once). The platform reads them through the app registry and imports no service.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Count, Sum
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from writecarenotes.platform.catalog.catalog import CatalogError, load_catalog
from writecarenotes.platform.identity.capabilities import ACTIONS, CONTEXTS
from writecarenotes.platform.tenancy.models import Room, Unit
from writecarenotes.platform.web.nav import PLATFORM_NAV

#: Contexts whose page is the dashboard itself (the home panel shows them).
_SHOWN_ON_DASHBOARD = {"homes"}


def _extra_facts(request, homes) -> list[dict]:
    facts: list[dict] = []
    for config in apps.get_app_configs():
        for provider in getattr(config, "wcn_home_facts", []):
            facts.extend(provider(request, homes))
    return facts


def home_panel(request) -> dict | None:
    """The active home's registration and size, or a table of every home in "All homes" mode."""
    access = request.access
    if not access.can("homes", "view"):
        return None
    homes = list(access.homes) if access.all_homes else [access.active_home]
    if not homes or homes[0] is None:
        return None
    ids = [h.pk for h in homes]
    units = dict(
        Unit.objects.filter(home_id__in=ids).values("home_id").annotate(n=Count("pk")).values_list("home_id", "n")
    )
    rooms = {
        row["home_id"]: row
        for row in Room.objects.filter(home_id__in=ids).values("home_id").annotate(n=Count("pk"), beds=Sum("beds"))
    }
    extra = _extra_facts(request, homes)
    rows = []
    for home in homes:
        room_row = rooms.get(home.pk, {})
        rows.append(
            {
                "home": home,
                "units": units.get(home.pk, 0),
                "rooms": room_row.get("n", 0),
                "room_beds": room_row.get("beds") or 0,
                "extra": [{"label": f["label"], "value": f["values"].get(home.pk, 0)} for f in extra],
            }
        )
    return {
        "order": 5,
        "template": "web/panels/homes.html",
        "title": _("All homes") if access.all_homes else _("This home"),
        "all_homes": access.all_homes,
        "rows": rows,
        "extra_labels": [f["label"] for f in extra],
    }


def _page_for_context(access) -> dict[str, str]:
    """The first page (by menu order) of each context that the user may open."""
    items = list(PLATFORM_NAV)
    for config in apps.get_app_configs():
        items.extend(getattr(config, "wcn_nav", []))
    pages: dict[str, str] = {}
    for item in sorted(items, key=lambda i: i.order):
        if not item.context or item.context in pages or not access.can(item.context, item.action):
            continue
        try:
            pages[item.context] = reverse(item.url_name)
        except NoReverseMatch:
            continue
    return pages


def _services_by_context() -> dict[str, list]:
    try:
        services = load_catalog()
    except CatalogError:  # a broken catalog fails its own tests; the dashboard still answers
        return {}
    out: dict[str, list] = {}
    for service in services:
        out.setdefault(service.context, []).append(service)
    return out


def role_panel(request) -> dict | None:
    """What the user's role(s) may do in the active home: links to built pages, and the rest
    named plainly as planned (with the catalog's service names and status)."""
    access = request.access
    if not access.roles:
        return None
    pages = _page_for_context(access)
    services = _services_by_context()
    available, planned = [], []
    for context, label in CONTEXTS.items():
        acts = [str(ACTIONS[a]) for a in ACTIONS if access.can(context, a)]
        if not acts:
            continue
        entry = {"context": context, "label": str(label), "actions": acts}
        if context in pages:
            available.append({**entry, "url": pages[context]})
        elif context in _SHOWN_ON_DASHBOARD:
            available.append({**entry, "url": None})
        else:
            entry["services"] = services.get(context, [])
            planned.append(entry)
    return {
        "order": 20,
        "template": "web/panels/role.html",
        "title": _("Your role here"),
        "roles": access.role_labels,
        "where": _("all homes") if access.all_homes else (access.active_home.name if access.active_home else ""),
        "available": available,
        "planned": planned,
        "is_family": "family" in access.roles,
    }
