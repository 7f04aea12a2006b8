"""Duplicate therapy: the same ingredient, or the same "do not duplicate" class, on two active orders.

Same ingredient: two products with paracetamol (plain and co-codamol) add up to an overdose unless the
total is watched (NICE SC1 2014 1.14, UNVERIFIED paragraph: records that show every dose; the
``ingredient_max_24h`` rule adds them up). Same class: ``classes.DO_NOT_DUPLICATE`` with its source.
Overridable: the prescriber may mean both (a regular and a "when required" product); the nurse records why.
"""

from __future__ import annotations

from writecarenotes.medication.safety_rules.classes import DO_NOT_DUPLICATE, base_name, classes_of
from writecarenotes.medication.safety_rules.facts import Product
from writecarenotes.medication.safety_rules.findings import Finding

__all__ = ["SOURCE_SAME", "check_duplicates"]

SOURCE_SAME = (
    "Issue 6 (duplicate therapy); NICE SC1 Managing medicines in care homes (2014): the care home record "
    "shows every medicine so duplicates are seen; BNF paracetamol: avoid more than one paracetamol product"
)


def _classes(product: Product) -> set[str]:
    return {c for i in product.ingredients for c in classes_of(i.name, i.classes)}


def check_duplicates(product: Product, others: list[tuple[str, Product]]) -> list[Finding]:
    """Findings for ``product`` against the resident's other active orders ``others`` [(order text, product)]."""
    found = []
    mine = {base_name(i.name) for i in product.ingredients}
    my_classes = _classes(product) & set(DO_NOT_DUPLICATE)
    for text, other in others:
        same = sorted(mine & {base_name(i.name) for i in other.ingredients})
        if same:
            found.append(
                Finding(
                    "duplicate_therapy",
                    f"{product.name} and {text} (also active) both contain {', '.join(same)}: check the prescriber "
                    f"means both, and count the total.",
                    True,
                    SOURCE_SAME,
                )
            )
            continue
        for cls in sorted(my_classes & _classes(other)):
            found.append(
                Finding(
                    "duplicate_therapy",
                    f"{product.name} and {text} (also active) are both {cls.upper() if cls == 'nsaid' else cls}s: "
                    f"two together are not usually given.",
                    True,
                    DO_NOT_DUPLICATE[cls],
                )
            )
    return found
