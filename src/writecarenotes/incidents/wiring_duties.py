"""How the duties sub-domain plugs into the app: the manager's "Overdue obligations" dashboard panel.

Imported by ``wiring.ready``.
"""

from writecarenotes.incidents import api_duties, views_duties

NAV: list = []  # platform.web.nav.NavItem
DASHBOARD_PANELS: list = [views_duties.dashboard_panel]  # callables(request) -> dict or None
RESIDENT_LINKS: list = []  # (label, url name, context, action)
TIMELINE_PROVIDERS: list = []  # residents/timeline.py providers
TIMELINE_KINDS: dict = {}  # kind -> label
API_PATH_OBJECTS: dict = {"duty_step_id": api_duties.duty_step_exists}  # 404 before the body is read
