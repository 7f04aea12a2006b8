from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "writecarenotes.assessments"
    label = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from writecarenotes.assessments import events  # noqa: F401  (registers the event types)
