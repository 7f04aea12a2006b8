"""6CIT, Six-item Cognitive Impairment Test (Kingshill version 2000), weighted errors, total 0-28.

The weights are in the option points: year wrong 4; month wrong 3; time (within 1 hour) wrong 3;
counting 20 to 1 backwards: 1 error 2, more than 1 error 4; months in reverse: 1 error 2, more than
1 error 4; the five-part address: 2 points per element wrong (0, 2, 4, 6, 8, 10).

Band sets:
- ``"kingshill"`` (default): 0-7 normal; 8-9 mild cognitive impairment (probably refer); 10-28
  significant cognitive impairment (refer).
- ``"cutoff_8"``: 8 or more suggests dementia (Brooke & Bullock 1999, 7/8 cut-off).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from writecarenotes.assessments.engine import Item, Tool
from writecarenotes.assessments.tools._common import D, band, opt

GROUP = _("6CIT")


def _right_wrong(key, label, wrong_points, help_text="") -> Item:
    return Item(
        key=key,
        label=label,
        kind="choice",
        group=GROUP,
        help=help_text,
        options=(opt("correct", _("Correct"), 0), opt("incorrect", _("Incorrect"), wrong_points)),
    )


def _errors(key, label, help_text="") -> Item:
    return Item(
        key=key,
        label=label,
        kind="choice",
        group=GROUP,
        help=help_text,
        options=(
            opt("0", _("Correct (no errors)"), 0),
            opt("1", _("1 error"), 2),
            opt("2_or_more", _("More than 1 error"), 4),
        ),
    )


ITEMS = (
    _right_wrong("year", _("What year is it?"), 4),
    _right_wrong("month", _("What month is it?"), 3),
    _right_wrong(
        "time",
        _("About what time is it? (within 1 hour)"),
        3,
        _(
            "Before this question, give a five-part name and address to remember, e.g. John / Smith / 42 / "
            "High Street / Bedford, and check it is repeated correctly."
        ),
    ),
    _errors("count_backwards", _("Count backwards from 20 to 1")),
    _errors("months_reverse", _("Say the months of the year in reverse")),
    Item(
        key="address_recall",
        label=_("Repeat the name and address"),
        kind="choice",
        group=GROUP,
        options=(
            opt("0", _("Correct (no errors)"), 0),
            opt("1", _("1 error"), 2),
            opt("2", _("2 errors"), 4),
            opt("3", _("3 errors"), 6),
            opt("4", _("4 errors"), 8),
            opt("5", _("All wrong"), 10),
        ),
    ),
)

TOOL = Tool(
    slug="6cit",
    name=_("6CIT (Six-item Cognitive Impairment Test)"),
    short_name="6CIT",
    version="1",
    purpose=_("A short screen for cognitive impairment; a higher score means more impairment."),
    items=ITEMS,
    band_sets={
        "kingshill": (
            band("normal", _("normal"), 0, 7, 0, _("Referral not necessary at present.")),
            band("mild", _("mild cognitive impairment"), 8, 9, 1, _("Probably refer (GP or memory service).")),
            band("significant", _("significant cognitive impairment"), 10, 28, 2, _("Refer (GP or memory service).")),
        ),
        "cutoff_8": (
            band("normal", _("below the cut-off (0-7)"), 0, 7, 0, _("Referral not necessary at present.")),
            band(
                "impaired",
                _("cognitive impairment suggested (8 or more)"),
                8,
                28,
                1,
                _("Refer (GP or memory service)."),
            ),
        ),
    },
    band_set_labels={
        "kingshill": _("Kingshill version 2000: normal 0-7, mild 8-9, significant 10-28"),
        "cutoff_8": _("Cut-off 8 or more (Brooke & Bullock 1999)"),
    },
    default_review_days=None,
    triggers=("behaviour_change", "band_worsened"),
    source=(
        "Brooke P, Bullock R. Validation of a 6 item cognitive impairment test with a view to primary care "
        "usage. International Journal of Geriatric Psychiatry 1999;14(11):936-940. 6CIT - Kingshill Version "
        "2000 (Kingshill Research Centre, Swindon; www.6cit.co.uk). Derived from Katzman R, et al. American "
        "Journal of Psychiatry 1983;140:734-739."
    ),
    licence=(
        "6CIT - Kingshill Version 2000 © Kingshill Research Centre. Free to use in clinical practice; the "
        "copyright holder asks to be contacted before it is built into commercial software."
    ),
    acknowledgement=_("6CIT - Kingshill Version 2000 © Kingshill Research Centre, Swindon."),
    min_total=D(0),
    max_total=D(28),
)
