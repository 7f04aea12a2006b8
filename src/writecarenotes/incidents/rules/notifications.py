"""Which statutory notifications an incident requires, per home nation: a pure function of ``Facts``.

Each nation's rules are data in ``rules.nations.<nation>`` (``RULES``: a tuple of ``Rule``), each
with its source: the instrument and regulation (or paragraph), and the regulator's guidance.
``required_notifications(facts)`` returns a ``Requirement`` for each rule that applies, with the
reason in words a manager understands. A detail that could not be checked against a published
source is listed in the rule's ``unverified`` (shown on the notification page, never hidden).

Some notifications are about a resident, not an incident: a nation's ``LIBERTY_RULES`` (optional)
read a ``LibertyChange`` (care planning's ``dols.changed`` event: a liberty record applied for,
granted, refused, ended) and ``required_for_liberty(change)`` returns what they require.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from importlib import import_module
from typing import Any

from writecarenotes.incidents.rules import deadlines
from writecarenotes.incidents.rules.deadlines import Deadline
from writecarenotes.incidents.rules.facts import Facts

NATIONS = ("england", "wales", "scotland", "northern_ireland", "ireland")


@dataclass(frozen=True)
class Rule:
    code: str  # stable key, e.g. "cqc_reg18_serious_injury" (one notification per incident and code)
    regulator: str  # tenancy.Regulator value
    title: str  # what is notified, e.g. "Serious injury to a person using the service"
    form: str  # the regulator's form name / number
    deadline: Deadline
    source: str  # instrument and regulation / paragraph
    guidance: str  # the regulator's guidance title
    applies: Callable[[Any], str | None]  # the reason it applies (to Facts, or a LibertyChange), or None
    fields: tuple[str, ...] = ()  # the form's sections, in the form's order (see services_notifications)
    unverified: tuple[str, ...] = ()  # details not checked against a published source


@dataclass(frozen=True)
class Requirement:
    code: str
    regulator: str
    title: str
    form: str
    deadline: Deadline
    source: str
    guidance: str
    why: str
    fields: tuple[str, ...] = ()
    unverified: tuple[str, ...] = ()

    @property
    def deadline_text(self) -> str:
        return self.deadline.describe()

    def due_at(self, facts: Facts) -> datetime:
        return deadlines.due_at(
            self.deadline, occurred_at=facts.occurred_at, reported_at=facts.reported_at, nation=facts.nation
        )


def rules_for(nation: str) -> tuple[Rule, ...]:
    if nation not in NATIONS:
        raise ValueError(f"unknown nation {nation!r}")
    return import_module(f"writecarenotes.incidents.rules.nations.{nation}").RULES


def liberty_rules_for(nation: str) -> tuple[Rule, ...]:
    """The nation's rules about liberty authorisations (``LIBERTY_RULES``; none when it has none)."""
    if nation not in NATIONS:
        raise ValueError(f"unknown nation {nation!r}")
    return getattr(import_module(f"writecarenotes.incidents.rules.nations.{nation}"), "LIBERTY_RULES", ())


def rule(code: str) -> Rule | None:
    """The rule with this code, in whichever nation (None when no rule has it: a retired rule)."""
    for nation in NATIONS:
        for r in (*rules_for(nation), *liberty_rules_for(nation)):
            if r.code == code:
                return r
    return None


def _requirement(r: Rule, why: str) -> Requirement:
    return Requirement(
        code=r.code,
        regulator=r.regulator,
        title=r.title,
        form=r.form,
        deadline=r.deadline,
        source=r.source,
        guidance=r.guidance,
        why=why,
        fields=r.fields,
        unverified=r.unverified,
    )


def required_notifications(facts: Facts) -> list[Requirement]:
    """The notifications the facts require in the home's nation, in the order of the nation's rules."""
    out = []
    for r in rules_for(facts.nation):
        why = r.applies(facts)
        if why:
            out.append(_requirement(r, why))
    return out


@dataclass(frozen=True)
class LibertyChange:
    """A liberty record's change as care planning's ``dols.changed`` event carries it."""

    nation: str  # the home's nation
    framework: str  # care_planning.capacity_rules: dols, awi_scotland, mca_ni, adm_ireland
    kind: str  # e.g. dols_standard (a standard authorisation, asked of the supervisory body)
    change: str  # recorded, granted, refused, extended, ended
    status: str  # the record's status after the change: requested, in_force, refused, ended, expired
    end_on: date | None = None

    @property
    def is_dols_standard(self) -> bool:
        return self.framework == "dols" and self.kind == "dols_standard"

    @property
    def is_application(self) -> bool:
        """A request for a standard authorisation was made to the supervisory body (recorded, waiting)."""
        return self.is_dols_standard and self.change == "recorded" and self.status == "requested"

    @property
    def outcome(self) -> str | None:
        """granted / refused / withdrawn, when the change is the outcome of a DoLS request, else None.

        A standard authorisation in force always has an end date (Sch. A1 para 51; care planning's
        ``Kind.needs_end``), so a record ended without one was still an application: it was withdrawn."""
        if not self.is_dols_standard:
            return None
        if self.change in ("granted", "refused"):
            return self.change
        if self.change == "ended" and self.end_on is None:
            return "withdrawn"
        return None


def required_for_liberty(change: LibertyChange) -> list[Requirement]:
    """The notifications a liberty record's change requires in the home's nation."""
    out = []
    for r in liberty_rules_for(change.nation):
        why = r.applies(change)
        if why:
            out.append(_requirement(r, why))
    return out


# --- small predicates the nations share ---------------------------------------------------------------

HARM_WORDS = {
    "impairment": "an impairment of sensory, motor or intellectual functions not likely to be temporary",
    "body_structure": "a change to the structure of the body (for example a fracture)",
    "prolonged_pain": "prolonged pain or prolonged psychological harm",
    "life_shortened": "a shortening of life expectancy",
}

#: incident types that are accidents to a person (falls, choking, injuries)
ACCIDENT_KINDS = frozenset({"fall", "choking", "skin_tear_injury"})
#: medical attention beyond first aid in the home
MEDICAL_TREATMENT = frozenset({"nurse_gp", "hospital", "admitted"})
HOSPITAL = frozenset({"hospital", "admitted"})


def is_death(f: Facts) -> bool:
    return f.kind == "death" or f.severity == "death"


def harm_tests_text(f: Facts) -> str:
    return "; ".join(HARM_WORDS[k] for k in sorted(f.serious_injury_tests) if k in HARM_WORDS)


def disrupted(f: Facts, more_than_hours: int = 0) -> bool:
    return f.disruption_hours is not None and f.disruption_hours > more_than_hours
