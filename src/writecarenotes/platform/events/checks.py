"""System check: every subscriber listens to a registered event type."""

from django.core import checks

from writecarenotes.platform.events import registry


def check_subscribers(app_configs=None, **kwargs):
    known = registry.known_event_names()
    return [
        checks.Error(
            f"subscriber {sub.name!r} listens to {sub.event_name!r}, which no module registers",
            hint="Register the event type with @register_event in its context's events.py.",
            id="events.E001",
        )
        for sub in registry.SUBSCRIBERS.values()
        if sub.event_name not in known
    ]
