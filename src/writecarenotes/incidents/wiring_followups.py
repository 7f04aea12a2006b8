"""How the followups sub-domain plugs into the app: the nurse's "Post-fall checks" menu item.

Imported by ``wiring.ready``.
"""

from django.utils.translation import gettext_lazy as _

from writecarenotes.incidents import api_followups
from writecarenotes.platform.web.nav import NavItem

NAV: list = [NavItem(_("Post-fall checks"), "incidents:followups_checks", "incidents", "record", order=31)]
DASHBOARD_PANELS: list = []  # callables(request) -> dict or None
RESIDENT_LINKS: list = []  # (label, url name, context, action)
TIMELINE_PROVIDERS: list = []  # residents/timeline.py providers
TIMELINE_KINDS: dict = {}  # kind -> label
API_PATH_OBJECTS: dict = {"followup_task_id": api_followups.followup_task_exists}  # 404 before the body is read
