"""FHIR R4 export of a resident's medicines (UK Core MedicationRequest and MedicationAdministration)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.medication.conftest import in_home, order
from writecarenotes.medication import fhir
from writecarenotes.medication.models import Administration
from writecarenotes.residents.public import get_resident

pytestmark = pytest.mark.django_db


def _given(world, o, *, outcome="given", at=None, dose="1", note=""):
    at = at or timezone.now() - timedelta(hours=2)
    with in_home(world.home):
        return Administration.objects.create(
            home=world.home,
            order=o,
            resident=o.resident,
            due_at=None if o.is_prn else at,
            outcome=outcome,
            dose=Decimal(dose) if outcome == "given" else None,
            note=note,
            administered_at=at,
            recorded_at=at,
            recorded_by=world.users["nurse"],
        )


def test_orders_export_as_uk_core_medication_requests(world, meds):
    meds.paracetamol.dmd_code = "42109611000001109"
    with in_home(world.home):
        meds.paracetamol.save()
    regular = order(
        world, meds.cocareldopa, times=["07:00", "11:00", "15:00", "19:00"], indication="Parkinson's disease"
    )
    prn = order(
        world,
        meds.paracetamol,
        is_prn=True,
        dose=1,
        dose_max=2,
        prn_indication="pain",
        prn_min_interval_minutes=240,
        prn_max_amount_24h=8,
    )
    stopped = order(world, meds.ibuprofen, status="stopped", status_reason="Stomach pain")
    with in_home(world.home):
        bundle = fhir.request_bundle(get_resident(world.resident.pk))
    by_id = {e["resource"]["id"]: e["resource"] for e in bundle["entry"]}
    assert bundle["total"] == 3
    r = by_id[f"order-{regular.pk}"]
    assert r["meta"]["profile"] == [fhir.UK_CORE_REQUEST]
    assert r["status"] == "active" and r["intent"] == "order"
    assert r["dosageInstruction"][0]["timing"]["repeat"]["timeOfDay"] == [
        "07:00:00",
        "11:00:00",
        "15:00:00",
        "19:00:00",
    ]
    assert r["subject"]["identifier"]["system"] == "https://fhir.nhs.uk/Id/nhs-number"
    p = by_id[f"order-{prn.pk}"]
    assert p["medicationCodeableConcept"]["coding"][0] == {
        "system": "http://snomed.info/sct",
        "code": "42109611000001109",
        "display": "Paracetamol 500 mg tablets",
    }
    dose = p["dosageInstruction"][0]
    assert dose["asNeededCodeableConcept"] == {"text": "pain"}
    assert dose["doseAndRate"][0]["doseRange"]["high"]["value"] == 2.0
    assert dose["maxDosePerPeriod"]["numerator"]["value"] == 8.0
    assert dose["maxDosePerPeriod"]["denominator"]["value"] == 24
    s = by_id[f"order-{stopped.pk}"]
    assert s["status"] == "stopped" and s["statusReason"] == {"text": "Stomach pain"}


def test_administrations_export_given_and_not_done(world, meds, client_for):
    o = order(world, meds.paracetamol)
    given = _given(world, o, at=timezone.now() - timedelta(days=1, hours=1))
    refused = _given(world, o, outcome="refused", at=timezone.now() - timedelta(hours=3), note="Said no thank you")
    c = client_for(world.users["nurse"])
    response = c.get(f"/api/v1/medication/residents/{world.resident.pk}/fhir/MedicationAdministration")
    assert response.status_code == 200 and response["Content-Type"] == "application/fhir+json"
    resources = {e["resource"]["id"]: e["resource"] for e in response.json()["entry"]}
    g = resources[f"administration-{given.pk}"]
    assert g["status"] == "completed" and g["dosage"]["dose"]["value"] == 1.0
    assert g["request"] == {"reference": f"MedicationRequest/order-{o.pk}"}
    r = resources[f"administration-{refused.pk}"]
    assert r["status"] == "not-done" and r["statusReason"] == [{"text": "Refused: Said no thank you"}]
    requests = c.get(f"/api/v1/medication/residents/{world.resident.pk}/fhir/MedicationRequest")
    assert requests.status_code == 200 and requests.json()["total"] == 1


def test_the_export_is_scoped_and_checks_the_period(world, client_for):
    c = client_for(world.users["nurse"])
    assert c.get(f"/api/v1/medication/residents/{world.foreign_resident.pk}/fhir/MedicationRequest").status_code == 404
    url = f"/api/v1/medication/residents/{world.resident.pk}/fhir/MedicationAdministration"
    assert c.get(url + "?start=2026-01-10&end=2026-01-01").status_code == 422
    assert c.get(url + "?start=2026-01-01&end=2026-06-01").status_code == 422
    assert client_for(world.users["carer"]).get(url).status_code == 403
