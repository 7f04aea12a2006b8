"""The medication safety checks every dose and every new order passes (issue 6), server-side.

Other sub-domains import only this module::

    findings = safety.check_dose(order, dose=Decimal("2"), at=now, due_at=slot)
    if findings and not safety.can_override(request.access, findings): refuse, showing each finding.message
    findings = safety.check_order(resident_id=r.id, medicine=medicine)

``check_dose`` runs, for one dose of ``order`` at ``at`` (``due_at``: the scheduled slot, None for PRN):
the order active and within its dates, the dose within the order's dose or range, the slot not already
recorded, the window open (never pre-recorded, never in the future), the PRN minimum interval and the
most in any rolling 24 hours, the most of each ingredient in any 24 hours across every product (for
example paracetamol 4 g; less under 50 kg), allergies and sensitivities, duplicate therapy and
interactions with the resident's other active orders. ``check_order`` runs the allergy status, allergy
match, duplicate therapy and interaction checks for a new order. The rules are in ``safety_rules``, one
module per family, each with its published source.

Queries (the benchmark records a dose with every check in under 50 ms with a year of history): the doses
of the resident given in the 48 hours around ``at`` (one query on the (resident, administered_at)
index), the resident's other active orders (one, on (resident, status)), the ingredients of every
product involved (one), the allergies (two, ``residents.public``), the slot (one, only for a scheduled
dose) and the weight (one, only for a product with a weight-based limit): at most 8, asserted in the tests.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils import timezone

from writecarenotes.care_records import public as care_records
from writecarenotes.medication import schedule
from writecarenotes.medication.models import Administration, MedicationOrder, MedicineIngredient, Outcome
from writecarenotes.medication.safety_rules import allergy, duplicates, limits, order_state, prn
from writecarenotes.medication.safety_rules.classes import classes_of
from writecarenotes.medication.safety_rules.facts import DAY, GivenDose, Ingredient, Product
from writecarenotes.medication.safety_rules.findings import RULES, Finding, local
from writecarenotes.medication.safety_rules.interactions import (
    BuiltinChecker,
    Interaction,
    InteractionChecker,
    checker,
)
from writecarenotes.residents import public as residents

__all__ = [
    "GIVEN_OUTCOMES",
    "RULES",
    "BuiltinChecker",
    "Finding",
    "Interaction",
    "InteractionChecker",
    "can_override",
    "check_dose",
    "check_order",
    "interaction_checker",
]

#: the outcomes whose dose counts towards the intervals and the 24-hour totals
GIVEN_OUTCOMES = (Outcome.GIVEN, Outcome.SELF_ADMINISTERED)
#: the latest weight read for a weight-based limit is at most this old (MUST: weigh monthly in care homes;
#: a year is our cut-off, after which the message asks for a weight)
WEIGHT_LOOKBACK = timedelta(days=365)


def interaction_checker() -> InteractionChecker:
    """The interaction checker in use (setting ``MEDICATION_INTERACTION_CHECKER``; default the built-in one)."""
    return checker()


def _products(medicine_ids, names: dict[int, str]) -> dict[int, Product]:
    """The products ``medicine_ids`` with their ingredients, in one query."""
    ingredients: dict[int, list[Ingredient]] = {pk: [] for pk in medicine_ids}
    rows = (
        MedicineIngredient.objects.filter(medicine_id__in=list(medicine_ids))
        .order_by("medicine_id", "ingredient")
        .values_list("medicine_id", "ingredient", "amount_mg", "classes")
    )
    for medicine_id, name, amount_mg, classes in rows:
        name = (name or "").strip().lower()
        ingredients[medicine_id].append(
            Ingredient(name=name, mg=amount_mg, classes=classes_of(name, classes if isinstance(classes, list) else []))
        )
    return {pk: Product(id=pk, name=names.get(pk, ""), ingredients=tuple(ingredients[pk])) for pk in medicine_ids}


def _other_active_orders(resident_id: int, day, exclude_order_id: int | None) -> list[tuple[int, int, str]]:
    """[(order id, medicine id, medicine name)] of the resident's active orders not ended before ``day``."""
    qs = MedicationOrder.objects.filter(resident_id=resident_id, status="active").filter(
        Q(stop_date__isnull=True) | Q(stop_date__gte=day)
    )
    if exclude_order_id is not None:
        qs = qs.exclude(pk=exclude_order_id)
    return list(qs.order_by("pk").values_list("pk", "medicine_id", "medicine__name"))


def _order_checks(resident_id: int, product: Product, others, products, status) -> list[Finding]:
    """Allergy match, duplicate therapy and interactions, shared by both checks."""
    found = allergy.check_allergies(status, product)
    other_products = [(products[mid].name, products[mid]) for _, mid, _ in others]
    found += duplicates.check_duplicates(product, other_products)
    for i in interaction_checker().interactions(product, [p for _, p in other_products]):
        found.append(
            Finding(
                "interaction",
                f"{i.first} with {i.second} (also active): {i.severity} interaction, {i.effect}. "
                f"{i.advice[:1].upper()}{i.advice[1:]}.",
                True,
                i.source,
            )
        )
    return found


def _latest_weight(resident_id: int, at: datetime) -> Decimal | None:
    rows = [w for w in care_records.weights(resident_id, at - WEIGHT_LOOKBACK) if w[0] <= at]
    return Decimal(rows[-1][1]) if rows else None


