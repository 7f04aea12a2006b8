"""The facts of an incident that the law of each nation reads: one frozen value, no database.

``facts_of(incident)`` builds it from an ``Incident``; the rules (``rules.notifications`` for the
regulators, ``rules.candour`` for the duty of candour) are pure functions of ``Facts``, so each rule
is tested case by case without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Facts:
    nation: str  # tenancy.Nation: england, wales, scotland, northern_ireland, ireland
    care_type: str  # tenancy.CareType of the home (nursing, residential, ...)
    kind: str  # models.IncidentType
    severity: str  # models.Severity
    occurred_at: datetime
    reported_at: datetime
    resident_affected: bool = True  # a resident (service user) is among the people affected
    serious_injury_tests: frozenset[str] = field(default_factory=frozenset)  # keys of SERIOUS_INJURY_TESTS
    treatment_to_prevent_serious_injury: bool = False
    medical_attention: str = "none"  # models.MedicalAttention
    abuse_alleged: bool = False
    police_involved: bool = False
    disruption_hours: int | None = None
    unexpected_or_unintended: bool = True
    pressure_ulcer_category: str = ""  # models.PressureUlcerCategory, "" when not a pressure ulcer
    witnessed: bool | None = None
    head_struck: bool | None = None

    @property
    def is_serious_injury(self) -> bool:
        return bool(self.serious_injury_tests) or self.treatment_to_prevent_serious_injury


def facts_of(incident) -> Facts:
    """The facts of a saved incident (``incident.home`` is read; pass one with the home selected)."""
    from writecarenotes.incidents.models import PersonKind, PersonRole

    affected = incident.people.filter(role=PersonRole.AFFECTED, kind=PersonKind.RESIDENT).exists()
    return Facts(
        nation=incident.home.nation,
        care_type=incident.home.care_type,
        kind=incident.kind,
        severity=incident.severity,
        occurred_at=incident.occurred_at,
        reported_at=incident.reported_at,
        resident_affected=affected,
        serious_injury_tests=frozenset(incident.serious_injury_tests or ()),
        treatment_to_prevent_serious_injury=incident.treatment_to_prevent_serious_injury,
        medical_attention=incident.medical_attention,
        abuse_alleged=incident.abuse_alleged or incident.kind == "abuse",
        police_involved=incident.police_involved,
        disruption_hours=incident.disruption_hours,
        unexpected_or_unintended=incident.unexpected_or_unintended,
        pressure_ulcer_category=incident.pressure_ulcer_category,
        witnessed=incident.witnessed,
        head_struck=incident.head_struck,
    )
