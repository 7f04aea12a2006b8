"""Medicines stock: per medicine per resident (and the home's own stock for homely remedies), the 28-day
cycle, returns and disposals, and the fridge temperature log.

- NICE SC1 "Managing medicines in care homes": care homes keep records of medicines received, given,
  returned and disposed of, and order in good time (the 28-day repeat cycle is the usual arrangement
  with the supplying pharmacy; the lead time before the cycle is a home setting).
- Fridge: UKHSA "Immunisation against infectious disease" (the Green Book), chapter 3, and RPS guidance on
  the handling of medicines in social care: medicines needing refrigeration are kept between +2 °C and
  +8 °C, with the current, minimum and maximum temperatures read and recorded at least once each day.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from writecarenotes.medication.models.medicines import Medicine
from writecarenotes.platform.tenancy.models import TenantModel

__all__ = [
    "FRIDGE_MAX_C",
    "FRIDGE_MIN_C",
    "Fridge",
    "FridgeReading",
    "MovementKind",
    "StockItem",
    "StockMovement",
    "StockSettings",
]

#: Green Book chapter 3: store between +2 °C and +8 °C (both limits in range)
FRIDGE_MIN_C = Decimal("2.0")
FRIDGE_MAX_C = Decimal("8.0")


class StockSettings(TenantModel):
    """A home's ordering cycle: the start of any one 28-day cycle, and how many days before the next
    cycle the order goes to the GP and pharmacy."""

    cycle_start = models.DateField(_("a cycle start date"))
    cycle_days = models.PositiveSmallIntegerField(_("days in a cycle"), default=28)
    order_lead_days = models.PositiveSmallIntegerField(_("order this many days before the cycle starts"), default=7)
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta(TenantModel.Meta):
        verbose_name = _("stock settings")
        constraints = [
            models.UniqueConstraint(fields=["home"], name="med_stock_settings_per_home"),
            models.CheckConstraint(condition=Q(cycle_days__gte=7, cycle_days__lte=56), name="med_stock_cycle_7_56"),
            models.CheckConstraint(condition=Q(order_lead_days__lte=28), name="med_stock_lead_lte_28"),
        ]


class StockItem(TenantModel):
    """The stock of one medicine for one resident (``resident`` empty: the home's own stock)."""

    medicine = models.ForeignKey(Medicine, on_delete=models.PROTECT, related_name="stock_items")
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: may go below zero when doses were given with too little stock recorded (never blocked): then
    #: ``needs_count`` asks for a count
    balance = models.DecimalField(_("in stock"), max_digits=12, decimal_places=3, default=0)
    needs_count = models.BooleanField(_("needs a count"), default=False)
    needs_count_reason = models.CharField(max_length=300, blank=True)
    last_counted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta(TenantModel.Meta):
        verbose_name = _("stock item")
        ordering = ["medicine__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["home", "medicine", "resident"], condition=Q(resident__isnull=False), name="med_stock_item_res"
            ),
            models.UniqueConstraint(
                fields=["home", "medicine"], condition=Q(resident__isnull=True), name="med_stock_item_home"
            ),
        ]

    def __str__(self) -> str:
        return str(self.medicine)


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("Received from the pharmacy")
    CARRIED_FORWARD = "carried_forward", _("Carried forward (counted at the cycle start)")
    DOSE = "dose", _("Dose given")
    DOSE_CORRECTION = "dose_correction", _("Dose record corrected")
    RETURN = "return", _("Returned to the pharmacy")
    DISPOSAL = "disposal", _("Disposed of")
    COUNT = "count", _("Counted")


class StockMovement(TenantModel):
    """One change to an item's stock, with the balance after it. Never updated or deleted."""

    item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(max_length=20, choices=MovementKind.choices)
    #: signed change to the balance
    change = models.DecimalField(max_digits=12, decimal_places=3)
    balance_after = models.DecimalField(max_digits=12, decimal_places=3)
    #: for a count: what was counted
    counted = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    occurred_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cycle_start = models.DateField(null=True, blank=True)
    supplier = models.CharField(_("pharmacy"), max_length=160, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    administration = models.ForeignKey(
        "medication.Administration", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta(TenantModel.Meta):
        verbose_name = _("stock movement")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["item", "occurred_at"], name="med_stock_mv_item_at")]


class Fridge(TenantModel):
    name = models.CharField(_("fridge"), max_length=80)
    location = models.CharField(_("where it is"), max_length=120, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta(TenantModel.Meta):
        verbose_name = _("medicines fridge")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["home", "name"], name="med_fridge_name_per_home")]

    def __str__(self) -> str:
        return self.name


class FridgeReading(TenantModel):
    """A reading of the fridge's thermometer: now, and the lowest and highest since it was last reset."""

    fridge = models.ForeignKey(Fridge, on_delete=models.PROTECT, related_name="readings")
    read_at = models.DateTimeField(_("read at"))
    current_c = models.DecimalField(_("current °C"), max_digits=4, decimal_places=1)
    min_c = models.DecimalField(_("minimum °C"), max_digits=4, decimal_places=1)
    max_c = models.DecimalField(_("maximum °C"), max_digits=4, decimal_places=1)
    in_range = models.BooleanField()
    action_taken = models.CharField(_("action taken"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta(TenantModel.Meta):
        verbose_name = _("fridge temperature reading")
        ordering = ["-read_at", "-pk"]
        indexes = [models.Index(fields=["fridge", "read_at"], name="med_fridge_read_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(in_range=True) | ~Q(action_taken=""), name="med_fridge_out_needs_action"
            ),
            models.CheckConstraint(condition=Q(min_c__lte=models.F("max_c")), name="med_fridge_min_lte_max"),
        ]
