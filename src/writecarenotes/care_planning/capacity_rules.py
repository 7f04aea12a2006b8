"""The law behind the Mental Capacity Act records, as data and pure functions (no database).

Capacity (England and Wales): Mental Capacity Act 2005
  s.1(2)  a person must be assumed to have capacity unless it is established that they lack it;
  s.1(3)  not treated as unable to decide unless all practicable steps to help have failed;
  s.2(1)  a person lacks capacity in relation to a matter if at the material time they are unable
          to make a decision for themselves in relation to the matter BECAUSE OF an impairment of,
          or a disturbance in the functioning of, the mind or brain (stage 1, and the causal link);
  s.3(1)  unable to make a decision if unable to (a) understand the information relevant to it,
          (b) retain that information, (c) use or weigh it as part of the process of deciding, or
          (d) communicate the decision by any means (stage 2, the functional test);
  s.4     best interests: the person's past and present wishes and feelings, beliefs and values;
          consult carers, attorneys and deputies; s.1(6) the less restrictive option.
So "lacks capacity" needs stage 1 yes, at least one functional item failed, and the inability
being because of the impairment; anything else is "has capacity" for this decision.

Deprivation of liberty, by the nation of the home (CareHome.nation):
  England and Wales: MCA 2005 Schedule A1 (DoLS). The managing authority (the care home) asks the
    supervisory body for a standard authorisation; its period may not exceed the best interests
    assessor's maximum authorisation period, which may not exceed 1 year (paras 42 and 51);
    conditions may be attached (para 53). An urgent authorisation is given by the managing
    authority itself (paras 74-76) for a period not exceeding 7 days (para 78(2)); it may be
    extended by the supervisory body once (para 77(3)-(4)), for exceptional reasons (para 84), by
    a period not exceeding 7 days (para 85). A request for the next standard authorisation may be
    made in the 28 days before the current one ends: the expiry alert is sent 28 days ahead.
  Scotland: Adults with Incapacity (Scotland) Act 2000. A section 47 certificate of incapacity
    (authority to treat) for the period it specifies: not more than 1 year from the examination,
    or up to 3 years where the adult's condition is one prescribed for longer certificates (s.47(5)
    as amended by the Adult Support and Protection (Scotland) Act 2007); guardianship orders
    (s.58) and intervention orders (s.53) granted by the sheriff.
  Northern Ireland: Mental Capacity Act (Northern Ireland) 2016. Deprivation of liberty authorised
    by a panel of the HSC Trust (Schedule 1): a panel authorisation lasts up to 6 months (the initial
    period, s.37), an interim authorisation up to 28 days (Sch. 1 para 20); an extension is for 6
    months after the initial period, then for 1 year at a time (s.37-38, Sch. 3 para 8(2)).
  Ireland: Assisted Decision-Making (Capacity) Act 2015. Decision support arrangements: a
    decision-making assistant (decision-making assistance agreement, s.10), a co-decision-maker
    (co-decision-making agreement, s.17, registered with the Director of the Decision Support
    Service, s.21), a decision-making representative (decision-making representation order of
    the court, s.38).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

DOLS, AWI, MCA_NI, ADM = "dols", "awi_scotland", "mca_ni", "adm_ireland"

FRAMEWORK_CHOICES = [
    (DOLS, _("Deprivation of Liberty Safeguards (Mental Capacity Act 2005, Schedule A1)")),
    (AWI, _("Adults with Incapacity (Scotland) Act 2000")),
    (MCA_NI, _("Mental Capacity Act (Northern Ireland) 2016")),
    (ADM, _("Assisted Decision-Making (Capacity) Act 2015")),
]
FRAMEWORK_LABELS = dict(FRAMEWORK_CHOICES)

#: CareHome.nation -> the framework its residents' liberty records are kept under.
FRAMEWORK_FOR_NATION = {
    "england": DOLS,
    "wales": DOLS,
    "scotland": AWI,
    "northern_ireland": MCA_NI,
    "ireland": ADM,
}


@dataclass(frozen=True)
class Kind:
    key: str
    framework: str
    label: str
    #: whose decision it is (the body the home applies or reports to)
    body_label: str
    #: True: asked for first (status "requested"), then granted or refused. False: in force when recorded.
    requested: bool
    #: the longest first period, in days (None: no statutory maximum; the order says)
    max_days: int | None
    #: an end date must be given when it is in force
    needs_end: bool
    source: str


KINDS: dict[str, Kind] = {
    k.key: k
    for k in [
        Kind(
            "dols_standard",
            DOLS,
            _("Standard authorisation"),
            _("Supervisory body"),
            True,
            366,
            True,
            _("MCA 2005 Sch. A1 paras 21-24 (request), 42 and 51 (period of at most 1 year), 53 (conditions)"),
        ),
        Kind(
            "dols_urgent",
            DOLS,
            _("Urgent authorisation"),
            _("Supervisory body (told of it and asked for the standard authorisation)"),
            False,
            7,
            True,
            _("MCA 2005 Sch. A1 paras 74-78 (given by the care home, at most 7 days), 77 and 84-85 (one extension)"),
        ),
        Kind(
            "awi_s47",
            AWI,
            _("Section 47 certificate of incapacity"),
            _("Certifying practitioner"),
            False,
            None,  # 1 year, or 3 years for a prescribed condition: see max_end()
            True,
            _("Adults with Incapacity (Scotland) Act 2000 s.47"),
        ),
        Kind(
            "awi_guardianship",
            AWI,
            _("Guardianship order"),
            _("Sheriff court"),
            True,
            None,
            False,
            _("Adults with Incapacity (Scotland) Act 2000 s.57-58"),
        ),
        Kind(
            "awi_intervention",
            AWI,
            _("Intervention order"),
            _("Sheriff court"),
            True,
            None,
            False,
            _("Adults with Incapacity (Scotland) Act 2000 s.53"),
        ),
        Kind(
            "ni_panel",
            MCA_NI,
            _("Deprivation of liberty authorisation (Trust panel)"),
            _("HSC Trust panel"),
            True,
            None,  # 6 months: see max_end()
            True,
            _("Mental Capacity Act (Northern Ireland) 2016 s.24-25, Sch. 1 para 15, s.37 (6 months)"),
        ),
        Kind(
            "ni_interim",
            MCA_NI,
            _("Interim authorisation (Trust panel)"),
            _("HSC Trust panel"),
            True,
            28,
            True,
            _("Mental Capacity Act (Northern Ireland) 2016 Sch. 1 para 20 (at most 28 days)"),
        ),
        Kind(
            "adm_assistant",
            ADM,
            _("Decision-making assistant"),
            _("Decision-making assistance agreement"),
            False,
            None,
            False,
            _("Assisted Decision-Making (Capacity) Act 2015 s.10"),
        ),
        Kind(
            "adm_co_decision",
            ADM,
            _("Co-decision-maker"),
            _("Decision Support Service (registration)"),
            True,
            None,
            False,
            _("Assisted Decision-Making (Capacity) Act 2015 s.17, s.21"),
        ),
        Kind(
            "adm_representative",
            ADM,
            _("Decision-making representative"),
            _("Circuit Court (decision-making representation order)"),
            True,
            None,
            False,
            _("Assisted Decision-Making (Capacity) Act 2015 s.38"),
        ),
    ]
}
KIND_CHOICES = [(k.key, k.label) for k in KINDS.values()]

#: Urgent authorisation: at most 7 days (Sch. A1 para 78(2)); one extension (para 77(4)) of at most 7 days (para 85).
URGENT_DAYS = 7
URGENT_EXTENSION_DAYS = 7
#: AWI s.47 certificate: 1 year, or 3 years for a prescribed condition.
S47_YEARS, S47_PRESCRIBED_YEARS = 1, 3
#: NI: initial period and first extension 6 months, then 1 year at a time.
NI_MONTHS, NI_LATER_EXTENSION_YEARS = 6, 1
#: The alert is sent this many days before an authorisation ends.
EXPIRY_ALERT_DAYS = 28


def kinds_for(framework: str) -> list[Kind]:
    return [k for k in KINDS.values() if k.framework == framework]


def framework_for(nation: str) -> str:
    try:
        return FRAMEWORK_FOR_NATION[nation]
    except KeyError:
        raise ValueError(f"no capacity framework for nation {nation!r}") from None


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError("no such date")


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def max_end(kind: str, start: date, *, prescribed_condition: bool = False) -> date | None:
    """The latest end date the law allows for a first period starting on ``start`` (None: none)."""
    k = KINDS[kind]
    if kind == "dols_standard":
        return add_years(start, 1)
    if kind == "dols_urgent":
        return start + timedelta(days=URGENT_DAYS)
    if kind == "awi_s47":
        return add_years(start, S47_PRESCRIBED_YEARS if prescribed_condition else S47_YEARS)
    if kind == "ni_panel":
        return add_months(start, NI_MONTHS)
    if k.max_days is not None:
        return start + timedelta(days=k.max_days)
    return None


def max_extended_end(kind: str, current_end: date, extensions_so_far: int) -> date | None:
    """The latest new end date of an extension; None when the kind cannot be extended (any more)."""
    if kind == "dols_urgent":
        return current_end + timedelta(days=URGENT_EXTENSION_DAYS) if extensions_so_far == 0 else None
    if kind == "ni_panel":
        return add_months(current_end, NI_MONTHS) if extensions_so_far == 0 else add_years(current_end, 1)
    return None


# --- the two-stage test -------------------------------------------------------------------------

HAS_CAPACITY, LACKS_CAPACITY = "has_capacity", "lacks_capacity"
FUNCTIONAL = ("understand", "retain", "use_weigh", "communicate")
FUNCTIONAL_LABELS = {
    "understand": _("Can they understand the information relevant to the decision?"),
    "retain": _("Can they retain that information long enough to decide?"),
    "use_weigh": _("Can they use or weigh that information as part of deciding?"),
    "communicate": _("Can they communicate their decision (by any means)?"),
}


def outcome_from(impairment: bool, able: dict[str, bool], because_of_impairment: bool | None) -> str:
    """The outcome the answers lead to (MCA 2005 s.2(1) and s.3(1))."""
    failed = [k for k in FUNCTIONAL if able.get(k) is False]
    if impairment and failed and because_of_impairment:
        return LACKS_CAPACITY
    return HAS_CAPACITY
