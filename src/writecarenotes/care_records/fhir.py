"""FHIR R4 export of a resident's vital signs, NEWS2, weights, BMI and glucose as Observations.

The resident as a Patient is served by the residents service (/api/v1/residents/{id}/fhir/Patient).

Built as plain JSON and validated with ``fhir.resources`` (8.3.0). That library ships FHIR R5 and
R4B (4.3) models, not 4.0.1; we validate with the R4B models and use only elements that are the
same in R4 (4.0.1) for Patient, Observation and Bundle.

Codes (LOINC unless said; units UCUM, http://unitsofmeasure.org):
- respiratory rate 9279-1 (/min); heart rate 8867-4 (/min); body temperature 8310-5 (Cel);
- oxygen saturation 2708-6 (required by the FHIR vital-signs profile) with 59408-5 (by pulse
  oximetry) (%);
- blood pressure panel 85354-9 with components systolic 8480-6 and diastolic 8462-4 (mm[Hg]);
- level of consciousness (ACVPU): code LOINC 67775-7 ("Level of responsiveness", as used by
  public NEWS2 implementations; not checked against the LOINC release here); the ACVPU answer is
  a LOCAL code (``ACVPU_SYSTEM``) with the text, because we could not confirm a SNOMED CT answer
  code for "new confusion";
- NEWS2 total: SNOMED CT 1104051000000101 "Royal College of Physicians National Early Warning
  Score 2 - total score" ({score}); the per-parameter scores are components with LOCAL codes
  (``NEWS2_PARAMETER_SYSTEM``), and "on oxygen" is one of them;
- body weight 29463-7 (kg); BMI 39156-5 (kg/m2); glucose 15074-8 "Glucose [Moles/volume] in
  Blood" (mmol/L).
- Patient and subject identifier: UK Core NHS number, system https://fhir.nhs.uk/Id/nhs-number.

Struck-through (corrected) entries are left out; a replacement is exported with status "amended".
"""

from __future__ import annotations

from decimal import Decimal

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation

from writecarenotes.care_records import rules
from writecarenotes.care_records.models import BloodGlucoseEntry, VitalSigns, WeightEntry

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
ACVPU_SYSTEM = "https://writecarenotes.org/fhir/CodeSystem/acvpu"
NEWS2_PARAMETER_SYSTEM = "https://writecarenotes.org/fhir/CodeSystem/news2-parameter"
NEWS2_SNOMED = "1104051000000101"

ACVPU_DISPLAY = {
    "A": "Alert",
    "C": "New confusion",
    "V": "Responds to voice",
    "P": "Responds to pain",
    "U": "Unresponsive",
}


def _coding(system: str, code: str, display: str) -> dict:
    return {"system": system, "code": code, "display": display}


def _quantity(value, unit: str, code: str) -> dict:
    if isinstance(value, Decimal):
        value = float(value)
    return {"value": value, "unit": unit, "system": UCUM, "code": code}


def _category(code: str = "vital-signs", display: str = "Vital Signs") -> list[dict]:
    return [{"coding": [_coding(CATEGORY_SYSTEM, code, display)]}]


def subject_reference(ref) -> dict:
    out = {"reference": f"Patient/{ref.id}", "display": ref.display_name}
    if ref.nhs_number:
        out["identifier"] = {"system": NHS_NUMBER_SYSTEM, "value": ref.nhs_number}
    return out


def _observation(entry, ref, suffix: str, code: dict, *, amended: bool, category=None, **value) -> dict:
    obs = {
        "resourceType": "Observation",
        "id": f"{entry.record_kind.replace('_', '-')}-{entry.pk}-{suffix}",
        "status": "amended" if amended else "final",
        "category": category or _category(),
        "code": code,
        "subject": subject_reference(ref),
        "effectiveDateTime": entry.occurred_at.isoformat(),
        "issued": entry.recorded_at.isoformat(),
    }
    obs.update(value)
    return obs


