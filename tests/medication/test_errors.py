"""Medication error reporting (NICE SC1 section 1.5): a report raises a "medication error" incident; a
controlled drugs discrepancy raises a "controlled drug discrepancy" incident; pages and API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.medication.conftest import in_home, order
from writecarenotes.incidents.models import Incident
from writecarenotes.medication.events_errors import ControlledDrugDiscrepancy
from writecarenotes.medication.models import MedicationError
from writecarenotes.medication.services_errors import correct_error, report_error
from writecarenotes.platform.audit.models import AuditRecord
from writecarenotes.platform.events import dispatcher
from writecarenotes.platform.events.api import publish

pytestmark = pytest.mark.django_db


def _values(**kw):
    return {
        "kind": "wrong_dose",
        "description": "Two tablets given instead of one at 08:00.",
        "occurred_at": timezone.now() - timedelta(hours=1),
        "harm": "no_harm",
        "immediate_action": "Observations taken; GP called for advice.",
        "gp_informed": True,
        **kw,
    }


def test_a_report_raises_a_medication_error_incident_once(world, meds):
    o = order(world, meds.paracetamol)
    with in_home(world.home):
        error = report_error(user=world.users["nurse"], values=_values(), order_id=o.pk)
    assert error.resident_id == world.resident.pk and error.home_id == world.home.pk
    assert AuditRecord.objects.filter(action="medication.error.reported").count() == 1
    dispatcher.run_due()
    dispatcher.run_due()
    [incident] = Incident.unscoped.filter(source="medication")
    assert incident.kind == "medication_error"
    assert incident.severity == "no_harm"
    assert incident.needs_details
    assert incident.source_ref == f"medication.error:{error.pk}"
    assert "Two tablets" in incident.what_happened
    with in_home(world.home):
        assert list(incident.people.values_list("resident_id", flat=True)) == [world.resident.pk]


def test_an_error_without_a_resident_raises_an_other_incident(world):
    with in_home(world.home):
        report_error(
            user=world.users["nurse"],
            values=_values(kind="storage", description="Medicines trolley left unlocked in the corridor."),
            home_id=world.home.pk,
        )
    dispatcher.run_due()
    [incident] = Incident.unscoped.filter(source="medication")
    assert incident.kind == "other" and "Medication error" in incident.other_kind


def test_a_cd_discrepancy_raises_an_incident(world):
    from django.db import transaction

    with in_home(world.home), transaction.atomic():
        publish(
            ControlledDrugDiscrepancy(
                check_id=7,
                register_id=3,
                drug="Morphine sulfate 10 mg/5 ml oral solution",
                expected="95",
                counted="90",
                occurred_at=timezone.now(),
                reported_by_id=world.users["nurse"].pk,
            ),
            home=world.home,
        )
    dispatcher.run_due()
    [incident] = Incident.unscoped.filter(source="medication")
    assert incident.kind == "controlled_drug"
    assert "counted 90" in incident.what_happened and "was 95" in incident.what_happened


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "nonsense"}, "kind"),
        ({"harm": "a lot"}, "harm"),
        ({"description": "  "}, "description"),
        ({"occurred_at": timezone.now() + timedelta(hours=2)}, "occurred_at"),
    ],
)
def test_bad_reports_are_refused_field_by_field_and_nothing_is_saved(world, values, field):
    with in_home(world.home), pytest.raises(ValidationError) as exc:
        report_error(user=world.users["nurse"], values=_values(**values), resident_id=world.resident.pk)
    assert field in exc.value.message_dict
    assert MedicationError.unscoped.count() == 0


def test_another_homes_resident_is_not_found(world):
    with in_home(world.home), pytest.raises(ValidationError) as exc:
        report_error(user=world.users["nurse"], values=_values(), resident_id=world.foreign_resident.pk)
    assert "resident_id" in exc.value.message_dict


def test_a_correction_is_a_new_version_with_its_reason(world):
    with in_home(world.home):
        error = report_error(user=world.users["nurse"], values=_values(), resident_id=world.resident.pk)
        with pytest.raises(ValidationError):
            correct_error(error.pk, user=world.users["nurse"], reason="", values={"harm": "low"})
        corrected = correct_error(
            error.pk, user=world.users["nurse"], reason="Bruising found later", values={"harm": "low"}, if_match='"v1"'
        )
    assert corrected.harm == "low" and corrected.version == 2
    assert AuditRecord.objects.filter(action="medication.error.corrected", reason="Bruising found later").exists()


def test_the_page_reports_an_error_and_lists_it(world, client_for):
    c = client_for(world.users["senior_carer"])
    page = c.get("/medication/errors/report/")
    assert page.status_code == 200 and "Report a medication error" in page.text
    bad = c.post("/medication/errors/report/", {"kind": "wrong_dose", "harm": "no_harm", "description": ""})
    assert bad.status_code == 422 and "errorlist" in bad.text
    ok = c.post(
        "/medication/errors/report/",
        {
            "resident": world.resident.pk,
            "kind": "omitted",
            "occurred_at": (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "description": "Evening dose of co-careldopa missed: the round was interrupted.",
            "harm": "low",
        },
    )
    assert ok.status_code == 303
    listing = client_for(world.users["nurse"]).get("/medication/errors/")
    assert "co-careldopa missed" in listing.text


def test_a_carer_cannot_report_and_an_inspector_can_only_read(world, client_for):
    assert client_for(world.users["carer"]).get("/medication/errors/report/").status_code == 403
    assert client_for(world.users["inspector"]).get("/medication/errors/").status_code == 200
    assert client_for(world.users["inspector"]).get("/medication/errors/report/").status_code == 403


def test_the_api_reports_reads_and_corrects(world, client_for):
    c = client_for(world.users["nurse"])
    body = {
        "resident_id": world.resident.pk,
        "kind": "wrong_time",
        "description": "Lunchtime dose given at 15:00.",
        "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "harm": "no_harm",
    }
    created = c.post("/api/v1/medication/errors", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert created.status_code == 201, created.text
    again = c.post("/api/v1/medication/errors", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201 and MedicationError.unscoped.count() == 1
    pk = created.json()["id"]
    got = c.get(f"/api/v1/medication/errors/{pk}")
    assert got.status_code == 200 and got["ETag"] == '"v1"'
    bad = c.post("/api/v1/medication/errors", {**body, "harm": "lots"}, content_type="application/json")
    assert bad.status_code == 422 and bad["Content-Type"].startswith("application/problem+json")
    stale = c.patch(
        f"/api/v1/medication/errors/{pk}",
        {"reason": "r", "harm": "low"},
        content_type="application/json",
        HTTP_IF_MATCH='"v9"',
    )
    assert stale.status_code == 412
    fixed = c.patch(
        f"/api/v1/medication/errors/{pk}",
        {"reason": "Found a bruise", "harm": "low"},
        content_type="application/json",
        HTTP_IF_MATCH='"v1"',
    )
    assert fixed.status_code == 200 and fixed.json()["harm"] == "low"
    listing = c.get("/api/v1/medication/errors")
    assert listing.json()["count"] == 1


def test_another_homes_report_is_404(world, client_for):
    with in_home(world.foreign_home):
        error = report_error(user=world.users["nurse"], values=_values(), home_id=world.foreign_home.pk)
    assert client_for(world.users["nurse"]).get(f"/api/v1/medication/errors/{error.pk}").status_code == 404
