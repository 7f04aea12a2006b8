"""'MUST', the Malnutrition Universal Screening Tool (BAPEN): steps 1 to 4, scored as published.

Step 1, BMI score: BMI = weight kg / height m², one decimal place, compared with the exact cut-off
points on BAPEN's BMI chart (the black lines at 30, 20 and 18.5 kg/m²): over 20 -> 0; 18.5 to 20
-> 1; under 18.5 -> 2. BMI 20.0 scores 1 and BMI 18.5 scores 1. Over 30 is obese (0 points, noted).
When height and weight cannot be measured, the assessor enters an estimated BMI (from the MUST
alternative measurements, e.g. mid upper arm circumference).

Step 2, weight loss score: unplanned weight loss in the past 3-6 months, % = (previous − current) /
previous × 100, one decimal place: under 5 % -> 0; 5 to 10 % -> 1; over 10 % -> 2. Exactly 5 % and
exactly 10 % score 1. When no previous weight is recorded, the assessor enters an estimated %.

Step 3, acute disease effect: acutely ill and no nutritional intake, or likely none, for more than
5 days -> 2.

Step 4, overall risk: 0 low, 1 medium, 2 or more high. Care homes: screen again monthly.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from writecarenotes.assessments.engine import Derived, Item, Threshold, Tool
from writecarenotes.assessments.tools._common import D, band, yes_no

STEP1 = _("Step 1: BMI")
STEP2 = _("Step 2: unplanned weight loss in the past 3-6 months")
STEP3 = _("Step 3: acute disease effect")

ITEMS = (
    Item(
        key="weight_kg",
        label=_("Weight now"),
        kind="number",
        unit="kg",
        decimals=1,
        min_value=D("20.0"),
        max_value=D("300.0"),
        required=False,
        group=STEP1,
        help=_("Measured today. Needed for the BMI and for the weight loss."),
    ),
    Item(
        key="height_m",
        label=_("Height"),
        kind="number",
        unit="m",
        decimals=2,
        min_value=D("1.00"),
        max_value=D("2.30"),
        required=False,
        group=STEP1,
        help=_("Measured, or recalled, or estimated from ulna length (see the MUST explanatory booklet)."),
    ),
    Item(
        key="bmi_entered",
        label=_("Estimated BMI (only when height or weight cannot be measured)"),
        kind="number",
        unit="kg/m²",
        decimals=1,
        min_value=D("8.0"),
        max_value=D("80.0"),
        required=False,
        group=STEP1,
        help=_("For example from the mid upper arm circumference. Leave blank when height and weight are entered."),
    ),
    Item(
        key="previous_weight_kg",
        label=_("Weight 3 to 6 months ago"),
        kind="number",
        unit="kg",
        decimals=1,
        min_value=D("20.0"),
        max_value=D("300.0"),
        required=False,
        group=STEP2,
    ),
    Item(
        key="weight_loss_entered",
        label=_("Estimated unplanned weight loss (only when no earlier weight is recorded)"),
        kind="number",
        unit="%",
        decimals=1,
        min_value=D("0.0"),
        max_value=D("60.0"),
        required=False,
        group=STEP2,
        help=_("Enter 0 when there has been no unplanned weight loss. Leave blank when the earlier weight is entered."),
    ),
    Item(
        key="acute_disease",
        label=_("Acutely ill, with no nutritional intake (or none likely) for more than 5 days?"),
        kind="boolean",
        options=yes_no(2),
        group=STEP3,
        help=_("Rare in care homes outside an acute illness; scores 2."),
    ),
)

DERIVED = (
    Derived(
        key="bmi",
        label=_("BMI"),
        formula="bmi",
        inputs=("weight_kg", "height_m"),
        fallback="bmi_entered",
        decimals=1,
        unit="kg/m²",
        thresholds=(
            Threshold(D(2), below=D("18.5")),
            Threshold(D(1), at_least=D("18.5"), at_most=D("20.0")),
            Threshold(D(0), above=D("20.0")),
        ),
        missing_message=_("Enter weight and height, or an estimated BMI."),
        note_above=D("30.0"),
        note=_("BMI over 30: obese. Record obesity in the care plan (MUST step 5)."),
    ),
    Derived(
        key="weight_loss_percent",
        label=_("Unplanned weight loss in 3-6 months"),
        formula="percent_loss",
        inputs=("previous_weight_kg", "weight_kg"),
        fallback="weight_loss_entered",
        decimals=1,
        unit="%",
        thresholds=(
            Threshold(D(0), below=D("5.0")),
            Threshold(D(1), at_least=D("5.0"), at_most=D("10.0")),
            Threshold(D(2), above=D("10.0")),
        ),
        missing_message=_("Enter the weight 3 to 6 months ago, or an estimated weight loss %."),
    ),
)

TOOL = Tool(
    slug="must",
    name=_("'MUST' (Malnutrition Universal Screening Tool)"),
    short_name="MUST",
    version="1",
    purpose=_("Screens adults for malnutrition (undernutrition) risk and obesity, with a management plan."),
    items=ITEMS,
    derived=DERIVED,
    band_sets={
        "bapen": (
            band(
                "low",
                _("low risk"),
                0,
                0,
                0,
                _("Routine clinical care. Repeat screening: care homes monthly."),
            ),
            band(
                "medium",
                _("medium risk"),
                1,
                1,
                1,
                _(
                    "Observe: record food and fluid intake for 3 days. If intake is adequate, repeat screening "
                    "monthly; if not, follow local policy, set goals, improve intake, monitor and review the care "
                    "plan regularly."
                ),
            ),
            band(
                "high",
                _("high risk"),
                2,
                6,
                2,
                _(
                    "Treat: refer to a dietitian or nutrition support team, or follow local policy. Set goals, "
                    "improve and increase overall nutritional intake, monitor and review the care plan monthly. "
                    "Treat the underlying condition."
                ),
            ),
        ),
    },
    band_set_labels={"bapen": _("Overall risk of malnutrition (BAPEN)")},
    default_review_days=30,
    triggers=("admission", "weight_loss", "acute_illness", "band_worsened"),
    source=(
        "Malnutrition Advisory Group (MAG), a standing committee of BAPEN. 'Malnutrition Universal Screening "
        "Tool' ('MUST'), 2003 (revised 2011), with the 'MUST' Explanatory Booklet and BMI chart. Elia M (ed). "
        "The 'MUST' Report. Redditch: BAPEN, 2003."
    ),
    licence=(
        "'MUST' is reproduced here with the kind permission of BAPEN, which makes it freely available for "
        "clinical use. BAPEN's printed charts and booklet are not copied here; the scoring steps and cut-off "
        "points are implemented and the wording is ours."
    ),
    acknowledgement=_(
        "'MUST' is reproduced here with the kind permission of BAPEN (British Association for Parenteral and "
        "Enteral Nutrition). www.bapen.org.uk"
    ),
    min_total=D(0),
    max_total=D(6),
)
