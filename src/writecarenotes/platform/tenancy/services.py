"""Named state changes of homes' configuration (units). Each runs in one transaction.

Callers run inside a scope (a request, or ``acting_for``); the scoped managers keep every
read and write to the scope's homes.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from writecarenotes.platform.api.concurrency import check_if_match, etag_for
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.tenancy.models import CareHome, Unit

UNIT_FIELDS = ("name", "description", "sort_order")


def _clean_text(value, field: str) -> str:
    if not isinstance(value, str):
        raise ValidationError({field: _("Enter text.")})
    return value.strip()


def create_unit(*, home: CareHome, name: str, description: str = "", sort_order: int = 0) -> Unit:
    """Add a unit (floor, wing) to a home. Raises ValidationError with field messages."""
    with transaction.atomic():
        unit = Unit(
            home=home,
            organisation_id=home.organisation_id,
            name=_clean_text(name, "name"),
            description=_clean_text(description, "description"),
            sort_order=sort_order,
        )
        unit.full_clean()
        unit.save()
        record_change("tenancy.unit_created", target=unit, before=None, after=_unit_fields(unit))
        return unit


def _unit_fields(unit: Unit) -> dict:
    return {f: getattr(unit, f) for f in UNIT_FIELDS}


def update_unit(*, unit_id: int, changes: dict, if_match: str | None) -> Unit:
    """Change a unit's name, description or order, if it still is the version the caller read.

    ``if_match`` is compared with the unit's current ETag under a row lock: a stale write is
    refused with PreconditionFailed (412) and changes nothing.
    """
    unknown = set(changes) - set(UNIT_FIELDS)
    if unknown:
        raise ValidationError({f: _("This field cannot be changed here.") for f in sorted(unknown)})
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit_id)
        check_if_match(if_match, etag_for(unit))
        before = _unit_fields(unit)
        for field, value in changes.items():
            if field in ("name", "description"):
                value = _clean_text(value, field)
            setattr(unit, field, value)
        unit.full_clean()
        if changes:
            unit.save(update_fields=list(changes))
            after = _unit_fields(unit)
            if after != before:
                record_change("tenancy.unit_updated", target=unit, before=before, after=after)
        return unit
