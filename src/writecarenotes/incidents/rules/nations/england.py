"""England: the Care Quality Commission (CQC).

Instrument: The Care Quality Commission (Registration) Regulations 2009 (SI 2009/3112).
  - Regulation 16 (notification of death of service user): the registered person must notify the
    Commission without delay of the death of a service user whilst services were being provided, or
    as a consequence of the carrying on of a regulated activity.
  - Regulation 18(1): "without delay" for the incidents in 18(2) which occur whilst services are
    being provided or as a consequence of the regulated activity:
      (a) injury which, in the reasonable opinion of a health care professional, has resulted in
          (i) impairment not likely to be temporary, (ii) changes to the structure of the body,
          (iii) prolonged pain or prolonged psychological harm, (iv) shortening of life expectancy;
      (b) injury requiring treatment by a health care professional to prevent death or an injury
          leading to one of the (a) outcomes;
      (c)/(d) DoLS: a request for a standard authorisation (and its result), an application to the
          court (paragraphs (4A)/(4B));
      (e) any abuse or allegation of abuse in relation to a service user;
      (f) any incident which is reported to, or investigated by, the police;
      (g) any event which prevents, or appears likely to threaten to prevent, the provider's ability
          to continue to carry on the regulated activity safely: (i) insufficient suitably qualified
          staff, (ii) an interruption in the supply of electricity, gas, water or sewerage lasting
          longer than a continuous period of 24 hours, (iii) physical damage to the premises likely
          to have an adverse effect on safety, (iv) failure of fire alarms or other safety devices
          for longer than a continuous period of 24 hours.
  Checked against the text on legislation.gov.uk (uksi/2009/3112/regulation/18) and CQC's page
  "Regulation 18: Notification of other incidents".
Guidance: CQC, "Statutory notifications: guidance for registered providers" (notification forms
  by type).

Deprivation of liberty (``LIBERTY_RULES``, about a resident, not an incident):
  - Regulation 18(4A): the registered person must notify the Commission of (a) a request to a
    supervisory body for a standard authorisation (MCA 2005 Schedule A1, Part 4) and (b) an
    application to a court about depriving a service user of liberty (MCA 2005 s.4A(3)).
  - Regulation 18(4B) (as amended by SI 2012/921, regulation 5: "notify ... of a request or
    application ... at the same time as giving notification of the outcome of such a request or
    application, including whether the request or application has been withdrawn", explanatory note):
    the request is notified ONCE, with its outcome, when the outcome is known. CQC's page "Application
    to deprive a person of their liberty (DoLS) notification form" says the same: "Do not tell us you
    are making an application. Only tell us about outcomes or withdrawn applications." So nothing is
    due when the application is made; one notification is due when it is granted, refused or withdrawn.
    CQC's form: "Statutory notification: Outcome of an application to deprive a person of their liberty"
    (its list of notifications: "Outcome of an application to deprive a person of their liberty (DoLS)").
  - Raised from care planning's ``dols.changed`` event for a standard authorisation (kind
    "dols_standard"). Not raised: 18(4A)(b) court applications (care planning records no court
    application in England, so no event says one was made or decided); CQC asks for the outcome of a
    Court of Protection application "even where you have not made the application yourself".

Not expressed here (no fact of the incident holds it):
  - 18(2)(g)(i) insufficient staff and (iv) fire alarm failure: an incident has no staffing or
    alarm fact; report them as "other" with the hours of disruption (then (g) applies as damage).
"""

from __future__ import annotations

from writecarenotes.incidents.rules.deadlines import REPORTED, WITHOUT_DELAY, Deadline
from writecarenotes.incidents.rules.facts import Facts
from writecarenotes.incidents.rules.notifications import LibertyChange, Rule, disrupted, harm_tests_text, is_death

REGULATOR = "cqc"
INSTRUMENT = "Care Quality Commission (Registration) Regulations 2009 (SI 2009/3112)"
GUIDANCE = "CQC, Statutory notifications: guidance for registered providers"
NOW = Deadline(WITHOUT_DELAY, anchor=REPORTED, wording="Without delay (regulation 16(1) / 18(1))")

_PERSON = ("service", "person", "incident", "actions", "reporter")


def _death(f: Facts) -> str | None:
    if is_death(f) and f.resident_affected:
        return "A person using the service died while care was being provided (regulation 16)."
    return None


def _serious_injury(f: Facts) -> str | None:
    if not f.resident_affected:
        return None
    if f.serious_injury_tests:
        return (
            f"A health care professional judged that the injury resulted in {harm_tests_text(f)} (regulation 18(2)(a))."
        )
    if f.treatment_to_prevent_serious_injury:
        return (
            "The injury needed treatment by a health care professional to prevent death or a serious "
            "injury (regulation 18(2)(b))."
        )
    return None


def _abuse(f: Facts) -> str | None:
    if f.abuse_alleged and f.resident_affected:
        return "There is abuse, or an allegation of abuse, in relation to a person using the service (18(2)(e))."
    return None


