"""A recorded allergy or sensitivity that matches the medicine, and allergy status not recorded.

Source: NICE CG183 "Drug allergy: diagnosis and management" (2014). 1.2.1: document the drug allergy
status ("drug allergy", "none known", "unable to ascertain"); 1.2.13 (recommendation 13 in the 2014
numbering): check the drug allergy status and confirm it before prescribing, dispensing or administering
any drug; the record lists the drugs or drug classes to avoid. NICE SC1 (2014) 1.3: the care home record
includes allergies and previous adverse reactions.

A match is by ingredient (with or without its salt), by drug class (``classes``: "penicillin" matches
amoxicillin) or by the product's name, ignoring case and plurals.

Overridable or not (our decision, recorded here and on the rules page): a recorded ALLERGY of severity
severe or life-threatening refuses the medicine whatever the role: giving it is the prescriber's decision
and needs the order or the allergy record changed first (NICE CG183 asks that the drugs to avoid are
avoided; a nurse cannot judge that a severe reaction will not recur). A mild or moderate allergy, or a
SENSITIVITY (an intolerance, not an allergy: CG183 1.2.12 keeps them apart), may be overridden by a
nurse with a reason (for example "prescriber aware, given before without reaction").
"""

from __future__ import annotations

from writecarenotes.medication.safety_rules.classes import base_name, classes_of, normalise, term_matches
from writecarenotes.medication.safety_rules.facts import Product
from writecarenotes.medication.safety_rules.findings import Finding

__all__ = ["NOT_OVERRIDABLE_SEVERITIES", "SOURCE", "SOURCE_STATUS", "check_allergies", "check_status"]

SOURCE = (
    "NICE CG183 Drug allergy (2014) 1.2: check the drug allergy status before administering; drugs or classes to avoid"
)
SOURCE_STATUS = "NICE CG183 Drug allergy (2014) 1.2.1 and 1.2.13; NICE SC1 Managing medicines in care homes (2014) 1.3"
NOT_OVERRIDABLE_SEVERITIES = frozenset({"severe", "life_threatening"})
_SEVERITY_WORDS = {"mild": "mild", "moderate": "moderate", "severe": "severe", "life_threatening": "life-threatening"}


def _match(substance: str, product: Product) -> str:
    """What in ``product`` the recorded ``substance`` names ("" for nothing)."""
    for ing in product.ingredients:
        if term_matches(substance, ing.name) or term_matches(substance, base_name(ing.name)):
            return ing.name
    for ing in product.ingredients:
        for cls in sorted(classes_of(ing.name, ing.classes)):
            if term_matches(substance, cls):
                return f"{ing.name} ({cls.upper() if cls == 'nsaid' else cls})"
    name = normalise(product.name).split()
    sub = normalise(substance).split()
    if sub and name and sub[0] == name[0] and all(w in name for w in sub):
        return product.name
    return ""


def check_allergies(status, product: Product) -> list[Finding]:
    """Findings for each allergy or sensitivity in force (``residents.public.AllergyStatus``) the product matches."""
    found = []
    for a in status.allergies:
        what = _match(a.substance, product)
        if not what:
            continue
        kind = "sensitivity" if a.is_sensitivity else "allergy"
        severity = _SEVERITY_WORDS.get(a.severity, a.severity)
        reaction = f" (reaction: {a.reaction})" if a.reaction else ""
        blocking = not a.is_sensitivity and a.severity in NOT_OVERRIDABLE_SEVERITIES
        tail = (
            " A severe allergy cannot be overridden: ask the prescriber to change the medicine."
            if blocking
            else " Check with the prescriber before giving."
        )
        found.append(
            Finding(
                "allergy",
                f"Recorded {severity + ' ' if severity else ''}{kind} to {a.substance}{reaction}: "
                f"{product.name} contains {what}.{tail}",
                not blocking,
                SOURCE,
            )
        )
    return found


def check_status(status) -> list[Finding]:
    """ "Allergies not recorded": neither an allergy nor "no known allergies" is on the resident's record."""
    if status.recorded:
        return []
    return [
        Finding(
            "allergy_status",
            'Allergies are not recorded for this resident: record the allergies, or "no known allergies", on '
            "the resident's profile before prescribing.",
            True,
            SOURCE_STATUS,
        )
    ]
