"""Quick notes and the shift handover."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from writecarenotes.care_records.models.base import CareRecordBase
from writecarenotes.platform.tenancy.models import TenantModel


class NoteCategory(models.TextChoices):
    PERSONAL_CARE = "personal_care", _("Personal care")
    NUTRITION = "nutrition", _("Nutrition")
    MOBILITY = "mobility", _("Mobility")
    MOOD = "mood", _("Mood")
    SOCIAL = "social", _("Social")
    NIGHT_CHECK = "night_check", _("Night check")
    VISITOR = "visitor", _("Visitor")
    PROFESSIONAL_VISIT = "professional_visit", _("Professional visit")


class BodyLocation(models.TextChoices):
    """A fixed list of body-map regions, front and back."""

    HEAD_FRONT = "head_front", _("Head and face (front)")
    NECK_FRONT = "neck_front", _("Neck (front)")
    CHEST = "chest", _("Chest")
    ABDOMEN = "abdomen", _("Abdomen")
    GROIN = "groin", _("Groin")
    L_ARM_FRONT = "left_arm_front", _("Left arm (front)")
    R_ARM_FRONT = "right_arm_front", _("Right arm (front)")
    L_HAND = "left_hand", _("Left hand")
    R_HAND = "right_hand", _("Right hand")
    L_LEG_FRONT = "left_leg_front", _("Left leg (front)")
    R_LEG_FRONT = "right_leg_front", _("Right leg (front)")
    L_FOOT = "left_foot", _("Left foot")
    R_FOOT = "right_foot", _("Right foot")
    HEAD_BACK = "head_back", _("Head (back)")
    NECK_BACK = "neck_back", _("Neck (back)")
    UPPER_BACK = "upper_back", _("Upper back")
    LOWER_BACK = "lower_back", _("Lower back")
    SACRUM = "sacrum", _("Sacrum")
    L_BUTTOCK = "left_buttock", _("Left buttock")
    R_BUTTOCK = "right_buttock", _("Right buttock")
    L_ARM_BACK = "left_arm_back", _("Left arm (back) and elbow")
    R_ARM_BACK = "right_arm_back", _("Right arm (back) and elbow")
    L_LEG_BACK = "left_leg_back", _("Left leg (back)")
    R_LEG_BACK = "right_leg_back", _("Right leg (back)")
    L_HEEL = "left_heel", _("Left heel")
    R_HEEL = "right_heel", _("Right heel")


class CareNote(CareRecordBase):
    record_kind = "note"

    category = models.CharField(_("category"), max_length=30, choices=NoteCategory.choices)
    text = models.TextField(_("note"))
    body_location = models.CharField(_("body-map location"), max_length=30, choices=BodyLocation.choices, blank=True)
    fall = models.BooleanField(_("this was a fall"), default=False)

    class Meta(CareRecordBase.Meta):
        verbose_name = _("care note")

    def summary(self) -> str:
        return self.text

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.text[:60]}"


class Handover(TenantModel):
    """The handover of one unit's shift: generated summary plus staff items; read-only once signed off."""

    unit = models.ForeignKey("tenancy.Unit", on_delete=models.PROTECT, related_name="+")
    shift_start = models.DateTimeField(_("shift start"))
    shift_end = models.DateTimeField(_("shift end"))
    summary = models.JSONField(_("generated summary"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta(TenantModel.Meta):
        verbose_name = _("handover")
        ordering = ["-shift_start"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "shift_start"], name="uniq_handover_per_unit_shift"),
        ]

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None


class HandoverItem(TenantModel):
    handover = models.ForeignKey(Handover, on_delete=models.PROTECT, related_name="items")
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    text = models.TextField(_("handover note"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("handover item")
        ordering = ["added_at", "pk"]