def _recorder(row: dict) -> str:
    return row["recorded_by__preferred_name"] or row["recorded_by__full_name"] or row["recorded_by__email"] or "?"


def check_dose(
    order,
    *,
    dose: Decimal,
    at: datetime,
    due_at: datetime | None = None,
    exclude_administration_id: int | None = None,
) -> list[Finding]:
    """Every safety finding for giving ``dose`` (in the medicine's dose unit) of ``order`` at ``at``.

    An empty list: nothing found (the built-in interaction list is not complete). ``exclude_administration_id``
    leaves out a record being corrected. Reads in the caller's tenancy scope."""
    now = timezone.now()
    try:
        dose = Decimal(dose)
    except (InvalidOperation, TypeError, ValueError):
        dose = None
    medicine = order.medicine
    unit = medicine.get_dose_unit_display()
    found = order_state.check_order_active(order, at)
    found += order_state.check_dose_amount(order, dose, unit)
    if due_at is not None:
        slot = Administration.objects.filter(order_id=order.pk, due_at=due_at)
        if exclude_administration_id is not None:
            slot = slot.exclude(pk=exclude_administration_id)
        row = slot.values(
            "outcome", "administered_at", "recorded_by__preferred_name", "recorded_by__full_name", "recorded_by__email"
        ).first()
        existing = None
        if row is not None:
            existing = (Outcome(row["outcome"]).label.lower(), row["administered_at"], _recorder(row))
        found += order_state.check_slot(existing, now)
    opens = schedule.window(order, due_at)[0] if due_at is not None else None
    found += order_state.check_window(opens, at, now)
    if dose is None or dose <= 0:
        return found

    given = Administration.objects.filter(
        resident_id=order.resident_id,
        administered_at__gt=at - DAY,
        administered_at__lt=at + DAY,
        outcome__in=GIVEN_OUTCOMES,
    )
    if exclude_administration_id is not None:
        given = given.exclude(pk=exclude_administration_id)
    rows = list(
        given.exclude(dose__isnull=True).values_list(
            "pk", "order_id", "order__medicine_id", "order__medicine__name", "dose", "administered_at"
        )
    )
    others = _other_active_orders(order.resident_id, local(at).date(), order.pk)
    names = {medicine.pk: medicine.name}
    names.update({r[2]: r[3] for r in rows})
    names.update({o[1]: o[2] for o in others})
    products = _products(set(names), names)
    product = products[medicine.pk]
    doses = [GivenDose(r[0], r[1], products[r[2]], r[4], r[5]) for r in rows]

    same_medicine = [d for d in doses if d.product.id == medicine.pk]
    found += prn.check_prn(order, same_medicine, dose=dose, at=at, now=now, unit=unit)
    weight = _latest_weight(order.resident_id, at) if limits.needs_weight(product) else None
    found += limits.check_limits(product, doses, dose=dose, at=at, now=now, weight_kg=weight)
    status = residents.allergies(order.resident_id)
    pair = _order_checks(order.resident_id, product, others, products, status)
    found += _not_yet_acknowledged(pair, [order.pk, *(o[0] for o in others)], set(names.values()))
    return found


#: findings about a pair of orders: acknowledged once when the order was started or changed, they are not
#: asked again at every dose (the ingredient limit still adds up every dose of both)
PAIR_RULES = frozenset({"duplicate_therapy", "interaction"})


def _not_yet_acknowledged(findings: list[Finding], order_ids: list[int], names: set[str]) -> list[Finding]:
    """``findings`` without the pair findings a nurse already acknowledged with a reason when prescribing
    (``PrescribingAcknowledgement`` of this order or of the other order of the pair: same rule, same
    medicines named). One query, only when there is a pair finding."""
    if not any(f.rule in PAIR_RULES for f in findings):
        return findings
    from writecarenotes.medication.models import PrescribingAcknowledgement

    def named(message: str) -> frozenset[str]:
        return frozenset(n for n in names if n and n in message)

    done = {
        (f.get("rule"), named(f.get("message", "")))
        for acknowledged in PrescribingAcknowledgement.objects.filter(order_id__in=order_ids).values_list(
            "findings", flat=True
        )
        for f in acknowledged or []
    }
    return [f for f in findings if f.rule not in PAIR_RULES or (f.rule, named(f.message)) not in done]


def check_order(*, resident_id: int, medicine, exclude_order_id: int | None = None) -> list[Finding]:
    """Every safety finding for a new order of ``medicine`` for the resident (allergy status and match,
    duplicate therapy, interactions). ``exclude_order_id``: the order being changed. Raises
    ``residents.public.ResidentNotFound`` for a resident outside the scope."""
    status = residents.allergies(resident_id)
    others = _other_active_orders(resident_id, timezone.localdate(), exclude_order_id)
    names = {medicine.pk: medicine.name}
    names.update({o[1]: o[2] for o in others})
    products = _products(set(names), names)
    found = allergy.check_status(status)
    found += _order_checks(resident_id, products[medicine.pk], others, products, status)
    return found


def can_override(access, findings: list[Finding]) -> bool:
    """True when ``access`` may override ``findings``: only a person who may manage medicines (nurse, deputy,
    registered manager: ``medication`` ``manage``), and only when every finding is overridable."""
    return bool(access is not None and access.can("medication", "manage")) and all(f.overridable for f in findings)
