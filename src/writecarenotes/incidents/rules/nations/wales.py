"""Wales: Care Inspectorate Wales (CIW).

Instrument: The Regulated Services (Service Providers and Responsible Individuals) (Wales)
  Regulations 2017 (SI 2017/1264 (W. 295)), regulation 60 (notifications) and Schedule 3
  ("Notifications by the service provider"; Part 1: notifications to the service regulator in
  respect of all services). Checked: regulation 60 points to Schedule 3, whose Part 1 lists the
  events to notify to the service regulator (legislation.gov.uk, wsi/2017/1264/schedule/3).
Guidance: Welsh Government, "Statutory Guidance for service providers and responsible individuals on
  meeting service standard regulations for care home services" (version 2, April 2019, on Parts 3
  to 20 of the 2017 Regulations); notifications are made through CIW Online.

Unverified (kept, marked on each rule): the paragraph numbers of Schedule 3 for each event, and
the time limit: Schedule 3 gives time limits for some events (e.g. 28 days before a revised
statement of purpose); for incidents to individuals this module applies "without delay", as CIW
(then CSSIW) guidance asked for notification within 24 hours of the event.

Deprivation of liberty (``LIBERTY_RULES``, about a resident): CIW's page "Deprivation of Liberty
Safeguards (DoLS)" says the registered person of an adult care home must notify CIW under these
Regulations; CSSIW's "Deprivation of Liberty Safeguards: Guidance for Regulatory Inspectors and
Support Staff" (v4.0, December 2015), Annex 1 "Notifying CSSIW of Deprivation of Liberty
Authorisation requests", has homes notify the requests. So a request to the supervisory body for a
standard authorisation is notified when it is made. Unverified: the paragraph of Schedule 3, and
whether the outcome must be notified too (not raised here: no source read says so).
"""

from __future__ import annotations

from writecarenotes.incidents.rules.deadlines import REPORTED, WITHOUT_DELAY, Deadline
from writecarenotes.incidents.rules.facts import Facts
from writecarenotes.incidents.rules.notifications import HOSPITAL, LibertyChange, Rule, disrupted, is_death

REGULATOR = "ciw"
INSTRUMENT = (
    "Regulated Services (Service Providers and Responsible Individuals) (Wales) Regulations 2017 (SI 2017/1264)"
)
GUIDANCE = (
    "Welsh Government, Statutory Guidance for service providers and responsible individuals on meeting "
    "service standard regulations (care home services), April 2019"
)
NOW = Deadline(WITHOUT_DELAY, anchor=REPORTED, wording="Without delay (regulation 60, Schedule 3)")
SOURCE = f"{INSTRUMENT}, regulation 60 and Schedule 3, Part 1"
UNVERIFIED_PARA = "The paragraph of Schedule 3 and its time limit (applied here: without delay)."
_PERSON = ("service", "person", "incident", "actions", "reporter")


def _death(f: Facts) -> str | None:
    if is_death(f) and f.resident_affected:
        return "An individual receiving care died; CIW must be told of the death and its circumstances."
    return None


def _serious_injury(f: Facts) -> str | None:
    if not f.resident_affected:
        return None
    if f.is_serious_injury:
        return "An individual was seriously injured (a health professional's opinion of lasting harm)."
    if f.medical_attention in HOSPITAL:
        return "An individual was injured and needed hospital treatment: a serious injury to notify."
    return None


def _abuse(f: Facts) -> str | None:
    if f.abuse_alleged and f.resident_affected:
        return "Abuse, or an allegation of abuse, of an individual receiving care."
    return None


def _police(f: Facts) -> str | None:
    if f.police_involved:
        return "The incident was reported to, or is being investigated by, the police."
    return None


def _outbreak(f: Facts) -> str | None:
    if f.kind == "infection_outbreak":
        return "An outbreak of infectious disease at the home."
    return None


def _absence(f: Facts) -> str | None:
    if f.kind == "missing_person" and f.resident_affected:
        return "An individual is missing or had an unexplained absence from the home."
    return None


def _pressure(f: Facts) -> str | None:
    if f.kind == "pressure_ulcer" and f.pressure_ulcer_category in ("3", "4", "unstageable"):
        return "An individual has category 3 or 4, or unstageable, pressure damage."
    return None


def _premises(f: Facts) -> str | None:
    if f.kind in ("utility_failure", "property_damage", "fire") and disrupted(f):
        return f"An event at the premises disrupted the service for {f.disruption_hours} hours."
    return None


def _rule(code, title, applies, fields, *unverified) -> Rule:
    return Rule(
        code=code,
        regulator=REGULATOR,
        title=title,
        form=f"CIW Online notification: {title}",
        deadline=NOW,
        source=SOURCE,
        guidance=GUIDANCE,
        applies=applies,
        fields=fields,
        unverified=(UNVERIFIED_PARA, *unverified),
    )


RULES: tuple[Rule, ...] = (
    _rule("ciw_death", "Death of an individual", _death, (*_PERSON, "death")),
    _rule(
        "ciw_serious_injury",
        "Serious injury to an individual",
        _serious_injury,
        (*_PERSON, "injury"),
        "Hospital treatment as the threshold of a serious injury (CIW guidance's examples).",
    ),
    _rule("ciw_abuse", "Abuse or allegation of abuse", _abuse, (*_PERSON, "people", "abuse")),
    _rule("ciw_police", "Incident reported to or investigated by the police", _police, (*_PERSON, "police")),
    _rule("ciw_outbreak", "Outbreak of infectious disease", _outbreak, ("service", "incident", "outbreak", "actions")),
    _rule("ciw_absence", "Missing individual or unexplained absence", _absence, (*_PERSON, "absence")),
    _rule(
        "ciw_pressure_damage",
        "Category 3 or 4, or unstageable, pressure damage",
        _pressure,
        (*_PERSON, "injury"),
        "Whether the 2017 Regulations as amended list pressure damage (the 2024 special school regulations do).",
    ),
    _rule(
        "ciw_premises",
        "Event at the premises affecting the service",
        _premises,
        ("service", "incident", "disruption", "actions", "reporter"),
        "Which Schedule 3 event covers utilities and damage to premises.",
    ),
)


# --- deprivation of liberty (about a resident, raised from care planning's dols.changed) -----------------


def _dols_request(c: LibertyChange) -> str | None:
    if c.is_application:
        return (
            "The home asked the supervisory body for a standard authorisation to deprive an individual of their "
            "liberty (Mental Capacity Act 2005, Schedule A1): CIW is told of the request."
        )
    return None


LIBERTY_RULES: tuple[Rule, ...] = (
    Rule(
        code="ciw_dols_request",
        regulator=REGULATOR,
        title="Request for a Deprivation of Liberty Safeguards authorisation",
        form="CIW Online notification: Deprivation of Liberty Safeguards (DoLS) application",
        deadline=NOW,
        source=f"{SOURCE}; Mental Capacity Act 2005, Schedule A1, Part 4 (the request)",
        guidance="CIW, Deprivation of Liberty Safeguards (DoLS) (providing a care service: already registered)",
        applies=_dols_request,
        fields=("service", "resident", "liberty", "reporter"),
        unverified=(
            UNVERIFIED_PARA,
            "Whether the outcome of the request must be notified to CIW too (not raised).",
            "The name of the CIW Online notification.",
        ),
    ),
)
