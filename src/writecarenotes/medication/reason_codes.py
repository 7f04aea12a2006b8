"""Why a dose was not given: the reason codes of the eMAR, and their letters on a printed MAR chart.

There is no single national list of MAR codes in the UK: each supplying pharmacy prints its own key at
the foot of its MAR charts (NICE SC1, 1.14.4, asks homes to record the reason a dose was not given,
not a particular code list). The letters A to F below follow the key printed on many community-pharmacy
care-home MAR charts (for example the Boots care-services MAR: A refused, B nausea or vomiting,
C hospitalised, D social leave, E refused and destroyed, F other; the same letters are reproduced in
care-sector guides such as Log my Care's "Decoding MAR sheet codes", 2021). UNVERIFIED against the
pharmacy's own current print: a home whose pharmacy uses other letters changes ``MAR_LETTERS`` (data,
not code). Letters beyond that key ("NR", "SA", "W", "U") are this software's, and are printed in the
chart's key so a reader never has to guess.

Each code says which outcomes it explains; "other" always needs free text.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

__all__ = [
    "GIVEN_LETTER",
    "MAR_KEY",
    "MAR_LETTERS",
    "REASON_CODES",
    "ReasonCode",
    "choices_for",
    "get",
    "letter_for",
    "needs_note",
    "valid_for",
]


@dataclass(frozen=True)
class ReasonCode:
    code: str
    label: str
    outcomes: tuple[str, ...]
    needs_note: bool = False


_NOT_GIVEN = ("refused", "omitted", "not_required", "withheld", "unavailable", "absent")

#: the codes, in the order they are offered
REASON_CODES: tuple[ReasonCode, ...] = (
    ReasonCode("refused", _("Refused"), ("refused",)),
    ReasonCode("refused_destroyed", _("Refused, and the dose was destroyed"), ("refused",)),
    ReasonCode("nausea_vomiting", _("Nausea or vomiting"), ("refused", "omitted", "withheld")),
    ReasonCode("asleep", _("Asleep and could not be woken safely"), ("omitted",)),
    ReasonCode("unable_to_swallow", _("Unable to swallow"), ("omitted", "withheld")),
    ReasonCode("nil_by_mouth", _("Nil by mouth"), ("omitted", "withheld")),
    ReasonCode("clinical_advice", _("Withheld on the prescriber's or nurse's advice"), ("withheld",)),
    ReasonCode("not_needed", _("Not needed now (as the prescription allows)"), ("not_required",)),
    ReasonCode("out_of_stock", _("Out of stock"), ("unavailable",)),
    ReasonCode("hospital", _("In hospital"), ("absent",)),
    ReasonCode("social_leave", _("Social leave (out with family or friends)"), ("absent",)),
    ReasonCode("other", _("Other (say why)"), _NOT_GIVEN, needs_note=True),
)
_BY_CODE = {c.code: c for c in REASON_CODES}

#: reason code -> letter printed on the MAR chart (see the module documentation for the source)
MAR_LETTERS: dict[str, str] = {
    "refused": "A",
    "nausea_vomiting": "B",
    "hospital": "C",
    "social_leave": "D",
    "refused_destroyed": "E",
    "other": "F",
    "asleep": "F",
    "unable_to_swallow": "F",
    "nil_by_mouth": "F",
    "out_of_stock": "U",
    "clinical_advice": "W",
    "not_needed": "NR",
}
#: printed for a dose given: the initials of the person who gave it (as on a paper MAR)
GIVEN_LETTER = "✓"
SELF_LETTER = "SA"

#: the key printed on the chart: letter -> meaning
MAR_KEY: tuple[tuple[str, str], ...] = (
    ("A", _("Refused")),
    ("B", _("Nausea or vomiting")),
    ("C", _("Hospitalised")),
    ("D", _("Social leave")),
    ("E", _("Refused and destroyed")),
    ("F", _("Other (see the notes)")),
    ("NR", _("Not required")),
    ("SA", _("Self-administered")),
    ("U", _("Unavailable (out of stock)")),
    ("W", _("Withheld on clinical grounds")),
)


def get(code: str) -> ReasonCode | None:
    return _BY_CODE.get(code)


def valid_for(code: str, outcome: str) -> bool:
    rc = _BY_CODE.get(code)
    return rc is not None and outcome in rc.outcomes


def needs_note(code: str) -> bool:
    rc = _BY_CODE.get(code)
    return bool(rc and rc.needs_note)


def choices_for(outcome: str | None = None) -> list[tuple[str, str]]:
    """(code, label) for a select; all codes when ``outcome`` is None."""
    return [(c.code, c.label) for c in REASON_CODES if outcome is None or outcome in c.outcomes]


def letter_for(outcome: str, code: str) -> str:
    """The letter printed on the MAR chart for a dose not given (or self-administered)."""
    if outcome == "self_administered":
        return SELF_LETTER
    if outcome == "withheld" and code not in MAR_LETTERS:
        return "W"
    return MAR_LETTERS.get(code, "F")
