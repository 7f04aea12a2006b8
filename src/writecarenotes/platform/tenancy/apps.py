from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "writecarenotes.platform.tenancy"
    label = "tenancy"
    verbose_name = _("Organisations and care homes")
