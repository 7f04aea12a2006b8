from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "writecarenotes.incidents"
    label = "incidents"
    verbose_name = _("Incidents and safeguarding")

    def ready(self):
        from writecarenotes.incidents import (
            events,  # noqa: F401  (registers the event types)
            wiring,
        )

        wiring.ready(self)
