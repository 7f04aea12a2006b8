"""The controlled drugs register: opening a page, appending entries, corrections, stock checks.

Every change runs in one transaction with its audit record and its event. The page's row is locked
(``select_for_update``) while an entry is appended, so the running balance is computed from the balance
the entry follows and two entries can never both take the last dose. Rules and their sources:

- Misuse of Drugs Regulations 2001 reg. 20(b): an entry is made on the day of the transaction or, if that
  is not reasonably practicable, on the next day: an entry dated before yesterday (home's local date) is
  refused. Reg. 20(c): entries are never altered; a correction is a dated note (``correct_entry``), and,
  where the quantity was wrong, a new correcting entry.
- The balance can never go below zero: an entry that would take more than the page holds is refused with
  the balance in the message (a count that does not match is a stock check's discrepancy, not an entry).
- A second, different member of staff witnesses each entry and each stock check with their own credential
  (NICE SC1, controlled drugs; NICE NG46 1.x stock checks by two people). Views and the API verify the
  witness with ``witness.verify_witness``; these functions take the verified user and check again that it
  is a different person.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.medication.events_controlled import ControlledDrugEntryRecorded
from writecarenotes.medication.models import (
    CDCorrectionNote,
    CDEntry,
    CDEntryKind,
    CDRegister,
    Medicine,
    Outcome,
)
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.events.api import publish
from writecarenotes.residents.public import ResidentNotFound, current_residents, get_resident

CLOCK_SLACK = timedelta(minutes=5)
MAX_QUANTITY = Decimal("100000")
#: entries a person may record from the page or the API (administered comes from the eMAR)
MANUAL_KINDS = (CDEntryKind.RECEIVED, CDEntryKind.RETURNED, CDEntryKind.DESTROYED, CDEntryKind.TRANSFERRED)
_SIGN = {
    CDEntryKind.RECEIVED: 1,
    CDEntryKind.ADMINISTERED: -1,
    CDEntryKind.RETURNED: -1,
    CDEntryKind.DESTROYED: -1,
    CDEntryKind.TRANSFERRED: -1,
}


class RegisterNotFound(LookupError):
    pass


def resident_names(ids) -> dict[int, str]:
    """{resident id: name} in one query (plus one per resident no longer current)."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    found = {r.id: r.display_name for r in current_residents() if r.id in ids}
    for missing in ids - set(found):
        try:
            found[missing] = get_resident(missing).display_name
        except ResidentNotFound:
            continue
    return found


def parse_quantity(value, field: str = "quantity", *, allow_zero: bool = False) -> Decimal:
    """A positive decimal with at most 3 places; ValidationError on ``field`` otherwise."""
    try:
        qty = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: [_("Enter a number, for example 28 or 2.5.")]}) from None
    if not qty.is_finite():
        raise ValidationError({field: [_("Enter a number, for example 28 or 2.5.")]})
    if qty < 0 or (qty == 0 and not allow_zero):
        raise ValidationError(
            {field: [_("The quantity must be more than 0.") if not allow_zero else _("The count cannot be below 0.")]}
        )
    if qty >= MAX_QUANTITY:
        raise ValidationError({field: [_("That quantity is too large.")]})
    if qty != qty.quantize(Decimal("0.001")):
        raise ValidationError({field: [_("Use at most 3 decimal places.")]})
    return qty


