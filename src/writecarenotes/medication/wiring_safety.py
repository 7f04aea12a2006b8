"""How the safety sub-domain plugs into the app: the "Safety overrides" menu item, the managers'
dashboard panel (overrides not reviewed yet) and the API path object (another home's override: 404
before the body is read).

Imported by ``wiring.ready``.
"""

from __future__ import annotations

from writecarenotes.medication import api_safety, views_safety

NAV: list = []  # reached from the medication page and the manager's dashboard panel
DASHBOARD_PANELS: list = [views_safety.dashboard_panel]  # callables(request) -> dict or None
RESIDENT_LINKS: list = []  # (label, url name, context, action)
TIMELINE_PROVIDERS: list = []  # residents/timeline.py providers
TIMELINE_KINDS: dict = {}  # kind -> label
API_PATH_OBJECTS: dict = {"override_id": api_safety.override_exists}
