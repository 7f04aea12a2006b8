"""Abbreviated Mental Test Score, AMTS (Hodkinson 1972): ten questions, one point for each correct
answer, total 0-10 (the score counts correct answers: "correct" scores 1, "incorrect" 0).

Several cut-offs are published; checked with the search tool (Hodkinson 1972 and Jitapunkul et al.
1991 themselves are not in the stored corpus, so their own wording is UNVERIFIED here):
- ``"below_8"`` (default, the most widely cited): 0-7 suggests impaired cognition, 8-10 normal.
  Source: Jitapunkul S, Pillay I, Ebrahim S, Age and Ageing 1991 (cut-off 8). Found in use as the
  "standard cut point of 8" (Tanglakmankhong et al., Pacific Rim International Journal of Nursing
  Research, "Does the Abbreviated Mental Test accurately predict cognitive impairment in Thai older
  adults?"), in a TrakCare AMTS form citing Hodkinson and Jitapunkul (normal: 8 or more), and in the
  UK clintemplate.org AMT template (8 and above normal; 7 or below, go on to a delirium assessment).
- ``"six_or_below"``: 0-6 suggests impaired cognition. Source: Rocca WA et al. (Italian Multicentre
  Study on Dementia), "Validation of the Hodkinson abbreviated mental test as a screening instrument
  for dementia in an Italian population", Neuroepidemiology 1992;11(4-6):288-295: a score of 6 gave the
  best balance (sensitivity 90%, specificity 89%) for dementia. Also widely taught in UK ward teaching
  material ("6 or below likely indicates impaired cognition") with a citation of Hodkinson 1972,
  whose own text could not be checked here.
(Other cut-offs exist, e.g. under 9 in Pendlebury et al., Age and Ageing 2015;44(6):1000-1005.)
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from writecarenotes.assessments.engine import Item, Tool
from writecarenotes.assessments.tools._common import D, band, yes_no

GROUP = _("Score 1 for each correct answer")


def correct(key, label, help_text="", group=GROUP) -> Item:
    """A question answered correctly (1) or not (0)."""
    return Item(
        key=key,
        label=label,
        kind="boolean",
        group=group,
        help=help_text,
        options=yes_no(1, 0, yes_label=_("Correct"), no_label=_("Incorrect")),
    )


ITEMS = (
    correct("age", _("Age")),
    correct("time", _("Time, to the nearest hour")),
    correct(
        "address_recall",
        _("Address recalled at the end of the test (e.g. 42 West Street)"),
        _("Give the address at the start, ask the person to repeat it, then ask for it again at the end."),
    ),
    correct("year", _("Year")),
    correct("place", _("Name of this place")),
    correct("recognise_two_people", _("Recognises two people (e.g. their roles: nurse, carer, doctor)")),
    correct("date_of_birth", _("Date of birth")),
    correct("ww1_year", _("Year the First World War started")),
    correct("monarch", _("Name of the present monarch")),
    correct("count_backwards", _("Counts backwards from 20 to 1")),
)

IMPAIRED = _("Suggests impaired cognition: consider delirium or dementia and arrange a fuller assessment.")
NORMAL = _("No impairment suggested by this test.")

TOOL = Tool(
    slug="amts",
    name=_("Abbreviated Mental Test Score (AMTS)"),
    short_name="AMTS",
    version="1",
    purpose=_("A quick ten-question screen for cognitive impairment."),
    items=ITEMS,
    band_sets={
        "below_8": (
            band("impaired", _("impaired cognition suggested (under 8)"), 0, 7, 1, IMPAIRED),
            band("normal", _("normal (8 or more)"), 8, 10, 0, NORMAL),
        ),
        "six_or_below": (
            band("impaired", _("impaired cognition suggested (6 or below)"), 0, 6, 1, IMPAIRED),
            band("normal", _("normal (7 or more)"), 7, 10, 0, NORMAL),
        ),
    },
    band_set_labels={
        "below_8": _("Cut-off: under 8 (Jitapunkul et al. 1991)"),
        "six_or_below": _("Cut-off: 6 or below (Rocca et al., Neuroepidemiology 1992)"),
    },
    default_review_days=None,
    triggers=("behaviour_change", "acute_illness", "band_worsened"),
    source=(
        "Hodkinson HM. Evaluation of a mental test score for assessment of mental impairment in the elderly. "
        "Age and Ageing 1972;1(4):233-238. Cut-off: Jitapunkul S, Pillay I, Ebrahim S. The Abbreviated Mental "
        "Test: its use and validity. Age and Ageing 1991;20(5):332-336. Alternative cut-off (6 or below): Rocca "
        "WA et al. Validation of the Hodkinson abbreviated mental test as a screening instrument for dementia in "
        "an Italian population. Neuroepidemiology 1992;11(4-6):288-295."
    ),
    licence=(
        "The AMTS is published in Age and Ageing (Oxford University Press) and is freely used in clinical "
        "practice; no licence fee. The questions are given here in our own words."
    ),
    acknowledgement=_("Abbreviated Mental Test Score: Hodkinson HM, Age and Ageing 1972."),
    min_total=D(0),
    max_total=D(10),
)
