"""Barthel Index of activities of daily living, 10 items, 0-20 (Collin, Wade, Davies & Horne 1988).

Collin's version scores each item in steps of 1 (it is the 1965 index with every score divided by
5). Record what the person does, not what they could do; middle categories mean the person does
over half the effort; the usual period is the last 24-48 hours.

Band set ``"shah_1989"``: the dependency categories of Shah, Vanclay & Cooper (1989) for the
100-point index (0-20 total, 21-60 severe, 61-90 moderate, 91-99 slight, 100 independent), put on
this scale by dividing by 5, which is exact because every 100-point score is a multiple of 5:
0-4 total, 5-12 severe, 13-18 moderate, 19 slight, 20 independent.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from writecarenotes.assessments.engine import Item, Tool
from writecarenotes.assessments.tools._common import D, band, opt

GROUP = _("Activities of daily living")


def _item(key, label, *levels, help_text="") -> Item:
    return Item(
        key=key,
        label=label,
        kind="choice",
        group=GROUP,
        help=help_text,
        options=tuple(opt(str(points), text, points) for points, text in levels),
    )


ITEMS = (
    _item(
        "bowels",
        _("Bowels"),
        (0, _("0 Incontinent, or needs enemas")),
        (1, _("1 Occasional accident (once a week)")),
        (2, _("2 Continent")),
        help_text=_("The preceding week."),
    ),
    _item(
        "bladder",
        _("Bladder"),
        (0, _("0 Incontinent, or catheterised and unable to manage alone")),
        (1, _("1 Occasional accident (at most once in 24 hours)")),
        (2, _("2 Continent (for over 7 days)")),
        help_text=_("The preceding week. A catheterised person who manages the catheter alone is continent."),
    ),
    _item(
        "grooming",
        _("Grooming"),
        (0, _("0 Needs help with personal care")),
        (1, _("1 Independent: face, hair, teeth, shaving (implements provided)")),
        help_text=_("The preceding 24-48 hours."),
    ),
    _item(
        "toilet_use",
        _("Toilet use"),
        (0, _("0 Dependent")),
        (1, _("1 Needs some help, but can do some things alone")),
        (2, _("2 Independent: on and off, dressing, wiping")),
    ),
    _item(
        "feeding",
        _("Feeding"),
        (0, _("0 Unable")),
        (1, _("1 Needs help cutting, spreading butter and so on")),
        (2, _("2 Independent (food within reach)")),
    ),
    _item(
        "transfer",
        _("Transfer (bed to chair and back)"),
        (0, _("0 Unable: no sitting balance")),
        (1, _("1 Major help (one or two people, physical); can sit")),
        (2, _("2 Minor help (verbal or physical)")),
        (3, _("3 Independent")),
    ),
    _item(
        "mobility",
        _("Mobility"),
        (0, _("0 Immobile")),
        (1, _("1 Wheelchair independent, including corners")),
        (2, _("2 Walks with the help of one person (verbal or physical)")),
        (3, _("3 Independent (may use any aid, e.g. a stick)")),
        help_text=_("In the house or on the ward."),
    ),
    _item(
        "dressing",
        _("Dressing"),
        (0, _("0 Dependent")),
        (1, _("1 Needs help, but can do about half unaided")),
        (2, _("2 Independent, including buttons, zips and laces")),
    ),
    _item(
        "stairs",
        _("Stairs"),
        (0, _("0 Unable")),
        (1, _("1 Needs help (verbal, physical, carrying aid)")),
        (2, _("2 Independent up and down")),
    ),
    _item(
        "bathing",
        _("Bathing"),
        (0, _("0 Dependent")),
        (1, _("1 Independent (bath or shower)")),
    ),
)

TOOL = Tool(
    slug="barthel",
    name=_("Barthel Index (0-20)"),
    short_name="Barthel",
    version="1",
    purpose=_("Measures independence in ten activities of daily living; a lower score means more dependence."),
    items=ITEMS,
    band_sets={
        "shah_1989": (
            band("total", _("total dependency"), 0, 4, 4),
            band("severe", _("severe dependency"), 5, 12, 3),
            band("moderate", _("moderate dependency"), 13, 18, 2),
            band("slight", _("slight dependency"), 19, 19, 1),
            band("independent", _("independent"), 20, 20, 0),
        ),
    },
    band_set_labels={"shah_1989": _("Dependency (Shah, Vanclay & Cooper 1989, on the 0-20 scale)")},
    default_review_days=None,
    triggers=("admission", "fall", "condition_change", "acute_illness", "band_worsened"),
    source=(
        "Collin C, Wade DT, Davies S, Horne V. The Barthel ADL Index: a reliability study. International "
        "Disability Studies 1988;10(2):61-63. Mahoney FI, Barthel DW. Functional evaluation: the Barthel Index. "
        "Maryland State Medical Journal 1965;14:61-65. Dependency categories: Shah S, Vanclay F, Cooper B. "
        "Improving the sensitivity of the Barthel Index for stroke rehabilitation. Journal of Clinical "
        "Epidemiology 1989;42(8):703-709."
    ),
    licence=(
        "The Barthel Index may be used freely for non-commercial clinical purposes with acknowledgement of the "
        "source (Mahoney & Barthel 1965; permission for other uses: the Maryland State Medical Society). The "
        "descriptors here are a short paraphrase."
    ),
    acknowledgement=_(
        "Barthel Index: Mahoney FI, Barthel DW, 1965, used with permission; 20-point version: Collin C, Wade DT, "
        "Davies S, Horne V, 1988."
    ),
    min_total=D(0),
    max_total=D(20),
)
