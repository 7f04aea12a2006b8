"""The assessment engine: answer cleaning, the scoring rules, band sets, and the library's consistency.

Every declared tool is checked for internal consistency (unique keys, option points within the
declared totals, bands covering min..max without gaps or overlaps in every band set, non-empty
source, licence and acknowledgement) and, for every "sum" tool, every band boundary of every band
set is scored on both sides from real answers (``answers_for_total``).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from writecarenotes.assessments import engine
from writecarenotes.assessments.engine import (
    AnswerError,
    Band,
    Derived,
    Item,
    Option,
    Threshold,
    Tool,
    UnknownTool,
    all_tools,
    band_worsened,
    clean_answers,
    get_tool,
    score,
    theoretical_range,
)

D = Decimal
SLUGS = [
    "waterlow",
    "braden",
    "must",
    "morse",
    "barthel",
    "barthel-100",
    "news2",
    "abbey",
    "painad",
    "4at",
    "amts",
    "amt4",
    "6cit",
    "gds15",
    "cornell",
    "bristol",
    "mmse-external",
]


# --- a helper the per-tool tests use too -------------------------------------------------------


def _candidates(item: Item) -> list[tuple[object, Decimal]]:
    """Answers to try for one item, with the points each scores."""
    if item.kind == "choice":
        return [(o.value, o.points) for o in item.options]
    if item.kind == "boolean":
        return [(flag, engine._item_points(item, flag)) for flag in (True, False)]
    if item.kind == "multi":
        plain = [o.value for o in item.options if not o.exclusive]
        sets = [[o.value] for o in item.options] + [plain]
        if not item.required:
            sets.append([])
        return [(s, engine._item_points(item, s)) for s in sets]
    raise ValueError(f"no generic answers for number item {item.key}")


def _reachable(tool: Tool) -> dict[Decimal, dict]:
    """Every total the answers can reach, each with one set of answers reaching it."""
    reachable: dict[Decimal, dict] = {D(0): {}}
    for item in tool.items:
        step: dict[Decimal, dict] = {}
        for subtotal, answers in reachable.items():
            for value, points in _candidates(item):
                step.setdefault(subtotal + points, {**answers, item.key: value})
        reachable = step
    return reachable


def answers_for_total(tool: Tool, total) -> dict:
    """Some complete answers to ``tool`` whose item points add up to ``total`` (a "sum" tool)."""
    return _reachable(tool)[D(total)]


# --- the library -------------------------------------------------------------------------------


def test_all_tools_in_display_order_with_unique_slugs():
    assert [t.slug for t in all_tools()] == SLUGS


@pytest.mark.parametrize("slug", SLUGS)
def test_get_tool(slug):
    assert get_tool(slug).slug == slug


def test_unknown_tool():
    with pytest.raises(UnknownTool):
        get_tool("mmse")
    assert issubclass(UnknownTool, LookupError)


@pytest.mark.parametrize("tool", all_tools(), ids=lambda t: t.slug)
def test_tool_is_internally_consistent(tool: Tool):
    keys = [i.key for i in tool.items]
    assert len(keys) == len(set(keys)), "item keys are unique"
    assert tool.items and tool.band_sets and tool.version
    assert str(tool.name) and str(tool.purpose)
    assert str(tool.source).strip() and str(tool.licence).strip() and str(tool.acknowledgement).strip()
    assert set(tool.triggers) <= set(engine.TRIGGERS)
    assert tool.default_band_set == next(iter(tool.band_sets))
    assert set(tool.band_set_labels) == set(tool.band_sets)
    for item in tool.items:
        values = [o.value for o in item.options]
        assert len(values) == len(set(values)), f"{item.key}: option values are unique"
        if item.kind in ("choice", "multi"):
            assert item.options, item.key
        if item.kind == "boolean" and item.options:
            assert set(values) == {"yes", "no"}, item.key
        if item.kind == "number":
            assert item.min_value is not None and item.max_value is not None, item.key
        for o in item.options:
            assert o.points >= 0 and tool.max_total is not None and o.points <= tool.max_total
    derived_keys = [d.key for d in tool.derived]
    assert len(derived_keys) == len(set(derived_keys))
    for d in tool.derived:
        assert all(tool.item(k) for k in d.inputs) and (not d.fallback or tool.item(d.fallback))
    if tool.rule == "sum":
        assert theoretical_range(tool) == (tool.min_total, tool.max_total), "declared totals are exact"
    if tool.rule == "external":
        assert tool.external and len(tool.items) == 1 and tool.items[0].kind == "number"
        assert (tool.items[0].min_value, tool.items[0].max_value) == (tool.min_total, tool.max_total)
    for key, bands in tool.band_sets.items():
        _assert_bands_cover(tool, key, bands)


def _assert_bands_cover(tool: Tool, key: str, bands: tuple[Band, ...]):
    band_keys = [b.key for b in bands]
    assert len(band_keys) == len(set(band_keys)), f"{key}: band keys are unique"
    assert all(str(b.label) for b in bands)
    if tool.rule == "news2":
        # chosen by the key NEWS2 returns; "low_medium" (a red score) lies inside "low"'s totals
        assert band_keys == ["low", "low_medium", "medium", "high"]
        bands = tuple(b for b in bands if b.key != "low_medium")
    assert bands[0].low == tool.min_total, f"{key}: starts at the minimum"
    for before, after in zip(bands, bands[1:], strict=False):
        assert before.high is not None and after.low == before.high + 1, f"{key}: no gap or overlap"
    assert bands[-1].high is None or bands[-1].high == tool.max_total, f"{key}: ends at the maximum"


BOUNDARIES = [
    (tool, set_key, band)
    for tool in all_tools()
    if tool.rule == "sum" and not any(i.kind == "number" for i in tool.items)
    for set_key, bands in tool.band_sets.items()
    for band in bands
]


@pytest.mark.parametrize(
    ("tool", "set_key", "band"),
    BOUNDARIES,
    ids=[f"{t.slug}-{s}-{b.key}" for t, s, b in BOUNDARIES],
)
def test_every_band_boundary_scores_into_its_band(tool, set_key, band):
    """The lowest and highest totals the answers can reach inside every band, and the nearest outside.

    Most tools reach every whole number, so these are the band's own ends (e.g. Braden 18 and 19);
    Morse (steps of 5) and Barthel 100 (steps of 5) reach the nearest multiples.
    """
    reachable = _reachable(tool)
    inside = sorted(t for t in reachable if band.holds(t))
    assert inside, f"{band.key}: some answers reach this band"
    for total in (inside[0], inside[-1]):
        result = score(tool, reachable[total], set_key)
        assert (result.total, result.band.key, result.band_set) == (total, band.key, set_key)
    below = [t for t in reachable if t < inside[0]]
    above = [t for t in reachable if t > inside[-1]]
    for total in ([max(below)] if below else []) + ([min(above)] if above else []):
        assert score(tool, reachable[total], set_key).band.key != band.key


@pytest.mark.parametrize("tool", [t for t in all_tools() if t.rule == "sum"], ids=lambda t: t.slug)
def test_item_points_name_every_item(tool):
    if any(i.kind == "number" for i in tool.items):
        pytest.skip("needs measured values: see the tool's own tests")
    result = score(tool, answers_for_total(tool, tool.min_total))
    assert set(result.item_points) == {i.key for i in tool.items}


# --- clean_answers -----------------------------------------------------------------------------

TINY = Tool(
    slug="tiny",
    name="Tiny",
    short_name="Tiny",
    version="1",
    purpose="engine tests",
    items=(
        Item("pick", "Pick", "choice", options=(Option("a", "A", D(0)), Option("b", "B", D(2)))),
        Item(
            "many",
            "Many",
            "multi",
            options=(Option("none", "None", D(0), exclusive=True), Option("x", "X", D(1)), Option("y", "Y", D(3))),
        ),
        Item(
            "top",
            "Top",
            "multi",
            multi_rule="highest",
            required=False,
            options=(Option("p", "P", D(2)), Option("q", "Q", D(5))),
        ),
        Item(
            "capped",
            "Capped",
            "multi",
            cap=D(4),
            required=False,
            options=(Option("m", "M", D(4)), Option("n", "N", D(4))),
        ),
        Item("flag", "Flag", "boolean", options=(Option("yes", "Yes", D(1)), Option("no", "No", D(0)))),
        Item(
            "grams",
            "Grams",
            "number",
            unit="g",
            decimals=1,
            min_value=D("0.0"),
            max_value=D("10.0"),
            thresholds=(Threshold(D(1), above=D("5.0")),),
        ),
        Item("note", "Note", "choice", required=False, options=(Option("z", "Z", D(0)),)),
    ),
    band_sets={
        "main": (Band("ok", "ok", D(0), D(4), 0), Band("bad", "bad", D(5), None, 1)),
        "strict": (Band("ok", "ok", D(0), D(1), 0), Band("bad", "bad", D(2), None, 2)),
    },
    default_review_days=None,
    triggers=(),
    source="test",
    licence="test",
    acknowledgement="test",
    max_total=D(18),
)

GOOD = {"pick": "a", "many": ["none"], "flag": "no", "grams": "1.5"}


def test_clean_answers_types_every_kind():
    cleaned = clean_answers(TINY, {"pick": " b ", "many": ["y", "x", "x"], "flag": "Yes", "grams": 2, "top": "q"})
    assert cleaned == {
        "pick": "b",
        "many": ["x", "y"],
        "top": ["q"],
        "capped": [],
        "flag": True,
        "grams": D("2.0"),
    }
    assert clean_answers(TINY, cleaned) == cleaned, "cleaned answers clean to themselves"


@pytest.mark.parametrize(
    ("raw", "key", "message"),
    [
        ({"pick": None}, "pick", "This is required."),
        ({"pick": ""}, "pick", "This is required."),
        ({"pick": "c"}, "pick", "Choose one of the listed answers"),
        ({"many": []}, "many", "Choose at least one answer."),
        ({"many": ("",)}, "many", "Choose at least one answer."),
        ({"many": 7}, "many", "Not a valid answer."),
        ({"many": ["x", "w"]}, "many", "Not one of the listed answers: w."),
        ({"many": ["none", "x"]}, "many", "cannot be combined"),
        ({"flag": "maybe"}, "flag", "Answer yes or no."),
        ({"grams": "ten"}, "grams", "Enter a number."),
        ({"grams": True}, "grams", "Enter a number."),
        ({"grams": "NaN"}, "grams", "Enter a number."),
        ({"grams": "10.1"}, "grams", "Must be at most 10.0 g."),
        ({"grams": "-0.1"}, "grams", "Must be at least 0.0 g."),
        ({"grams": "1.25"}, "grams", "Use at most 1 decimal places."),
        ({"surprise": "1"}, "surprise", "Unknown question for this tool."),
    ],
)
def test_clean_answers_errors(raw, key, message):
    with pytest.raises(AnswerError) as caught:
        clean_answers(TINY, {**GOOD, **raw})
    assert message in caught.value.errors[key]
    assert isinstance(caught.value, ValueError)


def test_clean_answers_reports_every_error_at_once():
    with pytest.raises(AnswerError) as caught:
        clean_answers(TINY, {"pick": "c", "grams": "99", "extra": 1})
    assert set(caught.value.errors) == {"pick", "many", "flag", "grams", "extra"}


def test_whole_number_items_refuse_decimals_but_accept_trailing_zeros():
    item = Item("n", "N", "number", min_value=D(0), max_value=D(300))
    assert engine._clean_number(item, "72.0") == D(72)
    with pytest.raises(ValueError, match="Enter a whole number."):
        engine._clean_number(item, "72.5")


def test_trailing_zeros_within_decimals_are_fine():
    assert clean_answers(TINY, {**GOOD, "grams": "2.50"})["grams"] == D("2.5")


def test_optional_items_left_blank_are_left_out():
    cleaned = clean_answers(TINY, GOOD)
    assert "note" not in cleaned and cleaned["top"] == [] and cleaned["capped"] == []


# --- scoring rules -----------------------------------------------------------------------------


def test_sum_highest_cap_threshold_and_boolean_rules():
    result = score(
        TINY,
        {"pick": "b", "many": ["x", "y"], "top": ["p", "q"], "capped": ["m", "n"], "flag": "yes", "grams": "5.1"},
    )
    assert result.item_points == {
        "pick": D(2),
        "many": D(4),  # sum: 1 + 3
        "top": D(5),  # highest of 2 and 5
        "capped": D(4),  # 4 + 4 capped at 4
        "flag": D(1),
        "grams": D(1),  # above 5.0
        "note": D(0),
    }
    assert result.total == D(17) and result.band.key == "bad"


def test_threshold_edges():
    at_five = score(TINY, {**GOOD, "grams": "5.0"})
    assert at_five.item_points["grams"] == 0 and at_five.total == 0


def test_default_and_chosen_band_set():
    answers = {**GOOD, "pick": "b"}
    assert score(TINY, answers).band_set == "main"
    assert score(TINY, answers).band.key == "ok"
    assert score(TINY, answers, "").band_set == "main"
    strict = score(TINY, answers, "strict")
    assert (strict.band_set, strict.band.key, strict.band.rank) == ("strict", "bad", 2)


def test_unknown_band_set():
    with pytest.raises(AnswerError) as caught:
        score(TINY, GOOD, "lenient")
    assert list(caught.value.errors) == ["band_set"]


def test_score_cleans_raw_answers_itself():
    with pytest.raises(AnswerError):
        score(TINY, {**GOOD, "pick": "nope"})


def test_summary_line():
    assert score(TINY, {**GOOD, "pick": "b"}).summary == "Tiny 2: ok"
    assert score(get_tool("braden"), answers_for_total(get_tool("braden"), 16)).summary == "Braden 16: at risk (mild)"


DERIVING = Tool(
    slug="deriving",
    name="Deriving",
    version="1",
    purpose="engine tests",
    items=(
        Item("kg", "kg", "number", decimals=1, min_value=D(1), max_value=D(300), required=False),
        Item("m", "m", "number", decimals=2, min_value=D(1), max_value=D("2.5"), required=False),
        Item("guess", "guess", "number", decimals=1, min_value=D(5), max_value=D(80), required=False),
        Item("before", "before", "number", decimals=1, min_value=D(1), max_value=D(300), required=False),
    ),
    derived=(
        Derived("bmi", "BMI", "bmi", ("kg", "m"), fallback="guess", thresholds=(Threshold(D(2), below=D("18.5")),)),
        Derived("loss", "loss", "percent_loss", ("before", "kg"), required=False),
    ),
    band_sets={"only": (Band("any", "any", D(0), None, 0),)},
    default_review_days=None,
    triggers=(),
    source="test",
    licence="test",
    acknowledgement="test",
)


def test_derived_values_and_their_points():
    result = score(DERIVING, {"kg": "50.0", "m": "1.70", "before": "60.0"})
    assert result.derived == {"bmi": D("17.3"), "loss": D("16.7")}
    assert result.derived_points == {"bmi": D(2)}
    assert result.total == D(2)
    assert set(result.item_points) == {"kg", "m", "guess", "before"}


def test_derived_fallback_and_its_errors():
    assert score(DERIVING, {"guess": "22.0"}).derived == {"bmi": D("22.0")}
    with pytest.raises(AnswerError) as caught:
        clean_answers(DERIVING, {"kg": "50", "m": "1.7", "guess": "22"})
    assert "Leave this blank" in caught.value.errors["guess"]
    with pytest.raises(AnswerError) as caught:
        clean_answers(DERIVING, {"kg": "50"})
    assert caught.value.errors == {"m": "This is required."}


def test_weight_gain_is_a_negative_loss():
    assert score(DERIVING, {"kg": "66.0", "m": "1.70", "before": "60.0"}).derived["loss"] == D("-10.0")


# --- band_worsened -----------------------------------------------------------------------------

LOW = Band("low", "low", D(0), D(4), 0)
MID = Band("mid", "mid", D(5), D(9), 1)
HIGH = Band("high", "high", D(10), None, 2)


@pytest.mark.parametrize(
    ("previous", "current", "worse"),
    [
        (LOW, MID, True),
        (MID, HIGH, True),
        (LOW, HIGH, True),
        (MID, MID, False),
        (HIGH, MID, False),
        (MID, LOW, False),
        (None, HIGH, False),
        (HIGH, None, False),
        (None, None, False),
    ],
)
def test_band_worsened(previous, current, worse):
    assert band_worsened(previous, current) is worse


def test_band_worsened_across_equal_ranks_is_false():
    bristol = get_tool("bristol").band_sets["lewis_heaton_1997"]
    constipation, normal, diarrhoea = bristol
    assert band_worsened(normal, constipation) and band_worsened(normal, diarrhoea)
    assert not band_worsened(constipation, diarrhoea)
