"""Northern Ireland: the Regulation and Quality Improvement Authority (RQIA).

Instruments: The Nursing Homes Regulations (Northern Ireland) 2005 (SR 2005/160) and The
  Residential Care Homes Regulations (Northern Ireland) 2005 (SR 2005/161), regulation 30
  ("Notification of death, illness and other events"): notice to the Regulation and Improvement
  Authority without delay of (a) the death of a patient / resident, including the circumstances;
  (b) an outbreak of infectious disease which a medical practitioner considers sufficiently serious;
  (c) any serious injury; (d) any event which adversely affects the wellbeing or safety of a patient /
  resident; (e) any theft, burglary or accident; (f) any allegation of misconduct by the registered
  person or anyone working at the home. (Checked: the regulation's title in the instrument's
  contents; the list as in the parallel day care regulation 29 of SR 2007/234.)
  Regulation 14(6) of SR 2005/160 also requires restraint to be reported to RQIA as soon as practicable
  (restraint is not a fact of an incident here; see the report).
Guidance: RQIA, "Statutory Notification of Incidents and Deaths: Guidance for Registered Providers and
  Managers of Regulated Services" (updated September 2017), with its grid of notifiable events.

Unverified (marked on each rule): the lettering (a) to (f) of regulation 30(1) in SR 2005/160 and 161,
the written confirmation of an oral notice "within 3 working days" (as in SR 2007/234 regulation 29(2)),
and the guidance's threshold for an accident (here: treatment by a nurse, GP, paramedic or hospital).
"""

from __future__ import annotations

from writecarenotes.incidents.rules.deadlines import REPORTED, WITHOUT_DELAY, Deadline
from writecarenotes.incidents.rules.facts import Facts
from writecarenotes.incidents.rules.notifications import (
    ACCIDENT_KINDS,
    MEDICAL_TREATMENT,
    Rule,
    disrupted,
    is_death,
)

REGULATOR = "rqia"
GUIDANCE = (
    "RQIA, Statutory Notification of Incidents and Deaths: Guidance for Registered Providers and Managers "
    "of Regulated Services (September 2017)"
)
NOW = Deadline(WITHOUT_DELAY, anchor=REPORTED, wording="Without delay (regulation 30(1))")
LETTER_UNVERIFIED = "The letter of regulation 30(1) that covers this event."


def source(letter: str) -> str:
    return (
        "Nursing Homes Regulations (Northern Ireland) 2005 (SR 2005/160) and Residential Care Homes "
        f"Regulations (Northern Ireland) 2005 (SR 2005/161), regulation 30(1)({letter})"
    )


_PERSON = ("service", "person", "incident", "actions", "reporter")


def _death(f: Facts) -> str | None:
    if is_death(f) and f.resident_affected:
        return "A resident died; RQIA must be told of the death and its circumstances."
    return None


def _outbreak(f: Facts) -> str | None:
    if f.kind == "infection_outbreak":
        return "An outbreak of infectious disease in the home."
    return None


def _serious_injury(f: Facts) -> str | None:
    if f.resident_affected and f.is_serious_injury:
        return "A resident was seriously injured."
    return None


def _accident(f: Facts) -> str | None:
    if f.resident_affected and f.kind in ACCIDENT_KINDS and not f.is_serious_injury:
        if f.medical_attention in MEDICAL_TREATMENT:
            return "A resident had an accident and needed treatment from a nurse, GP, paramedic or hospital."
    return None


def _adverse_event(f: Facts) -> str | None:
    if f.abuse_alleged and f.resident_affected:
        return "An allegation of abuse: an event adversely affecting a resident's wellbeing or safety."
    if f.kind == "missing_person" and f.resident_affected:
        return "A resident is missing: an event adversely affecting their safety."
    if f.kind in ("utility_failure", "property_damage", "fire") and disrupted(f):
        return f"An event at the home disrupted care for {f.disruption_hours} hours, affecting residents' safety."
    return None


def _rule(code, title, letter, applies, fields, *unverified) -> Rule:
    return Rule(
        code=code,
        regulator=REGULATOR,
        title=title,
        form=f"RQIA web portal statutory notification: {title}",
        deadline=NOW,
        source=source(letter),
        guidance=GUIDANCE,
        applies=applies,
        fields=fields,
        unverified=(LETTER_UNVERIFIED, *unverified),
    )


RULES: tuple[Rule, ...] = (
    _rule("rqia_death", "Death of a resident", "a", _death, (*_PERSON, "death")),
    _rule("rqia_outbreak", "Outbreak of infectious disease", "b", _outbreak, ("service", "incident", "outbreak")),
    _rule("rqia_serious_injury", "Serious injury to a resident", "c", _serious_injury, (*_PERSON, "injury")),
    _rule(
        "rqia_adverse_event",
        "Event adversely affecting a resident's wellbeing or safety",
        "d",
        _adverse_event,
        (*_PERSON, "people", "abuse", "absence", "disruption"),
    ),
    _rule(
        "rqia_accident",
        "Accident in the home",
        "e",
        _accident,
        (*_PERSON, "injury"),
        "The RQIA guidance's threshold for notifying an accident (here: any treatment beyond first aid).",
    ),
)