def vital_signs_observations(vs: VitalSigns, ref, *, amended: bool = False) -> list[dict]:
    """One Observation per recorded parameter, plus the NEWS2 total when it was calculated."""
    out = []

    def add(suffix, coding, text, **value):
        out.append(_observation(vs, ref, suffix, {"coding": coding, "text": text}, amended=amended, **value))

    if vs.respiration_rate is not None:
        add(
            "rr",
            [_coding(LOINC, "9279-1", "Respiratory rate")],
            "Respiratory rate",
            valueQuantity=_quantity(vs.respiration_rate, "breaths/minute", "/min"),
        )
    if vs.spo2 is not None:
        add(
            "spo2",
            [
                _coding(LOINC, "2708-6", "Oxygen saturation in Arterial blood"),
                _coding(LOINC, "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"),
            ],
            "Oxygen saturation (SpO2)",
            valueQuantity=_quantity(vs.spo2, "%", "%"),
        )
    if vs.systolic_bp is not None:
        components = [
            {
                "code": {"coding": [_coding(LOINC, "8480-6", "Systolic blood pressure")]},
                "valueQuantity": _quantity(vs.systolic_bp, "mmHg", "mm[Hg]"),
            }
        ]
        if vs.diastolic_bp is not None:
            components.append(
                {
                    "code": {"coding": [_coding(LOINC, "8462-4", "Diastolic blood pressure")]},
                    "valueQuantity": _quantity(vs.diastolic_bp, "mmHg", "mm[Hg]"),
                }
            )
        add(
            "bp",
            [_coding(LOINC, "85354-9", "Blood pressure panel with all children optional")],
            "Blood pressure",
            component=components,
        )
    if vs.pulse is not None:
        add(
            "hr",
            [_coding(LOINC, "8867-4", "Heart rate")],
            "Pulse",
            valueQuantity=_quantity(vs.pulse, "beats/minute", "/min"),
        )
    if vs.temperature is not None:
        add(
            "temp",
            [_coding(LOINC, "8310-5", "Body temperature")],
            "Temperature",
            valueQuantity=_quantity(vs.temperature, "°C", "Cel"),
        )
    if vs.consciousness:
        add(
            "acvpu",
            [_coding(LOINC, "67775-7", "Level of responsiveness")],
            "Consciousness (ACVPU)",
            valueCodeableConcept={
                "coding": [_coding(ACVPU_SYSTEM, vs.consciousness, ACVPU_DISPLAY[vs.consciousness])],
                "text": ACVPU_DISPLAY[vs.consciousness],
            },
        )
    if vs.is_complete:
        components = [
            {
                "code": {"coding": [_coding(NEWS2_PARAMETER_SYSTEM, name, f"NEWS2 {name.replace('_', ' ')} score")]},
                "valueInteger": score,
            }
            for name, score in (vs.news2_scores or {}).items()
        ]
        components.append(
            {
                "code": {"coding": [_coding(NEWS2_PARAMETER_SYSTEM, "on_oxygen_flag", "On supplemental oxygen")]},
                "valueBoolean": bool(vs.on_oxygen),
            }
        )
        components.append(
            {
                "code": {"coding": [_coding(NEWS2_PARAMETER_SYSTEM, "spo2_scale", "SpO2 scale used")]},
                "valueInteger": vs.spo2_scale,
            }
        )
        out.append(
            _observation(
                vs,
                ref,
                "news2",
                {
                    "coding": [
                        _coding(
                            SNOMED,
                            NEWS2_SNOMED,
                            "Royal College of Physicians National Early Warning Score 2 - total score",
                        )
                    ],
                    "text": "NEWS2 total score",
                },
                amended=amended,
                category=_category("survey", "Survey"),
                valueQuantity=_quantity(vs.news2_total, "score", "{score}"),
                interpretation=[{"text": f"NEWS2 clinical risk: {vs.news2_band.replace('_', '-')}"}],
                component=components,
            )
        )
    return out


def weight_observations(entry: WeightEntry, ref, *, amended: bool = False) -> list[dict]:
    out = [
        _observation(
            entry,
            ref,
            "weight",
            {"coding": [_coding(LOINC, "29463-7", "Body weight")], "text": "Body weight"},
            amended=amended,
            valueQuantity=_quantity(entry.weight_kg, "kg", "kg"),
        )
    ]
    bmi = rules.bmi(entry.weight_kg, ref.height_cm)
    if bmi is not None:
        out.append(
            _observation(
                entry,
                ref,
                "bmi",
                {"coding": [_coding(LOINC, "39156-5", "Body mass index (BMI) [Ratio]")], "text": "BMI"},
                amended=amended,
                valueQuantity=_quantity(bmi, "kg/m2", "kg/m2"),
            )
        )
    return out


def glucose_observations(entry: BloodGlucoseEntry, ref, *, amended: bool = False) -> list[dict]:
    return [
        _observation(
            entry,
            ref,
            "glucose",
            {"coding": [_coding(LOINC, "15074-8", "Glucose [Moles/volume] in Blood")], "text": "Blood glucose"},
            amended=amended,
            category=_category("laboratory", "Laboratory"),
            valueQuantity=_quantity(entry.mmol_per_l, "mmol/L", "mmol/L"),
        )
    ]


def _replacements(model, resident_id: int) -> set[int]:
    """Ids of entries that replaced a struck one (exported as "amended")."""
    return set(
        model.objects.filter(resident_id=resident_id, replaced_by__isnull=False).values_list(
            "replaced_by_id", flat=True
        )
    )


def resident_observations(ref) -> list[dict]:
    """Every current Observation of the resident, oldest first."""
    items: list[tuple] = []
    for model, build in (
        (VitalSigns, vital_signs_observations),
        (WeightEntry, weight_observations),
        (BloodGlucoseEntry, glucose_observations),
    ):
        amended = _replacements(model, ref.id)
        for entry in model.objects.current().filter(resident_id=ref.id).order_by("occurred_at", "pk"):
            for obs in build(entry, ref, amended=entry.pk in amended):
                items.append((entry.occurred_at, obs))
    items.sort(key=lambda pair: pair[0])
    return [obs for _at, obs in items]


def observation_bundle(ref, *, base_url: str = "") -> dict:
    """A searchset Bundle of the resident's Observations (validated with fhir.resources)."""
    observations = resident_observations(ref)
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(observations),
        "entry": [
            {
                "fullUrl": f"{base_url}residents/{ref.id}/fhir/Observation/{obs['id']}",
                "resource": obs,
                "search": {"mode": "match"},
            }
            for obs in observations
        ],
    }
    validate_bundle(bundle)
    return bundle


def validate_bundle(bundle: dict) -> Bundle:
    """Parse the bundle and each Observation with fhir.resources (raises pydantic ValidationError)."""
    for entry in bundle.get("entry", []):
        Observation.model_validate(entry["resource"])
    return Bundle.model_validate(bundle)
