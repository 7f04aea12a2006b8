"""Residents (service 1): the resident (identity, lifecycle, profile) and the profile's parts."""

from writecarenotes.residents.models.profile import (
    Allergy,
    AllergySeverity,
    AttorneyKind,
    Contact,
    Diagnosis,
    DiagnosisStatus,
    PowerOfAttorney,
)
from writecarenotes.residents.models.resident import (
    AbsenceKind,
    DischargeDestination,
    DnacprStatus,
    FundingType,
    Milestone,
    PreAdmissionOutcome,
    Resident,
    ResidentStatus,
)

__all__ = [
    "AbsenceKind",
    "Allergy",
    "AllergySeverity",
    "AttorneyKind",
    "Contact",
    "Diagnosis",
    "DiagnosisStatus",
    "DischargeDestination",
    "DnacprStatus",
    "FundingType",
    "Milestone",
    "PowerOfAttorney",
    "PreAdmissionOutcome",
    "Resident",
    "ResidentStatus",
]
