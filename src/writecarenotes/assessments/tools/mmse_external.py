"""MMSE, recorded from the licensed form: an "external score" tool.

The Mini-Mental State Examination is copyright and licensed by its publisher (PAR). This software
does not reproduce or score its items: the assessor administers the licensed form and records the
total (0-30) here.

Band sets:
- ``"tombaugh_1992"`` (default): 24-30 no cognitive impairment, 18-23 mild, 0-17 severe (Tombaugh &
  McIntyre 1992). Checked with the search tool: the paper is not in the stored corpus; the same three
  ranges were found only in third-party code citing the MMSE, so they are UNVERIFIED against the paper.
- ``"nice_ta217"``: severity of Alzheimer's disease as NICE uses the MMSE (TA111, 2006, amended 2007 and
  2009; carried into TA217, "Donepezil, galantamine, rivastigmine and memantine for the treatment of
  Alzheimer's disease", NICE, March 2011): mild 21-26, moderate 10-20, moderately severe 10-14, severe
  under 10. Found, with these exact ranges, in secondary copies (GPnotebook / primarycarenotebook.com
  "Alzheimer's disease - classification of severity"; the Alzheimer's Society's MMSE factsheet text and
  its forum quoting the NICE guidance); the TA217 page itself was found but its severity paragraph was
  not, so the paragraph number is not cited. NICE's "moderately severe" lies inside "moderate", so the
  band set splits moderate into 10-14 (moderately severe) and 15-20; 27-30 is above NICE's mild range
  and is not a NICE severity band. These bands describe the severity of a diagnosed Alzheimer's
  disease, not a screen for impairment.
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
        "nice_ta217": (
            band("severe", _("severe (under 10)"), 0, 9, 4, _("Discuss with the GP or memory service.")),
            band(
                "moderately_severe",
                _("moderately severe (10-14)"),
                10,
                14,
                3,
                _("Discuss with the GP or memory service."),
            ),
            band("moderate", _("moderate (15-20)"), 15, 20, 2, _("Discuss with the GP or memory service.")),
            band("mild", _("mild (21-26)"), 21, 26, 1, _("Discuss with the GP or memory service.")),
            band(
                "above_mild",
                _("above the NICE mild range (27-30)"),
                27,
                30,
                0,
                _("Not a NICE severity band; judge with the clinical picture."),
            ),
        ),
    },
    band_set_labels={
        "tombaugh_1992": _("24-30 none, 18-23 mild, 0-17 severe (Tombaugh & McIntyre 1992)"),
        "nice_ta217": _(
            "Alzheimer's disease severity: 21-26 mild, 10-20 moderate (10-14 moderately severe), under 10 "
            "severe (NICE TA111 / TA217)"
        ),
    },
    default_review_days=None,
    triggers=("behaviour_change",),
    source=(
        "Folstein MF, Folstein SE, McHugh PR. 'Mini-mental state': a practical method for grading the cognitive "
        "state of patients for the clinician. Journal of Psychiatric Research 1975;12(3):189-198. Bands: "
        "Tombaugh TN, McIntyre NJ. The Mini-Mental State Examination: a comprehensive review. Journal of the "
        "American Geriatrics Society 1992;40(9):922-935. Alzheimer's disease severity bands: NICE technology "
        "appraisal guidance TA217, Donepezil, galantamine, rivastigmine and memantine for the treatment of "
        "Alzheimer's disease (March 2011), after TA111 (2006, amended 2007 and 2009)."
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
