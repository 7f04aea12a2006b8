from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "writecarenotes.platform.tenancy"
    label = "tenancy"
    verbose_name = _("Organisations and care homes")

    def ready(self):
        # API path parameters resolved before the body is parsed (platform/api/api.py)
        self.wcn_api_path_objects_shared = True  # every context's routes
        self.wcn_api_path_objects = {"unit_id": unit_exists}


def unit_exists(pk: int) -> bool:
    """True when the unit ``pk`` is in the caller's scope."""
    from writecarenotes.platform.tenancy.models import Unit

    return Unit.objects.filter(pk=pk).exists()