def _police(f: Facts) -> str | None:
    if f.police_involved:
        return "The incident was reported to, or is being investigated by, the police (regulation 18(2)(f))."
    return None


def _safe_running(f: Facts) -> str | None:
    if f.kind == "utility_failure" and disrupted(f, 24):
        return (
            f"The supply of a utility was interrupted for {f.disruption_hours} hours: longer than a continuous "
            "period of 24 hours (regulation 18(2)(g)(ii))."
        )
    if f.kind in ("property_damage", "fire") and disrupted(f):
        return (
            f"Physical damage to the premises disrupted the service for {f.disruption_hours} hours and may affect "
            "the safety of people using it (regulation 18(2)(g)(iii))."
        )
    return None


RULES: tuple[Rule, ...] = (
    Rule(
        code="cqc_reg16_death",
        regulator=REGULATOR,
        title="Death of a person using the service",
        form="CQC notification form: Death of a person using the service (regulation 16)",
        deadline=NOW,
        source=f"{INSTRUMENT}, regulation 16(1)",
        guidance=GUIDANCE,
        applies=_death,
        fields=(*_PERSON, "death"),
    ),
    Rule(
        code="cqc_reg18_serious_injury",
        regulator=REGULATOR,
        title="Serious injury to a person using the service",
        form="CQC notification form: Serious injury to a person using the service (regulation 18(2)(a) and (b))",
        deadline=NOW,
        source=f"{INSTRUMENT}, regulation 18(2)(a) and (b)",
        guidance=GUIDANCE,
        applies=_serious_injury,
        fields=(*_PERSON, "injury"),
    ),
    Rule(
        code="cqc_reg18_abuse",
        regulator=REGULATOR,
        title="Abuse or allegation of abuse",
        form="CQC notification form: Abuse or allegation of abuse (regulation 18(2)(e))",
        deadline=NOW,
        source=f"{INSTRUMENT}, regulation 18(2)(e)",
        guidance=GUIDANCE,
        applies=_abuse,
        fields=(*_PERSON, "people", "abuse"),
    ),
    Rule(
        code="cqc_reg18_police",
        regulator=REGULATOR,
        title="Incident reported to or investigated by the police",
        form="CQC notification form: Incident reported to or investigated by the police (regulation 18(2)(f))",
        deadline=NOW,
        source=f"{INSTRUMENT}, regulation 18(2)(f)",
        guidance=GUIDANCE,
        applies=_police,
        fields=(*_PERSON, "people", "police"),
    ),
    Rule(
        code="cqc_reg18_safe_running",
        regulator=REGULATOR,
        title="Event that stops, or may stop, the service running safely",
        form="CQC notification form: Events that stop the service (regulation 18(2)(g))",
        deadline=NOW,
        source=f"{INSTRUMENT}, regulation 18(2)(g)(ii) and (iii)",
        guidance=GUIDANCE,
        applies=_safe_running,
        fields=("service", "incident", "disruption", "actions", "reporter"),
        unverified=("The exact name of CQC's form for regulation 18(2)(g) events.",),
    ),
)


# --- deprivation of liberty (about a resident, raised from care planning's dols.changed) -----------------

OUTCOME_WORDS = {
    "granted": "granted the standard authorisation",
    "refused": "refused the standard authorisation",
    "withdrawn": "the request was withdrawn",
}


def _dols_outcome(c: LibertyChange) -> str | None:
    outcome = c.outcome
    if outcome is None:
        return None
    what = OUTCOME_WORDS[outcome]
    if outcome == "withdrawn":
        return (
            "A request to the supervisory body for a standard authorisation to deprive a person of their liberty "
            "was withdrawn: CQC is told of the request and its withdrawal together (regulation 18(4A)(a) and (4B))."
        )
    return (
        f"The supervisory body {what} that was requested for a person using the service: CQC is told of the "
        "request and its outcome together, now the outcome is known (regulation 18(4A)(a) and (4B))."
    )


LIBERTY_RULES: tuple[Rule, ...] = (
    Rule(
        code="cqc_reg18_dols_outcome",
        regulator=REGULATOR,
        title="Outcome of an application to deprive a person of their liberty (DoLS)",
        form="Statutory notification: Outcome of an application to deprive a person of their liberty",
        deadline=Deadline(WITHOUT_DELAY, anchor=REPORTED, wording="Without delay, once the outcome is known (18(4B))"),
        source=f"{INSTRUMENT}, regulation 18(4A)(a) and (4B) (as amended by SI 2012/921)",
        guidance="CQC, Application to deprive a person of their liberty (DoLS) notification form",
        applies=_dols_outcome,
        fields=("service", "resident", "liberty", "reporter"),
        unverified=(
            "The wording of regulation 18(4A) and (4B) was checked against the explanatory note of SI 2012/921 "
            "and CQC's guidance page, not against the consolidated text on legislation.gov.uk.",
            "The questions of CQC's Word form (the supervisory body, the dates, whether an urgent authorisation "
            "preceded the request) were not checked: the prepared form carries what the liberty record's change "
            "carries; the rest is on the resident's liberty page.",
        ),
    ),
)
