"""Abbey Pain Scale (Abbey et al. 2004): six observations, each absent 0 / mild 1 / moderate 2 /
severe 3; total 0-18. 0-2 no pain, 3-7 mild, 8-13 moderate, 14 or more severe. The type of pain
(chronic, acute, acute on chronic) is recorded too and does not score.

Use it while the person moves (e.g. during care); reassess one hour after any intervention.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from writecarenotes.assessments.engine import Item, Tool
from writecarenotes.assessments.tools._common import D, band, opt

GROUP = _("Observe the person, ideally while they move")


def _severity() -> tuple:
    return (
        opt("0", _("Absent"), 0),
        opt("1", _("Mild"), 1),
        opt("2", _("Moderate"), 2),
        opt("3", _("Severe"), 3),
    )


def _item(key, label, help_text) -> Item:
    return Item(key=key, label=label, kind="choice", group=GROUP, help=help_text, options=_severity())


ITEMS = (
    _item("vocalisation", _("Vocalisation"), _("For example whimpering, groaning, crying.")),
    _item(
        "facial_expression",
        _("Facial expression"),
        _("For example looking tense, frowning, grimacing, looking frightened."),
    ),
    _item(
        "body_language",
        _("Change in body language"),
        _("For example fidgeting, rocking, guarding part of the body, withdrawn."),
    ),
    _item(
        "behavioural_change",
        _("Behavioural change"),
        _("For example more confused, refusing to eat, change in usual patterns."),
    ),
    _item(
        "physiological_change",
        _("Physiological change"),
        _("For example temperature, pulse or blood pressure outside normal limits, sweating, flushing, pallor."),
    ),
    _item(
        "physical_changes",
        _("Physical changes"),
        _("For example skin tears, pressure areas, arthritis, contractures, previous injuries."),
    ),
    Item(
        key="pain_type",
        label=_("Type of pain"),
        kind="choice",
        required=False,
        group=_("Type of pain (does not score)"),
        options=(
            opt("chronic", _("Chronic"), 0),
            opt("acute", _("Acute"), 0),
            opt("acute_on_chronic", _("Acute on chronic"), 0),
        ),
    ),
)

REASSESS = _(
    "Reassess one hour after any intervention; if the score is the same or worse, consider further action. "
    "Repeat hourly until pain is mild, then every 4 hours for 24 hours."
)

TOOL = Tool(
    slug="abbey",
    name=_("Abbey Pain Scale"),
    short_name="Abbey",
    version="1",
    purpose=_("Measures pain in people with dementia who cannot say they are in pain."),
    items=ITEMS,
    band_sets={
        "abbey_2004": (
            band("no_pain", _("no pain"), 0, 2, 0, _("Reassess when behaviour changes.")),
            band("mild", _("mild pain"), 3, 7, 1, REASSESS),
            band("moderate", _("moderate pain"), 8, 13, 2, REASSESS),
            band("severe", _("severe pain"), 14, 18, 3, REASSESS),
        ),
    },
    band_set_labels={"abbey_2004": _("Abbey Pain Scale (2004)")},
    default_review_days=None,
    triggers=("pain_suspected", "behaviour_change", "fall", "band_worsened"),
    source=(
        "Abbey J, Piller N, De Bellis A, Esterman A, Parker D, Giles L, Lowcay B. The Abbey pain scale: a "
        "1-minute numerical indicator for people with end-stage dementia. International Journal of Palliative "
        "Nursing 2004;10(1):6-13."
    ),
    licence=(
        "The Abbey Pain Scale was funded by the JH & JD Gunn Medical Research Foundation 1998-2002 and may be "
        "reproduced with that acknowledgement retained."
    ),
    acknowledgement=_(
        "Abbey Pain Scale: Jennifer Abbey et al. Funded by the JH & JD Gunn Medical Research Foundation 1998-2002."
    ),
    min_total=D(0),
    max_total=D(18),
)
