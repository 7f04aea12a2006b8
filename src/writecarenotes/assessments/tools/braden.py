"""Braden Scale for Predicting Pressure Sore Risk: six subscales, total 6-23 (lower = higher risk).

Scored as published: each subscale scores 1 to 4 (friction and shear 1 to 3) and the total is the
sum. The descriptors below are our short paraphrase of each published level.

Band sets:
- ``"ayello_braden"`` (default): the commonly published levels of risk, Ayello & Braden 2002 —
  19-23 not at risk, 15-18 at risk (mild), 13-14 moderate, 10-12 high, 9 or less very high.
- ``"cutoff_16"``: the original single cut-off, Bergstrom, Braden, Laguzza & Holman 1987 — 16 or
  less at risk.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from writecarenotes.assessments.engine import Item, Tool
from writecarenotes.assessments.tools._common import D, band, opt

GROUP = _("Braden subscales")


def _subscale(key, label, help_text, *levels) -> Item:
    return Item(
        key=key,
        label=label,
        kind="choice",
        help=help_text,
        group=GROUP,
        options=tuple(opt(str(points), text, points) for points, text in levels),
    )


ITEMS = (
    _subscale(
        "sensory_perception",
        _("Sensory perception"),
        _("Ability to respond meaningfully to pressure-related discomfort."),
        (1, _("1 Completely limited: no response to painful stimuli, or cannot feel pain over most of the body")),
        (2, _("2 Very limited: responds only to painful stimuli, or cannot feel pain over half the body")),
        (3, _("3 Slightly limited: responds to verbal commands but cannot always say when uncomfortable")),
        (4, _("4 No impairment: responds to verbal commands and can feel and say when in pain")),
    ),
    _subscale(
        "moisture",
        _("Moisture"),
        _("How much the skin is exposed to moisture."),
        (1, _("1 Constantly moist: skin is damp almost all the time (sweat, urine)")),
        (2, _("2 Very moist: skin is often but not always damp; linen changed at least once a shift")),
        (3, _("3 Occasionally moist: an extra linen change about once a day")),
        (4, _("4 Rarely moist: skin is usually dry; routine linen changes")),
    ),
    _subscale(
        "activity",
        _("Activity"),
        _("Degree of physical activity."),
        (1, _("1 Bedfast: confined to bed")),
        (2, _("2 Chairfast: walking severely limited or not possible; needs help into a chair or wheelchair")),
        (3, _("3 Walks occasionally: short distances, with or without help, mostly in bed or chair")),
        (4, _("4 Walks frequently: outside the room at least twice a day and inside it at least every 2 hours")),
    ),
    _subscale(
        "mobility",
        _("Mobility"),
        _("Ability to change and control body position."),
        (1, _("1 Completely immobile: makes no change in body or limb position without help")),
        (2, _("2 Very limited: occasional slight changes but cannot make frequent or significant ones alone")),
        (3, _("3 Slightly limited: frequent though slight changes in position independently")),
        (4, _("4 No limitation: major and frequent changes in position without help")),
    ),
    _subscale(
        "nutrition",
        _("Nutrition"),
        _("Usual food intake pattern."),
        (1, _("1 Very poor: rarely eats more than a third of a meal, or nil by mouth / clear fluids over 5 days")),
        (2, _("2 Probably inadequate: rarely eats a full meal, usually about half; or below-optimum tube feed")),
        (3, _("3 Adequate: eats over half of most meals, or tube feeding / TPN that probably meets needs")),
        (4, _("4 Excellent: eats most of every meal and never refuses one")),
    ),
    _subscale(
        "friction_shear",
        _("Friction and shear"),
        _("Sliding against sheets or chair when moving or being moved."),
        (1, _("1 Problem: needs moderate to maximum help to move; slides down and needs frequent repositioning")),
        (2, _("2 Potential problem: moves feebly or needs minimum help; skin probably slides somewhat")),
        (3, _("3 No apparent problem: moves independently and keeps a good position in bed or chair")),
    ),
)

ACTION_NONE = _("Reassess when the person's condition changes.")
ACTION_AT_RISK = _("Start a pressure-area prevention plan: repositioning schedule, skin checks, manage moisture.")
ACTION_MODERATE = _("As at risk, plus a documented repositioning schedule with 30-degree lateral positioning.")
ACTION_HIGH = _("As moderate, plus more frequent repositioning and a pressure-redistributing surface.")
ACTION_VERY_HIGH = _(
    "As high, plus a pressure-redistributing mattress, nutrition review and specialist (tissue viability) advice."
)

TOOL = Tool(
    slug="braden",
    name=_("Braden Scale (pressure ulcer risk)"),
    short_name="Braden",
    version="1",
    purpose=_("Predicts the risk of developing a pressure ulcer; a lower score means a higher risk."),
    items=ITEMS,
    band_sets={
        "ayello_braden": (
            band("very_high", _("very high risk"), 6, 9, 4, ACTION_VERY_HIGH),
            band("high", _("high risk"), 10, 12, 3, ACTION_HIGH),
            band("moderate", _("moderate risk"), 13, 14, 2, ACTION_MODERATE),
            band("at_risk", _("at risk (mild)"), 15, 18, 1, ACTION_AT_RISK),
            band("no_risk", _("not at risk"), 19, 23, 0, ACTION_NONE),
        ),
        "cutoff_16": (
            band("at_risk", _("at risk (16 or less)"), 6, 16, 1, ACTION_AT_RISK),
            band("not_at_risk", _("not at risk (17 or more)"), 17, 23, 0, ACTION_NONE),
        ),
    },
    band_set_labels={
        "ayello_braden": _("Levels of risk (Ayello & Braden 2002)"),
        "cutoff_16": _("Single cut-off of 16 (Bergstrom et al. 1987)"),
    },
    default_review_days=30,
    triggers=("band_worsened", "condition_change", "skin_change"),
    source=(
        "Bergstrom N, Braden BJ, Laguzza A, Holman V. The Braden Scale for Predicting Pressure Sore Risk. "
        "Nursing Research 1987;36(4):205-210. Levels of risk: Ayello EA, Braden B. How and why to do "
        "pressure ulcer risk assessment. Advances in Skin & Wound Care 2002;15(3):125-131."
    ),
    licence=(
        "Braden Scale © Barbara Braden and Nancy Bergstrom, 1988. The scale is copyright: reproducing it in an "
        "electronic record needs permission from the copyright holders (bradenscale.com), which the operator "
        "of an installation must obtain before use. The subscales and points are implemented as published; the "
        "descriptors here are a short paraphrase, not the published text."
    ),
    acknowledgement=_("Braden Scale © Barbara Braden and Nancy Bergstrom, 1988. Used with permission."),
    min_total=D(6),
    max_total=D(23),
)
