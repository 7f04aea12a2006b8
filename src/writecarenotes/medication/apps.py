from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MedicationConfig(AppConfig):
    name = "writecarenotes.medication"
    label = "medication"
    verbose_name = _("Medication")

    def ready(self):
        from writecarenotes.medication import (
            events,  # noqa: F401  (registers the event types)
            wiring,
        )

        wiring.ready(self)
