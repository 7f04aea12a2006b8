from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarePlanningConfig(AppConfig):
    name = "writecarenotes.care_planning"
    label = "care_planning"
    verbose_name = _("Care planning")

    def ready(self):
        from writecarenotes.care_planning import (
            events,  # noqa: F401  (registers the event types)
            jobs_capacity,  # noqa: F401  (liberty authorisations: dols.expiring / dols.expired)
            jobs_pathways,  # noqa: F401  (pathways: therapy equipment servicing)
            jobs_plans,  # noqa: F401  (care plans: overdue reviews)
            subscribers_plans,  # noqa: F401  (care plans: review when an assessment band worsens)
            views_capacity_liberty,
            views_risks,
        )
        from writecarenotes.platform.web.nav import NavItem

        self.wcn_nav = [
            NavItem(_("Carers' tasks"), "care_planning:tasks", "care_planning", order=17),
            NavItem(_("Care plan reviews"), "care_planning:reviews_due", "care_planning", order=22),
            NavItem(_("Specialist pathways"), "care_planning:pathways_home", "care_planning", order=23),
            NavItem(_("Risk register"), "care_planning:risks_index", "care_planning", order=24),
            NavItem(_("Liberty authorisations"), "care_planning:capacity_expiring", "care_planning", order=25),
        ]
        self.wcn_dashboard_panels = [views_risks.dashboard_panel, views_capacity_liberty.dashboard_panel]
        # links on the resident's page (residents/views.py: resident_links)
        self.wcn_resident_links = [
            (_("Care plans"), "care_planning:plans_resident", "care_planning", "view"),
            (_("Risks"), "care_planning:risks_resident", "care_planning", "view"),
            (_("Mental capacity and liberty"), "care_planning:capacity_resident", "care_planning", "view"),
            (_("Specialist pathways"), "care_planning:pathways_resident", "care_planning", "view"),
        ]
