"""Daily care records. Every model module is imported here so Django sees its models.

R3's vital signs live in ``models/vitals.py``.
"""

from writecarenotes.care_records.models.base import CareRecordBase, CareRecordQuerySet, is_late_entry
from writecarenotes.care_records.models.charts import (
    BehaviourEntry,
    BloodGlucoseEntry,
    ContinenceEntry,
    FoodFluidEntry,
    RepositioningEntry,
    SleepCheck,
    WeightEntry,
)
from writecarenotes.care_records.models.movements import MovementKind, ResidentMovement
from writecarenotes.care_records.models.notes import CareNote, Handover, HandoverItem
from writecarenotes.care_records.models.settings import ChartSettings
from writecarenotes.care_records.models.vitals import *  # noqa: F403

__all__ = [
    "BehaviourEntry",
    "BloodGlucoseEntry",
    "CareNote",
    "CareRecordBase",
    "CareRecordQuerySet",
    "ChartSettings",
    "ContinenceEntry",
    "FoodFluidEntry",
    "Handover",
    "HandoverItem",
    "MovementKind",
    "RepositioningEntry",
    "ResidentMovement",
    "SleepCheck",
    "WeightEntry",
    "is_late_entry",
]
