from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "writecarenotes.platform.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from writecarenotes.platform.audit import receivers
        from writecarenotes.platform.identity.permissions import on_denial
        from writecarenotes.platform.web.nav import NavItem

        if receivers.on_denied not in _registered_hooks():
            on_denial(receivers.on_denied)
        user_logged_in.connect(receivers.on_logged_in, dispatch_uid="wcn_audit_login")
        user_logged_out.connect(receivers.on_logged_out, dispatch_uid="wcn_audit_logout")
        user_login_failed.connect(receivers.on_login_failed, dispatch_uid="wcn_audit_login_failed")
        user_locked_out.connect(receivers.on_locked_out, dispatch_uid="wcn_audit_locked_out")
        self.wcn_nav = [NavItem(_("Audit trail"), "audit:records", "audit", order=800)]


def _registered_hooks() -> list:
    from writecarenotes.platform.identity import permissions

    return permissions._denial_hooks
