"""The home's medicines: each product with its form, strength, dm+d identifier and active ingredients.

A product's ingredients carry the amount of the ingredient in one dose unit (one tablet, one ml,
one patch), in milligrams, so the safety checks can add up the same ingredient across products
(paracetamol in a plain tablet and in co-codamol) and match allergies and drug classes.
Products are never deleted: a product no longer used is marked inactive.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.audit.versions import Versioned
from writecarenotes.platform.tenancy.models import TenantModel

__all__ = ["ControlledSchedule", "DoseUnit", "Medicine", "MedicineForm", "MedicineIngredient"]


class MedicineForm(models.TextChoices):
    TABLET = "tablet", _("Tablet")
    CAPSULE = "capsule", _("Capsule")
    DISPERSIBLE = "dispersible", _("Dispersible or soluble tablet")
    LIQUID = "liquid", _("Oral liquid")
    PATCH = "patch", _("Patch")
    INJECTION = "injection", _("Injection")
    INHALER = "inhaler", _("Inhaler")
    NEBULE = "nebule", _("Nebuliser solution")
    CREAM = "cream", _("Cream, ointment or gel")
    DROPS = "drops", _("Drops (eye, ear, nose)")
    SUPPOSITORY = "suppository", _("Suppository")
    SPRAY = "spray", _("Spray")
    POWDER = "powder", _("Powder or granules")
    OTHER = "other", _("Other")


class DoseUnit(models.TextChoices):
    """What a dose is counted in: the unit the carer gives and the stock is counted in."""

    TABLET = "tablet", _("tablet(s)")
    CAPSULE = "capsule", _("capsule(s)")
    ML = "ml", _("ml")
    PATCH = "patch", _("patch(es)")
    PUFF = "puff", _("puff(s)")
    DROP = "drop", _("drop(s)")
    SACHET = "sachet", _("sachet(s)")
    SUPPOSITORY = "suppository", _("suppository(ies)")
    APPLICATION = "application", _("application(s)")
    MG = "mg", _("mg")
    UNIT = "unit", _("unit(s)")
    DOSE = "dose", _("dose(s)")


class ControlledSchedule(models.TextChoices):
    """Misuse of Drugs Regulations 2001, Schedules 1 to 5 (Schedule 1 has no medicinal use here)."""

    NONE = "", _("Not a controlled drug")
    SCHEDULE_2 = "2", _("Schedule 2 (CD register)")
    SCHEDULE_3 = "3", _("Schedule 3")
    SCHEDULE_4 = "4", _("Schedule 4")
    SCHEDULE_5 = "5", _("Schedule 5")


class Medicine(Versioned, TenantModel):
    """A medicinal product the home holds or has had prescribed (the home's formulary)."""

    name = models.CharField(
        _("medicine"), max_length=160, help_text=_("As on the label, e.g. Paracetamol 500 mg tablets")
    )
    form = models.CharField(_("form"), max_length=20, choices=MedicineForm.choices)
    strength = models.CharField(_("strength"), max_length=60, blank=True, help_text=_("e.g. 500 mg, 250 mg/5 ml"))
    dose_unit = models.CharField(_("dose unit"), max_length=20, choices=DoseUnit.choices)
    dmd_code = models.CharField(
        _("dm+d identifier"), max_length=20, blank=True, help_text=_("SNOMED CT code of the VMP or AMP in dm+d")
    )
    controlled_schedule = models.CharField(
        _("controlled drug schedule"), max_length=2, choices=ControlledSchedule.choices, blank=True, default=""
    )
    #: kept in the controlled drugs register (Schedule 2, and any other the home chooses to register)
    cd_register = models.BooleanField(_("kept in the controlled drugs register"), default=False)
    time_critical = models.BooleanField(
        _("time-critical"), default=False, help_text=_("e.g. Parkinson's medicines, insulin: give on time")
    )
    needs_fridge = models.BooleanField(_("store in the fridge"), default=False)
    active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta(TenantModel.Meta):
        verbose_name = _("medicine")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["home", "name"], name="med_medicine_name_per_home")]

    def __str__(self) -> str:
        return self.name

    @property
    def unit_label(self) -> str:
        """The dose unit in words ("tablet(s)"): cheaper than ``get_dose_unit_display`` on a long round."""
        return str(_UNIT_LABELS.get(self.dose_unit, self.dose_unit))


_UNIT_LABELS = dict(DoseUnit.choices)


class MedicineIngredient(TenantModel):
    """An active ingredient of a product, with its amount per dose unit and its drug classes.

    ``ingredient`` is the lower-case approved name ("paracetamol", "codeine phosphate"); ``classes``
    the lower-case drug classes it belongs to ("nsaid", "opioid", "anticoagulant", "penicillin")
    that allergies and duplicate-therapy checks match against (``rules.classes`` lists them).
    """

    medicine = models.ForeignKey(Medicine, on_delete=models.PROTECT, related_name="ingredients")
    ingredient = models.CharField(_("active ingredient"), max_length=80)
    amount_mg = models.DecimalField(
        _("mg per dose unit"),
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("e.g. 500 for a 500 mg tablet, 50 for 250 mg/5 ml liquid"),
    )
    classes = models.JSONField(_("drug classes"), default=list, blank=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("active ingredient")
        ordering = ["ingredient"]
        constraints = [
            models.UniqueConstraint(fields=["medicine", "ingredient"], name="med_ingredient_once_per_medicine")
        ]

    def __str__(self) -> str:
        return self.ingredient
