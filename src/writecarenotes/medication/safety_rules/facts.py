"""The plain values the rules read (the facade builds them from the database in a few queries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

__all__ = ["DAY", "GivenDose", "Ingredient", "Product", "in_window", "window_ends"]

#: "any 24 hours" (rolling, not the calendar day): a window ending at instant e holds the doses with
#: e - 24 h < administered_at <= e. A dose given exactly 24 hours earlier has rolled off.
DAY = timedelta(hours=24)


@dataclass(frozen=True)
class Ingredient:
    name: str  # lower-case approved name, e.g. "paracetamol", "codeine phosphate"
    mg: Decimal | None  # per dose unit
    classes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Product:
    id: int
    name: str
    ingredients: tuple[Ingredient, ...] = ()

    @property
    def ingredient_names(self) -> frozenset[str]:
        return frozenset(i.name for i in self.ingredients)


@dataclass(frozen=True)
class GivenDose:
    """A dose given or self-administered (an ``Administration`` with those outcomes)."""

    id: int
    order_id: int
    product: Product
    dose: Decimal  # in the product's dose unit
    at: datetime
    extra: dict = field(default_factory=dict, compare=False)


def in_window(doses, end: datetime) -> list[GivenDose]:
    """The doses in the 24-hour window ending at ``end``: end - 24 h < at <= end, oldest first."""
    return sorted((d for d in doses if end - DAY < d.at <= end), key=lambda d: d.at)


def window_ends(doses, at: datetime) -> list[datetime]:
    """Every 24-hour window that holds a new dose at ``at`` and could be the fullest: the one ending at
    ``at`` and those ending at a later recorded dose within 24 hours (a dose recorded after the event,
    with doses already recorded after it). Checking these is checking every rolling 24 hours."""
    return [at, *sorted(d.at for d in doses if at < d.at < at + DAY)]
