"""CareRecordBase: what every daily care record (notes, charts, vital signs) has in common.

- ``occurred_at`` is the time the care happened; ``recorded_at`` the time it was written down.
- ``is_late`` is set when the entry is written more than ``LATE_ENTRY_AFTER`` (1 hour) after the
  care happened. NMC and NICE guidance asks for contemporaneous records; an hour covers finishing
  the round and getting to a phone, anything later is shown as a late entry.
- Entries are never edited or deleted. A correction strikes the entry through (``struck_at``,
  ``struck_by``, ``struck_reason``) and points it at its replacement (``replaced_by``), in one
  transaction: ``care_records.services_notes.correct_entry``.
- ``objects`` stays the scoped manager; ``.current()`` leaves struck entries out.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.tenancy.models import TenantModel
from writecarenotes.platform.tenancy.scope import ScopedManager, ScopedQuerySet

#: An entry written more than this long after the care it describes is marked late.
LATE_ENTRY_AFTER = timedelta(hours=1)


def is_late_entry(occurred_at, recorded_at) -> bool:
    """True when the entry was written more than LATE_ENTRY_AFTER after the care happened."""
    return recorded_at - occurred_at > LATE_ENTRY_AFTER


class CareRecordQuerySet(ScopedQuerySet):
    def current(self):
        """Entries that have not been struck through (corrected)."""
        return self.filter(struck_at__isnull=True)


class CareRecordManager(ScopedManager.from_queryset(CareRecordQuerySet)):  # type: ignore[misc]
    pass


class CareRecordBase(TenantModel):
    #: Short machine name of the record kind, used by the timeline and the correction service.
    record_kind: str = "entry"

    resident = models.ForeignKey("residents.Resident", on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField(_("time of care"), db_index=True)
    recorded_at = models.DateTimeField(_("time of entry"), default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    is_late = models.BooleanField(_("late entry"), default=False, editable=False)

    struck_at = models.DateTimeField(_("struck through at"), null=True, blank=True, editable=False)
    struck_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("struck through by"),
    )
    struck_reason = models.TextField(_("reason for correction"), blank=True, editable=False)
    replaced_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="+", null=True, blank=True, editable=False
    )

    objects = CareRecordManager()

    class Meta(TenantModel.Meta):
        abstract = True
        ordering = ["-occurred_at", "-pk"]
        # every list, total and alert reads one resident's entries by time of care
        indexes = [models.Index(fields=["resident", "occurred_at"], name="%(class)s_res_occ")]

    @property
    def is_struck(self) -> bool:
        return self.struck_at is not None

    def mark_late(self) -> None:
        """Set is_late from occurred_at / recorded_at (called by the services before saving)."""
        if self.recorded_at is None:
            self.recorded_at = timezone.now()
        self.is_late = is_late_entry(self.occurred_at, self.recorded_at)

    def summary(self) -> str:
        """One line describing the entry (timeline, handover, history)."""
        return str(self)

    def snapshot(self) -> dict:
        """The entry's values for the audit trail (before/after)."""
        out = {}
        for field in self._meta.concrete_fields:
            if field.name in {"organisation", "home"}:
                continue
            value = getattr(self, field.attname)
            out[field.attname] = value.isoformat() if hasattr(value, "isoformat") else value
        return out
