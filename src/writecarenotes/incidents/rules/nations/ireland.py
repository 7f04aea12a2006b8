"""Ireland: the Health Information and Quality Authority (HIQA), Office of the Chief Inspector.

Instrument: Health Act 2007 (Care and Welfare of Residents in Designated Centres for Older People)
  Regulations 2013 (S.I. No. 415 of 2013), regulation 31 (notification of incidents) and Schedule 4:
  - regulation 31(1): for an incident in paragraph 7(1) of Schedule 4, the person in charge gives the
    Chief Inspector notice in writing within 3 working days of its occurrence (this module:
    ``Deadline(WORKING_DAYS, 3)``, Irish public holidays excluded);
  - the incidents in paragraph 7(2) are notified at the end of each quarter (form NF39), due by
    31 January, 30 April, 31 July and 31 October for the quarter just ended (checked: HIQA's
    notification forms page); NF39 includes any occasion restraint was used, the fire alarm operated
    other than for a drill or test, a recurring pattern of theft or burglary, any death other than those
    notified within 3 working days, and any pressure ulcer of category II or higher;
  - where nothing notifiable happened, the registered provider sends a nil return every six months.
Guidance: HIQA, "Monitoring notifications handbook: guidance for registered providers and persons in
  charge of designated centres for older people"; HIQA, "Notification forms for designated centres for
  older people" (forms NF01 to NF40 and the provider portal).

Checked on HIQA's forms page: NF01 "Notification of the death of any resident" (the unexpected death of
any resident, including after transfer to hospital) and NF02 "Notification of an outbreak of a
notifiable disease" (as identified and published by the Health Protection Surveillance Centre).

Unverified (marked on each rule): the form numbers NF03, NF05, NF06, NF07 and the nil return's form
number; the letters of Schedule 4 paragraph 7(1); and the time limit: one version of HIQA's forms page
reads "within 2 working days" where the regulation reads 3 working days (an amendment may have changed
it): this module applies the 3 working days of S.I. 415/2013 regulation 31(1) until checked.
"""

from __future__ import annotations

from writecarenotes.incidents.rules.deadlines import OCCURRED, WORKING_DAYS, Deadline
from writecarenotes.incidents.rules.facts import Facts
from writecarenotes.incidents.rules.notifications import HOSPITAL, Rule, is_death

REGULATOR = "hiqa"
INSTRUMENT = (
    "Health Act 2007 (Care and Welfare of Residents in Designated Centres for Older People) Regulations 2013 "
    "(S.I. No. 415 of 2013)"
)
GUIDANCE = (
    "HIQA, Monitoring notifications handbook: guidance for registered providers and persons in charge of "
    "designated centres for older people"
)
THREE_WORKING_DAYS = Deadline(
    WORKING_DAYS, 3, anchor=OCCURRED, wording="Within 3 working days of the incident (regulation 31(1))"
)
SOURCE = f"{INSTRUMENT}, regulation 31(1) and Schedule 4, paragraph 7(1)"
TIME_UNVERIFIED = "HIQA's forms page also reads 'within 2 working days'; the regulation's 3 working days apply here."
LETTER_UNVERIFIED = "The letter of Schedule 4 paragraph 7(1) for this incident."
_PERSON = ("service", "person", "incident", "actions", "reporter")

# --- quarterly (NF39) and six-monthly (nil return) ----------------------------------------------------
QUARTERLY_FORM = "NF39"
QUARTERLY_SOURCE = f"{INSTRUMENT}, regulation 31 and Schedule 4, paragraph 7(2)"
NIL_RETURN_FORM = "Six-monthly nil return (NF40)"
NIL_RETURN_SOURCE = f"{INSTRUMENT}, regulation 31"
PERIODIC_UNVERIFIED = (
    "The nil return's form number (NF40) and the paragraph of regulation 31 that requires it.",
    "The nil return's due dates (here: the end of the month after each half-year).",
)


def _unexpected_death(f: Facts) -> str | None:
    if is_death(f) and f.resident_affected and f.unexpected_or_unintended:
        return "A resident died unexpectedly (including after a transfer to hospital)."
    return None


def _outbreak(f: Facts) -> str | None:
    if f.kind == "infection_outbreak":
        return "An outbreak of a notifiable disease (as published by the Health Protection Surveillance Centre)."
    return None


def _serious_injury(f: Facts) -> str | None:
    if not f.resident_affected or is_death(f):
        return None
    if f.medical_attention in HOSPITAL:
        return "A resident was seriously injured and needed immediate hospital treatment."
    if f.is_serious_injury:
        return "A resident was seriously injured and needed immediate medical treatment."
    return None


def _absence(f: Facts) -> str | None:
    if f.kind == "missing_person" and f.resident_affected:
        return "A resident was absent from the centre without explanation."
    return None


def _abuse(f: Facts) -> str | None:
    if f.abuse_alleged and f.resident_affected:
        return "An allegation, suspected or confirmed, of abuse of a resident."
    return None


def _fire_power(f: Facts) -> str | None:
    if f.kind == "fire":
        return "A fire in the designated centre."
    if f.kind == "utility_failure":
        return "A loss of power, heat or water in the designated centre."
    return None


def _rule(code, number, title, applies, fields, *unverified) -> Rule:
    return Rule(
        code=code,
        regulator=REGULATOR,
        title=title,
        form=f"{number}: {title}",
        deadline=THREE_WORKING_DAYS,
        source=SOURCE,
        guidance=GUIDANCE,
        applies=applies,
        fields=fields,
        unverified=(TIME_UNVERIFIED, LETTER_UNVERIFIED, *unverified),
    )


RULES: tuple[Rule, ...] = (
    _rule("hiqa_nf01_death", "NF01", "Unexpected death of a resident", _unexpected_death, (*_PERSON, "death")),
    _rule(
        "hiqa_nf02_outbreak", "NF02", "Outbreak of a notifiable disease", _outbreak, ("service", "incident", "outbreak")
    ),
    _rule(
        "hiqa_nf03_serious_injury",
        "NF03",
        "Serious injury to a resident requiring immediate medical or hospital treatment",
        _serious_injury,
        (*_PERSON, "injury"),
        "The form number NF03.",
    ),
    _rule(
        "hiqa_nf05_fire_power",
        "NF05",
        "Fire, or loss of power, heat or water",
        _fire_power,
        ("service", "incident", "disruption", "actions", "reporter"),
        "The form number NF05.",
    ),
    _rule(
        "hiqa_nf06_abuse",
        "NF06",
        "Allegation, suspected or confirmed, of abuse of a resident",
        _abuse,
        (*_PERSON, "people", "abuse"),
        "The form number NF06.",
    ),
    _rule(
        "hiqa_nf07_absence",
        "NF07",
        "Unexplained absence of a resident",
        _absence,
        (*_PERSON, "absence"),
        "The form number NF07.",
    ),
)
