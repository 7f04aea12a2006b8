"""What a safety check answers: a ``Finding`` per problem, in plain words for the nurse.

A finding with ``overridable=False`` refuses the dose or the order whatever the role; an overridable one
may be overridden only by a person who may manage medicines (nurse, deputy, registered manager), with a
recorded reason that is reported to the manager (``SafetyOverride``, issue 6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

__all__ = ["RULES", "Finding", "amount", "duration", "local", "mg", "when"]

#: every rule code, with what it checks (the overrides page and the API show the label)
RULES = {
    "prn_interval": "PRN minimum interval",
    "prn_max_24h": "PRN most in any 24 hours",
    "ingredient_max_24h": "Most of one ingredient in any 24 hours",
    "allergy": "Allergy or sensitivity",
    "allergy_status": "Allergies not recorded",
    "duplicate_therapy": "Duplicate therapy",
    "interaction": "Drug interaction",
    "slot_recorded": "Dose already recorded",
    "window_not_open": "Too early",
    "order_not_active": "Order not active",
    "dose_outside_order": "Dose outside the prescription",
}


@dataclass(frozen=True)
class Finding:
    rule: str  # a key of RULES
    message: str  # plain words for the nurse: what, and the numbers
    overridable: bool  # False: refused whatever the role
    source: str  # the published source of the rule

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "label": RULES.get(self.rule, self.rule),
            "message": self.message,
            "overridable": self.overridable,
            "source": self.source,
        }


def local(at: datetime) -> datetime:
    return at.astimezone(ZoneInfo(settings.TIME_ZONE))


def when(at: datetime, now: datetime | None = None) -> str:
    """ "10:05" on the same local day as ``now``, "10:05 tomorrow", "10:05 yesterday", else "Tue 3 Mar 10:05"."""
    t = local(at)
    if now is None:
        return t.strftime("%H:%M")
    days = (t.date() - local(now).date()).days
    clock = t.strftime("%H:%M")
    if days == 0:
        return clock
    if days == 1:
        return f"{clock} tomorrow"
    if days == -1:
        return f"{clock} yesterday"
    return f"{t.strftime('%a')} {t.day} {t.strftime('%b')} {clock}"


def duration(delta: timedelta) -> str:
    """A duration in hours and minutes: "3 h 10 min", "4 hours", "45 min" (rounded down to the minute)."""
    minutes = int(delta.total_seconds() // 60)
    hours, mins = divmod(minutes, 60)
    if hours and mins:
        return f"{hours} h {mins} min"
    if hours:
        return f"{hours} hour" if hours == 1 else f"{hours} hours"
    return f"{mins} min"


def amount(value: Decimal, unit: str = "") -> str:
    """A decimal without trailing zeros, with its unit: amount(Decimal("1.500"), "tablets") -> "1.5 tablets"."""
    return f"{Decimal(value).normalize():f} {unit}".strip()


def mg(value: Decimal) -> str:
    """Milligrams in plain words: "500 mg", "3.5 g" (grams from 1 g up, to 0.01 g)."""
    value = Decimal(value)
    if abs(value) >= 1000:
        grams = (value / 1000).quantize(Decimal("0.01")).normalize()
        return f"{grams:f} g"
    return f"{value.quantize(Decimal('0.1')).normalize():f} mg"
