"""AMT4, the four-question Abbreviated Mental Test (Swain & Nightingale 1997): age, date of birth,
place, year; one point each, total 0-4. Under 4 (any mistake) suggests cognitive impairment.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from writecarenotes.assessments.engine import Tool
from writecarenotes.assessments.tools._common import D, band
from writecarenotes.assessments.tools.amts import correct

ITEMS = (
    correct("age", _("Age")),
    correct("date_of_birth", _("Date of birth")),
    correct("place", _("Place (name of the home or building)")),
    correct("year", _("Current year")),
)

TOOL = Tool(
    slug="amt4",
    name=_("AMT4 (Abbreviated Mental Test, 4 questions)"),
    short_name="AMT4",
    version="1",
    purpose=_("A very quick four-question screen for cognitive impairment."),
    items=ITEMS,
    band_sets={
        "swain_1997": (
            band(
                "impaired",
                _("impaired cognition suggested (under 4)"),
                0,
                3,
                1,
                _("Consider delirium or dementia and arrange a fuller assessment (e.g. 4AT, AMTS or 6CIT)."),
            ),
            band("normal", _("normal (4)"), 4, 4, 0, _("No impairment suggested by this test.")),
        ),
    },
    band_set_labels={"swain_1997": _("Cut-off: under 4 (Swain & Nightingale 1997)")},
    default_review_days=None,
    triggers=("behaviour_change", "acute_illness", "band_worsened"),
    source=(
        "Swain DG, Nightingale PG. Evaluation of a shortened version of the Abbreviated Mental Test in a series "
        "of elderly patients. Clinical Rehabilitation 1997;11(3):243-248. Derived from Hodkinson HM, Age and "
        "Ageing 1972;1(4):233-238."
    ),
    licence="Published research instrument, freely used in clinical practice; no licence fee.",
    acknowledgement=_("AMT4: Swain DG, Nightingale PG, Clinical Rehabilitation 1997."),
    min_total=D(0),
    max_total=D(4),
)
