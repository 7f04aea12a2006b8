from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "writecarenotes.platform.identity"
    label = "identity"
    verbose_name = _("Identity and access")

    def ready(self):
        from writecarenotes.platform.web.nav import NavItem

        self.wcn_nav = [NavItem(_("Users"), "identity:users", "users", order=905)]
