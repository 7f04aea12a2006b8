"""The assessment engine: tools are data (``assessments/tools/<slug>.py``), scored here by one engine.

Pure Python: no models, no database. Labels may be lazy translations; messages use gettext.

The small, documented set of scoring rules
==========================================

Points of one item (``item_points``):

``choice``
    The chosen option's ``points``.
``boolean``
    The points of the option whose value is ``"yes"`` or ``"no"`` (when the item declares them),
    otherwise 0. Reverse-keyed questions (GDS-15) and "correct answer" questions (AMTS) are just
    options with points: the rule is in the data.
``multi``
    ``Item.multi_rule``: ``"sum"`` (several scores in one category may be used, e.g. Waterlow skin
    type) or ``"highest"`` (only the highest applies). An option marked ``exclusive`` (e.g.
    "healthy") cannot be combined with any other.
``number``
    The points of the first of ``Item.thresholds`` the value falls in, otherwise 0 (a measured value
    that scores nothing by itself, e.g. height).
any kind
    ``Item.cap``, when set, limits the item's points (Waterlow "max of 6").

Derived values (``Tool.derived``, ``Score.derived``), computed from answered items:

``bmi``
    weight kg / height m², rounded half-up to ``decimals`` places (inputs: weight, height).
``percent_loss``
    (previous − current) / previous × 100, rounded half-up (inputs: previous, current); negative
    means a gain.
``sum``
    the sum of the item points of ``inputs`` (a subscore, e.g. Waterlow's malnutrition screen).

A derived value uses its ``fallback`` item (a value the assessor entered, e.g. an estimated BMI)
when its inputs are not answered; answering both the inputs and the fallback is an error, as is
answering neither when the value is ``required``. Its points come from its ``thresholds`` (the
rounded value is compared) and are added to the total; they are reported in
``Score.derived_points``, not in ``item_points``.

The tool's ``rule``:

``"sum"``
    total = item points + derived points; the band is the one whose range holds the total.
``"news2"``
    the seven NEWS2 parameters are scored by ``writecarenotes.care_records.public.news2_score``
    (the one implementation, shared with the vital-signs chart); the band is the one whose ``key``
    is the clinical risk that implementation returns (a red score makes "low_medium").
``"external"``
    one number item holds a score from a licensed form (MMSE); the total (and that item's points)
    is that number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Literal

from django.utils.translation import gettext as _

ItemKind = Literal["choice", "multi", "number", "boolean"]
MultiRule = Literal["sum", "highest"]
ToolRule = Literal["sum", "news2", "external"]
Formula = Literal["bmi", "percent_loss", "sum"]

ZERO = Decimal(0)

# The reasons that make a tool due now (``Tool.triggers``); the keys are stored, the labels shown.
TRIGGERS: dict[str, str] = {
    "admission": "admission",
    "band_worsened": "the last result moved to a worse band",
    "condition_change": "a change in condition",
    "fall": "a fall",
    "weight_loss": "weight loss",
    "skin_change": "a change in skin condition or pressure damage",
    "behaviour_change": "a change in behaviour or mood",
    "acute_illness": "acute illness or a return from hospital",
    "pain_suspected": "pain is suspected (e.g. the person cannot say)",
    "bowel_change": "a change in bowel habit",
}
TRUE_WORDS = frozenset({"yes", "true", "1", "on", "y"})
FALSE_WORDS = frozenset({"no", "false", "0", "off", "n"})


@dataclass(frozen=True)
class Option:
    value: str  # stable key stored in the database, e.g. "0", "continent", "yes"
    label: str  # what the assessor sees
    points: Decimal  # points this answer scores
    exclusive: bool = False  # multi items: cannot be combined with another option (e.g. "none")


@dataclass(frozen=True)
class Threshold:
    """Points for a number within a range; each bound that is set must hold."""

    points: Decimal
    at_least: Decimal | None = None
    above: Decimal | None = None
    at_most: Decimal | None = None
    below: Decimal | None = None

    def holds(self, value: Decimal) -> bool:
        return (
            (self.at_least is None or value >= self.at_least)
            and (self.above is None or value > self.above)
            and (self.at_most is None or value <= self.at_most)
            and (self.below is None or value < self.below)
        )


@dataclass(frozen=True)
class Item:
    key: str  # stable key stored in the database
    label: str
    kind: ItemKind
    options: tuple[Option, ...] = ()
    help: str = ""
    group: str = ""  # section heading shown on the form
    unit: str = ""
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    decimals: int = 0
    required: bool = True
    multi_rule: MultiRule = "sum"
    cap: Decimal | None = None
    thresholds: tuple[Threshold, ...] = ()

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Band:
    key: str  # stable, e.g. "low", "medium", "high", "at_risk"
    label: str
    low: Decimal  # inclusive
    high: Decimal | None  # inclusive; None = no upper bound
    rank: int  # 0 = best; a higher rank is worse (used to detect "band worsened")
    action: str = ""  # what the published source says to do at this band

    def holds(self, total: Decimal) -> bool:
        return total >= self.low and (self.high is None or total <= self.high)


@dataclass(frozen=True)
class Derived:
    key: str
    label: str
    formula: Formula
    inputs: tuple[str, ...]  # item keys
    fallback: str = ""  # item key of an entered value, used when the inputs are not answered
    decimals: int = 1
    unit: str = ""
    thresholds: tuple[Threshold, ...] = ()
    required: bool = True
    missing_message: str = ""  # shown on the first input when nothing was answered
    note_above: Decimal | None = None  # a note is added to the score when the value is above this
    note: str = ""


@dataclass(frozen=True)
class Tool:
    slug: str
    name: str
    version: str  # bumped when the declaration changes; stored with each result
    purpose: str
    items: tuple[Item, ...]
    band_sets: dict[str, tuple[Band, ...]]  # first key = the default set
    default_review_days: int | None  # None = only when triggered
    triggers: tuple[str, ...]  # "admission", "fall", "weight_loss", "band_worsened", ...
    source: str  # full citation of the published source
    licence: str
    acknowledgement: str
    external: bool = False  # one number item holding a score from a licensed form
    min_total: Decimal = Decimal(0)
    max_total: Decimal | None = None
    rule: ToolRule = "sum"
    derived: tuple[Derived, ...] = ()
    band_set_labels: dict[str, str] = field(default_factory=dict)  # band set key -> label (and its source)
    short_name: str = ""  # used in the one-line summary; defaults to name

    def item(self, key: str) -> Item | None:
        return next((i for i in self.items if i.key == key), None)

    @property
    def default_band_set(self) -> str:
        return next(iter(self.band_sets), "")


@dataclass(frozen=True)
class Score:
    total: Decimal
    band: Band | None
    band_set: str
    item_points: dict[str, Decimal]  # every item key -> points it scored (0 when it scores none)
    derived: dict[str, Decimal]  # computed values, e.g. {"bmi": ..., "weight_loss_percent": ...}
    summary: str  # one line, e.g. "Waterlow 16: high risk"
    derived_points: dict[str, Decimal] = field(default_factory=dict)  # derived key -> points it added
    notes: tuple[str, ...] = ()  # further findings, e.g. "a single NEWS2 parameter scored 3"


class AnswerError(ValueError):
    """Bad answers: ``errors`` maps an item key (or ``"__all__"``, ``"band_set"``) to a message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = {str(k): str(v) for k, v in errors.items()}
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


