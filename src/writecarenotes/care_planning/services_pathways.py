"""Services of the specialist pathways shared by all four: starting and ending a pathway, saving a
pathway document (a new version each time), and the generic creation and correction of timed
entries and of register rows. The pathway-specific services are in ``services_pathways_palliative``,
``services_pathways_rehab`` and ``services_pathways_mental``.

Every public function runs in one ``transaction.atomic()``: the row, its audit record (subject = the
resident) or version, and its domain events commit together or not at all. Bad input raises
``ValidationError`` keyed by field (page forms show it next to the field; the API answers 422).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.care_planning.events_pathways import (
    PathwayDocumentSaved,
    PathwayEnded,
    PathwayEntryCorrected,
    PathwayStarted,
)
from writecarenotes.care_planning.models.pathways import (
    DocumentKind,
    Pathway,
    PathwayDocument,
    PathwayEnrolment,
    PathwayEntry,
)
from writecarenotes.care_planning.pathways_documents import clean_values, display_value, spec_for
from writecarenotes.platform.api.concurrency import check_if_match, etag_for
from writecarenotes.platform.audit.context import current_actor
from writecarenotes.platform.audit.models import RecordVersion
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.audit.versions import save_version
from writecarenotes.platform.events.api import publish
from writecarenotes.residents.public import ResidentNotFound, ResidentRef, get_resident

#: Clocks on phones drift: a time up to this far in the future is accepted.
FUTURE_TOLERANCE = timedelta(minutes=5)
#: Late entries are accepted (and marked late) up to this long after the event.
OLDEST_ENTRY = timedelta(days=7)
DECEASED = "deceased"

_PROTECTED = {"id", "organisation", "home", "resident", "recorded_at", "recorded_by", "is_late"} | {
    "struck_at",
    "struck_by",
    "struck_reason",
    "replaced_by",
    "version",
    "created_at",
    "created_by",
    "updated_at",
}


def subject_of(resident_id: int) -> tuple[str, int]:
    return ("residents.resident", resident_id)


def user_id_of(user) -> int:
    if user is None:
        actor = current_actor()
        if actor.user_id is None:
            raise ValueError("this change needs the user who makes it")
        return actor.user_id
    return int(getattr(user, "pk", user))


def recordable(resident_id: int, *, after_death: bool = False) -> ResidentRef:
    """The resident (in scope) if pathway records can be written for them: in residence or temporarily
    away (and, for care after death and bereavement support, deceased). ResidentNotFound → 404."""
    ref = get_resident(resident_id)
    if ref.is_current or (after_death and ref.status == DECEASED):
        return ref
    if after_death:
        raise ValidationError(_("This can be recorded for a resident who lives here, or who died here."))
    raise ValidationError(
        _("Pathway records can only be written for a resident who is in residence or temporarily away.")
    )


def reason_text(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: [_("Give the reason for this change.")]})
    if len(reason) > 1000:
        raise ValidationError({field: [_("Keep the reason to 1000 characters.")]})
    return reason


def check_time(value, *, field: str = "occurred_at", now: datetime | None = None) -> None:
    now = now or timezone.now()
    if value is None:
        raise ValidationError({field: [_("Enter the time.")]})
    if not isinstance(value, datetime) or timezone.is_naive(value):
        raise ValidationError({field: [_("Enter a valid time.")]})
    if value > now + FUTURE_TOLERANCE:
        raise ValidationError({field: [_("The time cannot be in the future.")]})
    if value < now - OLDEST_ENTRY:
        raise ValidationError({field: [_("This is more than 7 days ago; ask a manager.")]})


def check_date(value, *, field: str, allow_future: bool = False, required: bool = True) -> None:
    if value is None:
        if required:
            raise ValidationError({field: [_("Enter the date.")]})
        return
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError({field: [_("Enter a valid date.")]})
    if value.year < 1900 or (not allow_future and value > timezone.localdate()):
        raise ValidationError({field: [_("This date cannot be in the future.")]})


# --- starting and ending a pathway ---------------------------------------------------------------


def start_pathway(*, resident_id: int, pathway: str, user, started_on: date | None = None) -> PathwayEnrolment:
    if pathway not in Pathway.values:
        raise ValidationError({"pathway": [_("Choose a pathway.")]})
    started_on = started_on or timezone.localdate()
    check_date(started_on, field="started_on")
    with transaction.atomic():
        ref = recordable(resident_id)
        if PathwayEnrolment.objects.filter(resident_id=ref.id, pathway=pathway, ended_on__isnull=True).exists():
            raise ValidationError({"pathway": [_("The resident is already on this pathway.")]})
        enrolment = PathwayEnrolment.objects.create(
            home_id=ref.home_id,
            resident_id=ref.id,
            pathway=pathway,
            started_on=started_on,
            started_by_id=user_id_of(user),
        )
        save_version(enrolment, action="care_planning.pathway.started")
        publish(
            PathwayStarted(enrolment_id=enrolment.pk, resident_id=ref.id, pathway=pathway, started_on=started_on),
            home=ref.home_id,
        )
    return enrolment


def end_pathway(enrolment: PathwayEnrolment, *, reason: str, ended_on: date | None = None) -> PathwayEnrolment:
    reason = reason_text(reason)
    ended_on = ended_on or timezone.localdate()
    check_date(ended_on, field="ended_on")
    with transaction.atomic():
        row = PathwayEnrolment.objects.select_for_update().get(pk=enrolment.pk)
        if row.ended_on is not None:
            raise ValidationError(_("This pathway has already ended."))
        if ended_on < row.started_on:
            raise ValidationError({"ended_on": [_("The end cannot be before the start.")]})
        row.ended_on, row.end_reason, row.version = ended_on, reason, row.version + 1
        row.save()
        save_version(row, reason=reason, action="care_planning.pathway.ended")
        publish(
            PathwayEnded(enrolment_id=row.pk, resident_id=row.resident_id, pathway=row.pathway, ended_on=ended_on),
            home=row.home_id,
        )
    return row


def link_care_plan(enrolment: PathwayEnrolment, *, care_plan_id: int | None, reason: str = "") -> PathwayEnrolment:
    """Record the care plan made from the pathway's template (an id of the plans sub-domain)."""
    with transaction.atomic():
        row = PathwayEnrolment.objects.select_for_update().get(pk=enrolment.pk)
        row.care_plan_id, row.version = care_plan_id, row.version + 1
        row.save()
        save_version(row, reason=reason or _("Care plan linked"), action="care_planning.pathway.care_plan_linked")
    return row


