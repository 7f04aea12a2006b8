"""How the notifications sub-domain plugs into the app: menu items, dashboard panels, links on the resident page.

Imported by ``wiring.ready``; importing it also registers the sub-domain's subscribers and jobs.
"""

from django.utils.translation import gettext_lazy as _

from writecarenotes.incidents import (
    jobs_notifications,  # noqa: F401  (HIQA returns: the daily job)
    subscribers_notifications,  # noqa: F401  (dols.changed: DoLS notifications about a resident)
    views_notifications,
)
from writecarenotes.incidents.api_notifications import notification_exists, return_exists
from writecarenotes.platform.web.nav import NavItem

NAV: list = [NavItem(_("Statutory notifications"), "incidents:notifications_due", "incidents", order=31)]
DASHBOARD_PANELS: list = [views_notifications.dashboard_panel]  # callables(request) -> html or None
RESIDENT_LINKS: list = []  # (label, url name, context, action)
TIMELINE_PROVIDERS: list = []  # residents/timeline.py providers
TIMELINE_KINDS: dict = {}  # kind -> label
#: the API answers 404 for another home's notification or return before it reads the body
API_PATH_OBJECTS: dict = {"notification_id": notification_exists, "return_id": return_exists}
