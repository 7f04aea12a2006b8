from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "writecarenotes.residents"
    label = "residents"
    verbose_name = _("Residents")

    def ready(self):
        from writecarenotes.platform.web.nav import NavItem
        from writecarenotes.residents import events  # noqa: F401  (registers the event types)
        from writecarenotes.residents.dashboard import occupancy_facts, residents_panel
        from writecarenotes.residents.public import exists
        from writecarenotes.residents.timeline import milestones_provider

        self.wcn_nav = [NavItem(_("Residents"), "residents:list", "residents", order=10)]
        # API: another home's resident is a 404 before the body is read (platform/api/api.py)
        self.wcn_api_path_objects_shared = True  # every context's routes
        self.wcn_api_path_objects = {"resident_id": exists}
        self.wcn_dashboard_panels = [residents_panel]
        # Extra facts for the home panel of the dashboard: (request, homes) -> [{key, label, values}]
        self.wcn_home_facts = [occupancy_facts]
        # The care journey (residents/timeline.py): the kinds of item and who provides them
        self.wcn_timeline_kinds = {"milestone": _("Milestones")}
        self.wcn_timeline_providers = [milestones_provider]
