"""Drug-drug interactions through a pluggable checker, and a small hand-curated built-in rule set.

THE BUILT-IN LIST IS NOT COMPLETE. It holds a handful of well-established, high-risk pairs that care
homes meet often, each with its published source and severity. It is a safety net, not a knowledge base:
no finding does NOT mean no interaction. A licensed knowledge base (for example a dm+d-based clinical
decision support product) is plugged in by naming a class that implements ``InteractionChecker`` in the
setting ``MEDICATION_INTERACTION_CHECKER`` ("package.module.ClassName"); the built-in one is the default.
The rules page (/medication/safety/rules/) says the same to the staff.

Severity words follow the BNF's: "severe" (the interaction may have serious results; avoid, or only with
specialist monitoring) and "moderate" (may worsen the condition or need a change of treatment).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

from writecarenotes.medication.safety_rules.classes import base_name, classes_of
from writecarenotes.medication.safety_rules.facts import Product

__all__ = ["RULES", "BuiltinChecker", "Interaction", "InteractionChecker", "InteractionRule", "checker"]


@dataclass(frozen=True)
class Interaction:
    """One interaction found between two products."""

    first: str  # product name
    second: str  # product name
    severity: str  # "severe" | "moderate"
    effect: str  # what can happen, in plain words
    advice: str  # what to do
    source: str


@runtime_checkable
class InteractionChecker(Protocol):
    """What the safety checks ask of an interaction checker (the built-in one or a licensed knowledge base)."""

    #: shown on the rules page and in the findings' source ("Built-in curated list (not complete)")
    name: str
    #: False unless the checker is a complete, maintained knowledge base
    complete: bool

    def interactions(self, product: Product, others: list[Product]) -> list[Interaction]:
        """The interactions between ``product`` and each of ``others`` (the resident's other active medicines)."""
        ...


@dataclass(frozen=True)
class InteractionRule:
    """A pair: each side is an ingredient (base name) or a class (``classes``)."""

    first: frozenset[str]
    second: frozenset[str]
    severity: str
    effect: str
    advice: str
    source: str


def _r(first, second, severity, effect, advice, source) -> InteractionRule:
    return InteractionRule(frozenset(first), frozenset(second), severity, effect, advice, source)


RULES: tuple[InteractionRule, ...] = (
    _r(
        {"warfarin", "vitamin k antagonist"},
        {"nsaid"},
        "severe",
        "more risk of bleeding (an NSAID adds stomach bleeding and affects platelets)",
        "avoid unless the prescriber has decided; watch for bleeding and check the INR",
        "BNF interactions: coumarins + NSAIDs (increased risk of bleeding); NPSA Patient Safety Alert 18 (2007)",
    ),
    _r(
        {"warfarin", "vitamin k antagonist"},
        {"clarithromycin", "erythromycin"},
        "severe",
        "the anticoagulant effect of warfarin goes up (higher INR, bleeding)",
        "the prescriber should arrange an INR check within a few days of starting the antibiotic",
        "BNF interactions: macrolides (clarithromycin, erythromycin) + coumarins (increased anticoagulant effect)",
    ),
    _r(
        {"methotrexate"},
        {"trimethoprim", "co-trimoxazole"},
        "severe",
        "bone marrow suppression (low blood counts), which can be fatal",
        "avoid: ask the prescriber for another antibiotic",
        "BNF interactions: methotrexate + trimethoprim (increased risk of haematological toxicity; avoid)",
    ),
    _r(
        {"simvastatin"},
        {"clarithromycin", "erythromycin"},
        "severe",
        "muscle damage (myopathy, rhabdomyolysis) from a much higher simvastatin level",
        "do not give together: simvastatin is usually paused during the antibiotic course",
        "MHRA Drug Safety Update, Simvastatin: updated advice on drug interactions (August 2012): "
        "contraindicated with clarithromycin and erythromycin",
    ),
    _r(
        {"ace inhibitor", "angiotensin ii receptor blocker"},
        {"spironolactone", "eplerenone", "amiloride", "triamterene", "potassium-sparing diuretic"},
        "severe",
        "a high blood potassium (hyperkalaemia), which can be fatal",
        "only with regular potassium and kidney blood tests arranged by the prescriber",
        "MHRA Drug Safety Update, Spironolactone and renin-angiotensin system drugs in heart failure: risk of "
        "potentially fatal hyperkalaemia (February 2016); BNF interactions",
    ),
    _r(
        {"opioid"},
        {"benzodiazepine"},
        "severe",
        "deep sedation and slowed breathing (respiratory depression), which can be fatal",
        "only if the prescriber has decided; watch breathing and drowsiness",
        "MHRA Drug Safety Update, Benzodiazepines and opioids: reminder of risk of potentially fatal respiratory "
        "depression (March 2020)",
    ),
    _r(
        {"ssri"},
        {"nsaid"},
        "moderate",
        "more risk of bleeding, especially from the stomach",
        "the prescriber may add stomach protection; watch for bleeding",
        "BNF interactions: SSRIs + NSAIDs (increased risk of bleeding)",
    ),
    _r(
        {"ssri"},
        {"warfarin", "vitamin k antagonist"},
        "moderate",
        "more risk of bleeding",
        "watch for bleeding; the prescriber may check the INR",
        "BNF interactions: SSRIs + coumarins (increased risk of bleeding)",
    ),
)


def _keys(product: Product) -> set[str]:
    keys = set()
    for i in product.ingredients:
        keys.add(base_name(i.name))
        keys |= classes_of(i.name, i.classes)
    return keys


class BuiltinChecker:
    """The hand-curated rules in ``RULES`` (not complete: see the module's docstring)."""

    name = "Built-in curated list of high-risk pairs (not complete)"
    complete = False
    rules = RULES

    def interactions(self, product: Product, others: list[Product]) -> list[Interaction]:
        mine = _keys(product)
        found = []
        for other in others:
            theirs = _keys(other)
            for rule in self.rules:
                if (mine & rule.first and theirs & rule.second) or (mine & rule.second and theirs & rule.first):
                    found.append(
                        Interaction(product.name, other.name, rule.severity, rule.effect, rule.advice, rule.source)
                    )
        return found


@lru_cache(maxsize=4)
def _load(path: str) -> InteractionChecker:
    made = import_string(path)()
    if not isinstance(made, InteractionChecker):
        raise TypeError(f"{path} does not implement InteractionChecker")
    return made


def checker() -> InteractionChecker:
    """The checker the setting ``MEDICATION_INTERACTION_CHECKER`` names (default: the built-in one)."""
    path = getattr(settings, "MEDICATION_INTERACTION_CHECKER", "") or (
        "writecarenotes.medication.safety_rules.interactions.BuiltinChecker"
    )
    return _load(path)
