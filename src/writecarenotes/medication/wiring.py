"""Plugs the sub-domains into the platform's extension points (see each ``wiring_<name>`` module)."""

from __future__ import annotations

from importlib import import_module

SUBDOMAINS = ("orders", "rounds", "safety", "controlled", "stock", "errors")


def ready(config) -> None:
    modules = [import_module(f"writecarenotes.medication.wiring_{name}") for name in SUBDOMAINS]
    config.wcn_nav = [item for m in modules for item in m.NAV]
    config.wcn_dashboard_panels = [panel for m in modules for panel in m.DASHBOARD_PANELS]
    config.wcn_resident_links = [link for m in modules for link in m.RESIDENT_LINKS]
    config.wcn_timeline_providers = [p for m in modules for p in m.TIMELINE_PROVIDERS]
    config.wcn_timeline_kinds = {k: v for m in modules for k, v in m.TIMELINE_KINDS.items()}
    config.wcn_api_path_objects = {k: v for m in modules for k, v in getattr(m, "API_PATH_OBJECTS", {}).items()}
