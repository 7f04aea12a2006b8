"""Domain events of the medication round (eMAR).

Published by ``services_rounds`` in the recording transaction (outbox). Other contexts react:
incidents, notifications and the family portal later.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from writecarenotes.platform.events.api import DomainEvent, register_event

__all__ = ["DoseGiven", "DoseOmitted", "DoseRefused", "PrnEffectRecorded", "SafetyCheckOverridden"]


class _Dose(DomainEvent):
    administration_id: int
    order_id: int
    resident_id: int
    medicine: str  # the product's name
    due_at: datetime | None  # None for a PRN dose
    at: datetime
    late: bool = False


@register_event
class DoseGiven(_Dose):
    """A dose was given (or self-administered: ``outcome``)."""

    name: ClassVar[str] = "medication.dose_given"
    version: ClassVar[int] = 1
    dose: str  # decimal, in the dose unit
    dose_unit: str
    is_prn: bool = False
    outcome: str = "given"


@register_event
class DoseRefused(_Dose):
    """The resident refused the dose."""

    name: ClassVar[str] = "medication.dose_refused"
    version: ClassVar[int] = 1
    reason_code: str = ""


@register_event
class DoseOmitted(_Dose):
    """The dose was not given for another reason: omitted, withheld, unavailable, resident absent, not
    required (``outcome``, ``reason_code``)."""

    name: ClassVar[str] = "medication.dose_omitted"
    version: ClassVar[int] = 1
    outcome: str
    reason_code: str = ""
    time_critical: bool = False


@register_event
class PrnEffectRecorded(DomainEvent):
    """The effect of a PRN dose was checked and recorded."""

    name: ClassVar[str] = "medication.prn_effect_recorded"
    version: ClassVar[int] = 1
    administration_id: int
    resident_id: int
    effect: str  # PrnEffect


@register_event
class SafetyCheckOverridden(DomainEvent):
    """A safety check was overridden with a reason (reported to the manager)."""

    name: ClassVar[str] = "medication.safety_overridden"
    version: ClassVar[int] = 1
    administration_id: int
    resident_id: int
    rules: list[str]