class UnknownTool(LookupError):
    pass


# --- the library -------------------------------------------------------------------------------


def all_tools() -> list[Tool]:
    """Every declared tool, in display order."""
    from writecarenotes.assessments.tools import TOOLS

    return list(TOOLS)


def get_tool(slug: str) -> Tool:
    for tool in all_tools():
        if tool.slug == slug:
            return tool
    raise UnknownTool(slug)


# --- answers -----------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _clean_choice(item: Item, value: Any) -> str:
    text = str(value).strip()
    if item.option(text) is None:
        raise ValueError(_("Choose one of the listed answers (not %(value)r).") % {"value": text})
    return text


def _clean_multi(item: Item, value: Any) -> list[str]:
    values = [value] if isinstance(value, str) else list(value)
    chosen = sorted({str(v).strip() for v in values if str(v).strip()})
    if not chosen and item.required:
        raise ValueError(_("Choose at least one answer."))
    bad = [v for v in chosen if item.option(v) is None]
    if bad:
        raise ValueError(_("Not one of the listed answers: %(values)s.") % {"values": ", ".join(bad)})
    exclusive = [v for v in chosen if item.option(v).exclusive]  # type: ignore[union-attr]
    if exclusive and len(chosen) > 1:
        label = item.option(exclusive[0]).label  # type: ignore[union-attr]
        raise ValueError(_("“%(label)s” cannot be combined with another answer.") % {"label": label})
    return chosen


