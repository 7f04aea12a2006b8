"""Stock checks of the controlled drugs register and the discrepancies they find.

Two people count a page's stock against its balance (NICE NG46: stock checks of controlled drugs by two
people, usually weekly; the witness confirms with their own credential). A difference raises a
``CDDiscrepancy`` and publishes ``medication.cd_discrepancy`` (``events_errors``; incidents makes it an
incident); the balance is never changed by a count. A manager records what the investigation found and
may bring the balance to the count with a witnessed adjustment entry.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.medication.events_errors import ControlledDrugDiscrepancy
from writecarenotes.medication.models import CDDiscrepancy, CDEntryKind, CDStockCheck
from writecarenotes.medication.services_controlled import (
    RegisterNotFound,
    _append,
    _check_witness,
    _locked_register,
    _text,
    fmt,
    parse_quantity,
)
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.events.api import publish

# --- stock checks ---------------------------------------------------------------------------------------


def stock_check(register_id: int, *, counted, by, witness, note: str = "") -> CDStockCheck:
    """Two people count the stock against the balance. A difference raises a discrepancy record and
    ``medication.cd_discrepancy`` (incidents makes it an incident); the balance is not changed."""
    errors: dict[str, list[str]] = {}
    try:
        qty = parse_quantity(counted, "counted", allow_zero=True)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    note = _text(note, "note", 500, errors)
    try:
        _check_witness(by, witness)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        register = _locked_register(register_id)
        now = timezone.now()
        check = CDStockCheck.objects.create(
            home_id=register.home_id,
            register=register,
            checked_at=now,
            expected=register.balance,
            counted=qty,
            checked_by=by,
            witness=witness,
            note=note,
        )
        record_change(
            "medication.cd.stock_check",
            target=check,
            before=None,
            after={"register": register.pk, "expected": str(register.balance), "counted": str(qty)},
        )
        if qty != register.balance:
            discrepancy = CDDiscrepancy.objects.create(
                home_id=register.home_id,
                check_record=check,
                register=register,
                expected=register.balance,
                counted=qty,
                raised_at=now,
            )
            publish(
                ControlledDrugDiscrepancy(
                    check_id=check.pk,
                    register_id=register.pk,
                    drug=register.medicine.name,
                    expected=str(register.balance),
                    counted=str(qty),
                    occurred_at=now,
                    reported_by_id=by.pk,
                ),
                home=register.home_id,
            )
            record_change(
                "medication.cd.discrepancy",
                target=discrepancy,
                before=None,
                after={"expected": str(register.balance), "counted": str(qty)},
            )
    return check


def resolve_discrepancy(
    discrepancy_id: int, *, resolution: str, by, adjust: bool = False, witness=None
) -> CDDiscrepancy:
    """A manager records what the investigation found. ``adjust`` brings the balance to the count with a
    witnessed "adjustment" entry (by the difference found at the check)."""
    errors: dict[str, list[str]] = {}
    resolution = _text(
        resolution, "resolution", 1000, errors, required=True, message=_("Write what the investigation found.")
    )
    if adjust:
        try:
            _check_witness(by, witness)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        discrepancy = CDDiscrepancy.objects.select_for_update().filter(pk=discrepancy_id).first()
        if discrepancy is None:
            raise RegisterNotFound(discrepancy_id)
        if discrepancy.status != CDDiscrepancy.Status.OPEN:
            raise ValidationError(_("This discrepancy is already resolved."))
        if adjust:
            register = _locked_register(discrepancy.register_id)
            change = discrepancy.counted - discrepancy.expected
            discrepancy.adjustment = _append(
                register,
                kind=CDEntryKind.ADJUSTMENT,
                quantity=abs(change),
                change=change,
                by=by,
                witness=witness,
                occurred_at=timezone.now(),
                note=_("Stock check of %(when)s: counted %(c)s, register %(e)s. %(r)s")
                % {
                    "when": timezone.localtime(discrepancy.raised_at).strftime("%d/%m/%Y %H:%M"),
                    "c": fmt(discrepancy.counted),
                    "e": fmt(discrepancy.expected),
                    "r": resolution,
                },
            )
        discrepancy.status = CDDiscrepancy.Status.RESOLVED
        discrepancy.resolution = resolution
        discrepancy.resolved_at = timezone.now()
        discrepancy.resolved_by = by
        discrepancy.save()
        record_change(
            "medication.cd.discrepancy_resolved",
            target=discrepancy,
            before={"status": "open"},
            after={"status": "resolved", "adjusted": bool(adjust)},
            reason=resolution,
        )
    return discrepancy
