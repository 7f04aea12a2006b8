"""Reporting a medication error (NICE SC1 section 1.5): one transaction that saves the report, audits it
and publishes ``medication.error_reported``; the incidents service turns it into an incident.

Corrections are new versions with a reason (``correct_error``); a report is never deleted.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.medication.events_errors import MedicationErrorReported
from writecarenotes.medication.models import Administration, ErrorHarm, ErrorKind, MedicationError, MedicationOrder
from writecarenotes.platform.api.concurrency import check_if_match, etag_for
from writecarenotes.platform.audit.versions import save_version
from writecarenotes.platform.events.api import publish
from writecarenotes.residents.public import ResidentNotFound, get_resident

__all__ = ["ErrorNotFound", "correct_error", "report_error"]

#: what a correction may change
CHANGEABLE = ("kind", "description", "occurred_at", "harm", "immediate_action", "gp_informed")


class ErrorNotFound(LookupError):
    """No such medication error report in the active scope."""


def _clean(values: dict, *, now: datetime) -> dict:
    errors: dict[str, list[str]] = {}
    out = {k: values.get(k) for k in CHANGEABLE if k in values}
    if "kind" in out and out["kind"] not in ErrorKind.values:
        errors["kind"] = [_("Choose what went wrong.")]
    if "harm" in out and out["harm"] not in ErrorHarm.values:
        errors["harm"] = [_("Choose the harm to the resident (no harm if none).")]
    if "description" in out:
        out["description"] = (out["description"] or "").strip()
        if not out["description"]:
            errors["description"] = [_("Say what happened.")]
    if "occurred_at" in out:
        at = out["occurred_at"]
        if not isinstance(at, datetime):
            errors["occurred_at"] = [_("Give the date and time it happened.")]
        elif timezone.is_naive(at):
            out["occurred_at"] = at = timezone.make_aware(at)
        if isinstance(at, datetime) and at > now:
            errors["occurred_at"] = [_("An error cannot be reported before it happened: this time is in the future.")]
    if "immediate_action" in out:
        out["immediate_action"] = (out["immediate_action"] or "").strip()
    if "gp_informed" in out:
        out["gp_informed"] = bool(out["gp_informed"])
    if errors:
        raise ValidationError(errors)
    return out


def report_error(
    *,
    user,
    values: dict,
    resident_id: int | None = None,
    order_id: int | None = None,
    administration_id: int | None = None,
    home_id: int | None = None,
    now: datetime | None = None,
) -> MedicationError:
    """Report a medication error: for a resident (and, optionally, the order or the dose it concerns), or
    for the home (a storage error). ``values``: kind, description, occurred_at, harm, immediate_action,
    gp_informed."""
    now = min(now or timezone.now(), timezone.now())
    missing = [k for k in ("kind", "description", "occurred_at", "harm") if values.get(k) in (None, "")]
    errors: dict[str, list[str]] = {k: [_("This field is required.")] for k in missing}
    try:
        cleaned = _clean({"immediate_action": "", "gp_informed": False, **values}, now=now)
    except ValidationError as exc:
        for k, v in exc.message_dict.items():
            errors.setdefault(k, v)
        cleaned = {}
    order = administration = None
    with transaction.atomic():
        if administration_id is not None:
            administration = Administration.objects.filter(pk=administration_id).select_related("order").first()
            if administration is None:
                errors["administration_id"] = [_("No such dose record in this home.")]
            else:
                order_id = order_id or administration.order_id
                resident_id = resident_id or administration.resident_id
        if order_id is not None:
            order = MedicationOrder.objects.filter(pk=order_id).first()
            if order is None:
                errors["order_id"] = [_("No such medicine order in this home.")]
            else:
                resident_id = resident_id or order.resident_id
                if order.resident_id != resident_id:
                    errors["order_id"] = [_("This order is for another resident.")]
        if resident_id is not None:
            try:
                home_id = get_resident(resident_id).home_id
            except ResidentNotFound:
                errors["resident_id"] = [_("No such resident in this home.")]
        if home_id is None and "resident_id" not in errors:
            errors["home_id"] = [_("Choose the home (or the resident) the error happened in.")]
        if errors:
            raise ValidationError(errors)
        error = MedicationError.objects.create(
            home_id=home_id,
            resident_id=resident_id,
            order=order,
            administration=administration,
            reported_by=user,
            reported_at=now,
            **cleaned,
        )
        save_version(error, reason=_("Medication error reported"), action="medication.error.reported")
        publish(
            MedicationErrorReported(
                error_id=error.pk,
                resident_id=resident_id,
                kind=error.kind,
                description=error.description,
                occurred_at=error.occurred_at,
                harm=error.harm,
                reported_by_id=user.pk,
            ),
            home=home_id,
        )
    return error


def correct_error(error_id: int, *, user, reason: str, values: dict, if_match: str | None = None) -> MedicationError:
    """Correct a report: a new version with the reason (the incident raised from it is corrected there)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for the correction.")]})
    with transaction.atomic():
        error = MedicationError.objects.select_for_update().filter(pk=error_id).first()
        if error is None:
            raise ErrorNotFound(error_id)
        check_if_match(if_match, etag_for(error))
        cleaned = _clean(values, now=timezone.now())
        changed = [k for k, v in cleaned.items() if getattr(error, k) != v]
        if not changed:
            return error
        for k in changed:
            setattr(error, k, cleaned[k])
        error.version += 1
        error.save()
        save_version(error, reason=reason, action="medication.error.corrected")
    return error
