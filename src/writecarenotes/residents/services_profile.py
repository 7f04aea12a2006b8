"""Changes to a resident's profile: named services, each in one transaction, audited with the
resident as subject. The resident row is versioned (audit.save_version): every change after
creation needs a reason. List parts (allergies, diagnoses, contacts, LPAs) are never deleted in
place: they are ended / deactivated with a reason, and each change is audited before -> after.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.platform.api.concurrency import check_if_match, etag_for
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.audit.versions import save_version, snapshot
from writecarenotes.platform.events.api import publish
from writecarenotes.platform.web import uploads
from writecarenotes.residents import events
from writecarenotes.residents.models import (
    Allergy,
    AllergySeverity,
    AttorneyKind,
    Contact,
    Diagnosis,
    DiagnosisStatus,
    DnacprStatus,
    FundingType,
    PowerOfAttorney,
    Resident,
)
from writecarenotes.residents.nhs_number import duplicate_message, duplicate_of, validate_health_number

#: Fields of the resident that update_profile may change, by section.
SECTIONS: dict[str, tuple[str, ...]] = {
    "identity": ("legal_given_names", "legal_family_name", "preferred_name", "pronouns", "date_of_birth", "nhs_number"),
    "health": (
        "gp_practice_name",
        "gp_ods_code",
        "gp_phone",
        "funding_type",
        "religion",
        "first_language",
        "interpreter_needed",
        "communication_needs",
        "height_cm",
    ),
    "about": ("preferences", "about_me"),
    "dnacpr": ("dnacpr_status", "dnacpr_decided_on", "dnacpr_review_on"),
}
_ODS = re.compile(r"^[A-Z0-9]{3,8}$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{6,30}$")


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Enter the reason for this change.")]})
    return reason


def _clean_profile(resident: Resident, values: dict) -> dict:
    errors: dict[str, list[str]] = {}
    out = dict(values)
    for name in ("legal_given_names", "legal_family_name"):
        if name in out and not (out[name] or "").strip():
            errors[name] = [_("This cannot be empty.")]
    dob = out.get("date_of_birth", resident.date_of_birth)
    if "date_of_birth" in out and (dob is None or dob > timezone.localdate() or dob < date(1900, 1, 1)):
        errors["date_of_birth"] = [_("Enter a real date of birth.")]
    if "nhs_number" in out or "date_of_birth" in out:
        try:
            out["nhs_number"] = validate_health_number(
                out.get("nhs_number", resident.nhs_number), resident.home.nation, dob
            )
        except ValidationError as exc:
            errors["nhs_number"] = exc.messages
        else:
            other = duplicate_of(out["nhs_number"], resident.home_id, exclude_pk=resident.pk)
            if other is not None:
                errors["nhs_number"] = [duplicate_message(other)]
    if out.get("gp_ods_code"):
        out["gp_ods_code"] = out["gp_ods_code"].strip().upper()
        if not _ODS.match(out["gp_ods_code"]):
            errors["gp_ods_code"] = [_("An ODS code is 3 to 8 letters and digits, for example A81001.")]
    for phone in ("gp_phone",):
        if out.get(phone) and not _PHONE.match(out[phone].strip()):
            errors[phone] = [_("Enter a phone number (digits, spaces, + and brackets).")]
    if "funding_type" in out and (out["funding_type"] or "") not in FundingType.values:
        errors["funding_type"] = [_("Choose a funding type.")]
    if out.get("height_cm") is not None and "height_cm" in out and not 50 <= float(out["height_cm"]) <= 250:
        errors["height_cm"] = [_("Enter the height in centimetres (50 to 250).")]
    if "dnacpr_status" in out:
        status = out["dnacpr_status"] or ""
        if status not in DnacprStatus.values:
            errors["dnacpr_status"] = [_("Choose a status.")]
        elif status in (DnacprStatus.DNACPR, DnacprStatus.RESPECT) and not out.get("dnacpr_decided_on"):
            errors["dnacpr_decided_on"] = [_("Enter the date of the decision.")]
        decided, review = out.get("dnacpr_decided_on"), out.get("dnacpr_review_on")
        if decided and decided > timezone.localdate():
            errors["dnacpr_decided_on"] = [_("This cannot be in the future.")]
        if decided and review and review < decided:
            errors["dnacpr_review_on"] = [_("The review date cannot be before the decision.")]
    if errors:
        raise ValidationError(errors)
    for key, value in out.items():
        if isinstance(value, str):
            out[key] = value.strip()
    return out


def _publish(resident: Resident, section: str) -> None:
    publish(events.ResidentProfileChanged(resident_id=resident.pk, section=section), home=resident.home_id)


def update_profile(
    resident: Resident, *, section: str, values: dict, reason: str, if_match: str | None = None
) -> Resident:
    """Change fields of one section of the profile; a new version with the reason. With
    ``if_match`` (the API's If-Match), refused with 412 when someone changed the resident since."""
    allowed = SECTIONS.get(section)
    if allowed is None:
        raise ValueError(f"unknown section {section!r}")
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValueError(f"fields {sorted(unknown)} are not in section {section!r}")
    reason = _reason(reason)
    with transaction.atomic():
        r = Resident.objects.select_for_update().select_related("home").get(pk=resident.pk)
        check_if_match(if_match, etag_for(r))
        cleaned = _clean_profile(r, values)
        for key, value in cleaned.items():
            setattr(r, key, value)
        r.version += 1
        r.save()
        if save_version(r, reason=reason, action=f"residents.profile.{section}") is None:
            # Nothing changed: do not count a version.
            Resident.objects.filter(pk=r.pk).update(version=r.version - 1)
            r.version -= 1
            return r
        _publish(r, section)
    return r


def set_photo(resident: Resident, *, upload, reason: str = "") -> Resident:
    content_type = uploads.check_upload(upload, uploads.IMAGES, "photo")
    with transaction.atomic():
        r = Resident.objects.select_for_update().get(pk=resident.pk)
        r.photo = uploads.store(upload, "residents/photos", content_type)
        r.photo_content_type = content_type
        r.version += 1
        r.save()
        save_version(r, reason=(reason or "").strip() or _("New photo"), action="residents.profile.photo")
        _publish(r, "photo")
    return r


def set_dnacpr_document(resident: Resident, *, upload, reason: str) -> Resident:
    reason = _reason(reason)
    content_type = uploads.check_upload(upload, uploads.DOCUMENTS, "document")
    with transaction.atomic():
        r = Resident.objects.select_for_update().get(pk=resident.pk)
        r.dnacpr_document = uploads.store(upload, "residents/documents", content_type)
        r.version += 1
        r.save()
        save_version(r, reason=reason, action="residents.profile.dnacpr_document")
        _publish(r, "dnacpr")
    return r


def _audit_part(action: str, obj, before: dict | None, reason: str = "") -> None:
    record_change(action, target=obj, before=before, after=snapshot(obj), reason=reason, subject=obj.resident)


def _touch(resident: Resident) -> None:
    """A part changed: the resident's ETag changes too (clients re-read the whole profile)."""
    Resident.objects.filter(pk=resident.pk).update(version=resident.version + 1)
    resident.version += 1


# --- Allergies ------------------------------------------------------------------------------


def add_allergy(
    resident: Resident, *, substance: str, severity: str, reaction: str = "", is_sensitivity: bool = False
) -> Allergy:
    errors = {}
    if not (substance or "").strip():
        errors["substance"] = [_("Enter the substance (a medicine, food or material).")]
    if severity not in AllergySeverity.values:
        errors["severity"] = [_("Choose the severity.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        r = Resident.objects.select_for_update().get(pk=resident.pk)
        allergy = Allergy.objects.create(
            home_id=r.home_id,
            resident=r,
            substance=substance.strip(),
            severity=severity,
            reaction=(reaction or "").strip(),
            is_sensitivity=bool(is_sensitivity),
        )
        _audit_part("residents.allergy.create", allergy, None)
        if r.no_known_allergies:
            r.no_known_allergies = False
            r.version += 1
            r.save()
            save_version(r, reason=_("Allergy recorded: %(s)s") % {"s": allergy.substance}, action="residents.nka")
        else:
            _touch(r)
        _publish(r, "allergies")
    return allergy


def end_allergy(allergy: Allergy, *, reason: str) -> Allergy:
    """Recorded in error, or no longer relevant: ended with a reason, kept in the history."""
    reason = _reason(reason)
    with transaction.atomic():
        a = Allergy.objects.select_for_update().select_related("resident").get(pk=allergy.pk)
        if a.ended_at:
            raise ValidationError(_("This allergy was already removed."))
        before = snapshot(a)
        a.ended_at, a.end_reason = timezone.now(), reason
        a.save()
        _audit_part("residents.allergy.end", a, before, reason)
        _touch(a.resident)
        _publish(a.resident, "allergies")
    return a


def record_no_known_allergies(resident: Resident) -> Resident:
    """Record explicitly that the resident has no known allergies (not the same as "not asked")."""
    with transaction.atomic():
        r = Resident.objects.select_for_update().get(pk=resident.pk)
        if Allergy.objects.filter(resident=r, ended_at__isnull=True).exists():
            raise ValidationError(_("Allergies are recorded: remove them first if they were recorded in error."))
        if r.no_known_allergies:
            return r
        r.no_known_allergies = True
        r.version += 1
        r.save()
        save_version(r, reason=_("No known allergies"), action="residents.nka")
        _publish(r, "allergies")
    return r


# --- Diagnoses ------------------------------------------------------------------------------


def _clean_diagnosis(condition, status, diagnosed_on) -> dict:
    errors = {}
    if not (condition or "").strip():
        errors["condition"] = [_("Enter the condition.")]
    if status not in DiagnosisStatus.values:
        errors["status"] = [_("Choose the status.")]
    if diagnosed_on and diagnosed_on > timezone.localdate():
        errors["diagnosed_on"] = [_("This cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    return {"condition": condition.strip(), "status": status, "diagnosed_on": diagnosed_on}


def add_diagnosis(
    resident: Resident, *, condition: str, status: str, diagnosed_on: date | None = None, notes: str = ""
) -> Diagnosis:
    values = _clean_diagnosis(condition, status, diagnosed_on)
    with transaction.atomic():
        r = Resident.objects.select_for_update().get(pk=resident.pk)
        d = Diagnosis.objects.create(home_id=r.home_id, resident=r, notes=(notes or "").strip(), **values)
        _audit_part("residents.diagnosis.create", d, None)
        _touch(r)
        _publish(r, "diagnoses")
    return d


def update_diagnosis(diagnosis: Diagnosis, *, status: str, notes: str = "", reason: str) -> Diagnosis:
    reason = _reason(reason)
    with transaction.atomic():
        d = Diagnosis.objects.select_for_update().select_related("resident").get(pk=diagnosis.pk)
        _clean_diagnosis(d.condition, status, d.diagnosed_on)
        before = snapshot(d)
        d.status, d.notes = status, (notes or "").strip()
        d.save()
        _audit_part("residents.diagnosis.update", d, before, reason)
        _touch(d.resident)
        _publish(d.resident, "diagnoses")
    return d


# --- Contacts -------------------------------------------------------------------------------


def _clean_contact(values: dict) -> dict:
    from django.core.validators import validate_email

    errors = {}
    out = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    if not out.get("name"):
        errors["name"] = [_("Enter the name.")]
    if not out.get("relationship"):
        errors["relationship"] = [_("Enter the relationship (for example daughter, friend, solicitor).")]
    if out.get("phone") and not _PHONE.match(out["phone"]):
        errors["phone"] = [_("Enter a phone number (digits, spaces, + and brackets).")]
    if out.get("email"):
        try:
            validate_email(out["email"])
        except ValidationError:
            errors["email"] = [_("Enter an e-mail address like name@example.org.")]
    if (out.get("next_of_kin") or out.get("emergency_contact")) and not out.get("phone"):
        errors["phone"] = [_("Next of kin and emergency contacts need a phone number.")]
    priority = out.get("priority") or 1
    if not 1 <= int(priority) <= 20:
        errors["priority"] = [_("Priority is 1 (call first) to 20.")]
    if errors:
        raise ValidationError(errors)
    out["priority"] = int(priority)
    return out


CONTACT_FIELDS = ("name", "relationship", "phone", "email", "next_of_kin", "emergency_contact", "priority")


def add_contact(resident: Resident, **values) -> Contact:
    values = _clean_contact({k: values.get(k) for k in CONTACT_FIELDS})
    values = {k: ("" if v is None else v) for k, v in values.items()}
    values["next_of_kin"], values["emergency_contact"] = bool(values["next_of_kin"]), bool(values["emergency_contact"])
    with transaction.atomic():
        r = Resident.objects.select_for_update().get(pk=resident.pk)
        c = Contact.objects.create(home_id=r.home_id, resident=r, **values)
        _audit_part("residents.contact.create", c, None)
        _touch(r)
        _publish(r, "contacts")
    return c


def update_contact(contact: Contact, *, reason: str, **values) -> Contact:
    reason = _reason(reason)
    with transaction.atomic():
        c = Contact.objects.select_for_update().select_related("resident").get(pk=contact.pk)
        merged = {k: values.get(k, getattr(c, k)) for k in CONTACT_FIELDS}
        cleaned = _clean_contact(merged)
        before = snapshot(c)
        for key, value in cleaned.items():
            setattr(c, key, "" if value is None else value)
        c.next_of_kin, c.emergency_contact = bool(c.next_of_kin), bool(c.emergency_contact)
        c.save()
        _audit_part("residents.contact.update", c, before, reason)
        _touch(c.resident)
        _publish(c.resident, "contacts")
    return c


def remove_contact(contact: Contact, *, reason: str) -> Contact:
    reason = _reason(reason)
    with transaction.atomic():
        c = Contact.objects.select_for_update().select_related("resident").get(pk=contact.pk)
        before = snapshot(c)
        c.is_active = False
        c.save()
        _audit_part("residents.contact.remove", c, before, reason)
        _touch(c.resident)
        _publish(c.resident, "contacts")
    return c


# --- Lasting Power of Attorney --------------------------------------------------------------


def add_attorney(
    resident: Resident, *, kind: str, attorney_name: str, registered_on: date | None = None, upload=None
) -> PowerOfAttorney:
    errors = {}
    if kind not in AttorneyKind.values:
        errors["kind"] = [_("Choose the type of LPA.")]
    if not (attorney_name or "").strip():
        errors["attorney_name"] = [_("Enter the attorney's name.")]
    if registered_on and registered_on > timezone.localdate():
        errors["registered_on"] = [_("This cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    content_type = uploads.check_upload(upload, uploads.DOCUMENTS, "document") if upload else ""
    with transaction.atomic():
        r = Resident.objects.select_for_update().get(pk=resident.pk)
        lpa = PowerOfAttorney(
            home_id=r.home_id, resident=r, kind=kind, attorney_name=attorney_name.strip(), registered_on=registered_on
        )
        if upload:
            lpa.document = uploads.store(upload, "residents/documents", content_type)
            lpa.document_content_type = content_type
        lpa.save()
        _audit_part("residents.lpa.create", lpa, None)
        _touch(r)
        _publish(r, "lpa")
    return lpa


def end_attorney(lpa: PowerOfAttorney, *, reason: str) -> PowerOfAttorney:
    reason = _reason(reason)
    with transaction.atomic():
        a = PowerOfAttorney.objects.select_for_update().select_related("resident").get(pk=lpa.pk)
        before = snapshot(a)
        a.is_active = False
        a.save()
        _audit_part("residents.lpa.end", a, before, reason)
        _touch(a.resident)
        _publish(a.resident, "lpa")
    return a
