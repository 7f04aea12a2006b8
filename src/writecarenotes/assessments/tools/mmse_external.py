"""MMSE, recorded from the licensed form: an "external score" tool.

The Mini-Mental State Examination is copyright and licensed by its publisher (PAR). This software
does not reproduce or score its items: the assessor administers the licensed form and records the
total (0-30) here.

Band set ``"tombaugh_1992"``: 24-30 no cognitive impairment, 18-23 mild, 0-17 severe (Tombaugh &
McIntyre 1992).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from writecarenotes.assessments.engine import Item, Tool
from writecarenotes.assessments.tools._common import D, band

ITEMS = (
    Item(
        key="score",
        label=_("MMSE total, from the licensed form"),
        kind="number",
        min_value=D(0),
        max_value=D(30),
        help=_("Administer the licensed MMSE form and enter its total here. Keep the completed form as the record."),
    ),
)

TOOL = Tool(
    slug="mmse-external",
    name=_("MMSE (score from the licensed form)"),
    short_name="MMSE",
    version="1",
    purpose=_("Records the total of a Mini-Mental State Examination carried out on the licensed form."),
    items=ITEMS,
    rule="external",
    external=True,
    band_sets={
        "tombaugh_1992": (
            band("severe", _("severe cognitive impairment"), 0, 17, 2, _("Discuss with the GP or memory service.")),
            band("mild", _("mild cognitive impairment"), 18, 23, 1, _("Discuss with the GP or memory service.")),
            band("none", _("no cognitive impairment"), 24, 30, 0, _("No impairment suggested by this test.")),
        ),
    },
    band_set_labels={"tombaugh_1992": _("24-30 none, 18-23 mild, 0-17 severe (Tombaugh & McIntyre 1992)")},
    default_review_days=None,
    triggers=("behaviour_change",),
    source=(
        "Folstein MF, Folstein SE, McHugh PR. 'Mini-mental state': a practical method for grading the cognitive "
        "state of patients for the clinician. Journal of Psychiatric Research 1975;12(3):189-198. Bands: "
        "Tombaugh TN, McIntyre NJ. The Mini-Mental State Examination: a comprehensive review. Journal of the "
        "American Geriatrics Society 1992;40(9):922-935."
    ),
    licence=(
        "The MMSE is copyright (MiniMental LLC) and licensed exclusively by Psychological Assessment Resources "
        "(PAR). Its items are NOT implemented here: only the total from a licensed form is recorded. Each use "
        "of the form needs the licence from PAR."
    ),
    acknowledgement=_(
        "MMSE © MiniMental LLC; licensed by PAR, Inc. Only the total from the licensed form is recorded."
    ),
    min_total=D(0),
    max_total=D(30),
)
