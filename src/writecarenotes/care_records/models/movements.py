"""ResidentMovement: care records' own read model of residents' comings and goings.

Filled only by the subscribers in ``care_records/subscribers.py`` from residents' domain events
(``resident.admitted``, ``resident.died`` ...), never by importing residents' models: the shift
handover lists the movements of a unit without asking the residents service. One row per event
(``event_id`` is unique), so a redelivered event changes nothing.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.tenancy.models import TenantModel


class MovementKind(models.TextChoices):
    ADMITTED = "admitted", _("New admission")
    ABSENCE_STARTED = "absence_started", _("Left (bed held)")
    RETURNED = "returned", _("Returned")
    DISCHARGED = "discharged", _("Discharged")
    DIED = "died", _("Died")
    ROOM_CHANGED = "room_changed", _("Moved room")


class ResidentMovement(TenantModel):
    resident = models.ForeignKey("residents.Resident", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("movement"), max_length=20, choices=MovementKind.choices)
    at = models.DateTimeField(_("at"), db_index=True)
    unit = models.ForeignKey("tenancy.Unit", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    event_id = models.UUIDField(_("event"), unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("resident movement")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["unit", "at"], name="movement_unit_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
