"""Services of quick notes, and the generic create / correct of every care record.

Every function runs in one ``transaction.atomic()``: the row, its audit record (subject = the
resident) and its domain event commit together or not at all.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.care_records.events import EntryCorrected, FallNoted, NoteRecorded
from writecarenotes.care_records.models import CareNote, CareRecordBase
from writecarenotes.platform.audit.context import current_actor
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.events.api import publish
from writecarenotes.residents.public import ResidentNotFound, ResidentRef, get_resident

#: Clocks on phones drift: a time of care up to this far in the future is accepted.
FUTURE_TOLERANCE = timedelta(minutes=5)
#: Late entries are accepted (and marked late) up to this long after the care.
OLDEST_ENTRY = timedelta(days=7)

_PROTECTED = {"id", "organisation", "home", "resident", "recorded_at", "recorded_by", "is_late"} | {
    "struck_at",
    "struck_by",
    "struck_reason",
    "replaced_by",
}


def subject_of(resident_id: int) -> tuple[str, int]:
    return ("residents.resident", resident_id)


_read_once: ContextVar[dict | None] = ContextVar("care_records_residents_read_once", default=None)


@contextmanager
def residents_read_once():
    """Inside ONE transaction that records many entries (``api_batch``), read each resident once:
    nothing in that transaction changes a resident, so the first read stays true until it commits."""
    token = _read_once.set({})
    try:
        yield
    finally:
        _read_once.reset(token)


def recordable_resident(resident_id: int) -> ResidentRef:
    """The resident (in scope) if care can be recorded for them; ResidentNotFound or ValidationError."""
    known = _read_once.get()
    ref = known.get(resident_id) if known is not None else None
    if ref is None:
        ref = get_resident(resident_id)  # inside the recording transaction: the status as of now
        if known is not None:
            known[resident_id] = ref
    if not ref.is_current:
        raise ValidationError(_("Care can only be recorded for a resident who is in residence or temporarily away."))
    return ref


def check_occurred_at(occurred_at, now=None) -> None:
    now = now or timezone.now()
    if occurred_at is None:
        raise ValidationError({"occurred_at": _("Enter the time of care.")})
    if timezone.is_naive(occurred_at):
        raise ValidationError({"occurred_at": _("Enter a valid time of care.")})
    if occurred_at > now + FUTURE_TOLERANCE:
        raise ValidationError({"occurred_at": _("The time of care cannot be in the future.")})
    if occurred_at < now - OLDEST_ENTRY:
        raise ValidationError({"occurred_at": _("The time of care is more than 7 days ago; ask a manager.")})


def create_entry(model: type[CareRecordBase], *, resident_id: int, user, occurred_at, values: dict) -> CareRecordBase:
    """Validate and save one care record (call inside transaction.atomic()); audit it; return it."""
    ref = recordable_resident(resident_id)
    check_occurred_at(occurred_at)
    unknown = set(values) & _PROTECTED
    if unknown:
        raise ValueError(f"cannot set {sorted(unknown)}")
    entry = model(home_id=ref.home_id, resident_id=ref.id, recorded_by=user, occurred_at=occurred_at, **values)
    entry.recorded_at = timezone.now()
    entry.mark_late()
    entry.full_clean(exclude=["organisation", "home", "resident", "recorded_by"])
    entry.save()
    record_change(
        f"care_records.{entry.record_kind}.recorded",
        target=entry,
        before=None,
        after=entry.snapshot(),
        subject=subject_of(ref.id),
        subject_label=ref.display_name,
    )
    return entry


def record_note(*, resident_id: int, user, category: str, text: str, occurred_at, body_location: str = "", fall=False):
    """A quick note. A note flagged as a fall also publishes ``care_records.fall_noted``."""
    if not (text or "").strip():
        raise ValidationError({"text": _("Write what happened.")})
    with transaction.atomic():
        note = create_entry(
            CareNote,
            resident_id=resident_id,
            user=user,
            occurred_at=occurred_at,
            values={
                "category": category,
                "text": text.strip(),
                "body_location": body_location or "",
                "fall": bool(fall),
            },
        )
        publish(
            NoteRecorded(
                note_id=note.pk,
                resident_id=note.resident_id,
                category=note.category,
                occurred_at=note.occurred_at,
                is_late=note.is_late,
            ),
            home=note.home_id,
        )
        if note.fall:
            publish(
                FallNoted(note_id=note.pk, resident_id=note.resident_id, occurred_at=note.occurred_at),
                home=note.home_id,
            )
    return note


def correct_entry(entry: CareRecordBase, *, reason: str, new_values: dict, user=None) -> CareRecordBase:
    """Strike ``entry`` through and record its replacement, in one transaction; return the replacement.

    Nothing of the original is edited but its strike fields. ``new_values`` are the fields that
    change (the rest, including the time of care, are copied). ``user`` defaults to the signed-in
    user of the current request (audit context).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for the correction.")})
    if user is None:
        actor = current_actor()
        if actor.user_id is None:
            raise ValueError("correct_entry needs the user who makes the correction")
        user = actor.user_id
    user_id = getattr(user, "pk", user)
    model = type(entry)
    unknown = set(new_values) & (_PROTECTED - {"occurred_at"})
    if unknown:
        raise ValueError(f"cannot set {sorted(unknown)}")
    with transaction.atomic():
        original = model.objects.select_for_update().get(pk=entry.pk)
        if original.struck_at is not None:
            raise ValidationError(_("This entry has already been corrected."))
        try:
            get_resident(original.resident_id)
        except ResidentNotFound:
            raise ValidationError(_("This resident's records cannot be corrected here.")) from None
        before = original.snapshot()
        copied = {
            f.name: getattr(original, f.attname)
            for f in model._meta.concrete_fields
            if f.name not in _PROTECTED and f.name != "occurred_at"
        }
        copied.update({k: v for k, v in new_values.items() if k != "occurred_at"})
        occurred_at = new_values.get("occurred_at", original.occurred_at)
        replacement = model(
            home_id=original.home_id, resident_id=original.resident_id, recorded_by_id=user_id, occurred_at=occurred_at
        )
        for name, value in copied.items():
            field = model._meta.get_field(name)
            setattr(replacement, field.attname, value)
        replacement.recorded_at = timezone.now()
        replacement.mark_late()
        replacement.full_clean(exclude=["organisation", "home", "resident", "recorded_by"])
        replacement.save()
        now = timezone.now()
        model.objects.filter(pk=original.pk).update(
            struck_at=now, struck_by_id=user_id, struck_reason=reason, replaced_by_id=replacement.pk
        )
        original.refresh_from_db()
        record_change(
            f"care_records.{original.record_kind}.corrected",
            target=original,
            before=before,
            after={"struck": original.snapshot(), "replacement": replacement.snapshot()},
            reason=reason,
            reason_required=True,
            subject=subject_of(original.resident_id),
        )
        publish(
            EntryCorrected(
                kind=original.record_kind,
                entry_id=original.pk,
                replacement_id=replacement.pk,
                resident_id=original.resident_id,
            ),
            home=original.home_id,
        )
    return replacement


def history_of(entry: CareRecordBase) -> list[CareRecordBase]:
    """The entry's chain of versions, oldest first: earlier struck versions, the entry, its replacements."""
    model = type(entry)
    chain = [entry]
    # back: entries replaced by this one
    current = entry
    for _i in range(50):
        prev = model.objects.filter(replaced_by_id=current.pk).first()
        if prev is None:
            break
        chain.insert(0, prev)
        current = prev
    current = entry
    for _i in range(50):
        if not current.replaced_by_id:
            break
        current = model.objects.get(pk=current.replaced_by_id)
        chain.append(current)
    return chain