# --- pathway documents ---------------------------------------------------------------------------


def save_document(
    *,
    resident_id: int,
    kind: str,
    values: dict,
    user,
    reason: str = "",
    review_on: date | None = None,
    if_match: str | None = None,
) -> PathwayDocument:
    """Create the document or save its new version. After the first version a reason is needed; with
    ``if_match`` (the API's If-Match) a change made by someone else since is refused with 412."""
    spec = spec_for(kind)
    if spec is None:
        raise ValidationError({"kind": [_("There is no such pathway document.")]})
    cleaned, errors = clean_values(spec, values)
    if review_on is not None:
        try:
            check_date(review_on, field="review_on", allow_future=True)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        ref = recordable(resident_id, after_death=spec.after_death)
        doc = PathwayDocument.objects.select_for_update().filter(resident_id=ref.id, kind=spec.kind).first()
        if doc is None:
            doc = PathwayDocument(home_id=ref.home_id, resident_id=ref.id, kind=spec.kind, version=0)
        else:
            check_if_match(if_match, etag_for(doc))
            if doc.data == cleaned and doc.review_on == review_on:
                return doc  # nothing changed: no new version
            reason = reason_text(reason)
        doc.data, doc.review_on, doc.updated_by_id = cleaned, review_on, user_id_of(user)
        doc.version += 1
        doc.save()
        save_version(doc, reason=reason, action=f"care_planning.pathway_document.{spec.kind}")
        publish(
            PathwayDocumentSaved(document_id=doc.pk, resident_id=ref.id, kind=spec.kind, document_version=doc.version),
            home=ref.home_id,
        )
    return doc


