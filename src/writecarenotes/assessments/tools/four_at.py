"""4AT, the 4 'A's Test for delirium and cognitive impairment (version 1.2), total 0-12.

[1] Alertness: normal, or mild sleepiness under 10 seconds after waking then normal -> 0; clearly
abnormal -> 4. [2] AMT4 (age, date of birth, place, year): no mistakes 0; one mistake 1; two or more
mistakes or untestable 2. [3] Attention, months of the year backwards: 7 or more correct 0; starts
but fewer than 7, or refuses 1; untestable (cannot start: unwell, drowsy, inattentive) 2.
[4] Acute change or fluctuating course over the last 2 weeks, still evident in the last 24 hours:
no 0; yes 4.

4 or more: possible delirium with or without cognitive impairment; 1-3: possible cognitive
impairment; 0: delirium or severe cognitive impairment unlikely (delirium is still possible if
the information for [4] is incomplete).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from writecarenotes.assessments.engine import Item, Tool
from writecarenotes.assessments.tools._common import D, band, opt, yes_no

ITEMS = (
    Item(
        key="alertness",
        label=_("[1] Alertness"),
        kind="choice",
        group=_("4AT"),
        help=_("Includes people who are very drowsy or agitated. Observe; ask name and address if needed."),
        options=(
            opt("normal", _("Normal (fully alert, not agitated) throughout"), 0),
            opt("mild_sleepiness", _("Mild sleepiness for under 10 seconds after waking, then normal"), 0),
            opt("abnormal", _("Clearly abnormal"), 4),
        ),
    ),
    Item(
        key="amt4",
        label=_("[2] AMT4: age, date of birth, place (name of the home or building), current year"),
        kind="choice",
        group=_("4AT"),
        options=(
            opt("no_mistakes", _("No mistakes"), 0),
            opt("one_mistake", _("1 mistake"), 1),
            opt("two_or_more", _("2 or more mistakes, or untestable"), 2),
        ),
    ),
    Item(
        key="attention",
        label=_("[3] Attention: months of the year backwards, starting at December"),
        kind="choice",
        group=_("4AT"),
        help=_("One prompt of 'what is the month before December?' is allowed."),
        options=(
            opt("seven_or_more", _("7 or more months correct"), 0),
            opt("fewer_than_seven", _("Starts but fewer than 7 months, or refuses to start"), 1),
            opt("untestable", _("Untestable (cannot start because unwell, drowsy or inattentive)"), 2),
        ),
    ),
    Item(
        key="acute_change",
        label=_("[4] Acute change or fluctuating course"),
        kind="boolean",
        group=_("4AT"),
        help=_(
            "Significant change or fluctuation in alertness, cognition or other mental function (e.g. paranoia, "
            "hallucinations) arising over the last 2 weeks and still evident in the last 24 hours."
        ),
        options=yes_no(4),
    ),
)

TOOL = Tool(
    slug="4at",
    name=_("4AT (rapid test for delirium)"),
    short_name="4AT",
    version="1",
    purpose=_("Screens for delirium and cognitive impairment in about two minutes."),
    items=ITEMS,
    band_sets={
        "4at_v1_2": (
            band(
                "unlikely",
                _("delirium or severe cognitive impairment unlikely"),
                0,
                0,
                0,
                _("Delirium is still possible if the information on acute change is incomplete."),
            ),
            band(
                "cognitive_impairment",
                _("possible cognitive impairment"),
                1,
                3,
                1,
                _("More detailed cognitive testing and a history from someone who knows the person may be needed."),
            ),
            band(
                "delirium",
                _("possible delirium with or without cognitive impairment"),
                4,
                12,
                2,
                _(
                    "Tell the nurse or manager now and contact the GP or NHS 111 today: delirium needs a clinical "
                    "review."
                ),
            ),
        ),
    },
    band_set_labels={"4at_v1_2": _("4AT version 1.2")},
    default_review_days=None,
    triggers=("behaviour_change", "acute_illness", "fall", "band_worsened"),
    source=(
        "MacLullich AMJ, Ryan T, Cash H. 4AT: Rapid clinical test for delirium, version 1.2 (2014), "
        "www.the4at.com. Bellelli G, Morandi A, Davis DHJ, et al. Validation of the 4AT, a new instrument for "
        "rapid delirium screening: a study in 234 hospitalised older people. Age and Ageing 2014;43(4):496-502."
    ),
    licence=(
        "The 4AT is free to download and use, including in electronic records, without permission or "
        "registration (www.the4at.com)."
    ),
    acknowledgement=_("4AT © 2011-2014 Alasdair MacLullich, Tracy Ryan, Helen Cash. www.the4at.com"),
    min_total=D(0),
    max_total=D(12),
)