def _clean_number(item: Item, value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(_("Enter a number."))
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        raise ValueError(_("Enter a number.")) from None
    if not number.is_finite():
        raise ValueError(_("Enter a number."))
    unit = f" {item.unit}" if item.unit else ""
    if item.min_value is not None and number < item.min_value:
        raise ValueError(_("Must be at least %(limit)s%(unit)s.") % {"limit": item.min_value, "unit": unit})
    if item.max_value is not None and number > item.max_value:
        raise ValueError(_("Must be at most %(limit)s%(unit)s.") % {"limit": item.max_value, "unit": unit})
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > item.decimals and number != number.quantize(_step(item.decimals)):
        raise ValueError(
            _("Enter a whole number.")
            if item.decimals == 0
            else _("Use at most %(decimals)s decimal places.") % {"decimals": item.decimals}
        )
    try:
        return number.quantize(_step(item.decimals))
    except InvalidOperation:
        raise ValueError(_("Enter a smaller number.")) from None


def _step(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


def _clean_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(_("Answer yes or no."))


_CLEANERS = {
    "choice": _clean_choice,
    "multi": _clean_multi,
    "number": _clean_number,
    "boolean": lambda item, value: _clean_boolean(value),
}


def clean_answers(tool: Tool, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Typed answers (choice -> str, multi -> sorted list, number -> Decimal, boolean -> bool).

    Raises ``AnswerError`` with a message per item; never returns partially. Optional items left
    blank are left out (a multi item left blank is an empty list).
    """
    errors: dict[str, str] = {}
    known = {i.key for i in tool.items}
    for key in raw:
        if key not in known:
            errors[str(key)] = _("Unknown question for this tool.")
    cleaned: dict[str, Any] = {}
    for item in tool.items:
        value = raw.get(item.key)
        if _blank(value):
            if item.kind == "multi" and not item.required:
                cleaned[item.key] = []
            elif item.required:
                errors[item.key] = _("Choose at least one answer.") if item.kind == "multi" else _("This is required.")
            continue
        try:
            cleaned[item.key] = _CLEANERS[item.kind](item, value)
        except (ValueError, TypeError) as exc:
            errors[item.key] = str(exc) if isinstance(exc, ValueError) else _("Not a valid answer.")
    if not errors:
        _derive(tool, cleaned, errors)
    if errors:
        raise AnswerError(errors)
    return cleaned


# --- scoring -----------------------------------------------------------------------------------


def _round(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _threshold_points(thresholds: tuple[Threshold, ...], value: Decimal) -> Decimal:
    return next((t.points for t in thresholds if t.holds(value)), ZERO)


def _item_points(item: Item, answer: Any) -> Decimal:
    if answer is None:
        return ZERO
    if item.kind == "choice":
        points = item.option(answer).points  # type: ignore[union-attr]
    elif item.kind == "boolean":
        option = item.option("yes" if answer else "no")
        points = option.points if option else ZERO
    elif item.kind == "multi":
        chosen = [item.option(v).points for v in answer]  # type: ignore[union-attr]
        points = (max(chosen) if item.multi_rule == "highest" else sum(chosen, ZERO)) if chosen else ZERO
    else:
        points = _threshold_points(item.thresholds, answer)
    if item.cap is not None:
        points = min(points, item.cap)
    return points


def _derive(tool: Tool, answers: Mapping[str, Any], errors: dict[str, str]) -> dict[str, Decimal]:
    """Derived values (adds to ``errors`` when the answers cannot give one that is required)."""
    values: dict[str, Decimal] = {}
    for d in tool.derived:
        if d.formula == "sum":
            values[d.key] = sum((_item_points(tool.item(k), answers.get(k)) for k in d.inputs), ZERO)  # type: ignore[arg-type]
            continue
        have = [answers.get(k) is not None for k in d.inputs]
        fallback = answers.get(d.fallback) if d.fallback else None
        if all(have):
            if fallback is not None:
                errors[d.fallback] = _("Leave this blank when the measurements it replaces are entered.")
                continue
            a, b = (answers[k] for k in d.inputs)
            if d.formula == "bmi":
                if b == 0:
                    errors[d.inputs[1]] = _("Must be more than 0.")
                    continue
                values[d.key] = _round(a / (b * b), d.decimals)
            else:
                if a == 0:
                    errors[d.inputs[0]] = _("Must be more than 0.")
                    continue
                values[d.key] = _round((a - b) / a * 100, d.decimals)
        elif fallback is not None:
            values[d.key] = _round(Decimal(fallback), d.decimals)
        elif d.required:
            missing = next(k for k, h in zip(d.inputs, have, strict=True) if not h)
            errors.setdefault(missing, str(d.missing_message) or _("This is required."))
    return values


def _pick_band_set(tool: Tool, band_set: str | None) -> str:
    if band_set is None or band_set == "":
        return tool.default_band_set
    if band_set not in tool.band_sets:
        raise AnswerError(
            {"band_set": _("Unknown band set %(key)r for %(tool)s.") % {"key": band_set, "tool": tool.name}}
        )
    return band_set


def _news2(tool: Tool, answers: Mapping[str, Any]) -> tuple[Decimal, dict[str, Decimal], str, tuple[str, ...]]:
    from writecarenotes.care_records.public import News2Observations, news2_score

    result = news2_score(
        News2Observations(
            respiration_rate=int(answers["respiration_rate"]),
            spo2=int(answers["spo2"]),
            on_oxygen=bool(answers["on_oxygen"]),
            systolic_bp=int(answers["systolic_bp"]),
            pulse=int(answers["pulse"]),
            consciousness=answers["consciousness"],
            temperature=answers["temperature"],
            spo2_scale=int(answers.get("spo2_scale", "1")),
        )
    )
    points = {i.key: Decimal(result.scores.get(i.key, 0)) for i in tool.items}
    notes: tuple[str, ...] = ()
    if result.red_parameters:
        labels = [str(tool.item(p).label) for p in result.red_parameters]  # type: ignore[union-attr]
        notes = (_("Red score (3 in a single parameter): %(labels)s.") % {"labels": ", ".join(labels)},)
    return Decimal(result.total), points, result.band, notes


def score(tool: Tool, answers: Mapping[str, Any], band_set: str | None = None) -> Score:
    """Score answers (raw or cleaned: they are cleaned here) against the chosen band set."""
    chosen_set = _pick_band_set(tool, band_set)
    cleaned = clean_answers(tool, answers)
    bands = tool.band_sets.get(chosen_set, ())
    derived: dict[str, Decimal] = {}
    derived_points: dict[str, Decimal] = {}
    notes: list[str] = []
    if tool.rule == "news2":
        total, item_points, band_key, news_notes = _news2(tool, cleaned)
        band = next((b for b in bands if b.key == band_key), None)
        notes.extend(news_notes)
    else:
        item_points = {i.key: _item_points(i, cleaned.get(i.key)) for i in tool.items}
        derived = _derive(tool, cleaned, {})
        for d in tool.derived:
            if d.key in derived and d.thresholds:
                derived_points[d.key] = _threshold_points(d.thresholds, derived[d.key])
            if d.key in derived and d.note_above is not None and derived[d.key] > d.note_above:
                notes.append(str(d.note))
        if tool.rule == "external":
            total = cleaned[tool.items[0].key]
            item_points[tool.items[0].key] = total
        else:
            total = sum(item_points.values(), ZERO) + sum(derived_points.values(), ZERO)
        band = next((b for b in bands if b.holds(total)), None)
    name = tool.short_name or tool.name
    shown = total.normalize() if total == total.to_integral_value() else total
    summary = f"{name} {shown:f}: {band.label}" if band else f"{name} {shown:f}"
    return Score(
        total=total,
        band=band,
        band_set=chosen_set,
        item_points=item_points,
        derived=derived,
        summary=summary,
        derived_points=derived_points,
        notes=tuple(notes),
    )


def band_worsened(previous: Band | None, current: Band | None) -> bool:
    """True when the current band ranks worse than the previous one (False when either is unknown)."""
    if previous is None or current is None:
        return False
    return current.rank > previous.rank


def theoretical_range(tool: Tool) -> tuple[Decimal, Decimal]:
    """The lowest and highest total the declaration allows (for a "sum" tool), from its data."""
    low = high = ZERO
    for item in tool.items:
        lo, hi = _item_range(item)
        low, high = low + lo, high + hi
    for d in tool.derived:
        if d.thresholds:
            points = [t.points for t in d.thresholds]
            low, high = low + min(points), high + max(points)
    return low, high


def _item_range(item: Item) -> tuple[Decimal, Decimal]:
    points = [o.points for o in item.options]
    if item.kind == "number":
        points = [t.points for t in item.thresholds] or [ZERO]
        if item.thresholds and (item.min_value is None or item.max_value is None):
            points.append(ZERO)
    elif item.kind == "boolean":
        points = [item.option(v).points if item.option(v) else ZERO for v in ("yes", "no")]  # type: ignore[union-attr]
    elif item.kind == "multi":
        plain = [o.points for o in item.options if not o.exclusive]
        exclusive = [o.points for o in item.options if o.exclusive]
        best = max([sum(plain, ZERO) if item.multi_rule == "sum" else max(plain, default=ZERO), *exclusive])
        least = min(points) if item.required else ZERO
        points = [least, best]
    lo, hi = min(points, default=ZERO), max(points, default=ZERO)
    if not item.required and item.kind != "multi":
        lo = min(lo, ZERO)
    if item.cap is not None:
        lo, hi = min(lo, item.cap), min(hi, item.cap)
    return lo, hi
