"""Barthel Index, 10 items, 0-100, as first published by Mahoney & Barthel (1965).

Version implemented: the ORIGINAL 1965 index (Mahoney FI, Barthel DW, Maryland State Medical Journal
1965;14:61-65) with its 5-point steps. It is NOT the modified Barthel Index of Shah, Vanclay & Cooper
(1989), whose items have five levels (e.g. transfers 0/3/8/12/15); only Shah's dependency categories
are used here, as a band set. It is also not Collin & Wade's 0-20 version multiplied by 5 (that one
is ``barthel.py``, on its own 0-20 scale).

Points per item, as in the 1965 index: feeding 0/5/10; moving from wheelchair to bed and back
0/5/10/15; personal toilet (grooming) 0/5; getting on and off the toilet 0/5/10; bathing 0/5;
walking on a level surface 0/10/15, or, only if unable to walk, propelling a wheelchair 5;
stairs 0/5/10; dressing 0/5/10; bowels 0/5/10; bladder 0/5/10. The 1965 instructions split
"with help" for transfers into 10 (minimal help or supervision) and 5 (can sit up but needs much
help to transfer).

Checked with the search tool (the 1965 paper itself is not in the stored corpus, so its own text is
UNVERIFIED here). Found: the ten items in the 1965 wording (scales.arabpsychology.com, "Barthel Index",
Mahoney & Barthel 1965; pmidcalc.org, "Barthel Index of Activities of Daily Living (original version)");
feeding 0/5/10 (docs.rs, clincalc 0.2.2, barthel.rs, implemented from Mahoney & Barthel 1965); and the
four transfer levels of the 1965 instructions in the LOINC answer list for that item (LA12302-8
independent; LA31635-8 minimal help, reminding or supervision for safety; LA31634-1 can sit up but needs
help to get out of bed or to move; LA31633-3 unable), as used in build.fhir.org
Rehabotics-Medical-Techology-Co/RTS-IG, ValueSet VSBarthelTransfer. The other items' points were not
seen in a stored copy of the 1965 table: they are the widely used 0-100 values, unverified here.

Band set ``"shah_1989"``: 0-20 total, 21-60 severe, 61-90 moderate, 91-99 slight, 100
independent (Shah, Vanclay & Cooper 1989).
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
        options=tuple(opt(value, text, points) for value, points, text in levels),
    )


ITEMS = (
    _item(
        "feeding",
        _("Feeding"),
        ("0", 0, _("0 Unable")),
        ("5", 5, _("5 Needs help (e.g. food must be cut up)")),
        ("10", 10, _("10 Independent")),
    ),
    _item(
        "transfer",
        _("Moving from wheelchair to bed and back (including sitting up in bed)"),
        ("0", 0, _("0 Unable")),
        ("5", 5, _("5 Can sit up but needs much help to transfer")),
        ("10", 10, _("10 Minimal help or supervision")),
        ("15", 15, _("15 Independent")),
    ),
    _item(
        "grooming",
        _("Personal toilet (wash face, comb hair, shave, clean teeth)"),
        ("0", 0, _("0 Needs help")),
        ("5", 5, _("5 Independent")),
    ),
    _item(
        "toilet",
        _("Getting on and off the toilet (clothes, wiping, flushing)"),
        ("0", 0, _("0 Dependent")),
        ("5", 5, _("5 Needs help")),
        ("10", 10, _("10 Independent")),
    ),
    _item(
        "bathing",
        _("Bathing self"),
        ("0", 0, _("0 Needs help")),
        ("5", 5, _("5 Independent")),
    ),
    _item(
        "walking",
        _("Walking on a level surface (or, if unable to walk, propelling a wheelchair)"),
        ("0", 0, _("0 Cannot walk and cannot propel a wheelchair")),
        ("wheelchair_5", 5, _("5 Unable to walk, but propels a wheelchair independently")),
        ("10", 10, _("10 Walks with help or supervision")),
        ("15", 15, _("15 Walks independently (may use aids)")),
        help_text=_("Score the wheelchair only if the person cannot walk."),
    ),
    _item(
        "stairs",
        _("Going up and down stairs"),
        ("0", 0, _("0 Unable")),
        ("5", 5, _("5 Needs help or supervision")),
        ("10", 10, _("10 Independent")),
    ),
    _item(
        "dressing",
        _("Dressing (including shoes and fastenings)"),
        ("0", 0, _("0 Dependent")),
        ("5", 5, _("5 Needs help, does about half")),
        ("10", 10, _("10 Independent")),
    ),
    _item(
        "bowels",
        _("Controlling bowels"),
        ("0", 0, _("0 Incontinent")),
        ("5", 5, _("5 Occasional accident, or needs help with an enema or suppository")),
        ("10", 10, _("10 Continent")),
    ),
    _item(
        "bladder",
        _("Controlling bladder"),
        ("0", 0, _("0 Incontinent")),
        ("5", 5, _("5 Occasional accident, or needs help with a device")),
        ("10", 10, _("10 Continent")),
    ),
)

TOOL = Tool(
    slug="barthel-100",
    name=_("Barthel Index (0-100)"),
    short_name="Barthel (100)",
    version="1",
    purpose=_("Measures independence in ten activities of daily living; a lower score means more dependence."),
    items=ITEMS,
    band_sets={
        "shah_1989": (
            band("total", _("total dependency"), 0, 20, 4),
            band("severe", _("severe dependency"), 21, 60, 3),
            band("moderate", _("moderate dependency"), 61, 90, 2),
            band("slight", _("slight dependency"), 91, 99, 1),
            band("independent", _("independent"), 100, 100, 0),
        ),
    },
    band_set_labels={"shah_1989": _("Dependency (Shah, Vanclay & Cooper 1989)")},
    default_review_days=None,
    triggers=("condition_change", "acute_illness", "band_worsened"),
    source=(
        "Mahoney FI, Barthel DW. Functional evaluation: the Barthel Index. Maryland State Medical Journal "
        "1965;14:61-65. Dependency categories: Shah S, Vanclay F, Cooper B. Improving the sensitivity of the "
        "Barthel Index for stroke rehabilitation. Journal of Clinical Epidemiology 1989;42(8):703-709."
    ),
    licence=(
        "The Barthel Index may be used freely for non-commercial clinical purposes with acknowledgement of the "
        "source (permission for other uses: the Maryland State Medical Society). The descriptors here are a "
        "short paraphrase."
    ),
    acknowledgement=_(
        "Barthel Index: Mahoney FI, Barthel DW. Maryland State Medical Journal 1965. Used with permission."
    ),
    min_total=D(0),
    max_total=D(100),
)
