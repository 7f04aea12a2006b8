from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "writecarenotes.platform.events"
    label = "events"
    verbose_name = _("Domain events and background work")

    def ready(self):
        from django.core import checks
        from django.utils.module_loading import autodiscover_modules

        from writecarenotes.platform.events import worker
        from writecarenotes.platform.events.checks import check_subscribers
        from writecarenotes.platform.web.nav import NavItem

        # Every app's event types, subscribers and scheduled jobs, in every process.
        autodiscover_modules("events", "subscribers", "jobs")
        checks.register(check_subscribers)
        self.wcn_nav = [NavItem(_("Failed event deliveries"), "events:dead_letters", "integration", "manage", 940)]
        # The serving process's background thread (gunicorn loads the app in each worker process).
        worker.start_if_enabled()
