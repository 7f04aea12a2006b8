"""Per-resident chart settings: targets, intervals and thresholds the rules use.

Defaults (when a resident has no row) are in ``care_records.rules.DEFAULTS``.
"""

from __future__ import annotations

from datetime import time

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.tenancy.models import TenantModel


class ChartSettings(TenantModel):
    resident = models.OneToOneField("residents.Resident", on_delete=models.PROTECT, related_name="+")
    fluid_target_ml = models.PositiveIntegerField(
        _("daily fluid target (ml)"), default=1500, validators=[MinValueValidator(100), MaxValueValidator(5000)]
    )
    fluid_check_time = models.TimeField(_("fluid check time"), default=time(14, 0))
    fluid_check_percent = models.PositiveSmallIntegerField(
        _("expected % of target by the check time"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    repositioning_interval_hours = models.PositiveSmallIntegerField(
        _("repositioning interval (hours)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Leave empty if the resident does not need repositioning."),
    )
    bowel_alert_days = models.PositiveSmallIntegerField(
        _("alert after days without a bowel movement"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(14)],
    )
    monitor_fluids = models.BooleanField(_("on a fluid chart"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("chart settings")