@dataclass
class DocumentChange:
    label: str
    before: str
    after: str


@dataclass
class DocumentVersion:
    version: int
    at: datetime
    by: str
    reason: str
    changes: list[DocumentChange]


def versions_of(instance) -> list[RecordVersion]:
    """The saved versions of a row (already found through a scoped manager), oldest first."""
    return list(
        RecordVersion.objects.filter(
            content_type=instance._meta.label_lower, object_id=str(instance.pk), home_id=instance.home_id
        ).order_by("version")
    )


def document_history(doc: PathwayDocument) -> list[DocumentVersion]:
    """Every version of the document with what changed, field by field, in words (newest first)."""
    spec = spec_for(doc.kind)
    out, previous = [], {}
    for v in versions_of(doc):
        data = (v.data or {}).get("data") or {}
        changes = []
        for f in spec.fields if spec else ():
            before, after = previous.get(f.key), data.get(f.key)
            if before != after:
                changes.append(DocumentChange(str(f.label), display_value(f, before), display_value(f, after)))
        review_before, review_after = previous.get("__review_on"), (v.data or {}).get("review_on")
        if review_before != review_after:
            changes.append(DocumentChange(_("Review by"), review_before or "", review_after or ""))
        out.append(DocumentVersion(v.version, v.at, v.actor_display, v.reason, changes))
        previous = {**data, "__review_on": review_after}
    return list(reversed(out))


# --- timed entries -------------------------------------------------------------------------------


def create_entry(
    model: type[PathwayEntry],
    *,
    ref: ResidentRef,
    user,
    occurred_at,
    values: dict,
    now: datetime | None = None,
    time_from_record: bool = False,
) -> PathwayEntry:
    """Validate and save one entry (call inside transaction.atomic()), audited. ``now`` is for the demo
    history only (when the entry was written). ``time_from_record``: the time comes from another record
    (an assessment), so the 7-day limit on late entries does not apply."""
    now = now or timezone.now()
    if time_from_record:
        if occurred_at is None or occurred_at > now + FUTURE_TOLERANCE:
            raise ValidationError({"occurred_at": [_("Enter a valid time.")]})
    else:
        check_time(occurred_at, now=now)
    unknown = set(values) & _PROTECTED
    if unknown:
        raise ValueError(f"cannot set {sorted(unknown)}")
    entry = model(home_id=ref.home_id, resident_id=ref.id, recorded_by_id=user_id_of(user), occurred_at=occurred_at)
    for key, value in values.items():
        setattr(entry, key, value)
    entry.recorded_at = now
    entry.mark_late()
    entry.full_clean(exclude=["organisation", "home", "resident", "recorded_by"])
    entry.save()
    record_change(
        f"care_planning.pathway.{entry.record_kind}.recorded",
        target=entry,
        before=None,
        after=entry.snapshot(),
        subject=subject_of(ref.id),
        subject_label=ref.display_name,
    )
    return entry


#: kind -> callable(replacement) publishing the kind's own event for a corrected entry
_AFTER_CORRECTION: dict[str, object] = {}


def after_correction(kind: str):
    def register(func):
        _AFTER_CORRECTION[kind] = func
        return func

    return register


def _load_hooks() -> None:
    """The pathway service modules register their after-correction events when imported."""
    from writecarenotes.care_planning import (  # noqa: F401
        services_pathways_mental,
        services_pathways_palliative,
        services_pathways_rehab,
    )


