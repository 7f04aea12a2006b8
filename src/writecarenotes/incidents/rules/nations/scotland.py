"""Scotland: the Care Inspectorate.

Instrument: The Social Care and Social Work Improvement Scotland (Registration) Regulations 2011
  (SSI 2011/28), regulation 4: on registration the Care Inspectorate tells each service what
  information it requires and what records must be kept; the notifications follow from it.
Guidance: Care Inspectorate, "Records that all registered care services (except childminding) must
  keep and guidance on notification reporting" (notifications made through the eForms system).
  The Care Inspectorate's notifications page lists what must be told "immediately": accidents,
  incidents or injuries; outbreak of infectious disease; death of a person using a care service;
  allegations of abuse; significant equipment breakdown; and others about the provider.
  Its revised outbreak guidance asks for notification within 24 hours.

Unverified (marked on each rule): the exact notification type names in eForms for each event, the
24-hour time limit for events other than an outbreak, and the threshold of a "serious" accident
(here: a serious injury, or hospital attention).
"""

from __future__ import annotations

from writecarenotes.incidents.rules.deadlines import HOURS, OCCURRED, Deadline
from writecarenotes.incidents.rules.facts import Facts
from writecarenotes.incidents.rules.notifications import HOSPITAL, Rule, disrupted, is_death

REGULATOR = "care_inspectorate"
SOURCE = (
    "Social Care and Social Work Improvement Scotland (Registration) Regulations 2011 (SSI 2011/28), regulation 4; "
    "Care Inspectorate notification guidance"
)
GUIDANCE = (
    "Care Inspectorate, Records that all registered care services (except childminding) must keep "
    "and guidance on notification reporting"
)
DAY = Deadline(HOURS, 24, anchor=OCCURRED, wording="Within 24 hours")
TIME_UNVERIFIED = "The 24-hour time limit for this notification type."
_PERSON = ("service", "person", "incident", "actions", "reporter")


def _death(f: Facts) -> str | None:
    if is_death(f) and f.resident_affected:
        return "A person using the care service died."
    return None


def _accident(f: Facts) -> str | None:
    if not f.resident_affected or f.kind in ("death", "abuse", "missing_person", "infection_outbreak"):
        return None
    if f.is_serious_injury:
        return "A person using the service was seriously injured in an accident or incident."
    if f.medical_attention in HOSPITAL:
        return "A person using the service needed hospital attention after an accident or incident."
    return None


def _abuse(f: Facts) -> str | None:
    if f.abuse_alleged:
        return "There is an allegation of abuse: a protection concern the Care Inspectorate must know of."
    return None


def _outbreak(f: Facts) -> str | None:
    if f.kind == "infection_outbreak":
        return "An outbreak of infectious disease in the service."
    return None


def _missing(f: Facts) -> str | None:
    if f.kind == "missing_person" and f.resident_affected:
        return "A person using the service is missing."
    return None


def _police(f: Facts) -> str | None:
    if f.police_involved and not f.abuse_alleged:
        return "The police were called to, or are investigating, an incident in the service."
    return None


def _equipment(f: Facts) -> str | None:
    if f.kind in ("utility_failure", "property_damage", "fire") and disrupted(f):
        return f"A breakdown or damage disrupted the service for {f.disruption_hours} hours."
    return None


def _rule(code, title, applies, fields, *unverified) -> Rule:
    return Rule(
        code=code,
        regulator=REGULATOR,
        title=title,
        form=f"Care Inspectorate eForms notification: {title}",
        deadline=DAY,
        source=SOURCE,
        guidance=GUIDANCE,
        applies=applies,
        fields=fields,
        unverified=unverified,
    )


RULES: tuple[Rule, ...] = (
    _rule("ci_death", "Death of a person using the service", _death, (*_PERSON, "death"), TIME_UNVERIFIED),
    _rule(
        "ci_accident",
        "Accident, incident or injury",
        _accident,
        (*_PERSON, "injury"),
        TIME_UNVERIFIED,
        "The threshold of a notifiable accident or injury (here: serious injury or hospital attention).",
    ),
    _rule("ci_abuse", "Allegation of abuse", _abuse, (*_PERSON, "people", "abuse"), TIME_UNVERIFIED),
    _rule("ci_outbreak", "Outbreak of infectious disease", _outbreak, ("service", "incident", "outbreak", "actions")),
    _rule(
        "ci_missing",
        "Missing person",
        _missing,
        (*_PERSON, "absence"),
        TIME_UNVERIFIED,
        "Missing person as a separate eForms notification type.",
    ),
    _rule(
        "ci_police",
        "Incident involving the police",
        _police,
        (*_PERSON, "police"),
        TIME_UNVERIFIED,
        "Police involvement as a separate eForms notification type.",
    ),
    _rule(
        "ci_equipment",
        "Significant equipment breakdown or damage to premises",
        _equipment,
        ("service", "incident", "disruption", "actions", "reporter"),
        TIME_UNVERIFIED,
    ),
)
