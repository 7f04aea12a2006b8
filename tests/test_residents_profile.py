"""Profile changes: versions with reasons, audit with the resident as subject, allergies
(including "no known allergies"), contacts, diagnoses, LPAs, uploads checked by content."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from writecarenotes.platform.audit.models import AuditRecord, RecordVersion
from writecarenotes.platform.events.models import OutboxEvent
from writecarenotes.platform.tenancy.scope import acting_for
from writecarenotes.residents import services_profile as sp
from writecarenotes.residents.models import Resident

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64


@pytest.fixture
def r(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with acting_for([world.home]):
        yield Resident.objects.select_related("home").get(pk=world.resident.pk)


def _versions(r):
    return list(
        RecordVersion.objects.filter(content_type="residents.resident", object_id=str(r.pk)).order_by("version")
    )


def test_a_profile_change_needs_a_reason_and_makes_a_version(r):
    with pytest.raises(ValidationError) as exc:
        sp.update_profile(r, section="about", values={"about_me": "Loves brass bands."}, reason="")
    assert "reason" in exc.value.message_dict
    r = sp.update_profile(r, section="about", values={"about_me": "Loves brass bands."}, reason="Told by daughter")
    r = sp.update_profile(r, section="health", values={"gp_ods_code": "a81001", "height_cm": 162}, reason="GP letter")
    assert r.gp_ods_code == "A81001"
    versions = _versions(r)
    assert versions[-1].reason == "GP letter" and "gp_ods_code" in versions[-1].changed
    assert versions[-2].data["about_me"] == "Loves brass bands."
    audit = AuditRecord.objects.filter(
        subject_type="residents.resident", subject_id=str(r.pk), action="residents.profile.about"
    )
    assert audit.count() == 1
    assert OutboxEvent.unscoped.filter(name="resident.profile_changed").count() == 2


def test_profile_fields_are_validated(r):
    with pytest.raises(ValidationError) as exc:
        sp.update_profile(
            r,
            section="health",
            values={"gp_ods_code": "not an ods!", "gp_phone": "call me", "height_cm": 20},
            reason="x",
        )
    assert set(exc.value.message_dict) == {"gp_ods_code", "gp_phone", "height_cm"}
    with pytest.raises(ValidationError) as exc:
        sp.update_profile(r, section="identity", values={"nhs_number": "9434765918"}, reason="x")
    assert "check digit" in exc.value.message_dict["nhs_number"][0]
    with pytest.raises(ValidationError) as exc:
        sp.update_profile(r, section="dnacpr", values={"dnacpr_status": "dnacpr"}, reason="x")
    assert "dnacpr_decided_on" in exc.value.message_dict


def test_allergies_and_no_known_allergies(r):
    r = sp.record_no_known_allergies(r)
    assert r.no_known_allergies
    a = sp.add_allergy(r, substance="Penicillin", severity="life_threatening", reaction="Anaphylaxis")
    r.refresh_from_db()
    assert not r.no_known_allergies  # an allergy replaces "no known allergies"
    with pytest.raises(ValidationError, match="Allergies are recorded"):
        sp.record_no_known_allergies(r)
    with pytest.raises(ValidationError):
        sp.end_allergy(a, reason="")
    a = sp.end_allergy(a, reason="Recorded in error: wrong resident")
    assert a.ended_at is not None
    rec = AuditRecord.objects.get(action="residents.allergy.end")
    assert rec.subject_id == str(r.pk) and rec.reason.startswith("Recorded in error")
    with pytest.raises(ValidationError) as exc:
        sp.add_allergy(r, substance="", severity="awful")
    assert set(exc.value.message_dict) == {"substance", "severity"}


def test_contacts(r):
    c = sp.add_contact(
        r, name="Susan Evans", relationship="Daughter", phone="07700 900123", next_of_kin=True, priority=1
    )
    with pytest.raises(ValidationError) as exc:
        sp.add_contact(r, name="Bob", relationship="Son", emergency_contact=True, email="not-an-email")
    assert set(exc.value.message_dict) == {"phone", "email"}
    c = sp.update_contact(c, phone="07700 900456", reason="New phone")
    assert c.phone == "07700 900456"
    c = sp.remove_contact(c, reason="Asked to be removed")
    assert not c.is_active
    actions = list(
        AuditRecord.objects.filter(subject_id=str(r.pk), action__startswith="residents.contact").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["residents.contact.create", "residents.contact.remove", "residents.contact.update"]


def test_diagnoses_and_lpa(r):
    d = sp.add_diagnosis(r, condition="Type 2 diabetes", status="active", diagnosed_on=date(2015, 3, 1))
    d = sp.update_diagnosis(d, status="resolved", reason="Reviewed by GP")
    assert d.status == "resolved"
    upload = SimpleUploadedFile("lpa.pdf", PDF, content_type="application/pdf")
    lpa = sp.add_attorney(r, kind="health_welfare", attorney_name="Susan Evans", upload=upload)
    assert lpa.document.endswith(".pdf")
    lpa = sp.end_attorney(lpa, reason="Revoked")
    assert not lpa.is_active


def test_uploads_are_checked_by_content_and_size(r):
    fake = SimpleUploadedFile("photo.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        sp.set_photo(r, upload=fake)
    assert "JPEG or PNG" in exc.value.message_dict["photo"][0]
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * (5 * 1024 * 1024), content_type="image/png")
    with pytest.raises(ValidationError, match="5 MB"):
        sp.set_photo(r, upload=big)
    r = sp.set_photo(r, upload=SimpleUploadedFile("p.png", PNG, content_type="image/png"))
    assert r.photo.endswith(".png") and r.photo_content_type == "image/png"


def test_if_match_refuses_a_stale_update(r):
    from writecarenotes.platform.api.concurrency import PreconditionFailed, etag_for

    tag = etag_for(r)
    sp.update_profile(r, section="about", values={"preferences": "Tea, no sugar"}, reason="Asked", if_match=tag)
    with pytest.raises(PreconditionFailed):
        sp.update_profile(r, section="about", values={"preferences": "Coffee"}, reason="Asked", if_match=tag)
