"""The controlled drugs register: a page per home per drug, form and strength (and per resident for a
resident's own controlled drugs, as care homes keep them), with append-only entries.

Sources:
- Misuse of Drugs Regulations 2001 (SI 2001/3998) reg. 19 (keep a register of Schedule 2 drugs obtained
  and supplied) and reg. 20: (a) the class of drug at the head of each page, (b) an entry on the day of
  the transaction or the next day, (c) "no cancellation, obliteration or alteration of any such entry
  shall be made, and a correction of such an entry shall be made only by way of marginal note or footnote
  which shall specify the date on which the correction is made", (d) indelible. Here: ``CDEntry`` rows are
  never updated; a correction is a dated ``CDCorrectionNote`` linked to the entry and, where the quantity
  was wrong, a new "correction" entry.
- Schedule 6 to the Regulations (form of register): Part I, entries on obtaining (date supply received;
  name and address from whom obtained; quantity obtained); Part II, entries on supply (date supplied;
  name and address of the person supplied; quantity supplied). The column headings of the export follow
  these, with the care home's columns (resident, given by, witness, running balance). UNVERIFIED: the
  exact wording of the Schedule 6 headings could not be read from the stored sources; reg. 20 was.
- NICE SC1 "Managing medicines in care homes" (controlled drugs: a second trained member of staff
  witnesses receipt, administration and disposal, see ``witness.py``) and NICE NG46 (stock checks of
  controlled drugs by two people, usually weekly).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from writecarenotes.medication.models.medicines import Medicine
from writecarenotes.platform.tenancy.models import TenantModel

__all__ = ["CDCorrectionNote", "CDDiscrepancy", "CDEntry", "CDEntryKind", "CDRegister", "CDStockCheck"]


class CDRegister(TenantModel):
    """One page of the register: a drug in one form and strength (``medicine``), for the home's stock or for
    one resident's own supply (``resident``). ``balance`` is the running balance, changed only with an
    entry, in the same transaction, under a row lock."""

    medicine = models.ForeignKey(Medicine, on_delete=models.PROTECT, related_name="cd_registers")
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For a resident's own supply; empty for the home's stock"),
    )
    balance = models.DecimalField(_("balance"), max_digits=12, decimal_places=3, default=0)
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    next_sequence = models.PositiveIntegerField(default=1)
    version = models.PositiveIntegerField(default=1)

    class Meta(TenantModel.Meta):
        verbose_name = _("controlled drugs register page")
        ordering = ["medicine__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["home", "medicine", "resident"], condition=Q(resident__isnull=False), name="med_cd_page_res"
            ),
            models.UniqueConstraint(
                fields=["home", "medicine"], condition=Q(resident__isnull=True), name="med_cd_page_home"
            ),
            models.CheckConstraint(condition=Q(balance__gte=0), name="med_cd_balance_not_negative"),
        ]

    def __str__(self) -> str:
        return str(self.medicine)


class CDEntryKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    ADMINISTERED = "administered", _("Administered")
    RETURNED = "returned", _("Returned to pharmacy")
    DESTROYED = "destroyed", _("Destroyed (denatured)")
    TRANSFERRED = "transferred", _("Transferred out")
    CORRECTION = "correction", _("Correction")
    ADJUSTMENT = "adjustment", _("Balance adjusted after a stock check")


#: kinds that take stock off the page
OUT_KINDS = (CDEntryKind.ADMINISTERED, CDEntryKind.RETURNED, CDEntryKind.DESTROYED, CDEntryKind.TRANSFERRED)


class CDEntry(TenantModel):
    """One line of the register: never updated, never deleted."""

    register = models.ForeignKey(CDRegister, on_delete=models.PROTECT, related_name="entries")
    sequence = models.PositiveIntegerField()
    kind = models.CharField(_("entry"), max_length=20, choices=CDEntryKind.choices)
    occurred_at = models.DateTimeField(_("date and time"))
    recorded_at = models.DateTimeField()
    #: the amount, always positive, in the medicine's dose unit
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    #: signed change to the balance (+ received, - administered ...)
    change = models.DecimalField(max_digits=12, decimal_places=3)
    balance_after = models.DecimalField(_("balance"), max_digits=12, decimal_places=3)
    #: from whom obtained / to whom supplied (pharmacy, hospital, waste contractor)
    party_name = models.CharField(_("name"), max_length=160, blank=True)
    party_address = models.CharField(_("address"), max_length=300, blank=True)
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    administration = models.ForeignKey(
        "medication.Administration", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    #: null only for a correction that follows a correction of the eMAR record (``on_corrected``)
    witness = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections")

    class Meta(TenantModel.Meta):
        verbose_name = _("controlled drugs register entry")
        ordering = ["register", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["register", "sequence"], name="med_cd_entry_seq"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="med_cd_entry_qty_positive"),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="med_cd_entry_balance_not_negative"),
            models.CheckConstraint(
                condition=Q(witness__isnull=True) | ~Q(witness=models.F("recorded_by")),
                name="med_cd_entry_witness_other",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.register} #{self.sequence} {self.kind} {self.quantity}"


class CDCorrectionNote(TenantModel):
    """A dated note against an entry (reg. 20(c)): the entry itself stays as it was written."""

    entry = models.ForeignKey(CDEntry, on_delete=models.PROTECT, related_name="notes")
    note = models.CharField(_("correction"), max_length=500)
    written_at = models.DateTimeField()
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    witness = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    correcting_entry = models.ForeignKey(CDEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta(TenantModel.Meta):
        verbose_name = _("correction note")
        ordering = ["written_at", "pk"]


class CDStockCheck(TenantModel):
    """A physical count of a page's stock by two people, against the balance at that moment."""

    register = models.ForeignKey(CDRegister, on_delete=models.PROTECT, related_name="checks")
    checked_at = models.DateTimeField()
    expected = models.DecimalField(_("balance in the register"), max_digits=12, decimal_places=3)
    counted = models.DecimalField(_("counted"), max_digits=12, decimal_places=3)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    witness = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("controlled drugs stock check")
        ordering = ["-checked_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(counted__gte=0), name="med_cd_check_counted_not_negative")]

    @property
    def difference(self):
        return self.counted - self.expected

    @property
    def matches(self) -> bool:
        return self.counted == self.expected


class CDDiscrepancy(TenantModel):
    """A count that did not match the balance: open until a manager records what was found."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    check_record = models.OneToOneField(CDStockCheck, on_delete=models.PROTECT, related_name="discrepancy")
    register = models.ForeignKey(CDRegister, on_delete=models.PROTECT, related_name="discrepancies")
    expected = models.DecimalField(max_digits=12, decimal_places=3)
    counted = models.DecimalField(max_digits=12, decimal_places=3)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    raised_at = models.DateTimeField()
    resolution = models.CharField(_("what was found"), max_length=1000, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adjustment = models.ForeignKey(CDEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta(TenantModel.Meta):
        verbose_name = _("controlled drugs discrepancy")
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="resolved") | ~Q(resolution=""), name="med_cd_discrepancy_resolved_has_text"
            )
        ]

    @property
    def difference(self):
        return self.counted - self.expected
