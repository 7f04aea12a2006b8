"""Organisation (a provider) -> care homes -> units/floors, and the base of tenant-owned rows."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.tenancy.scope import (
    OutOfScopeError,
    ScopedManager,
    UnscopedManager,
    current_scope,
    organisation_of_home,
)


class Nation(models.TextChoices):
    ENGLAND = "england", _("England")
    SCOTLAND = "scotland", _("Scotland")
    WALES = "wales", _("Wales")
    NORTHERN_IRELAND = "northern_ireland", _("Northern Ireland")
    IRELAND = "ireland", _("Ireland")


class Regulator(models.TextChoices):
    CQC = "cqc", _("Care Quality Commission (CQC)")
    CARE_INSPECTORATE = "care_inspectorate", _("Care Inspectorate")
    CIW = "ciw", _("Care Inspectorate Wales (CIW)")
    RQIA = "rqia", _("Regulation and Quality Improvement Authority (RQIA)")
    HIQA = "hiqa", _("Health Information and Quality Authority (HIQA)")


#: The regulator of adult care homes in each nation.
REGULATOR_FOR_NATION = {
    Nation.ENGLAND: Regulator.CQC,
    Nation.SCOTLAND: Regulator.CARE_INSPECTORATE,
    Nation.WALES: Regulator.CIW,
    Nation.NORTHERN_IRELAND: Regulator.RQIA,
    Nation.IRELAND: Regulator.HIQA,
}


class CareType(models.TextChoices):
    RESIDENTIAL = "residential", _("Residential (personal care)")
    NURSING = "nursing", _("Nursing")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CareHome(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="homes")
    name = models.CharField(_("name"), max_length=200)
    nation = models.CharField(_("nation"), max_length=20, choices=Nation.choices)
    regulator = models.CharField(_("regulator"), max_length=20, choices=Regulator.choices)
    registration_number = models.CharField(_("registration number"), max_length=40)
    care_type = models.CharField(_("care type"), max_length=20, choices=CareType.choices)
    registered_beds = models.PositiveIntegerField(_("registered beds"), validators=[MinValueValidator(1)])
    address = models.TextField(_("address"), blank=True)
    is_active = models.BooleanField(default=True)

    # Care homes are reached through memberships (identity) or the organisation;
    # the plain manager is fine because a home row holds no resident data.
    objects = models.Manager()

    class Meta:
        verbose_name = _("care home")
        ordering = ["organisation_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["regulator", "registration_number"], name="uniq_home_registration"),
            models.CheckConstraint(
                name="home_regulator_matches_nation",
                condition=(
                    models.Q(nation="england", regulator="cqc")
                    | models.Q(nation="scotland", regulator="care_inspectorate")
                    | models.Q(nation="wales", regulator="ciw")
                    | models.Q(nation="northern_ireland", regulator="rqia")
                    | models.Q(nation="ireland", regulator="hiqa")
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TenantModel(models.Model):
    """Base of every tenant-owned row: it knows its organisation and its home.

    ``objects`` is scoped (see tenancy.scope); ``unscoped`` is for listed system code only.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", editable=False)
    home = models.ForeignKey(CareHome, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager()
    unscoped = UnscopedManager()

    class Meta:
        abstract = True
        base_manager_name = "unscoped"

    def save(self, *args, **kwargs):
        # A guard, not a state change: the row's organisation follows its home, and a
        # scoped caller cannot write a row for a home outside its scope.
        if self.home_id is not None:
            if self.organisation_id is None:
                self.organisation_id = organisation_of_home(self.home_id)
            scope = current_scope()
            if scope is not None and not scope.allows(self.home_id):
                raise OutOfScopeError(f"home {self.home_id} is outside the active scope")
        super().save(*args, **kwargs)


class Unit(TenantModel):
    """A unit or floor of a home (for example "Ground floor - residential")."""

    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("unit")
        ordering = ["home_id", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["home", "name"], name="uniq_unit_name_per_home")]

    def __str__(self) -> str:
        return self.name


class Room(TenantModel):
    """A room in a unit. Bed management (service 4) will extend rooms with beds and rates."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="rooms")
    number = models.CharField(_("room"), max_length=20)
    beds = models.PositiveSmallIntegerField(_("beds"), default=1, validators=[MinValueValidator(1)])
    en_suite = models.BooleanField(_("en-suite"), default=False)

    class Meta:
        verbose_name = _("room")
        ordering = ["home_id", "number"]
        constraints = [models.UniqueConstraint(fields=["home", "number"], name="uniq_room_number_per_home")]

    def __str__(self) -> str:
        return self.number
