"""What happens inside the transaction that reports or changes an incident.

``services_report`` calls ``after_report`` once a new incident (with its people and injuries) is
saved, and ``after_change`` after each correction of its facts. Each sub-domain that reacts
defines, in its ``services_<name>`` module, ``on_reported(incident, by)`` and
``on_changed(incident, by, changed)`` (``changed``: the names of the fields that changed); they run
in the caller's transaction, so a failure leaves no half-written incident. They must be
idempotent on ``on_changed``: work out what the facts now require, add what is missing, and never
delete a step already taken (a step no longer required is marked so, with the reason).
"""

from __future__ import annotations

from importlib import import_module

#: the sub-domains that react, in this order (follow-up tasks first: they are the care)
SUBDOMAINS = ("followups", "notifications", "duties", "investigation")


def _hooks(name: str):
    for sub in SUBDOMAINS:
        module = import_module(f"writecarenotes.incidents.services_{sub}")
        hook = getattr(module, name, None)
        if hook is not None:
            yield hook


def after_report(incident, by) -> None:
    for hook in _hooks("on_reported"):
        hook(incident, by)


def after_change(incident, by, changed: list[str]) -> None:
    for hook in _hooks("on_changed"):
        hook(incident, by, changed)
