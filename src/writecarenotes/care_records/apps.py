from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareRecordsConfig(AppConfig):
    name = "writecarenotes.care_records"
    label = "care_records"
    verbose_name = _("Daily care records")
