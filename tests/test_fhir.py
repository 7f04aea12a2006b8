"""FHIR R4 export: the Bundle validates with fhir.resources and carries the right codes and UCUM units."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.patient import Patient

from writecarenotes.care_records.services_charts import record_chart_entry
from writecarenotes.care_records.services_notes import correct_entry
from writecarenotes.care_records.services_vitals import record_vital_signs
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.django_db

LOINC = "http://loinc.org"
NHS = "https://fhir.nhs.uk/Id/nhs-number"


def _setup(world):
    with acting_as_system("t"), acting_for([world.home]):
        world.resident.height_cm = Decimal("165")
        world.resident.save(update_fields=["height_cm"])
        vs = record_vital_signs(
            resident_id=world.resident.pk,
            user=world.users["nurse"],
            occurred_at=timezone.now(),
            values=dict(
                respiration_rate=22,
                spo2=95,
                on_oxygen=False,
                systolic_bp=105,
                diastolic_bp=60,
                pulse=95,
                consciousness="A",
                temperature="38.3",
            ),
        )
        record_chart_entry(
            "weight",
            resident_id=world.resident.pk,
            user=world.users["nurse"],
            occurred_at=timezone.now(),
            values={"weight_kg": Decimal("58.4")},
        )
        record_chart_entry(
            "blood-glucose",
            resident_id=world.resident.pk,
            user=world.users["nurse"],
            occurred_at=timezone.now(),
            values={"mmol_per_l": Decimal("6.2")},
        )
    return vs


def _by_code(bundle):
    out = {}
    for entry in bundle["entry"]:
        res = entry["resource"]
        for coding in res["code"]["coding"]:
            out.setdefault(coding["code"], res)
    return out


def test_observation_bundle_validates_and_has_the_right_codes_and_units(world, client_for):
    _setup(world)
    r = client_for(world.users["nurse"]).get(f"/api/v1/care_records/residents/{world.resident.pk}/fhir/Observation")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/fhir+json")
    bundle = r.json()
    Bundle.model_validate(bundle)
    assert bundle["type"] == "searchset" and bundle["total"] == len(bundle["entry"])
    obs = _by_code(bundle)

    def qty(code):
        q = obs[code]["valueQuantity"]
        assert q["system"] == "http://unitsofmeasure.org"
        return q["value"], q["code"]

    assert qty("9279-1") == (22, "/min")
    assert qty("8867-4") == (95, "/min")
    assert qty("2708-6") == (95, "%") and "59408-5" in obs
    assert qty("8310-5") == (38.3, "Cel")
    assert qty("29463-7") == (58.4, "kg")
    assert qty("39156-5") == (21.5, "kg/m2")  # 58.4 / 1.65² = 21.45 -> 21.5
    assert qty("15074-8") == (6.2, "mmol/L")
    assert qty("1104051000000101") == (6, "{score}")
    assert obs["1104051000000101"]["code"]["coding"][0]["system"] == "http://snomed.info/sct"
    bp = obs["85354-9"]
    comps = {c["code"]["coding"][0]["code"]: c["valueQuantity"] for c in bp["component"]}
    assert comps["8480-6"]["value"] == 105 and comps["8480-6"]["code"] == "mm[Hg]"
    assert comps["8462-4"]["value"] == 60
    assert obs["67775-7"]["valueCodeableConcept"]["text"] == "Alert"
    for entry in bundle["entry"]:
        res = entry["resource"]
        assert res["status"] == "final"
        assert res["subject"]["identifier"] == {"system": NHS, "value": world.resident.nhs_number}
        assert res["subject"]["reference"] == f"Patient/{world.resident.pk}"
        assert entry["fullUrl"].startswith("http://testserver/api/v1/care_records/")
    vital = [e for e in bundle["entry"] if e["resource"]["code"]["coding"][0]["code"] == "9279-1"][0]["resource"]
    assert vital["category"][0]["coding"][0]["code"] == "vital-signs"


def test_corrected_entries_are_left_out_and_replacements_are_amended(world, client_for):
    vs = _setup(world)
    with acting_as_system("t"), acting_for([world.home]):
        correct_entry(vs, reason="Wrong resident's pulse", new_values={"pulse": 80}, user=world.users["nurse"])
    bundle = (
        client_for(world.users["nurse"])
        .get(f"/api/v1/care_records/residents/{world.resident.pk}/fhir/Observation")
        .json()
    )
    pulses = [e["resource"] for e in bundle["entry"] if e["resource"]["code"]["coding"][0]["code"] == "8867-4"]
    assert [(p["valueQuantity"]["value"], p["status"]) for p in pulses] == [(80, "amended")]


def test_observations_point_at_the_patient_the_residents_service_serves(world, client_for):
    c = client_for(world.users["nurse"])
    patient = c.get(f"/api/v1/residents/{world.resident.pk}/fhir/Patient").json()
    Patient.model_validate(patient)
    assert {"system": NHS, "value": world.resident.nhs_number} in [
        {"system": i["system"], "value": i["value"]} for i in patient["identifier"]
    ]
    assert subject_reference_of(world) == f"Patient/{patient['id']}"


def subject_reference_of(world) -> str:
    from writecarenotes.care_records import fhir
    from writecarenotes.platform.tenancy.scope import acting_for
    from writecarenotes.residents.public import get_resident

    with acting_for([world.home]):
        return fhir.subject_reference(get_resident(world.resident.pk))["reference"]


def test_fhir_is_scoped_and_needs_view(world, client_for):
    c = client_for(world.users["nurse"])
    assert c.get(f"/api/v1/care_records/residents/{world.foreign_resident.pk}/fhir/Observation").status_code == 404
    family = client_for(world.users["family"])
    assert family.get(f"/api/v1/care_records/residents/{world.resident.pk}/fhir/Observation").status_code == 403
