from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarePlanningConfig(AppConfig):
    name = "writecarenotes.care_planning"
    label = "care_planning"
    verbose_name = _("Care planning")

    def ready(self):
        from writecarenotes.care_planning import events  # noqa: F401  (registers the event types)
