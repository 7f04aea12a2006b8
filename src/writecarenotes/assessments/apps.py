from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "writecarenotes.assessments"
    label = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from writecarenotes.assessments import events  # noqa: F401  (registers the event types)
        from writecarenotes.assessments.dashboard import dashboard_panel
        from writecarenotes.platform.web.nav import NavItem

        self.wcn_nav = [
            NavItem(_("Assessments due"), "assessments:due", "assessments", order=20),
            NavItem(_("Assessment tools"), "assessments:tools", "assessments", order=21),
        ]
        self.wcn_dashboard_panels = [dashboard_panel]
        self.wcn_resident_links = [(_("Assessments"), "assessments:resident", "assessments", "view")]
