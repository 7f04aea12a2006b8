"""The resident as a FHIR R4 Patient (UK Core), built and validated with fhir.resources.

Identifier systems:
- NHS number (England, Wales): ``https://fhir.nhs.uk/Id/nhs-number`` (UK Core Patient profile),
  with the UK Core extension Extension-UKCore-NHSNumberVerificationStatus, code ``02`` "Number
  present but not traced" from CodeSystem UKCore-NHSNumberVerificationStatusEngland: the number
  passed our modulus-11 check but WriteCareNotes does not trace it against the Personal
  Demographics Service, so it never claims "01" (verified).
- CHI number (Scotland): ``urn:oid:2.16.840.1.113883.2.1.3.2.4.16.53`` (the CHI OID used by
  Scottish FHIR implementations); no verification extension (the England code system does not apply).
- H&C number (Northern Ireland): ``https://fhir.nhs.uk/Id/hsc-number`` (as used by NHS genomics
  implementation guides; UK Core itself defines only the NHS number system).
"""

from __future__ import annotations

from fhir.resources.patient import Patient

from writecarenotes.residents.models import Resident, ResidentStatus

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
CHI_SYSTEM = "urn:oid:2.16.840.1.113883.2.1.3.2.4.16.53"
HSC_SYSTEM = "https://fhir.nhs.uk/Id/hsc-number"
VERIFICATION_EXTENSION = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus"
VERIFICATION_SYSTEM = "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland"
UK_CORE_PATIENT = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient"


def _identifier(resident: Resident, nation: str) -> dict | None:
    if not resident.nhs_number:
        return None
    if nation == "scotland":
        return {"system": CHI_SYSTEM, "value": resident.nhs_number}
    if nation == "northern_ireland":
        return {"system": HSC_SYSTEM, "value": resident.nhs_number}
    return {
        "system": NHS_NUMBER_SYSTEM,
        "value": resident.nhs_number,
        "extension": [
            {
                "url": VERIFICATION_EXTENSION,
                "valueCodeableConcept": {
                    "coding": [
                        {"system": VERIFICATION_SYSTEM, "code": "02", "display": "Number present but not traced"}
                    ]
                },
            }
        ],
    }


def patient_for(resident: Resident) -> dict:
    """The FHIR Patient resource (a JSON-ready dict), validated by fhir.resources."""
    names = [
        {
            "use": "official",
            "family": resident.legal_family_name,
            "given": resident.legal_given_names.split(),
        }
    ]
    if resident.preferred_name:
        names.append({"use": "usual", "given": [resident.preferred_name], "family": resident.legal_family_name})
    data: dict = {
        "resourceType": "Patient",
        "id": str(resident.pk),
        "meta": {"profile": [UK_CORE_PATIENT]},
        "active": resident.status in (ResidentStatus.IN_RESIDENCE, ResidentStatus.TEMPORARILY_ABSENT),
        "name": names,
        "birthDate": resident.date_of_birth.isoformat(),
    }
    identifier = _identifier(resident, resident.home.nation)
    if identifier:
        data["identifier"] = [identifier]
    if resident.died_at:
        data["deceasedDateTime"] = resident.died_at.isoformat()
    elif resident.status == ResidentStatus.DECEASED:
        data["deceasedBoolean"] = True
    if resident.first_language:
        data["communication"] = [
            {"language": {"text": resident.first_language}, "preferred": True},
        ]
    if resident.gp_practice_name or resident.gp_ods_code:
        gp: dict = {"display": resident.gp_practice_name or resident.gp_ods_code}
        if resident.gp_ods_code:
            gp["identifier"] = {"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": resident.gp_ods_code}
        data["generalPractitioner"] = [gp]
    contacts = [c for c in resident.contacts.all() if c.is_active]
    if contacts:
        data["contact"] = [
            {
                "relationship": [{"text": c.relationship}],
                "name": {"text": c.name},
                **(
                    {
                        "telecom": [
                            *([{"system": "phone", "value": c.phone, "rank": c.priority}] if c.phone else []),
                            *([{"system": "email", "value": c.email}] if c.email else []),
                        ]
                    }
                    if (c.phone or c.email)
                    else {}
                ),
            }
            for c in contacts
        ]
    return Patient.model_validate(data).model_dump(mode="json", exclude_none=True)
