"""Version history of clinical and legal records: a small mechanism of our own.

A service that saves such a record calls ``save_version(instance, reason=...)`` in the same
transaction, after saving. It stores the whole record as a new ``RecordVersion`` (only when
something changed), and writes an audit record with the changed fields before -> after.
Corrections need a reason; the first version (creation) does not.

A model may declare, as plain class attributes (see :class:`Versioned`):
  version_exclude          field names never copied into versions (e.g. secrets, caches)
  version_reason_required  False to allow changes without a reason (default True)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import connection

from writecarenotes.platform.audit.chain import json_safe
from writecarenotes.platform.audit.models import RecordVersion


class Versioned:
    """Marker mixin for models with version history; declares the defaults."""

    version_exclude: tuple[str, ...] = ()
    version_reason_required: bool = True


def snapshot(instance, fields: list[str] | None = None) -> dict:
    """The instance's concrete field values as JSON (foreign keys by their ``*_id``)."""
    exclude = set(getattr(type(instance), "version_exclude", ()))
    out = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or (fields is not None and field.name not in fields and field.attname not in fields):
            continue
        out[field.attname] = field.value_from_object(instance)
    return json_safe(out)


def changed_fields(before: dict | None, after: dict) -> list[str]:
    before = before or {}
    return sorted(k for k in after if k not in before or before[k] != after[k])


def save_version(instance, *, reason: str = "", action: str = "") -> RecordVersion | None:
    """Store a new version of ``instance`` (already saved) if it changed; audit it. Returns the
    new version, or None when nothing changed since the last one."""
    from writecarenotes.platform.audit.services import NotInTransaction, record_change

    if not connection.in_atomic_block:
        raise NotInTransaction("save_version must be called inside transaction.atomic()")
    if instance.pk is None:
        raise ValueError("save the record before saving a version of it")
    label = instance._meta.label_lower
    data = snapshot(instance)
    previous = (
        RecordVersion.objects.filter(content_type=label, object_id=str(instance.pk))
        .order_by("-version")
        .only("version", "data")
        .first()
    )
    changed = changed_fields(previous.data if previous else None, data)
    if previous is not None and not changed:
        return None
    reason = (reason or "").strip()
    needs_reason = previous is not None and getattr(type(instance), "version_reason_required", True)
    if needs_reason and not reason:
        raise ValueError("a reason is required to change this record")
    home_id = getattr(instance, "home_id", None)
    record = record_change(
        action or f"{label}.{'update' if previous else 'create'}",
        target=instance,
        before={k: previous.data.get(k) for k in changed} if previous else None,
        after={k: data[k] for k in changed},
        reason=reason,
    )
    return RecordVersion.objects.create(
        content_type=label,
        object_id=str(instance.pk),
        version=(previous.version + 1) if previous else 1,
        organisation_id=record.organisation_id,
        home_id=home_id,
        data=data,
        changed=changed,
        reason=reason,
        actor_kind=record.actor_kind,
        actor_id=record.actor_id,
        actor_email=record.actor_email,
        system_reason=record.system_reason,
        at=record.at,
        audit_record=record,
    )


@dataclass
class FieldChange:
    name: str
    label: str
    before: object
    after: object


@dataclass
class VersionView:
    version: RecordVersion
    changes: list[FieldChange]
    fields: list[tuple[str, object]]  # the whole record as of this version (label, value)


def _labels(content_type: str) -> dict[str, str]:
    try:
        model = apps.get_model(content_type)
    except (LookupError, ValueError):
        return {}
    return {f.attname: str(f.verbose_name) for f in model._meta.concrete_fields}


def history(versions: list[RecordVersion]) -> list[VersionView]:
    """Versions (oldest first) with the changes from each previous one, for display."""
    if not versions:
        return []
    labels = _labels(versions[0].content_type)
    out, previous = [], None
    for v in versions:
        changes = [
            FieldChange(k, labels.get(k, k), previous.get(k) if previous is not None else None, v.data.get(k))
            for k in v.changed
        ]
        fields = [(labels.get(k, k), value) for k, value in v.data.items()]
        out.append(VersionView(version=v, changes=changes, fields=fields))
        previous = v.data
    return out
