"""Small helpers for declaring tools as data (no scoring here: the engine scores)."""

from __future__ import annotations

from decimal import Decimal

from writecarenotes.assessments.engine import Band, Option

D = Decimal


def opt(value: str, label, points, exclusive: bool = False) -> Option:
    """An option; ``points`` may be an int or a string ("0.5")."""
    return Option(value=value, label=label, points=Decimal(str(points)), exclusive=exclusive)


def band(key: str, label, low, high, rank: int, action="") -> Band:
    """A band from ``low`` to ``high`` inclusive (``high`` None: no upper bound)."""
    return Band(
        key=key,
        label=label,
        low=Decimal(str(low)),
        high=None if high is None else Decimal(str(high)),
        rank=rank,
        action=action,
    )


def yes_no(yes_points, no_points=0, yes_label="Yes", no_label="No") -> tuple[Option, ...]:
    """Options of a boolean item: the engine scores the "yes" or "no" option."""
    return (opt("yes", yes_label, yes_points), opt("no", no_label, no_points))
