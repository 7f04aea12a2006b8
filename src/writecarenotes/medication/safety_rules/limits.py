"""The most of one ingredient in any 24 hours, added up across every product the resident had.

Doses counted: every dose given or self-administered of any order (regular, PRN, homely remedy) whose
product contains the ingredient, dose x ``MedicineIngredient.amount_mg``, in every rolling 24-hour window
holding the new dose (``facts.window_ends``: end - 24 h < administered_at <= end). A product whose
ingredient has no amount recorded cannot be added up: the finding says so instead of guessing.

Only ingredients whose daily maximum we can cite are listed (``LIMITS``). Left out on purpose:
ibuprofen (1.2 g a day over the counter, 2.4 g prescribed: which applies depends on the prescription, and
we could not check the BNF wording here) and every other ingredient; the pluggable interaction checker
is the place for a licensed knowledge base's dose limits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from writecarenotes.medication.safety_rules.facts import DAY, GivenDose, Product, in_window, window_ends
from writecarenotes.medication.safety_rules.findings import Finding, mg, when

__all__ = ["LIMITS", "Limit", "check_limits", "needs_weight"]


@dataclass(frozen=True)
class Limit:
    ingredient: str
    adult_mg_24h: Decimal
    source: str
    #: below this body weight (kg) the lower limit applies: ``low_weight_mg_per_kg`` x weight, at most the adult one
    low_weight_below_kg: Decimal | None = None
    low_weight_mg_per_kg: Decimal | None = None
    low_weight_source: str = ""
    #: what the source says when no weight is recorded (the message carries it)
    no_weight_note: str = ""


LIMITS: dict[str, Limit] = {
    "paracetamol": Limit(
        ingredient="paracetamol",
        adult_mg_24h=Decimal(4000),
        source="BNF, paracetamol: adult oral dose 0.5-1 g every 4-6 hours, maximum 4 g per day",
        low_weight_below_kg=Decimal(50),
        low_weight_mg_per_kg=Decimal(60),
        low_weight_source=(
            "BNF, paracetamol, cautions: body-weight under 50 kg and risk factors for hepatotoxicity increase the "
            "risk of toxicity at therapeutic doses, clinical judgement to adjust the dose; the weight-based maximum "
            "60 mg/kg daily is the BNF intravenous adult dose for 33-50 kg (MHRA Drug Safety Update, intravenous "
            "paracetamol, 2010) used by NHS adult oral guidelines (NICE CKS analgesia; UNVERIFIED for oral use)"
        ),
        no_weight_note=(
            "No weight recorded in the last 12 months, so the lower limit for people under 50 kg could not be "
            "checked (the BNF's adult maximum of 4 g applies): record a weight."
        ),
    ),
}


def needs_weight(product: Product) -> bool:
    """True when a dose of ``product`` is checked against a weight-based limit (read the weight only then)."""
    return any(
        i.name in LIMITS and LIMITS[i.name].low_weight_below_kg is not None and i.mg is not None
        for i in product.ingredients
    )


def _mg_of(product: Product, ingredient: str) -> Decimal | None:
    for i in product.ingredients:
        if i.name == ingredient:
            return i.mg
    return None


def check_limits(
    product: Product,
    doses: list[GivenDose],
    *,
    dose: Decimal,
    at: datetime,
    now: datetime,
    weight_kg: Decimal | None = None,
) -> list[Finding]:
    """Findings for a dose of ``product``: for each of its listed ingredients, every 24-hour window holding
    the dose must stay within the limit (the adult one, non-overridable; the low-weight one, overridable,
    because the BNF leaves it to clinical judgement)."""
    found = []
    for ing in product.ingredients:
        limit = LIMITS.get(ing.name)
        if limit is None or ing.mg is None:
            continue
        this = dose * ing.mg
        relevant = [d for d in doses if _mg_of(d.product, ing.name) is not None]
        unknown = sorted(
            {d.product.name for d in doses if ing.name in d.product.ingredient_names}
            - {d.product.name for d in relevant}
        )
        low = None
        if limit.low_weight_below_kg is not None and weight_kg is not None and weight_kg < limit.low_weight_below_kg:
            low = min(limit.adult_mg_24h, (limit.low_weight_mg_per_kg * weight_kg).quantize(Decimal(1)))
        for end in window_ends(relevant, at):
            window = in_window(relevant, end)
            before = sum((d.dose * _mg_of(d.product, ing.name) for d in window), Decimal(0))
            total = before + this
            over_adult = total > limit.adult_mg_24h
            over_low = low is not None and total > low
            if not (over_adult or over_low):
                continue
            cap = limit.adult_mg_24h if over_adult else low
            products = sorted({d.product.name for d in window})
            said = (
                f"{ing.name.capitalize()}: {mg(before)} in the 24 hours to {when(end, now)}"
                f"{' (' + ', '.join(products) + ')' if products else ''} and {mg(this)} now make {mg(total)}; "
            )
            if over_adult:
                said += f"the most for an adult is {mg(cap)} in any 24 hours."
                if weight_kg is None and limit.no_weight_note:
                    said += " " + limit.no_weight_note
                source = limit.source
            else:
                said += (
                    f"the resident weighs {weight_kg.normalize():f} kg (under {limit.low_weight_below_kg:f} kg): at "
                    f"{limit.low_weight_mg_per_kg:f} mg/kg the most is {mg(cap)} in any 24 hours."
                )
                source = limit.low_weight_source
            if end == at:
                free = _free_from(
                    window, lambda rest, cap=cap, this=this, name=ing.name: _sum(rest, name) + this <= cap
                )
                if free:
                    said += f" A dose this size fits again from {when(free, now)}."
            found.append(Finding("ingredient_max_24h", said, not over_adult, source))
            break
        if unknown:
            found.append(
                Finding(
                    "ingredient_max_24h",
                    f"{ing.name.capitalize()} in {', '.join(unknown)} has no amount per dose recorded, so its doses "
                    f"in the last 24 hours could not be added up: check the total by hand before giving.",
                    True,
                    limit.source,
                )
            )
    return found


def _sum(doses: list[GivenDose], ingredient: str) -> Decimal:
    return sum((d.dose * _mg_of(d.product, ingredient) for d in doses), Decimal(0))


def _free_from(window: list[GivenDose], fits) -> datetime | None:
    """When enough of the window's oldest doses have rolled off (24 hours after each) for ``fits`` to hold."""
    for k in range(1, len(window) + 1):
        if fits(window[k:]):
            return window[k - 1].at + DAY
    return None
