"""Chart entries: food and fluid, repositioning, continence and bowels, weight, blood glucose,
behaviour (ABC) and sleep. The rules that read them are pure functions in ``care_records.rules``."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from writecarenotes.care_records.models.base import CareRecordBase


class Meal(models.TextChoices):
    BREAKFAST = "breakfast", _("Breakfast")
    LUNCH = "lunch", _("Lunch")
    TEA = "tea", _("Tea / supper")
    SNACK = "snack", _("Snack")
    DRINK = "drink", _("Drink only")


class AmountEaten(models.TextChoices):
    NONE = "none", _("None")
    QUARTER = "quarter", _("A quarter")
    HALF = "half", _("Half")
    THREE_QUARTERS = "three_quarters", _("Three quarters")
    ALL = "all", _("All")
    REFUSED = "refused", _("Refused")


class FoodFluidEntry(CareRecordBase):
    record_kind = "food_fluid"

    meal = models.CharField(_("meal"), max_length=20, choices=Meal.choices, default=Meal.DRINK)
    item = models.CharField(_("food or drink"), max_length=200)
    fluid_ml = models.PositiveIntegerField(
        _("fluid taken (ml)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(2000)]
    )
    amount_eaten = models.CharField(_("amount eaten"), max_length=20, choices=AmountEaten.choices, blank=True)

    class Meta(CareRecordBase.Meta):
        verbose_name = _("food and fluid entry")

    def summary(self) -> str:
        parts = [self.item]
        if self.fluid_ml:
            parts.append(f"{self.fluid_ml} ml")
        if self.amount_eaten:
            parts.append(str(self.get_amount_eaten_display()))
        return " · ".join(parts)


class Position(models.TextChoices):
    BACK = "back", _("On back (supine)")
    LEFT = "left", _("Left side")
    RIGHT = "right", _("Right side")
    SEMI_RECUMBENT = "semi_recumbent", _("Sitting up in bed")
    CHAIR = "chair", _("Sitting in chair")
    STANDING = "standing", _("Standing / walking")


class SkinCheck(models.TextChoices):
    INTACT = "intact", _("Skin intact")
    BLANCHING = "blanching", _("Redness that blanches")
    NON_BLANCHING = "non_blanching", _("Redness that does not blanch")
    BROKEN = "broken", _("Broken skin")


class RepositioningEntry(CareRecordBase):
    record_kind = "repositioning"

    position = models.CharField(_("new position"), max_length=20, choices=Position.choices)
    skin_check = models.CharField(_("skin check"), max_length=20, choices=SkinCheck.choices)
    notes = models.TextField(_("notes"), blank=True)

    class Meta(CareRecordBase.Meta):
        verbose_name = _("repositioning entry")

    def summary(self) -> str:
        return f"{self.get_position_display()} · {self.get_skin_check_display()}"


class BristolType(models.IntegerChoices):
    """The Bristol stool form scale (Lewis and Heaton, 1997)."""

    T1 = 1, _("Type 1: separate hard lumps, like nuts (hard to pass)")
    T2 = 2, _("Type 2: sausage-shaped but lumpy")
    T3 = 3, _("Type 3: like a sausage but with cracks on its surface")
    T4 = 4, _("Type 4: like a sausage or snake, smooth and soft")
    T5 = 5, _("Type 5: soft blobs with clear-cut edges (passed easily)")
    T6 = 6, _("Type 6: fluffy pieces with ragged edges, a mushy stool")
    T7 = 7, _("Type 7: watery, no solid pieces, entirely liquid")


class ContinenceEntry(CareRecordBase):
    record_kind = "continence"

    bowels_opened = models.BooleanField(_("bowels opened"), default=False)
    stool_type = models.PositiveSmallIntegerField(
        _("Bristol stool type"), choices=BristolType.choices, null=True, blank=True
    )
    urine_passed = models.BooleanField(_("urine passed"), default=False)
    urine_ml = models.PositiveIntegerField(
        _("urine output (ml)"), null=True, blank=True, validators=[MaxValueValidator(3000)]
    )
    pad_changed = models.BooleanField(_("pad changed"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta(CareRecordBase.Meta):
        verbose_name = _("continence entry")

    def summary(self) -> str:
        parts = []
        if self.bowels_opened:
            parts.append(str(_("Bowels opened")) + (f" (type {self.stool_type})" if self.stool_type else ""))
        if self.urine_passed:
            parts.append(str(_("Urine passed")) + (f" {self.urine_ml} ml" if self.urine_ml else ""))
        if self.pad_changed:
            parts.append(str(_("Pad changed")))
        return " · ".join(parts) or self.notes


class WeightEntry(CareRecordBase):
    record_kind = "weight"

    weight_kg = models.DecimalField(
        _("weight (kg)"), max_digits=5, decimal_places=1, validators=[MinValueValidator(20), MaxValueValidator(300)]
    )

    class Meta(CareRecordBase.Meta):
        verbose_name = _("weight")

    def summary(self) -> str:
        return f"{self.weight_kg} kg"


class GlucoseTiming(models.TextChoices):
    BEFORE_MEAL = "before_meal", _("Before a meal")
    AFTER_MEAL = "after_meal", _("After a meal")
    BEDTIME = "bedtime", _("Bedtime")
    RANDOM = "random", _("Other time")


class BloodGlucoseEntry(CareRecordBase):
    record_kind = "blood_glucose"

    mmol_per_l = models.DecimalField(
        _("blood glucose (mmol/L)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(40)],
    )
    timing = models.CharField(_("when"), max_length=20, choices=GlucoseTiming.choices, default=GlucoseTiming.RANDOM)

    class Meta(CareRecordBase.Meta):
        verbose_name = _("blood glucose")

    def summary(self) -> str:
        return f"{self.mmol_per_l} mmol/L"


class Intensity(models.IntegerChoices):
    MILD = 1, _("Mild")
    MODERATE = 2, _("Moderate")
    SEVERE = 3, _("Severe")


class BehaviourEntry(CareRecordBase):
    record_kind = "behaviour"

    antecedent = models.TextField(_("what happened before (antecedent)"))
    behaviour = models.TextField(_("behaviour"))
    consequence = models.TextField(_("what happened after (consequence)"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), validators=[MaxValueValidator(24 * 60)])
    intensity = models.PositiveSmallIntegerField(_("intensity"), choices=Intensity.choices)

    class Meta(CareRecordBase.Meta):
        verbose_name = _("behaviour (ABC) entry")

    def summary(self) -> str:
        return self.behaviour


class SleepState(models.TextChoices):
    ASLEEP = "asleep", _("Asleep")
    AWAKE = "awake", _("Awake in bed")
    OUT_OF_BED = "out_of_bed", _("Out of bed")


class SleepCheck(CareRecordBase):
    record_kind = "sleep"

    state = models.CharField(_("state"), max_length=20, choices=SleepState.choices)
    notes = models.TextField(_("notes"), blank=True)

    class Meta(CareRecordBase.Meta):
        verbose_name = _("sleep check")

    def summary(self) -> str:
        return str(self.get_state_display()) + (f" · {self.notes}" if self.notes else "")