def correct_entry(entry: PathwayEntry, *, reason: str, new_values: dict, user=None, occurred_at=None) -> PathwayEntry:
    """Strike ``entry`` through and record its replacement, in one transaction; return the replacement."""
    reason = reason_text(reason)
    user_id = user_id_of(user)
    model = type(entry)
    if occurred_at is not None and occurred_at != entry.occurred_at:
        if timezone.is_naive(occurred_at) or occurred_at > timezone.now() + FUTURE_TOLERANCE:
            raise ValidationError({"occurred_at": [_("The time cannot be in the future.")]})
    unknown = set(new_values) & _PROTECTED
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
        replacement = model(
            home_id=original.home_id,
            resident_id=original.resident_id,
            recorded_by_id=user_id,
            occurred_at=occurred_at or original.occurred_at,
        )
        skip = _PROTECTED | {"occurred_at"}
        for f in model._meta.concrete_fields:
            if f.name not in skip:
                setattr(replacement, f.attname, getattr(original, f.attname))
        for key, value in new_values.items():
            setattr(replacement, key, value)
        replacement.recorded_at = timezone.now()
        replacement.mark_late()
        replacement.full_clean(exclude=["organisation", "home", "resident", "recorded_by"])
        replacement.save()
        model.objects.filter(pk=original.pk).update(
            struck_at=timezone.now(), struck_by_id=user_id, struck_reason=reason, replaced_by_id=replacement.pk
        )
        original.refresh_from_db()
        record_change(
            f"care_planning.pathway.{original.record_kind}.corrected",
            target=original,
            before=before,
            after={"struck": original.snapshot(), "replacement": replacement.snapshot()},
            reason=reason,
            reason_required=True,
            subject=subject_of(original.resident_id),
        )
        publish(
            PathwayEntryCorrected(
                kind=original.record_kind,
                entry_id=original.pk,
                replacement_id=replacement.pk,
                resident_id=original.resident_id,
            ),
            home=original.home_id,
        )
        _load_hooks()
        hook = _AFTER_CORRECTION.get(original.record_kind)
        if hook is not None:
            hook(replacement)
    return replacement


def history_of(entry: PathwayEntry) -> list[PathwayEntry]:
    """The entry's chain of versions, oldest first (earlier struck versions, the entry, its replacements)."""
    model = type(entry)
    chain, current = [entry], entry
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


# --- register rows -------------------------------------------------------------------------------


def collect_errors(*checks) -> dict[str, list[str]]:
    """Run each check (a callable raising ValidationError); the messages of all of them, by field."""
    errors: dict[str, list[str]] = {}
    for check in checks:
        try:
            check()
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, []).extend(messages)
    return errors


def create_register_row(model, *, ref: ResidentRef, user, values: dict, action: str, errors: dict | None = None):
    """Save a new register row (call inside transaction.atomic()) and its first version. ``errors``
    found by the caller are reported together with the model's own (one answer with every field)."""
    unknown = set(values) & _PROTECTED
    if unknown:
        raise ValueError(f"cannot set {sorted(unknown)}")
    row = model(home_id=ref.home_id, resident_id=ref.id, created_by_id=user_id_of(user), **values)
    errors = {
        **collect_errors(lambda: row.full_clean(exclude=["organisation", "home", "resident", "created_by"])),
        **(errors or {}),
    }
    if errors:
        raise ValidationError(errors)
    row.save()
    save_version(row, action=action)
    return row


def update_register_row(row, *, values: dict, reason: str, if_match: str | None, action: str, check=None):
    """Change fields of a register row: a new version with the reason. ``check(row)`` validates the
    changed row before it is saved (raise ValidationError). Returns the row (unchanged: no version)."""
    reason = reason_text(reason)
    unknown = set(values) & _PROTECTED
    if unknown:
        raise ValueError(f"cannot set {sorted(unknown)}")
    model = type(row)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=row.pk)
        check_if_match(if_match, etag_for(locked))
        if all(getattr(locked, k) == v for k, v in values.items()):
            return locked
        for key, value in values.items():
            setattr(locked, key, value)
        locked.full_clean(exclude=["organisation", "home", "resident", "created_by"])
        if check is not None:
            check(locked)
        locked.version += 1
        locked.save()
        save_version(locked, reason=reason, action=action)
    return locked


def document_kinds() -> list[str]:
    return list(DocumentKind.values)
