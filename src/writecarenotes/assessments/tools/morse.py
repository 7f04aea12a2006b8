"""Morse Fall Scale (Morse, Morse & Tylko 1989): six items, total 0-125.

History of falling 0/25; secondary diagnosis 0/15; ambulatory aid 0/15/30; IV or heparin lock
0/20; gait 0/10/20; mental status 0/15.

Band sets:
- ``"morse_45"`` (default): 0-24 low, 25-44 moderate, 45 or more high, the levels most often used
  with Morse's high-risk cut-off of 45.
- ``"morse_51"``: 0-24 no risk, 25-50 low risk, 51 or more high risk, the alternative levels also
  published for the scale (Morse 1997, Preventing Patient Falls).
Morse advises that each setting may set its own cut-off; both sets are offered.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from writecarenotes.assessments.engine import Item, Tool
from writecarenotes.assessments.tools._common import D, band, opt, yes_no

GROUP = _("Morse Fall Scale")

ITEMS = (
    Item(
        key="history_of_falling",
        label=_("History of falling (this admission, or within the last 3 months)"),
        kind="boolean",
        group=GROUP,
        options=yes_no(25),
    ),
    Item(
        key="secondary_diagnosis",
        label=_("Secondary diagnosis (more than one medical diagnosis)"),
        kind="boolean",
        group=GROUP,
        options=yes_no(15),
    ),
    Item(
        key="ambulatory_aid",
        label=_("Ambulatory aid"),
        kind="choice",
        group=GROUP,
        options=(
            opt("none", _("None, bed rest, or walks with a nurse or carer"), 0),
            opt("aid", _("Crutches, cane (stick) or walker (frame)"), 15),
            opt("furniture", _("Holds on to furniture"), 30),
        ),
    ),
    Item(
        key="iv_access",
        label=_("Intravenous therapy or heparin (saline) lock"),
        kind="boolean",
        group=GROUP,
        options=yes_no(20),
    ),
    Item(
        key="gait",
        label=_("Gait"),
        kind="choice",
        group=GROUP,
        options=(
            opt("normal", _("Normal, bed rest, or wheelchair"), 0),
            opt("weak", _("Weak"), 10),
            opt("impaired", _("Impaired"), 20),
        ),
    ),
    Item(
        key="mental_status",
        label=_("Mental status"),
        kind="choice",
        group=GROUP,
        options=(
            opt("oriented", _("Knows own ability"), 0),
            opt("forgets", _("Overestimates ability or forgets limitations"), 15),
        ),
    ),
)

LOW = _("Good basic care: call bell and belongings in reach, safe footwear, clear floor, bed low.")
MODERATE = _("Put standard fall-prevention measures in place and record them in the care plan.")
HIGH = _(
    "Put high-risk fall-prevention measures in place (e.g. closer supervision, toileting plan, sensor if "
    "agreed, medication review) and record them in the care plan."
)

TOOL = Tool(
    slug="morse",
    name=_("Morse Fall Scale"),
    short_name="Morse",
    version="1",
    purpose=_("Identifies people likely to fall; a higher score means a higher risk."),
    items=ITEMS,
    band_sets={
        "morse_45": (
            band("low", _("low risk"), 0, 24, 0, LOW),
            band("moderate", _("moderate risk"), 25, 44, 1, MODERATE),
            band("high", _("high risk"), 45, 125, 2, HIGH),
        ),
        "morse_51": (
            band("no_risk", _("no risk"), 0, 24, 0, LOW),
            band("low", _("low risk"), 25, 50, 1, MODERATE),
            band("high", _("high risk"), 51, 125, 2, HIGH),
        ),
    },
    band_set_labels={
        "morse_45": _("Low 0-24, moderate 25-44, high 45+"),
        "morse_51": _("No risk 0-24, low 25-50, high 51+ (Morse 1997)"),
    },
    default_review_days=30,
    triggers=("admission", "fall", "condition_change", "acute_illness", "band_worsened"),
    source=(
        "Morse JM, Morse RM, Tylko SJ. Development of a scale to identify the fall-prone patient. Canadian "
        "Journal on Aging 1989;8(4):366-377. Morse JM. Preventing Patient Falls. Thousand Oaks: Sage, 1997 "
        "(2nd edition, Springer 2009)."
    ),
    licence=(
        "The Morse Fall Scale is © Janice M. Morse. It is widely used in clinical practice without a fee; "
        "permission to reproduce it in a product is given by the author. The items and points are implemented "
        "as published; the wording is ours."
    ),
    acknowledgement=_("Morse Fall Scale © Janice M. Morse. Used with permission."),
    min_total=D(0),
    max_total=D(125),
)
