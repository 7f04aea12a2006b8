"""/services: what is built so far, service by service, readable on a phone."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.catalog.catalog import STATUSES, Catalog, Service, load, status_counts
from writecarenotes.platform.identity.capabilities import CONTEXTS
from writecarenotes.platform.identity.permissions import requires

STATUS_LABELS = {"planned": _("Planned"), "partial": _("Partly built"), "working": _("Working")}
STATUS_HELP = {
    "planned": _("nothing built yet"),
    "partial": _("some of it works"),
    "working": _("works end to end"),
}
PLATFORM_LABELS = {
    "tenancy": _("Organisations and homes"),
    "identity": _("Identity and access"),
    "audit": _("Audit trail"),
    "events": _("Domain events and background work"),
    "api": _("JSON API"),
    "web": _("Page shell"),
}
GROUPINGS = {"section": _("Specification section"), "context": _("Context")}


def context_label(context: str) -> str:
    if context in PLATFORM_LABELS:
        return str(PLATFORM_LABELS[context])
    return str(CONTEXTS.get(context, context))


def _service_row(s: Service) -> dict:
    return {
        "number": s.number,
        "name": s.name,
        "section": s.section,
        "context": s.context,
        "context_label": context_label(s.context),
        "status": s.status,
        "status_label": STATUS_LABELS[s.status],
        "note": s.note,
        "capabilities": [
            {"text": c.text, "status": c.status, "status_label": STATUS_LABELS[c.status], "note": c.note}
            for c in s.capabilities
        ],
    }


def _groups(catalog: Catalog, grouping: str) -> list[dict]:
    groups: dict[str, dict] = {}
    for s in catalog.services:
        if grouping == "context":
            key, heading = s.context, context_label(s.context)
        else:
            key, heading = s.section, s.section
        group = groups.setdefault(key, {"key": key, "heading": heading, "services": [], "objects": []})
        group["services"].append(_service_row(s))
        group["objects"].append(s)
    result = list(groups.values())
    for g in result:
        g["counts"] = [
            {"status": st, "label": STATUS_LABELS[st], "count": n}
            for st, n in reversed(status_counts(g.pop("objects")).items())
            if n
        ]
    if grouping == "context":
        result.sort(key=lambda g: g["heading"].casefold())
    return result


@requires("catalog", "view")
def services(request):
    catalog = load()
    grouping = request.GET.get("group", "section")
    if grouping not in GROUPINGS:
        grouping = "section"
    counts = status_counts(catalog.services)
    return render(
        request,
        "catalog/services.html",
        {
            "services": catalog.services,
            "total": len(catalog.services),
            "counts": [
                {"status": st, "label": STATUS_LABELS[st], "help": STATUS_HELP[st], "count": counts[st]}
                for st in reversed(STATUSES)
            ],
            "groupings": [{"key": k, "label": v, "current": k == grouping} for k, v in GROUPINGS.items()],
            "grouping": grouping,
            "groups": _groups(catalog, grouping),
            "platform": [
                {
                    "key": p.key,
                    "label": PLATFORM_LABELS.get(p.key, p.name),
                    "status": p.status,
                    "status_label": STATUS_LABELS[p.status],
                    "note": p.note,
                }
                for p in catalog.platform
            ],
        },
    )
