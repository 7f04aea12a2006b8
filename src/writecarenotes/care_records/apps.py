from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareRecordsConfig(AppConfig):
    name = "writecarenotes.care_records"
    label = "care_records"
    verbose_name = _("Daily care records")

    def ready(self):
        from writecarenotes.care_records import (
            events,  # noqa: F401  (registers the event types)
            services_vitals,  # noqa: F401  (registers the NEWS2 alert source)
            subscribers_care_plans,  # noqa: F401  (the charts follow agreed care plans)
        )
        from writecarenotes.care_records.alerts import dashboard_panel
        from writecarenotes.care_records.timeline import care_records_provider
        from writecarenotes.care_records.vitals_views import vitals_timeline_provider
        from writecarenotes.platform.web.nav import NavItem

        self.wcn_nav = [
            NavItem(_("Who needs what now"), "care_records:alerts", "care_records", order=15),
            NavItem(_("Care records"), "care_records:index", "care_records", order=16),
        ]
        self.wcn_dashboard_panels = [dashboard_panel]
        # links on the resident's page (residents/views.py: resident_links)
        self.wcn_resident_links = [(_("Daily care records"), "care_records:resident", "care_records", "view")]
        self.wcn_timeline_kinds = {"note": _("Notes"), "chart": _("Charts"), "vital_signs": _("Vital signs")}
        self.wcn_timeline_providers = [care_records_provider, vitals_timeline_provider]
