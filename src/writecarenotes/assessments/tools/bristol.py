"""Bristol Stool Form Scale (Lewis & Heaton 1997): a classification of stool form, types 1 to 7.

The "score" is the type. Types 1 and 2 suggest constipation (slow transit), 3 and 4 are the ideal
(normal) forms, and 5, 6 and 7 tend towards diarrhoea (fast transit, urgency). Constipation and
diarrhoea are equally far from normal, so both rank 1: moving from one to the other is not a
"worsening".
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from writecarenotes.assessments.engine import Item, Tool
from writecarenotes.assessments.tools._common import D, band, opt

ITEMS = (
    Item(
        key="stool_type",
        label=_("Stool type"),
        kind="choice",
        group=_("Bristol Stool Form Scale"),
        options=(
            opt("1", _("Type 1: separate hard lumps, like nuts (hard to pass)"), 1),
            opt("2", _("Type 2: sausage-shaped but lumpy"), 2),
            opt("3", _("Type 3: like a sausage with cracks on the surface"), 3),
            opt("4", _("Type 4: like a sausage or snake, smooth and soft"), 4),
            opt("5", _("Type 5: soft blobs with clear-cut edges (passed easily)"), 5),
            opt("6", _("Type 6: fluffy pieces with ragged edges, mushy"), 6),
            opt("7", _("Type 7: watery, no solid pieces, entirely liquid"), 7),
        ),
    ),
)

TOOL = Tool(
    slug="bristol",
    name=_("Bristol Stool Form Scale"),
    short_name="Bristol stool",
    version="1",
    purpose=_("Classifies stool form (types 1-7) to describe constipation and diarrhoea."),
    items=ITEMS,
    band_sets={
        "lewis_heaton_1997": (
            band(
                "constipation",
                _("constipation (types 1-2)"),
                1,
                2,
                1,
                _("Review fluids, fibre, mobility and medicines; follow the bowel care plan."),
            ),
            band("normal", _("normal (types 3-4)"), 3, 4, 0, _("No action needed.")),
            band(
                "diarrhoea",
                _("tending towards diarrhoea (types 5-7)"),
                5,
                7,
                1,
                _(
                    "Monitor fluids; with type 7 or repeated loose stools, follow the infection control policy "
                    "and tell the nurse or GP."
                ),
            ),
        ),
    },
    band_set_labels={"lewis_heaton_1997": _("Types 1-2 constipation, 3-4 normal, 5-7 towards diarrhoea")},
    default_review_days=None,
    triggers=("bowel_change",),
    source=(
        "Lewis SJ, Heaton KW. Stool form scale as a useful guide to intestinal transit time. Scandinavian "
        "Journal of Gastroenterology 1997;32(9):920-924."
    ),
    licence=(
        "The seven stool types are a published classification used freely in clinical practice. The "
        "illustrated chart (© Norgine, reproduced by kind permission of Dr KW Heaton) is not reproduced here; "
        "the type descriptions are our own short wording."
    ),
    acknowledgement=_("Bristol Stool Form Scale: Lewis SJ, Heaton KW, 1997; Dr KW Heaton, University of Bristol."),
    min_total=D(1),
    max_total=D(7),
)
