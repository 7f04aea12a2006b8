"""How the investigation sub-domain plugs into the app: menu items, dashboard panels, links on the resident page.

Imported by ``wiring.ready``; importing it also registers the sub-domain's subscribers and jobs.
"""

from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.web.nav import NavItem


def _exists(model_name: str):
    def exists(pk: int) -> bool:
        from writecarenotes.incidents import models

        return getattr(models, model_name).objects.filter(pk=pk).exists()

    return exists


NAV: list = [
    NavItem(_("Incident trends"), "incidents:trends", "incidents", "view", order=42),
    NavItem(_("Lessons learned"), "incidents:lessons_index", "incidents", "view", order=43),
    NavItem(_("Open actions"), "incidents:actions_open", "incidents", "view", order=44),
]
DASHBOARD_PANELS: list = []  # callables(request) -> html or None
RESIDENT_LINKS: list = []  # (label, url name, context, action)
TIMELINE_PROVIDERS: list = []  # residents/timeline.py providers
TIMELINE_KINDS: dict = {}  # kind -> label
#: API path parameters checked before the body is read (another home's object: 404)
API_PATH_OBJECTS: dict = {
    "investigation_id": _exists("Investigation"),
    "action_id": _exists("InvestigationAction"),
    "lesson_id": _exists("LessonLearned"),
    "why_id": _exists("WhyStep"),
    "factor_id": _exists("ContributoryFactor"),
}
