"""FHIR R4 export of a resident's medicines: MedicationRequest (orders) and MedicationAdministration (the eMAR).

Profiles: UK Core (https://fhir.hl7.org.uk/StructureDefinition/UKCore-MedicationRequest and
UKCore-MedicationAdministration, declared in ``meta.profile``). Built as plain JSON and validated with
``fhir.resources`` 8.3.0's R4B models (that library has no 4.0.1 models; we use only elements that
are the same in R4), as ``care_records.fhir`` does for Observations.

- The medicine: ``medicationCodeableConcept`` with the dm+d code when the home recorded it (dm+d
  concepts are SNOMED CT concepts: system http://snomed.info/sct, as UK Core requires) and the
  product's name as text.
- The patient: ``Patient/{resident id}`` with the NHS number identifier (https://fhir.nhs.uk/Id/nhs-number).
- Dosage: text, timing (``timeOfDay``, ``dayOfWeek``, every N days as ``frequency``/``period``),
  ``asNeededBoolean`` with the PRN indication as ``asNeededCodeableConcept`` text, the dose or dose
  range in the product's dose unit, and for PRN orders ``maxDosePerPeriod`` per 24 hours.
  Routes are given as text (we keep our own route list, not SNOMED CT route codes).
- Status: an active order → active; suspended → on-hold; stopped → stopped; a course past its stop
  date → completed. An administration given → completed; any other outcome → not-done with the
  outcome and reason as ``statusReason`` text.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.medicationadministration import MedicationAdministration
from fhir.resources.R4B.medicationrequest import MedicationRequest

from writecarenotes.medication.models import Administration, MedicationOrder, OrderStatus, Outcome

SNOMED = "http://snomed.info/sct"
NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
UK_CORE_REQUEST = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-MedicationRequest"
UK_CORE_ADMINISTRATION = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-MedicationAdministration"
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

__all__ = ["administration_bundle", "administration_resource", "request_bundle", "request_resource"]


def _subject(ref) -> dict:
    out = {"reference": f"Patient/{ref.id}", "display": ref.display_name}
    if ref.nhs_number:
        out["identifier"] = {"system": NHS_NUMBER_SYSTEM, "value": ref.nhs_number}
    return out


def _medication(medicine) -> dict:
    concept: dict = {"text": medicine.name}
    if medicine.dmd_code:
        concept["coding"] = [{"system": SNOMED, "code": medicine.dmd_code, "display": medicine.name}]
    return concept


def _num(value) -> float:
    return float(value)


def _quantity(value, unit: str) -> dict:
    return {"value": _num(value), "unit": unit}


def _request_status(order: MedicationOrder, today: date) -> str:
    if order.status == OrderStatus.STOPPED:
        return "stopped"
    if order.status == OrderStatus.SUSPENDED:
        return "on-hold"
    if order.stop_date and order.stop_date < today:
        return "completed"
    return "active"


def _dosage(order: MedicationOrder) -> dict:
    unit = str(order.medicine.get_dose_unit_display())
    dosage: dict = {"text": _dosage_text(order), "route": {"text": str(order.get_route_display())}}
    if order.dose_max is not None and order.dose_max != order.dose:
        dosage["doseAndRate"] = [
            {"doseRange": {"low": _quantity(order.dose, unit), "high": _quantity(order.dose_max, unit)}}
        ]
    else:
        dosage["doseAndRate"] = [{"doseQuantity": _quantity(order.dose, unit)}]
    if order.food:
        dosage["additionalInstruction"] = [{"text": str(order.get_food_display())}]
    if order.is_prn:
        if order.prn_indication:
            dosage["asNeededCodeableConcept"] = {"text": order.prn_indication}
        else:
            dosage["asNeededBoolean"] = True
        if order.prn_max_amount_24h is not None or order.prn_max_doses_24h is not None:
            most = (
                order.prn_max_amount_24h
                if order.prn_max_amount_24h is not None
                else (order.dose_max if order.dose_max is not None else order.dose) * order.prn_max_doses_24h
            )
            dosage["maxDosePerPeriod"] = {
                "numerator": _quantity(most, unit),
                "denominator": {"value": 24, "unit": "h", "system": "http://unitsofmeasure.org", "code": "h"},
            }
    else:
        repeat: dict = {"timeOfDay": [f"{t}:00" for t in order.times]}
        if order.days_of_week:
            repeat["dayOfWeek"] = [DAYS[d] for d in sorted(order.days_of_week)]
        if order.every_n_days and order.every_n_days > 1:
            repeat.update({"frequency": 1, "period": order.every_n_days, "periodUnit": "d"})
        dosage["timing"] = {"repeat": repeat}
    if order.instructions:
        dosage["patientInstruction"] = order.instructions
    return dosage


def _dosage_text(order: MedicationOrder) -> str:
    parts = [order.dose_text, str(order.get_route_display()).lower()]
    if order.is_prn:
        parts.append("when required" + (f" for {order.prn_indication}" if order.prn_indication else ""))
        if order.prn_min_interval_minutes:
            hours = order.prn_min_interval_minutes / 60
            parts.append(f"at least {hours:g} hours apart")
    else:
        parts.append("at " + ", ".join(order.times))
    if order.instructions:
        parts.append(order.instructions)
    return "; ".join(p for p in parts if p)


def request_resource(order: MedicationOrder, ref, *, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    resource: dict = {
        "resourceType": "MedicationRequest",
        "id": f"order-{order.pk}",
        "meta": {"profile": [UK_CORE_REQUEST], "versionId": str(order.version)},
        "status": _request_status(order, today),
        "intent": "order",
        "medicationCodeableConcept": _medication(order.medicine),
        "subject": _subject(ref),
        "requester": {"display": order.prescriber},
        "dosageInstruction": [_dosage(order)],
        "dispenseRequest": {"validityPeriod": {"start": order.start_date.isoformat()}},
    }
    if order.stop_date:
        resource["dispenseRequest"]["validityPeriod"]["end"] = order.stop_date.isoformat()
    if order.prescribed_on:
        resource["authoredOn"] = order.prescribed_on.isoformat()
    if order.indication:
        resource["reasonCode"] = [{"text": order.indication}]
    if order.status != OrderStatus.ACTIVE and order.status_reason:
        resource["statusReason"] = {"text": order.status_reason}
    return resource


def administration_resource(a: Administration, ref) -> dict:
    given = a.outcome in (Outcome.GIVEN, Outcome.SELF_ADMINISTERED)
    resource: dict = {
        "resourceType": "MedicationAdministration",
        "id": f"administration-{a.pk}",
        "meta": {"profile": [UK_CORE_ADMINISTRATION], "versionId": str(a.version)},
        "status": "completed" if given else "not-done",
        "medicationCodeableConcept": _medication(a.order.medicine),
        "subject": _subject(ref),
        "effectiveDateTime": a.administered_at.isoformat(),
        "request": {"reference": f"MedicationRequest/order-{a.order_id}"},
        "performer": [{"actor": {"display": a.recorded_by.display_name}}],
    }
    if given and a.dose is not None:
        resource["dosage"] = {
            "route": {"text": str(a.order.get_route_display())},
            "dose": _quantity(a.dose, str(a.order.medicine.get_dose_unit_display())),
        }
    if not given:
        reason = str(a.get_outcome_display())
        if a.note:
            reason = f"{reason}: {a.note}"
        resource["statusReason"] = [{"text": reason}]
    if a.note and given:
        resource["note"] = [{"text": a.note}]
    return resource


def _bundle(resources: list[dict], base_url: str, kind: str) -> dict:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(resources),
        "entry": [
            {"fullUrl": f"{base_url}{kind}/{r['id']}", "resource": r, "search": {"mode": "match"}} for r in resources
        ],
    }


def request_bundle(ref, *, base_url: str = "") -> dict:
    """A searchset Bundle of the resident's MedicationRequests (every order, stopped ones too)."""
    orders = MedicationOrder.objects.filter(resident_id=ref.id).select_related("medicine").order_by("start_date", "pk")
    bundle = _bundle([request_resource(o, ref) for o in orders], base_url, "MedicationRequest")
    for entry in bundle["entry"]:
        MedicationRequest.model_validate(entry["resource"])
    Bundle.model_validate(bundle)
    return bundle


def administration_bundle(ref, *, start: datetime, end: datetime, base_url: str = "") -> dict:
    """A searchset Bundle of the resident's MedicationAdministrations with ``start <= time < end``."""
    rows = (
        Administration.objects.filter(resident_id=ref.id, administered_at__gte=start, administered_at__lt=end)
        .select_related("order__medicine", "recorded_by")
        .order_by("administered_at", "pk")
    )
    bundle = _bundle([administration_resource(a, ref) for a in rows], base_url, "MedicationAdministration")
    for entry in bundle["entry"]:
        MedicationAdministration.model_validate(entry["resource"])
    Bundle.model_validate(bundle)
    return bundle
