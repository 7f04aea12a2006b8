"""Waterlow Pressure Ulcer Risk Assessment (Waterlow score card, revised 2005), scored as the card.

The card says to ring the scores and add them, and that more than one score per category can be
used. So: skin type, tissue malnutrition and medication are multi-select (summed); medication is
"max of 4" (see the note at the medication item); neurological deficit is scored 4 to 6 by severity
with a maximum of 6 (one choice); sex and age are two scores. Major surgery or trauma:
orthopaedic/spinal (5) plus the time on the table (over 2 hours 5, over 6 hours 8; the card's #
note: these may be discounted after 48 hours if the person is recovering normally).

Malnutrition screening (the MST, Ferguson et al. 1999, printed on the card): A "lost weight
recently?" and B "how much?" are one answer here (no -> 0; unsure -> 2; yes with 0.5-5 kg -> 1,
5-10 kg -> 2, 10-15 kg -> 3, over 15 kg -> 4, amount unsure -> 2), then C "eating poorly or lack
of appetite?" (yes 1). The nutrition score (A/B + C) is added to the total; over 2: refer for
nutritional assessment / intervention.

Bands: 10+ at risk, 15+ high risk, 20+ very high risk.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from writecarenotes.assessments.engine import Derived, Item, Tool
from writecarenotes.assessments.tools._common import D, band, opt, yes_no

MAIN = _("Waterlow")
MST = _("Malnutrition screening (MST)")
SPECIAL = _("Special risks")

ITEMS = (
    Item(
        key="build",
        label=_("Build / weight for height"),
        kind="choice",
        group=MAIN,
        help=_("BMI = weight (kg) / height (m)²."),
        options=(
            opt("average", _("Average: BMI 20-24.9"), 0),
            opt("above_average", _("Above average: BMI 25-29.9"), 1),
            opt("obese", _("Obese: BMI over 30"), 2),
            opt("below_average", _("Below average: BMI under 20"), 3),
        ),
    ),
    Item(
        key="skin",
        label=_("Skin type / visual risk areas"),
        kind="multi",
        multi_rule="sum",
        group=MAIN,
        help=_("Tick every one that applies."),
        options=(
            opt("healthy", _("Healthy"), 0, exclusive=True),
            opt("tissue_paper", _("Tissue paper"), 1),
            opt("dry", _("Dry"), 1),
            opt("oedematous", _("Oedematous"), 1),
            opt("clammy", _("Clammy, pyrexia"), 1),
            opt("discoloured", _("Discoloured (grade 1)"), 2),
            opt("broken", _("Broken / spots (grade 2-4)"), 3),
        ),
    ),
    Item(
        key="sex",
        label=_("Sex"),
        kind="choice",
        group=MAIN,
        options=(opt("male", _("Male"), 1), opt("female", _("Female"), 2)),
    ),
    Item(
        key="age",
        label=_("Age"),
        kind="choice",
        group=MAIN,
        options=(
            opt("14_49", _("14-49"), 1),
            opt("50_64", _("50-64"), 2),
            opt("65_74", _("65-74"), 3),
            opt("75_80", _("75-80"), 4),
            opt("81_plus", _("81 or over"), 5),
        ),
    ),
    Item(
        key="mst_weight_loss",
        label=_("Has the person lost weight recently? If yes, how much?"),
        kind="choice",
        group=MST,
        options=(
            opt("no", _("No"), 0),
            opt("unsure", _("Unsure"), 2),
            opt("yes_0_5_to_5", _("Yes: 0.5-5 kg"), 1),
            opt("yes_5_to_10", _("Yes: 5-10 kg"), 2),
            opt("yes_10_to_15", _("Yes: 10-15 kg"), 3),
            opt("yes_over_15", _("Yes: more than 15 kg"), 4),
            opt("yes_unsure_amount", _("Yes, amount unsure"), 2),
        ),
    ),
    Item(
        key="mst_eating_poorly",
        label=_("Eating poorly or lack of appetite?"),
        kind="boolean",
        group=MST,
        options=yes_no(1),
    ),
    Item(
        key="continence",
        label=_("Continence"),
        kind="choice",
        group=MAIN,
        options=(
            opt("complete", _("Complete / catheterised"), 0),
            opt("urine", _("Urinary incontinence"), 1),
            opt("faecal", _("Faecal incontinence"), 2),
            opt("urine_faecal", _("Urinary and faecal incontinence"), 3),
        ),
    ),
    Item(
        key="mobility",
        label=_("Mobility"),
        kind="choice",
        group=MAIN,
        options=(
            opt("fully", _("Fully mobile"), 0),
            opt("restless", _("Restless / fidgety"), 1),
            opt("apathetic", _("Apathetic"), 2),
            opt("restricted", _("Restricted"), 3),
            opt("bedbound", _("Bedbound (e.g. traction)"), 4),
            opt("chairbound", _("Chairbound (e.g. wheelchair)"), 5),
        ),
    ),
    Item(
        key="tissue_malnutrition",
        label=_("Tissue malnutrition"),
        kind="multi",
        multi_rule="sum",
        required=False,
        group=SPECIAL,
        help=_("Tick every one that applies; leave blank if none."),
        options=(
            opt("terminal_cachexia", _("Terminal cachexia"), 8),
            opt("multiple_organ_failure", _("Multiple organ failure"), 8),
            opt("single_organ_failure", _("Single organ failure (respiratory, renal, cardiac)"), 5),
            opt("pvd", _("Peripheral vascular disease"), 5),
            opt("anaemia", _("Anaemia (Hb under 8)"), 2),
            opt("smoking", _("Smoking"), 1),
        ),
    ),
    Item(
        key="neurological_deficit",
        label=_("Neurological deficit (diabetes, MS, CVA; motor/sensory; paraplegia)"),
        kind="choice",
        group=SPECIAL,
        help=_("Each scores 4 to 6 by severity; the category scores at most 6."),
        options=(
            opt("none", _("None"), 0),
            opt("4", _("Present: 4"), 4),
            opt("5", _("Present: 5"), 5),
            opt("6", _("Present: 6 (maximum)"), 6),
        ),
    ),
    Item(
        key="surgery_orthopaedic",
        label=_("Major surgery or trauma: orthopaedic / spinal"),
        kind="boolean",
        group=SPECIAL,
        options=yes_no(5),
    ),
    Item(
        key="surgery_table_time",
        label=_("Major surgery or trauma: time on the table"),
        kind="choice",
        group=SPECIAL,
        help=_("May be discounted after 48 hours if the person is recovering normally."),
        options=(
            opt("none", _("No recent surgery"), 0),
            opt("over_2h", _("More than 2 hours"), 5),
            opt("over_6h", _("More than 6 hours"), 8),
        ),
    ),
    # Medication. Checked with the search tool: the 2005 card itself (judy-waterlow.co.uk, "Waterlow Score
    # Card", front) is not in the stored corpus, so the card's own text is UNVERIFIED here. What was found: the
    # row reads "Medication - cytotoxics, long term/high dose steroids, anti-inflammatory" with the score "max of
    # 4" (TPP SystmOne Waterlow template, as shown in GP Connect demo data, which records a single 4 for the
    # row); the 1985 card scored the row 4 ("steroids, cytotoxics, high dose anti-inflam - 4": NHS Fife
    # template on clintemplate.org); the openEHR Waterlow archetype (openEHR-EHR-OBSERVATION.waterlow_score.v0,
    # Ocean Informatics 2011) notes that some categories are capped. So: any of the three scores 4, and the
    # row never scores more than 4. Confirm against the current printed card when the operator has it.
    Item(
        key="medication",
        label=_("Medication"),
        kind="multi",
        multi_rule="sum",
        cap=D(4),
        required=False,
        group=SPECIAL,
        help=_("Tick any that apply; the category scores at most 4."),
        options=(
            opt("cytotoxics", _("Cytotoxics"), 4),
            opt("steroids", _("Long-term or high-dose steroids"), 4),
            opt("anti_inflammatory", _("Anti-inflammatory"), 4),
        ),
    ),
)

DERIVED = (
    Derived(
        key="nutrition_score",
        label=_("Nutrition score (MST)"),
        formula="sum",
        inputs=("mst_weight_loss", "mst_eating_poorly"),
        decimals=0,
        note_above=D(2),
        note=_("Nutrition score over 2: refer for nutritional assessment / intervention."),
    ),
)

TOOL = Tool(
    slug="waterlow",
    name=_("Waterlow score (pressure ulcer risk)"),
    short_name="Waterlow",
    version="1",
    purpose=_("Estimates the risk of developing a pressure ulcer; a higher score means a higher risk."),
    items=ITEMS,
    derived=DERIVED,
    band_sets={
        "waterlow_2005": (
            band("not_at_risk", _("not at risk"), 2, 9, 0, _("Reassess when the person's condition changes.")),
            band(
                "at_risk",
                _("at risk"),
                10,
                14,
                1,
                _(
                    "Start prevention: pressure-redistributing foam mattress or cushion, skin checks, "
                    "repositioning plan."
                ),
            ),
            band(
                "high",
                _("high risk"),
                15,
                19,
                2,
                _(
                    "As at risk, with an alternating or higher-specification mattress and a frequent "
                    "repositioning plan."
                ),
            ),
            band(
                "very_high",
                _("very high risk"),
                20,
                None,
                3,
                _(
                    "As high risk, with an active (dynamic) mattress replacement system, nutrition review and "
                    "tissue viability advice."
                ),
            ),
        ),
    },
    band_set_labels={"waterlow_2005": _("Waterlow card (2005): 10+ at risk, 15+ high, 20+ very high")},
    default_review_days=30,
    triggers=("admission", "fall", "skin_change", "condition_change", "acute_illness", "band_worsened"),
    source=(
        "Waterlow J. Pressure sores: a risk assessment card. Nursing Times 1985;81(48):49-55. Waterlow score "
        "card, revised 2005 (www.judy-waterlow.co.uk). Malnutrition Screening Tool: Ferguson M, Capra S, Bauer "
        "J, Banks M. Development of a valid and reliable malnutrition screening tool for adult acute hospital "
        "patients. Nutrition 1999;15(6):458-464."
    ),
    licence=(
        "Waterlow score card © J Waterlow 1985, revised 2005. The card is copyright: it is used in clinical "
        "practice on the terms given at www.judy-waterlow.co.uk, which the operator of an installation should "
        "read before use. The categories and points are implemented as printed; the layout and help text are "
        "ours and the card itself is not reproduced."
    ),
    acknowledgement=_("Waterlow score © J Waterlow 1985, revised 2005. www.judy-waterlow.co.uk"),
    min_total=D(2),
    max_total=D(84),
)
