"""What happens inside the transaction that records an administration.

``services_rounds`` calls ``after_administration(administration, by, witness)`` once a record is
saved (and ``after_correction`` after a correction). Each sub-domain that reacts defines, in its
``services_<name>`` module, ``on_administered(administration, by, witness)`` (and optionally
``on_corrected(administration, by, before)``): the controlled drugs register appends its entry,
stock takes the dose off the running balance. They run in the caller's transaction, so a refusal
(for example a controlled drug balance that would go below zero) leaves nothing half-written.
"""

from __future__ import annotations

from importlib import import_module

#: the sub-domains that react, in this order
SUBDOMAINS = ("controlled", "stock")


def _hooks(name: str):
    for sub in SUBDOMAINS:
        module = import_module(f"writecarenotes.medication.services_{sub}")
        hook = getattr(module, name, None)
        if hook is not None:
            yield hook


def after_administration(administration, by, witness=None) -> None:
    for hook in _hooks("on_administered"):
        hook(administration, by, witness)


def after_correction(administration, by, before: dict) -> None:
    for hook in _hooks("on_corrected"):
        hook(administration, by, before)
