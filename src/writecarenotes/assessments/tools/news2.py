"""NEWS2 (National Early Warning Score 2, Royal College of Physicians 2017) as an assessment.

The seven parameters and the SpO2 scale are answered here; the scoring is NOT repeated: the engine's
``"news2"`` rule calls ``writecarenotes.care_records.public.news2_score``, the one implementation
shared with the vital-signs chart, and takes its per-parameter scores, total and clinical risk
(low / low-medium / medium / high; a 3 in any single parameter makes "low_medium" when the total is
4 or less). The option points shown on the form (air 0 / oxygen 2; alert 0 / C, V, P, U 3) are the
chart's and are checked against that implementation in the tests.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from writecarenotes.assessments.engine import Item, Tool
from writecarenotes.assessments.tools._common import D, band, opt

GROUP = _("Observations")

ITEMS = (
    Item(
        key="respiration_rate",
        label=_("Respiration rate"),
        kind="number",
        unit=_("breaths/min"),
        min_value=D(0),
        max_value=D(80),
        group=GROUP,
    ),
    Item(
        key="spo2_scale",
        label=_("SpO2 scale"),
        kind="choice",
        group=GROUP,
        help=_(
            "Scale 2 only for a person with hypercapnic respiratory failure whose target saturation of 88-92% "
            "has been prescribed by a clinician; everyone else uses Scale 1."
        ),
        options=(
            opt("1", _("Scale 1"), 0),
            opt("2", _("Scale 2 (prescribed target 88-92%)"), 0),
        ),
    ),
    Item(
        key="spo2",
        label=_("Oxygen saturation (SpO2)"),
        kind="number",
        unit="%",
        min_value=D(0),
        max_value=D(100),
        group=GROUP,
    ),
    Item(
        key="on_oxygen",
        label=_("Air or oxygen?"),
        kind="boolean",
        group=GROUP,
        options=(opt("yes", _("Oxygen"), 2), opt("no", _("Air"), 0)),
    ),
    Item(
        key="systolic_bp",
        label=_("Systolic blood pressure"),
        kind="number",
        unit="mmHg",
        min_value=D(0),
        max_value=D(300),
        group=GROUP,
    ),
    Item(
        key="pulse",
        label=_("Pulse"),
        kind="number",
        unit=_("beats/min"),
        min_value=D(0),
        max_value=D(300),
        group=GROUP,
    ),
    Item(
        key="consciousness",
        label=_("Consciousness (ACVPU)"),
        kind="choice",
        group=GROUP,
        options=(
            opt("A", _("Alert"), 0),
            opt("C", _("New confusion"), 3),
            opt("V", _("Responds to voice"), 3),
            opt("P", _("Responds to pain"), 3),
            opt("U", _("Unresponsive"), 3),
        ),
    ),
    Item(
        key="temperature",
        label=_("Temperature"),
        kind="number",
        unit="°C",
        decimals=1,
        min_value=D("25.0"),
        max_value=D("45.0"),
        group=GROUP,
    ),
)

TOOL = Tool(
    slug="news2",
    name=_("NEWS2 (National Early Warning Score 2)"),
    short_name="NEWS2",
    version="1",
    purpose=_("Detects acute illness and deterioration from seven routine observations."),
    items=ITEMS,
    rule="news2",
    band_sets={
        "rcp_2017": (
            band(
                "low",
                _("low clinical risk"),
                0,
                4,
                0,
                _(
                    "Score 0: observations at least every 12 hours. Score 1-4: tell the nurse or senior carer; "
                    "observations at least every 4-6 hours."
                ),
            ),
            band(
                "low_medium",
                _("low-medium clinical risk (a single parameter scored 3)"),
                3,
                4,
                1,
                _("Urgent review by a clinician (GP, NHS 111 or the urgent response team); observations hourly."),
            ),
            band(
                "medium",
                _("medium clinical risk"),
                5,
                6,
                2,
                _("Urgent clinical review now (key threshold); observations at least hourly."),
            ),
            band(
                "high",
                _("high clinical risk"),
                7,
                20,
                3,
                _("Emergency response: call 999; continuous monitoring."),
            ),
        ),
    },
    band_set_labels={"rcp_2017": _("Clinical risk (RCP NEWS2, 2017, Chart 3)")},
    default_review_days=None,
    triggers=("acute_illness", "condition_change", "fall", "band_worsened"),
    source=(
        "Royal College of Physicians. National Early Warning Score (NEWS) 2: Standardising the assessment of "
        "acute-illness severity in the NHS. Updated report of a working party. London: RCP, 2017 (Charts 1-4)."
    ),
    licence=(
        "NEWS2 is © Royal College of Physicians 2017 and is free to use in clinical practice; the RCP's charts "
        "are not reproduced here. Scored by the same implementation as the vital-signs chart."
    ),
    acknowledgement=_(
        "Royal College of Physicians. National Early Warning Score (NEWS) 2. London: RCP, 2017. Reproduced with "
        "permission."
    ),
    min_total=D(0),
    max_total=D(20),
)
