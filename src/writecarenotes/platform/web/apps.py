from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "writecarenotes.platform.web"
    label = "web"
    verbose_name = _("Page shell")

    def ready(self):
        from writecarenotes.platform.web.panels import home_panel, role_panel

        self.wcn_dashboard_panels = [home_panel, role_panel]
