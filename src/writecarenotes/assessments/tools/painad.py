"""PAINAD, Pain Assessment in Advanced Dementia (Warden, Hurley & Volicer 2003): five observations,
each 0-2; total 0-10. Interpretation published with the scale: 1-3 mild, 4-6 moderate, 7-10 severe
pain (0: no pain observed).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from writecarenotes.assessments.engine import Item, Tool
from writecarenotes.assessments.tools._common import D, band, opt

GROUP = _("Observe for about 5 minutes")


def _item(key, label, zero, one, two) -> Item:
    return Item(
        key=key,
        label=label,
        kind="choice",
        group=GROUP,
        options=(opt("0", zero, 0), opt("1", one, 1), opt("2", two, 2)),
    )


ITEMS = (
    _item(
        "breathing",
        _("Breathing (apart from speaking or sounds)"),
        _("0 Normal"),
        _("1 Sometimes laboured; short spells of fast breathing"),
        _("2 Noisy and laboured; long spells of fast breathing; Cheyne-Stokes breathing"),
    ),
    _item(
        "negative_vocalisation",
        _("Negative vocalisation"),
        _("0 None"),
        _("1 Occasional moan or groan; quiet speech with a negative or disapproving tone"),
        _("2 Repeated troubled calling out; loud moaning or groaning; crying"),
    ),
    _item(
        "facial_expression",
        _("Facial expression"),
        _("0 Smiling or without expression"),
        _("1 Sad, frightened, frowning"),
        _("2 Grimacing"),
    ),
    _item(
        "body_language",
        _("Body language"),
        _("0 Relaxed"),
        _("1 Tense; distressed pacing; fidgeting"),
        _("2 Rigid; fists clenched; knees pulled up; pulling or pushing away; striking out"),
    ),
    _item(
        "consolability",
        _("Consolability"),
        _("0 No need to console"),
        _("1 Distracted or reassured by voice or touch"),
        _("2 Cannot be consoled, distracted or reassured"),
    ),
)

ACT = _("Look for the cause, treat the pain as prescribed, and reassess after treatment.")

TOOL = Tool(
    slug="painad",
    name=_("PAINAD (Pain Assessment in Advanced Dementia)"),
    short_name="PAINAD",
    version="1",
    purpose=_("Measures pain in people with advanced dementia from five observed behaviours."),
    items=ITEMS,
    band_sets={
        "warden_2003": (
            band("no_pain", _("no pain observed"), 0, 0, 0, _("Reassess when behaviour changes.")),
            band("mild", _("mild pain"), 1, 3, 1, ACT),
            band("moderate", _("moderate pain"), 4, 6, 2, ACT),
            band("severe", _("severe pain"), 7, 10, 3, ACT),
        ),
    },
    band_set_labels={"warden_2003": _("1-3 mild, 4-6 moderate, 7-10 severe")},
    default_review_days=None,
    triggers=("pain_suspected", "behaviour_change", "fall", "band_worsened"),
    source=(
        "Warden V, Hurley AC, Volicer L. Development and psychometric evaluation of the Pain Assessment in "
        "Advanced Dementia (PAINAD) scale. Journal of the American Medical Directors Association "
        "2003;4(1):9-15. Interpretation 1-3 mild, 4-6 moderate, 7-10 severe: as published with the scale."
    ),
    licence=(
        "PAINAD was developed at the New England Geriatric Research Education and Clinical Center (US Department "
        "of Veterans Affairs) and is in the public domain; it may be used freely with acknowledgement. The "
        "descriptors here are a short paraphrase."
    ),
    acknowledgement=_("PAINAD: Warden V, Hurley AC, Volicer L, 2003."),
    min_total=D(0),
    max_total=D(10),
)
