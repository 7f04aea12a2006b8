"""Reporting an incident: report it (with its people and injuries), correct its facts (a new version
with a reason), add people, injuries and photos later, close it when no required step is open.

Each change runs in one transaction with its audit record (``audit.save_version`` / ``record_change``),
its domain event (``incident.reported``, ``incident.changed``, ``incident.closed``) and the other
sub-domains' reaction (``incidents.lifecycle``): a refusal or a failure anywhere leaves nothing
written. Unsafe input is refused with field messages (``ValidationError``).

``by`` / ``user`` is None when the system raises an incident from another service's event
(``subscribers_report``): there is no system user; the audit trail names the system and the event.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.incidents import lifecycle, obligations
from writecarenotes.incidents.checks_report import (
    NEEDS_RESIDENT,
    clean_facts,
    clean_injury,
    clean_person,
    clean_text,
    home_for,
)
from writecarenotes.incidents.events_report import IncidentChanged, IncidentClosed, IncidentReported
from writecarenotes.incidents.models import (
    Incident,
    IncidentInjury,
    IncidentPerson,
    IncidentPhoto,
    IncidentSource,
    IncidentStatus,
    MedicalAttention,
    PersonKind,
    PersonRole,
)
from writecarenotes.platform.api.concurrency import check_if_match, etag_for
from writecarenotes.platform.api.problems import Conflict
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.audit.versions import save_version
from writecarenotes.platform.events.api import publish
from writecarenotes.platform.web import uploads

REFERENCE_ATTEMPTS = 8


class IncidentNotFound(LookupError):
    pass


class OpenStepsRemain(Conflict):
    """Closing refused: required steps are still open (``steps``: the obligations.OpenStep list)."""

    title = "Required steps are still open"

    def __init__(self, steps: list):
        self.steps = steps
        super().__init__(
            _("This incident cannot be closed while required steps are open: %(steps)s.")
            % {"steps": "; ".join(s.title for s in steps)},
            open_steps=[
                {
                    "kind": s.kind,
                    "title": str(s.title),
                    "due_at": s.due_at.isoformat() if s.due_at else None,
                    "url": s.url,
                }
                for s in steps
            ],
        )


# --- reference ------------------------------------------------------------------------------------


def next_reference(home_id: int, year: int) -> str:
    """The next free reference of the home for the year: "INC-2026-0001", "INC-2026-0002" ..."""
    prefix = f"INC-{year}-"
    refs = Incident.objects.filter(home_id=home_id, reference__startswith=prefix).values_list("reference", flat=True)
    numbers = [int(r[len(prefix) :]) for r in refs if r[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _insert_with_reference(incident: Incident) -> None:
    """Save a new incident with the next reference. Two reports at once may pick the same number: the
    unique constraint refuses the second, which takes the next number (in a savepoint, so the
    surrounding transaction goes on)."""
    year = timezone.localtime(incident.reported_at).year
    for _attempt in range(REFERENCE_ATTEMPTS):
        incident.reference = next_reference(incident.home_id, year)
        try:
            with transaction.atomic():
                incident.save(force_insert=True)
            return
        except IntegrityError:
            incident.pk = None
            if not Incident.objects.filter(home_id=incident.home_id, reference=incident.reference).exists():
                raise  # another constraint (for example the same source record twice)
    raise IntegrityError("could not allocate an incident reference")


# --- changes --------------------------------------------------------------------------------------


def _resident_ids(incident: Incident) -> list[int]:
    return list(
        incident.people.filter(role=PersonRole.AFFECTED, kind=PersonKind.RESIDENT)
        .order_by("pk")
        .values_list("resident_id", flat=True)
    )


def _add_person_row(incident: Incident, person: dict, user) -> IncidentPerson:
    row = IncidentPerson.objects.create(
        home_id=incident.home_id, incident=incident, added_by=user, added_at=timezone.now(), **person
    )
    subject = ("residents.resident", row.resident_id) if row.resident_id else incident
    record_change(
        "incidents.person.added",
        target=row,
        subject=subject,
        subject_label=row.name,
        before=None,
        after={"incident": incident.reference, "role": row.role, "kind": row.kind, "name": row.name},
    )
    return row


def _add_injury_row(incident: Incident, person: IncidentPerson, injury: dict, user) -> IncidentInjury:
    row = IncidentInjury.objects.create(
        home_id=incident.home_id, incident=incident, person=person, recorded_by=user, **injury
    )
    subject = ("residents.resident", person.resident_id) if person.resident_id else incident
    record_change(
        "incidents.injury.recorded",
        target=row,
        subject=subject,
        subject_label=person.name,
        before=None,
        after={"incident": incident.reference, **injury},
    )
    return row


def _injury_person(injury: dict, people: list[IncidentPerson], field: str) -> IncidentPerson:
    """Whose injury: ``person`` (index into the people reported), ``resident_id``, or the first resident affected."""
    if injury.get("person") not in (None, ""):
        try:
            return people[int(injury["person"])]
        except (TypeError, ValueError, IndexError):
            raise ValidationError({field: [_("Choose whose injury it is.")]}) from None
    if injury.get("resident_id") not in (None, ""):
        for p in people:
            if p.resident_id is not None and str(p.resident_id) == str(injury["resident_id"]):
                return p
        raise ValidationError({field: [_("The injured resident must be among the people in the incident.")]})
    for p in people:
        if p.role == PersonRole.AFFECTED and p.kind == PersonKind.RESIDENT:
            return p
    raise ValidationError({field: [_("Name the person who was injured first.")]})


def report_incident(
    *,
    user,
    values: dict,
    people: list[dict] | tuple = (),
    injuries: list[dict] | tuple = (),
    home_id: int | None = None,
    source: str = IncidentSource.REPORTED,
    source_ref: str = "",
    needs_details: bool = False,
    require_current: bool = True,
    now: datetime | None = None,
) -> Incident:
    """Report an incident with the people in it and their injuries, in one transaction.

    ``values``: the facts (CHANGEABLE; the rules' facts default to "no"). ``people``: dicts with role
    (affected, involved, witness, alleged), kind (resident, staff, visitor, other), resident_id or
    user_id or name, contact, statement. ``injuries``: dicts with body_location (care_records'
    body map), kind (InjuryKind), description, and whose: ``person`` (index into ``people``) or
    ``resident_id`` (default: the first resident affected). ``now``: when it is reported (the demo's
    history); never later than now."""
    people, injuries = list(people), list(injuries)
    values = {
        "immediate_actions": "",
        "witnessed": None,
        "head_struck": None,
        "serious_injury_tests": [],
        "treatment_to_prevent_serious_injury": False,
        "medical_attention": MedicalAttention.NONE,
        "abuse_alleged": False,
        "police_involved": False,
        "disruption_hours": None,
        "unexpected_or_unintended": True,
        "other_kind": "",
        "pressure_ulcer_category": "",
        "unit_id": None,
        **values,
    }
    now = min(now or timezone.now(), timezone.now())
    with transaction.atomic():
        home = home_for(home_id, people, values)
        errors: dict[str, list[str]] = {}
        try:
            cleaned = clean_facts(values, home_id=home, now=now)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            cleaned = {}
        clean_people = []
        for i, person in enumerate(people):
            try:
                clean_people.append(
                    clean_person(person, home_id=home, require_current=require_current, field=f"people.{i}")
                )
            except ValidationError as exc:
                errors.update(exc.message_dict)
        seen = set()
        for i, p in enumerate(clean_people):
            key = (p["role"], p["kind"], p["resident_id"] or p["user_id"] or p["name"].lower())
            if key in seen:
                errors.setdefault(f"people.{i}", []).append(_("This person is listed twice."))
            seen.add(key)
        affected = [p for p in clean_people if p["role"] == PersonRole.AFFECTED and p["kind"] == PersonKind.RESIDENT]
        if values.get("kind") in NEEDS_RESIDENT and not affected and not any(k.startswith("people") for k in errors):
            errors["residents"] = [_("Choose the resident this happened to.")]
        clean_injuries = []
        for i, injury in enumerate(injuries):
            try:
                clean_injuries.append((injury, clean_injury(injury, field=f"injuries.{i}")))
            except ValidationError as exc:
                errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)
        incident = Incident(
            home_id=home,
            reported_by=user,
            reported_at=now,
            updated_at=now,
            source=source,
            source_ref=source_ref,
            needs_details=needs_details,
            **cleaned,
        )
        _insert_with_reference(incident)
        rows = [_add_person_row(incident, p, user) for p in clean_people]
        for i, (raw, injury) in enumerate(clean_injuries):
            _add_injury_row(incident, _injury_person(raw, rows, f"injuries.{i}"), injury, user)
        save_version(incident, reason=_("Incident reported"), action="incidents.incident.reported")
        publish(
            IncidentReported(
                incident_id=incident.pk,
                reference=incident.reference,
                kind=incident.kind,
                severity=incident.severity,
                occurred_at=incident.occurred_at,
                resident_ids=[p.resident_id for p in rows if p.role == PersonRole.AFFECTED and p.resident_id],
                witnessed=incident.witnessed,
                head_struck=incident.head_struck,
                source=incident.source,
            ),
            home=incident.home_id,
        )
        lifecycle.after_report(incident, user)
    return incident


def _locked(incident_id: int) -> Incident:
    incident = Incident.objects.select_for_update().filter(pk=incident_id).first()
    if incident is None:
        raise IncidentNotFound(incident_id)
    return incident


def _refuse_closed(incident: Incident) -> None:
    if not incident.is_open:
        raise ValidationError(_("This incident is closed: nothing more can be added or changed."))


def change_incident(incident_id: int, *, user, reason: str, values: dict, if_match: str | None = None) -> Incident:
    """Correct the facts of an incident: a new version with the reason, ``incident.changed``, and the
    sub-domains work out again what the facts now require. A correction by a person completes an
    incident raised from another service's event (``needs_details`` is cleared)."""
    try:
        reason = clean_text(reason, required=True, max_length=1000, message=_("Give the reason for the correction."))
    except ValueError as exc:
        raise ValidationError({"reason": [str(exc)]}) from None
    with transaction.atomic():
        incident = _locked(incident_id)
        check_if_match(if_match, etag_for(incident))
        _refuse_closed(incident)
        cleaned = clean_facts(values, home_id=incident.home_id, now=timezone.now(), partial_of=incident)
        changed = [k for k, v in cleaned.items() if getattr(incident, k) != v]
        completes = incident.needs_details and user is not None
        if not changed and not completes:
            return incident  # nothing changed: no version
        for key in changed:
            setattr(incident, key, cleaned[key])
        if completes:
            incident.needs_details = False
        incident.version += 1
        incident.updated_at = timezone.now()
        incident.save()
        save_version(incident, reason=reason, action="incidents.incident.corrected")
        if changed:
            _publish_changed(incident, changed)
            lifecycle.after_change(incident, user, changed)
    return incident


def _publish_changed(incident: Incident, changed: list[str]) -> None:
    publish(
        IncidentChanged(
            incident_id=incident.pk,
            reference=incident.reference,
            kind=incident.kind,
            severity=incident.severity,
            resident_ids=_resident_ids(incident),
            changed=changed,
        ),
        home=incident.home_id,
    )


def add_person(incident_id: int, *, user, person: dict) -> IncidentPerson:
    """Add a person (a witness with a statement, another resident affected ...) to an open incident."""
    with transaction.atomic():
        incident = _locked(incident_id)
        _refuse_closed(incident)
        cleaned = clean_person(person, home_id=incident.home_id, require_current=True, field="person")
        if (
            cleaned["resident_id"]
            and incident.people.filter(role=cleaned["role"], resident_id=cleaned["resident_id"]).exists()
        ):
            raise ValidationError({"person": [_("This resident is already listed in that role.")]})
        row = _add_person_row(incident, cleaned, user)
        if row.resident_id and row.role == PersonRole.AFFECTED:
            _publish_changed(incident, ["people"])
            lifecycle.after_change(incident, user, ["people"])
    return row


def add_injury(incident_id: int, *, user, injury: dict) -> IncidentInjury:
    """Add an injury on the body map of a person already in the incident (``person_id``)."""
    with transaction.atomic():
        incident = _locked(incident_id)
        _refuse_closed(incident)
        cleaned = clean_injury(injury, field="injury")
        person_id = str(injury.get("person_id") or "")
        person = incident.people.filter(pk=int(person_id)).first() if person_id.isdigit() else None
        if person is None:
            raise ValidationError({"person_id": [_("Choose whose injury it is.")]})
        row = _add_injury_row(incident, person, cleaned, user)
        _publish_changed(incident, ["injuries"])
        lifecycle.after_change(incident, user, ["injuries"])
    return row


def add_photo(incident_id: int, *, user, upload, caption: str = "") -> IncidentPhoto:
    """Store a photo of the scene or an injury (JPEG or PNG, checked by content, at most 5 MB) privately."""
    try:
        caption = clean_text(caption, max_length=200)
    except ValueError as exc:
        raise ValidationError({"caption": [str(exc)]}) from None
    if upload is None:
        raise ValidationError({"photo": [_("Choose a photo.")]})
    content_type = uploads.check_upload(upload, uploads.IMAGES, "photo")
    with transaction.atomic():
        incident = _locked(incident_id)
        _refuse_closed(incident)
        name = uploads.store(upload, "incidents/photos", content_type)
        photo = IncidentPhoto.objects.create(
            home_id=incident.home_id,
            incident=incident,
            file=name,
            content_type=content_type,
            caption=caption,
            uploaded_by=user,
        )
        record_change(
            "incidents.photo.added",
            target=photo,
            subject=incident,
            subject_label=incident.reference,
            before=None,
            after={"incident": incident.reference, "caption": caption, "content_type": content_type},
        )
    return photo


def close_incident(incident_id: int, *, user, summary: str, if_match: str | None = None) -> Incident:
    """Close an incident with the closing summary; refused (OpenStepsRemain, 409) while a required step of
    any sub-domain is open (``obligations.open_steps``), and while it still needs its details."""
    try:
        summary = clean_text(summary, required=True, max_length=5000, message=_("Write the closing summary."))
    except ValueError as exc:
        raise ValidationError({"summary": [str(exc)]}) from None
    with transaction.atomic():
        incident = _locked(incident_id)
        check_if_match(if_match, etag_for(incident))
        if not incident.is_open:
            raise ValidationError(_("This incident is already closed."))
        if incident.needs_details:
            raise ValidationError(_("Complete the details of this incident first (it was raised from a care note)."))
        steps = obligations.open_steps(incident)
        if steps:
            raise OpenStepsRemain(steps)
        now = timezone.now()
        incident.status = IncidentStatus.CLOSED
        incident.closed_at = now
        incident.closed_by = user
        incident.closing_summary = summary
        incident.version += 1
        incident.updated_at = now
        incident.save()
        save_version(incident, reason=summary, action="incidents.incident.closed")
        publish(
            IncidentClosed(
                incident_id=incident.pk,
                reference=incident.reference,
                kind=incident.kind,
                severity=incident.severity,
                resident_ids=_resident_ids(incident),
            ),
            home=incident.home_id,
        )
    return incident
