"""The duty of candour, per home nation: does it apply to an incident's facts, and which steps, by when.

Pure functions of ``rules.facts.Facts`` (no database), tested case by case. Each nation's answer
names its source. Where the law sets no number of days ("as soon as reasonably practicable"), the
step's due time is a *target* the home works to, and the step says so (``due_basis``); where the law
sets one, the due time is the law's (``due_basis == "law"``). Details that could not be checked
against the published text are marked "unverified" in ``CandourDecision.unverified``.

England
    Health and Social Care Act 2008 (Regulated Activities) Regulations 2014 (SI 2014/2936),
    regulation 20, as amended by SI 2015/64 reg 10. A care home provider is a registered person
    that is not a health service body, so "notifiable safety incident" is the reg 20(9) meaning: an
    unintended or unexpected incident in respect of a service user during a regulated activity that,
    in the reasonable opinion of a health care professional, appears to have resulted in (a) death
    relating directly to the incident rather than to the natural course of the illness or underlying
    condition, (b) an impairment of sensory, motor or intellectual functions which has lasted, or is
    likely to last, for a continuous period of at least 28 days, (c) changes to the structure of the
    body, (d) prolonged pain or prolonged psychological harm (reg 20(7): at least 28 continuous days),
    or (e) the shortening of life expectancy; or requires treatment by a health care professional to
    prevent one of those. Steps: reg 20(2) notify the relevant person as soon as reasonably
    practicable and give reasonable support; reg 20(3) in person, a true account of the facts known,
    the further enquiries, an apology, recorded in a written record kept securely; reg 20(4) a
    written notification following it; reg 20(5) when the relevant person cannot be contacted or
    declines, a written record of the attempts. Reg 20(7) "relevant person": the service user or,
    when they have died, are under 16 and not competent, or lack capacity, a person lawfully acting
    on their behalf.
Scotland
    Health (Tobacco, Nicotine etc. and Care) (Scotland) Act 2016, Part 2 (ss 21-25), and the Duty of
    Candour Procedure (Scotland) Regulations 2018 (SSI 2018/57). Applies to care services (s 25).
    Activated by an unintended or unexpected incident that, in the opinion of a registered health
    professional not involved in it, appears to have resulted or could result in one of the s 21(4)
    outcomes (death; permanent lessening of functions; changes to the structure of the body;
    shortening of life expectancy; impairment of functions, or pain or psychological harm, for 28
    days or more; treatment needed to prevent those). Steps: regs 3-4 notification and apology,
    reg 6 invitation to a meeting (note of the meeting and a contact afterwards), reg 7 review with a
    written report (an explanation to the relevant person if not done within 3 months of the
    procedure start date), reg 9 records. The procedure start date (reg 1(2)) is the date the
    health professional's opinion is given.
Wales
    The Health and Social Care (Quality and Engagement) (Wales) Act 2020, Part 3, and the Duty of
    Candour Procedure (Wales) Regulations 2023 (SI 2023/274) apply to NHS bodies only (explanatory
    note of SI 2023/274; s 4 of the 2020 Act "an NHS body"). A care home registered with Care
    Inspectorate Wales under the Regulation and Inspection of Social Care (Wales) Act 2016 is not an
    NHS body: the statutory duty does not apply to it. The steps are offered as good practice,
    with the written follow-up within 5 working days as SI 2023/274 reg 5 sets for NHS bodies.
Northern Ireland
    No statutory duty of candour is in force (Department of Health consultations 2021, and on the
    "Being Open" framework, December 2024 to March 2025). The steps are offered as good practice,
    not as a legal duty.
Ireland
    Patient Safety (Notifiable Incidents and Open Disclosure) Act 2023 (No. 10 of 2023), in force
    since 26 September 2024. It applies to health services providers, including providers carrying
    on a designated centre (nursing homes registered under the Health Act 2007: s 28 sends their
    notifications to the Chief Inspector). Mandatory open disclosure (s 5) applies only to the
    notifiable incidents of Schedule 1 (mostly unintended and unanticipated deaths). For a nursing
    home the relevant one is an unintended and unanticipated death from a medication error. Other
    incidents with harm get voluntary open disclosure (Civil Liability (Amendment) Act 2017 Part 4;
    HSE Open Disclosure Policy; National Open Disclosure Framework 2023; HIQA National Standards for
    Residential Care Settings for Older People) as good practice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from writecarenotes.incidents.rules.facts import Facts

__all__ = [
    "CandourDecision",
    "CandourStep",
    "RELEVANT_PERSON",
    "add_working_days",
    "candour_for",
    "due_at",
    "meets_harm_threshold",
]

#: To whom the steps are addressed (reg 20(7) "relevant person"; 2016 Act s 22(3); 2023 Act s 7)
RELEVANT_PERSON = {
    "self": "The person themself",
    "lacks_capacity": "A person acting lawfully on their behalf (the person lacks capacity)",
    "died": "A person acting lawfully on their behalf (the person has died)",
    "nominated": "A person the service user nominated or wants told",
}

#: Severities that are harm in the NRLS / LFPSE grading (``models.Severity``)
_HARM_MODERATE_OR_ABOVE = frozenset({"moderate", "severe", "death"})


@dataclass(frozen=True)
class CandourStep:
    key: str  # stable per nation: "notify_in_person", "true_account", ...
    title: str
    detail: str  # what the step asks, in plain words
    source: str  # the provision
    due_in: timedelta | None = None  # from when the home became aware (the report); None: no time set
    due_working_days: int | None = None  # or a number of working days (Monday to Friday)
    due_basis: str = "target"  # "law": the time limit is the law's; "target": the law says "as soon as
    # reasonably practicable" (or sets nothing) and this is the home's target; "" no due time
    needs_sent_on: bool = False  # the written follow-up: the date it was sent is recorded


@dataclass(frozen=True)
class CandourDecision:
    nation: str
    applies: bool  # the steps below are required (statutory, or as the home's good practice)
    statutory: bool  # True: a legal duty; False: good practice only
    law: str  # the law (or guidance) the steps follow
    reasons: tuple[str, ...]  # why it applies or not, for a person
    steps: tuple[CandourStep, ...] = ()
    unverified: tuple[str, ...] = field(default_factory=tuple)

    @property
    def step_keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.steps)


def add_working_days(start: datetime, days: int) -> datetime:
    """``start`` plus ``days`` working days (Monday to Friday; public holidays are not known here)."""
    current = start
    added = 0
    while added < days:
        current += timedelta(days=1)
        if current.weekday() < 5:
            added += 1
    return current


def due_at(step: CandourStep, aware_at: datetime) -> datetime | None:
    if step.due_working_days is not None:
        return add_working_days(aware_at, step.due_working_days)
    if step.due_in is not None:
        return aware_at + step.due_in
    return None


def meets_harm_threshold(facts: Facts) -> tuple[bool, list[str]]:
    """The harm part of reg 20(9) (England) and s 21(4) (Scotland), read from the recorded facts.

    Death counts when it relates to the incident (``unexpected_or_unintended``: not the natural
    course of the illness). The serious injury tests recorded for CQC regulation 18 are the same
    outcomes (impairment, changes to the structure of the body, prolonged pain or psychological
    harm, shortened life expectancy), as is treatment needed to prevent them. Harm recorded as
    moderate or severe (NRLS grading: significant harm needing more treatment) is read as meeting
    the threshold too, because in a care home it means treatment by a health care professional.
    """
    reasons: list[str] = []
    if facts.severity == "death":
        reasons.append("The person died and the death is recorded as related to the incident.")
    labels = {
        "impairment": "impairment of sensory, motor or intellectual functions",
        "body_structure": "changes to the structure of the body",
        "prolonged_pain": "prolonged pain or prolonged psychological harm",
        "life_shortened": "shortening of life expectancy",
    }
    for key in sorted(facts.serious_injury_tests):
        if key in labels:
            reasons.append(f"A health professional's opinion: {labels[key]}.")
    if facts.treatment_to_prevent_serious_injury:
        reasons.append("Treatment by a health professional was needed to prevent death or serious harm.")
    if facts.severity in ("moderate", "severe") and not reasons:
        reasons.append(f"Harm recorded as {facts.severity}.")
    return bool(reasons), reasons


def _not_applicable(nation: str, law: str, reasons: list[str], *, statutory: bool, unverified=()) -> CandourDecision:
    return CandourDecision(nation, False, statutory, law, tuple(reasons), (), tuple(unverified))


_ENGLAND_LAW = (
    "Health and Social Care Act 2008 (Regulated Activities) Regulations 2014, regulation 20 (duty of candour)"
)
_ENGLAND_STEPS = (
    CandourStep(
        "notify_in_person",
        "Tell the person (or their representative) in person",
        "Tell them that the incident happened, in person, and offer reasonable support (an interpreter, "
        "an advocate, emotional support).",
        "reg 20(2)(a)-(b), 20(3)(a)",
        due_working_days=10,
    ),
    CandourStep(
        "true_account",
        "Give a true account of what is known",
        "An account, true to the best of your knowledge, of all the facts known so far, and what further "
        "enquiries will be made.",
        "reg 20(3)(b)-(c)",
        due_working_days=10,
    ),
    CandourStep(
        "apology",
        "Apologise",
        "An expression of sorrow or regret for the incident (an apology is not an admission of liability).",
        "reg 20(3)(d), 20(7) 'apology'",
        due_working_days=10,
    ),
    CandourStep(
        "written_notification",
        "Send the written follow-up",
        "A written notification after the meeting: the account, the further enquiries, the results of any "
        "enquiries so far, and an apology. Keep a copy.",
        "reg 20(4)",
        due_working_days=10,
        needs_sent_on=True,
    ),
    CandourStep(
        "record_kept",
        "Keep the written record",
        "A written record of the notification (and of any attempts to contact the person, or their refusal), "
        "kept securely.",
        "reg 20(3)(e), 20(4)(e), 20(5)",
        due_working_days=10,
    ),
)

_SCOTLAND_LAW = (
    "Health (Tobacco, Nicotine etc. and Care) (Scotland) Act 2016 Part 2 and the Duty of Candour Procedure "
    "(Scotland) Regulations 2018"
)
_SCOTLAND_STEPS = (
    CandourStep(
        "health_professional_opinion",
        "Get the opinion of a registered health professional not involved in the incident",
        "Their opinion that the incident appears to have resulted, or could result, in one of the outcomes "
        "starts the procedure (the procedure start date).",
        "2016 Act s 21(2)(b); 2018 Regulations reg 1(2)",
        due_in=timedelta(days=1),
    ),
    CandourStep(
        "notify_in_person",
        "Tell the person (or their representative) and apologise",
        "Notify them of the incident and give an apology (a statement of sorrow or regret).",
        "2018 Regulations regs 3-4; 2016 Act s 23",
        due_in=timedelta(days=30),
    ),
    CandourStep(
        "meeting",
        "Offer a meeting; send the note of it and a contact",
        "Invite them to a meeting (an account, the further steps, their questions and views, other "
        "procedures); afterwards give a note of the meeting and a staff contact.",
        "2018 Regulations reg 6",
        due_in=timedelta(days=30),
    ),
    CandourStep(
        "written_notification",
        "Send the written account and apology",
        "The account and the apology in writing; record the date sent.",
        "2018 Regulations regs 3-4, 6(3)",
        due_in=timedelta(days=30),
        needs_sent_on=True,
    ),
    CandourStep(
        "review",
        "Review what led to the incident and write the report",
        "Review the circumstances, seek the person's views, write the report with the actions; explain to "
        "them if it takes longer than 3 months.",
        "2018 Regulations reg 7",
        due_in=timedelta(days=91),
        due_basis="law",
    ),
    CandourStep(
        "record_kept",
        "Keep the records of the procedure",
        "Keep a record of each step, the dates, and any attempts to contact the person or their refusal.",
        "2018 Regulations regs 2, 9",
        due_in=timedelta(days=30),
    ),
)

#: The same steps for nations where there is no statutory duty for a care home: good practice.
_GOOD_PRACTICE_STEPS = (
    CandourStep(
        "notify_in_person",
        "Tell the person (or their representative) in person",
        "Tell them what happened, in person, and offer support.",
        "good practice",
        due_working_days=10,
    ),
    CandourStep(
        "true_account",
        "Give a true account of what is known",
        "What is known so far and what will be looked into.",
        "good practice",
        due_working_days=10,
    ),
    CandourStep("apology", "Apologise", "An expression of sorrow or regret.", "good practice", due_working_days=10),
    CandourStep(
        "written_notification",
        "Send the written follow-up",
        "The account and apology in writing; record the date sent.",
        "good practice",
        due_working_days=15,
        needs_sent_on=True,
    ),
    CandourStep(
        "record_kept",
        "Keep the written record",
        "A record of what was said, to whom and when, kept securely.",
        "good practice",
        due_working_days=15,
    ),
)

_WALES_STEPS = tuple(
    CandourStep(
        s.key,
        s.title,
        s.detail,
        "good practice (as SI 2023/274 reg 5 for NHS bodies: within 5 working days of telling them)"
        if s.key == "written_notification"
        else "good practice (as SI 2023/274 regs 4 and 9 for NHS bodies)",
        due_working_days=15 if s.key == "written_notification" else s.due_working_days,
        needs_sent_on=s.needs_sent_on,
    )
    for s in _GOOD_PRACTICE_STEPS
)

_IRELAND_LAW = "Patient Safety (Notifiable Incidents and Open Disclosure) Act 2023"
_IRELAND_STEPS = (
    CandourStep(
        "notify_in_person",
        "Hold the notifiable incident disclosure meeting",
        "Meet the patient or relevant person (in person unless they ask otherwise): who is present, what "
        "happened, when, the consequences, and an apology.",
        "2023 Act ss 13, 17, 18",
        due_working_days=10,
    ),
    CandourStep(
        "true_account",
        "Give the information the Act lists",
        "A description of the incident, the dates, the consequences known and likely, and the actions taken.",
        "2023 Act s 18(3)",
        due_working_days=10,
    ),
    CandourStep(
        "apology",
        "Apologise",
        "An expression of sympathy or regret (s 2 'apology').",
        "2023 Act s 18",
        due_working_days=10,
    ),
    CandourStep(
        "written_notification",
        "Give the written statement",
        "The statement of the information given at the meeting, in writing; record the date given.",
        "2023 Act ss 18(2)(c), 18(5), 24",
        due_working_days=10,
        needs_sent_on=True,
    ),
    CandourStep(
        "record_kept",
        "Keep the open disclosure records",
        "The designation, the statements and any requests, kept as the Act lists.",
        "2023 Act s 25",
        due_working_days=10,
    ),
)

_UNVERIFIED_ENGLAND = (
    "England: the 10 working-day target follows the NHS Standard Contract that CQC's guidance refers to; "
    "regulation 20 itself sets no number of days (unverified for care homes).",
)
_UNVERIFIED_SCOTLAND = (
    "Scotland: the one-month target for the notification follows published summaries of the 2018 "
    "Regulations (unverified against reg 3).",
    "Scotland: the list of s 21(4) outcomes is read from the explanatory notes and summaries (unverified "
    "word by word).",
)
_UNVERIFIED_WALES = (
    "Wales: whether the Regulated Services (Service Providers and Responsible Individuals) (Wales) "
    "Regulations 2017 or their statutory guidance set an openness requirement equivalent to candour is "
    "unverified; none is applied as law.",
)
_UNVERIFIED_IRELAND = (
    "Ireland: that a medication error causing an unintended and unanticipated death is the Schedule 1 Part 1 "
    "notifiable incident relevant to nursing homes is read from summaries of the Schedule (unverified item "
    "number).",
    "Ireland: the Act says 'as soon as practicable' for the disclosure; the 10 working-day target is the "
    "home's (unverified against any HIQA time).",
)


def _relevant_base(facts: Facts) -> list[str]:
    """Reasons that rule candour out before the harm is read (or an empty list)."""
    out: list[str] = []
    if not facts.resident_affected:
        out.append("No resident (service user) is recorded as affected.")
    if not facts.unexpected_or_unintended:
        out.append("Recorded as expected (the natural course of an illness or condition), not unintended.")
    return out


def candour_for(facts: Facts) -> CandourDecision:
    """Whether the duty of candour (or its good-practice equivalent) applies, and its steps."""
    nation = facts.nation
    ruled_out = _relevant_base(facts)
    harm, harm_reasons = meets_harm_threshold(facts)
    if nation == "england":
        if ruled_out or not harm:
            why = ruled_out or ["The harm is below the threshold of regulation 20(9) (no harm or low harm)."]
            return _not_applicable(nation, _ENGLAND_LAW, why, statutory=True, unverified=_UNVERIFIED_ENGLAND)
        return CandourDecision(
            nation,
            True,
            True,
            _ENGLAND_LAW,
            ("A notifiable safety incident (regulation 20(9)).", *harm_reasons),
            _ENGLAND_STEPS,
            _UNVERIFIED_ENGLAND,
        )
    if nation == "scotland":
        if ruled_out or not harm:
            why = ruled_out or ["None of the outcomes of section 21(4) is recorded."]
            return _not_applicable(nation, _SCOTLAND_LAW, why, statutory=True, unverified=_UNVERIFIED_SCOTLAND)
        return CandourDecision(
            nation,
            True,
            True,
            _SCOTLAND_LAW,
            ("The duty of candour procedure is activated (section 21).", *harm_reasons),
            _SCOTLAND_STEPS,
            _UNVERIFIED_SCOTLAND,
        )
    if nation == "wales":
        law = (
            "No statutory duty for care homes: the Health and Social Care (Quality and Engagement) (Wales) Act "
            "2020 and the Duty of Candour Procedure (Wales) Regulations 2023 apply to NHS bodies only; "
            "the steps are the home's good practice"
        )
        if ruled_out or not harm:
            return _not_applicable(
                nation, law, ruled_out or ["The harm is below moderate."], statutory=False, unverified=_UNVERIFIED_WALES
            )
        return CandourDecision(
            nation,
            True,
            False,
            law,
            ("Good practice: harm at moderate or above.", *harm_reasons),
            _WALES_STEPS,
            _UNVERIFIED_WALES,
        )
    if nation == "northern_ireland":
        law = "No statutory duty of candour in Northern Ireland yet; the steps are the home's good practice"
        if ruled_out or not harm:
            return _not_applicable(nation, law, ruled_out or ["The harm is below moderate."], statutory=False)
        return CandourDecision(
            nation,
            True,
            False,
            law,
            ("Good practice: harm at moderate or above.", *harm_reasons),
            _GOOD_PRACTICE_STEPS,
        )
    if nation == "ireland":
        if ruled_out:
            return _not_applicable(nation, _IRELAND_LAW, ruled_out, statutory=True, unverified=_UNVERIFIED_IRELAND)
        if facts.severity == "death" and facts.kind == "medication_error":
            return CandourDecision(
                nation,
                True,
                True,
                _IRELAND_LAW,
                (
                    "A notifiable incident (Schedule 1): an unintended and unanticipated death from a medication "
                    "error; open disclosure is mandatory (section 5).",
                ),
                _IRELAND_STEPS,
                _UNVERIFIED_IRELAND,
            )
        good_law = (
            "Open disclosure as good practice (HSE Open Disclosure Policy; National Open Disclosure Framework; "
            "Civil Liability (Amendment) Act 2017 Part 4): not a notifiable incident under the 2023 Act"
        )
        if not harm:
            return _not_applicable(
                nation, good_law, ["Not a notifiable incident, and the harm is below moderate."], statutory=False
            )
        return CandourDecision(
            nation,
            True,
            False,
            good_law,
            ("Not a notifiable incident under Schedule 1; open disclosure is good practice.", *harm_reasons),
            _GOOD_PRACTICE_STEPS,
            _UNVERIFIED_IRELAND,
        )
    return _not_applicable(nation, "", [f"No candour rules for the nation '{nation}'."], statutory=False)