def fmt(value: Decimal) -> str:
    """100.000 -> "100", 2.500 -> "2.5" (no exponent)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _check_time(when: datetime | None, field: str = "occurred_at") -> datetime:
    """Reg. 20(b): the day of the transaction, or the next day. Not in the future."""
    now = timezone.now()
    when = when or now
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    if when > now + CLOCK_SLACK:
        raise ValidationError({field: [_("The time cannot be in the future.")]})
    today = timezone.localdate(now)
    if timezone.localdate(when) < today - timedelta(days=1):
        raise ValidationError(
            {
                field: [
                    _(
                        "The register must be written on the day, or the next day at the latest (Misuse of Drugs "
                        "Regulations 2001, reg. 20(b)). Record it with today's date and explain the delay in the note."
                    )
                ]
            }
        )
    return when


def _check_witness(by, witness) -> None:
    if witness is None:
        raise ValidationError({"witness": [_("A second member of staff must witness this entry.")]})
    if witness.pk == by.pk:
        raise ValidationError({"witness": [_("The witness must be a different person from the one recording.")]})


def _locked_register(register_id: int) -> CDRegister:
    register = CDRegister.objects.select_for_update().select_related("medicine").filter(pk=register_id).first()
    if register is None:
        raise RegisterNotFound(register_id)
    return register


def _append(
    register: CDRegister,
    *,
    kind: str,
    quantity: Decimal,
    change: Decimal,
    by,
    witness,
    occurred_at: datetime,
    party_name: str = "",
    party_address: str = "",
    resident_id: int | None = None,
    administration=None,
    reference: str = "",
    note: str = "",
    corrects: CDEntry | None = None,
) -> CDEntry:
    """Append an entry to a locked page; refuses a balance below zero."""
    new_balance = register.balance + change
    if new_balance < 0:
        raise ValidationError(
            {
                "quantity": [
                    _(
                        "Refused: the register holds %(balance)s %(unit)s of %(drug)s; taking %(qty)s would leave "
                        "the balance below zero. Count the stock with a witness (a stock check) and tell the nurse "
                        "in charge."
                    )
                    % {
                        "balance": fmt(register.balance),
                        "unit": register.medicine.get_dose_unit_display(),
                        "drug": register.medicine.name,
                        "qty": fmt(quantity),
                    }
                ]
            }
        )
    now = timezone.now()
    entry = CDEntry.objects.create(
        home_id=register.home_id,
        register=register,
        sequence=register.next_sequence,
        kind=kind,
        occurred_at=occurred_at,
        recorded_at=now,
        quantity=quantity,
        change=change,
        balance_after=new_balance,
        party_name=party_name,
        party_address=party_address,
        resident_id=resident_id,
        administration=administration,
        reference=reference,
        note=note,
        recorded_by=by,
        witness=witness,
        corrects=corrects,
    )
    register.balance = new_balance
    register.next_sequence += 1
    register.version += 1
    register.save(update_fields=["balance", "next_sequence", "version"])
    record_change(
        "medication.cd.entry",
        target=entry,
        subject=("residents.resident", resident_id) if resident_id else None,
        before={"balance": str(new_balance - change)},
        after={
            "kind": kind,
            "quantity": str(quantity),
            "balance": str(new_balance),
            "register": register.pk,
            "witness": witness.pk if witness else None,
        },
    )
    publish(
        ControlledDrugEntryRecorded(
            entry_id=entry.pk,
            register_id=register.pk,
            drug=register.medicine.name,
            kind=kind,
            quantity=str(quantity),
            balance=str(new_balance),
            resident_id=resident_id,
            party=party_name,
            occurred_at=occurred_at,
            recorded_by_id=by.pk,
            witness_id=witness.pk if witness else None,
        ),
        home=register.home_id,
    )
    return entry


def _text(value, field: str, max_length: int, errors: dict, *, required: bool = False, message: str = "") -> str:
    text = (value or "").strip()
    if "\x00" in text:
        errors[field] = [_("Remove the invisible control characters.")]
    elif required and not text:
        errors[field] = [message]
    elif len(text) > max_length:
        errors[field] = [_("Keep it to %(n)s characters.") % {"n": max_length}]
    return text


# --- pages of the register -------------------------------------------------------------------------------


def open_register(*, home_id: int, medicine_id: int, resident_id: int | None, by) -> CDRegister:
    """A new page for a controlled drug (for the home's stock, or for one resident's own supply)."""
    medicine = Medicine.objects.filter(pk=medicine_id, home_id=home_id).first()
    if medicine is None:
        raise ValidationError({"medicine": [_("Choose a medicine of this home.")]})
    if not (medicine.cd_register or medicine.controlled_schedule):
        raise ValidationError({"medicine": [_("%(m)s is not a controlled drug.") % {"m": medicine.name}]})
    if resident_id is not None:
        try:
            ref = get_resident(resident_id)
        except ResidentNotFound:
            raise ValidationError({"resident": [_("Choose a resident of this home.")]}) from None
        if ref.home_id != home_id:
            raise ValidationError({"resident": [_("Choose a resident of this home.")]})
    with transaction.atomic():
        if CDRegister.objects.filter(home_id=home_id, medicine=medicine, resident_id=resident_id).exists():
            raise ValidationError({"medicine": [_("This register page is already open.")]})
        register = CDRegister.objects.create(
            home_id=home_id, medicine=medicine, resident_id=resident_id, opened_at=timezone.now(), opened_by=by
        )
        record_change(
            "medication.cd.register_opened",
            target=register,
            before=None,
            after={"medicine": medicine.pk, "resident": resident_id},
        )
    return register


def receive(
    register_id: int,
    *,
    quantity,
    supplier_name: str,
    supplier_address: str,
    by,
    witness,
    occurred_at: datetime | None = None,
    reference: str = "",
    note: str = "",
) -> CDEntry:
    """Stock received (Schedule 6 Part I: date, name and address from whom obtained, quantity)."""
    return record_entry(
        register_id,
        kind=CDEntryKind.RECEIVED,
        quantity=quantity,
        party_name=supplier_name,
        party_address=supplier_address,
        by=by,
        witness=witness,
        occurred_at=occurred_at,
        reference=reference,
        note=note,
    )


def record_entry(
    register_id: int,
    *,
    kind: str,
    quantity,
    by,
    witness,
    party_name: str = "",
    party_address: str = "",
    occurred_at: datetime | None = None,
    reference: str = "",
    note: str = "",
) -> CDEntry:
    """Received, returned to pharmacy, destroyed (denatured) or transferred out, witnessed."""
    if kind not in MANUAL_KINDS:
        raise ValidationError({"kind": [_("Choose received, returned, destroyed or transferred.")]})
    errors: dict[str, list[str]] = {}
    try:
        qty = parse_quantity(quantity)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        qty = None
    who_message = {
        CDEntryKind.RECEIVED: _("Write the pharmacy (or other supplier) it came from."),
        CDEntryKind.RETURNED: _("Write the pharmacy it was returned to."),
        CDEntryKind.DESTROYED: _("Write who destroyed it (or the waste contractor)."),
        CDEntryKind.TRANSFERRED: _("Write where it went (hospital, another home)."),
    }[kind]
    party_name = _text(party_name, "party_name", 160, errors, required=True, message=who_message)
    party_address = _text(
        party_address,
        "party_address",
        300,
        errors,
        required=kind == CDEntryKind.RECEIVED,
        message=_("Write the supplier's address (the register's heading asks for it)."),
    )
    reference = _text(reference, "reference", 120, errors)
    note = _text(note, "note", 500, errors)
    try:
        when = _check_time(occurred_at)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        _check_witness(by, witness)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        register = _locked_register(register_id)
        return _append(
            register,
            kind=kind,
            quantity=qty,
            change=qty * _SIGN[kind],
            by=by,
            witness=witness,
            occurred_at=when,
            party_name=party_name,
            party_address=party_address,
            resident_id=register.resident_id,
            reference=reference,
            note=note,
        )


# --- the eMAR -----------------------------------------------------------------------------------------------


def _register_for(medicine_id: int, resident_id: int, home_id: int) -> CDRegister | None:
    """The resident's own page if there is one, else the home's page; locked."""
    pages = list(
        CDRegister.objects.select_for_update()
        .select_related("medicine")
        .filter(home_id=home_id, medicine_id=medicine_id, resident_id__in=[resident_id])
    ) or list(
        CDRegister.objects.select_for_update()
        .select_related("medicine")
        .filter(home_id=home_id, medicine_id=medicine_id, resident__isnull=True)
    )
    return pages[0] if pages else None


def on_administered(administration, by, witness=None) -> None:
    """Called by ``lifecycle.after_administration`` in the round's transaction: a dose of a medicine kept
    in the register, given, is an "administered" entry (quantity = the dose, in the dose unit). Refused
    (ValidationError with the reason) when there is no page, no witness, or too little on the page."""
    if administration.outcome != Outcome.GIVEN:
        return
    medicine = administration.order.medicine
    if not medicine.cd_register:
        return
    if CDEntry.objects.filter(administration=administration).exists():
        return  # already entered (a retried call)
    _check_witness(by, witness)
    register = _register_for(medicine.pk, administration.resident_id, administration.home_id)
    if register is None:
        raise ValidationError(
            _(
                "Refused: %(m)s is kept in the controlled drugs register, and the register has no page for it. "
                "Open the page and record the stock received before giving it."
            )
            % {"m": medicine.name}
        )
    dose = administration.dose if administration.dose is not None else administration.order.dose
    qty = parse_quantity(dose, "dose")
    _append(
        register,
        kind=CDEntryKind.ADMINISTERED,
        quantity=qty,
        change=-qty,
        by=by,
        witness=witness,
        occurred_at=administration.administered_at,
        resident_id=administration.resident_id,
        administration=administration,
    )


def _given_qty(outcome, dose) -> Decimal:
    if outcome != Outcome.GIVEN or dose in (None, ""):
        return Decimal(0)
    return Decimal(str(dose))


def on_corrected(administration, by, before: dict) -> None:
    """The eMAR record of a registered drug was corrected (outcome or dose): a correcting entry for the
    difference, linked to the original entry, with a dated note. Not witnessed (the correction itself is
    a new version of the administration record with its reason); a page that would go below zero refuses."""
    medicine = administration.order.medicine
    if not medicine.cd_register:
        return
    old = _given_qty(before.get("outcome"), before.get("dose"))
    new = _given_qty(administration.outcome, administration.dose)
    if old == new:
        return
    original = CDEntry.objects.filter(administration=administration).order_by("pk").first()
    if original is None and old:
        return  # the original dose was never in the register (given before the register existed)
    register = _locked_register(original.register_id) if original else None
    if register is None:
        register = _register_for(medicine.pk, administration.resident_id, administration.home_id)
        if register is None:
            raise ValidationError(
                _("Refused: the controlled drugs register has no page for %(m)s.") % {"m": medicine.name}
            )
    change = old - new  # less given: back on the page; more given: off the page
    note = _("eMAR record corrected: %(old)s given before, %(new)s now.") % {"old": fmt(old), "new": fmt(new)}
    entry = _append(
        register,
        kind=CDEntryKind.CORRECTION,
        quantity=abs(change),
        change=change,
        by=by,
        witness=None,
        occurred_at=timezone.now(),
        resident_id=administration.resident_id,
        note=note,
        corrects=original,
    )
    if original is not None:
        CDCorrectionNote.objects.create(
            home_id=register.home_id,
            entry=original,
            note=note,
            written_at=timezone.now(),
            written_by=by,
            correcting_entry=entry,
        )


# --- corrections ----------------------------------------------------------------------------------------


def correct_entry(entry_id: int, *, note: str, by, witness, right_quantity=None) -> CDCorrectionNote:
    """A dated note against an entry (reg. 20(c)); with ``right_quantity``, also a correcting entry for the
    difference (the entry stays as written)."""
    errors: dict[str, list[str]] = {}
    note = _text(note, "note", 500, errors, required=True, message=_("Write what was wrong and what is right."))
    qty = None
    if right_quantity not in (None, ""):
        try:
            qty = parse_quantity(right_quantity, "right_quantity")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    try:
        _check_witness(by, witness)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        entry = CDEntry.objects.filter(pk=entry_id).first()
        if entry is None:
            raise RegisterNotFound(entry_id)
        register = _locked_register(entry.register_id)
        correcting = None
        if qty is not None and qty != entry.quantity:
            if entry.kind not in _SIGN:
                raise ValidationError(
                    {"right_quantity": [_("Only received and supplied entries have a quantity to correct.")]}
                )
            change = (qty - entry.quantity) * _SIGN[entry.kind]
            correcting = _append(
                register,
                kind=CDEntryKind.CORRECTION,
                quantity=abs(change),
                change=change,
                by=by,
                witness=witness,
                occurred_at=timezone.now(),
                resident_id=entry.resident_id,
                note=_("Correction of entry %(n)s: %(q)s, not %(was)s. %(note)s")
                % {"n": entry.sequence, "q": fmt(qty), "was": fmt(entry.quantity), "note": note},
                corrects=entry,
            )
        correction = CDCorrectionNote.objects.create(
            home_id=entry.home_id,
            entry=entry,
            note=note,
            written_at=timezone.now(),
            written_by=by,
            witness=witness,
            correcting_entry=correcting,
        )
        record_change(
            "medication.cd.correction",
            target=correction,
            before=None,
            after={"entry": entry.pk, "note": note, "correcting_entry": correcting.pk if correcting else None},
        )
    return correction
