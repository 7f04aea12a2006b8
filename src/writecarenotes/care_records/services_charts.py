"""Services of chart entries and per-resident chart settings (one transaction each: row, audit, event)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from writecarenotes.care_records import rules
from writecarenotes.care_records.events import ChartEntryRecorded, LowBloodGlucoseRecorded
from writecarenotes.care_records.models import (
    BehaviourEntry,
    BloodGlucoseEntry,
    ChartSettings,
    ContinenceEntry,
    FoodFluidEntry,
    RepositioningEntry,
    SleepCheck,
    WeightEntry,
)
from writecarenotes.care_records.services_notes import create_entry, subject_of
from writecarenotes.platform.api.concurrency import check_if_match, etag_for
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.events.api import publish
from writecarenotes.residents.public import get_resident

#: chart slug (URLs, API, forms) → model
CHARTS: dict[str, type] = {
    "food-fluid": FoodFluidEntry,
    "repositioning": RepositioningEntry,
    "continence": ContinenceEntry,
    "weight": WeightEntry,
    "blood-glucose": BloodGlucoseEntry,
    "behaviour": BehaviourEntry,
    "sleep": SleepCheck,
}


def _check(model, values: dict) -> None:
    if model is FoodFluidEntry:
        if not values.get("fluid_ml") and not values.get("amount_eaten"):
            raise ValidationError({"fluid_ml": _("Enter the amount drunk (ml) or how much was eaten.")})
    elif model is ContinenceEntry:
        if values.get("stool_type") and not values.get("bowels_opened"):
            values["bowels_opened"] = True
        if values.get("urine_ml") and not values.get("urine_passed"):
            values["urine_passed"] = True
        if not (values.get("bowels_opened") or values.get("urine_passed") or values.get("pad_changed")):
            if not (values.get("notes") or "").strip():
                raise ValidationError({"bowels_opened": _("Record what happened: bowels, urine or pad change.")})


def record_chart_entry(chart: str, *, resident_id: int, user, occurred_at, values: dict):
    """Record one entry on ``chart`` (a slug of CHARTS) for the resident."""
    model = CHARTS.get(chart)
    if model is None:
        raise ValueError(f"unknown chart {chart!r}")
    values = dict(values)
    _check(model, values)
    with transaction.atomic():
        entry = create_entry(model, resident_id=resident_id, user=user, occurred_at=occurred_at, values=values)
        publish(
            ChartEntryRecorded(
                chart=chart, entry_id=entry.pk, resident_id=entry.resident_id, occurred_at=entry.occurred_at
            ),
            home=entry.home_id,
        )
        if model is BloodGlucoseEntry and rules.is_hypo(entry.mmol_per_l):
            publish(
                LowBloodGlucoseRecorded(
                    entry_id=entry.pk, resident_id=entry.resident_id, mmol_per_l=float(Decimal(entry.mmol_per_l))
                ),
                home=entry.home_id,
            )
    return entry


def default_settings(resident_id: int) -> ChartSettings:
    """An unsaved settings row with the defaults (no query)."""
    d = rules.DEFAULTS
    return ChartSettings(
        resident_id=resident_id,
        fluid_target_ml=d.fluid_target_ml,
        fluid_check_time=d.fluid_check_time,
        fluid_check_percent=d.fluid_check_percent,
        repositioning_interval_hours=d.repositioning_interval_hours,
        bowel_alert_days=d.bowel_alert_days,
        monitor_fluids=d.monitor_fluids,
    )


def settings_for(resident_id: int) -> ChartSettings:
    """The resident's chart settings, or an unsaved row with the defaults."""
    return ChartSettings.objects.filter(resident_id=resident_id).first() or default_settings(resident_id)


SETTING_FIELDS = (
    "fluid_target_ml",
    "fluid_check_time",
    "fluid_check_percent",
    "repositioning_interval_hours",
    "bowel_alert_days",
    "monitor_fluids",
)


def set_chart_settings(
    *, resident_id: int, values: dict, reason: str = "", if_match: str | None = None
) -> ChartSettings:
    """Create or change a resident's chart settings (targets, intervals, thresholds).

    ``if_match`` (the API's If-Match): refused with 412 when the settings changed since they were
    read (the ETag of a resident without settings is that of the defaults)."""
    ref = get_resident(resident_id)
    unknown = set(values) - set(SETTING_FIELDS)
    if unknown:
        raise ValueError(f"unknown settings {sorted(unknown)}")
    with transaction.atomic():
        row = ChartSettings.objects.select_for_update().filter(resident_id=ref.id).first()
        check_if_match(if_match, etag_for(row or settings_for(ref.id)))
        before = {f: _plain(getattr(row, f)) for f in SETTING_FIELDS} if row else None
        if row is None:
            row = settings_for(ref.id)
            row.home_id = ref.home_id
        for k, v in values.items():
            setattr(row, k, v)
        row.full_clean(exclude=["organisation", "home", "resident"])
        row.save()
        record_change(
            "care_records.chart_settings.changed",
            target=row,
            before=before,
            after={f: _plain(getattr(row, f)) for f in SETTING_FIELDS},
            reason=reason,
            subject=subject_of(ref.id),
            subject_label=ref.display_name,
        )
    return row


def _plain(v):
    return v.isoformat() if hasattr(v, "isoformat") else v
