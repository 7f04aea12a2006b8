"""Geriatric Depression Scale, short form (GDS-15; Sheikh & Yesavage 1986): 15 yes/no questions
about the past week; one point for each answer that suggests depression, total 0-15.

Reverse-keyed questions are data: "no" scores 1 on questions 1, 5, 7, 11 and 13; "yes" scores 1
on the other ten.

Band sets:
- ``"severity"`` (default): 0-4 normal, 5-8 mild, 9-11 moderate, 12-15 severe depression (the
  interpretation given with the scale by its authors' site, Stanford University).
- ``"screen"``: 5 or more suggests depression and warrants a follow-up assessment (some printed
  forms say "more than 5"; the severity set above starts "mild" at 5, which this set follows).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from writecarenotes.assessments.engine import Item, Tool
from writecarenotes.assessments.tools._common import D, band, yes_no

GROUP = _("How have you felt over the past week?")

# (key, question, points for "yes", points for "no")
QUESTIONS = (
    ("satisfied", _("Are you basically satisfied with your life?"), 0, 1),
    ("dropped_activities", _("Have you dropped many of your activities and interests?"), 1, 0),
    ("life_empty", _("Do you feel that your life is empty?"), 1, 0),
    ("bored", _("Do you often get bored?"), 1, 0),
    ("good_spirits", _("Are you in good spirits most of the time?"), 0, 1),
    ("afraid", _("Are you afraid that something bad is going to happen to you?"), 1, 0),
    ("happy", _("Do you feel happy most of the time?"), 0, 1),
    ("helpless", _("Do you often feel helpless?"), 1, 0),
    ("stay_home", _("Do you prefer to stay at home, rather than going out and doing new things?"), 1, 0),
    ("memory", _("Do you feel you have more problems with memory than most?"), 1, 0),
    ("wonderful_alive", _("Do you think it is wonderful to be alive now?"), 0, 1),
    ("worthless", _("Do you feel pretty worthless the way you are now?"), 1, 0),
    ("energy", _("Do you feel full of energy?"), 0, 1),
    ("hopeless", _("Do you feel that your situation is hopeless?"), 1, 0),
    ("others_better_off", _("Do you think that most people are better off than you are?"), 1, 0),
)

ITEMS = tuple(
    Item(key=key, label=question, kind="boolean", group=GROUP, options=yes_no(yes_points, no_points))
    for key, question, yes_points, no_points in QUESTIONS
)

FOLLOW_UP = _("Suggests depression: arrange a follow-up assessment with the GP or mental health team.")

TOOL = Tool(
    slug="gds15",
    name=_("Geriatric Depression Scale, short form (GDS-15)"),
    short_name="GDS-15",
    version="1",
    purpose=_("Screens older people for depression with fifteen yes/no questions."),
    items=ITEMS,
    band_sets={
        "severity": (
            band("normal", _("normal"), 0, 4, 0, _("No depression suggested; reassess if mood changes.")),
            band("mild", _("mild depression"), 5, 8, 1, FOLLOW_UP),
            band("moderate", _("moderate depression"), 9, 11, 2, FOLLOW_UP),
            band("severe", _("severe depression"), 12, 15, 3, FOLLOW_UP),
        ),
        "screen": (
            band("unlikely", _("depression not suggested (0-4)"), 0, 4, 0, _("Reassess if mood changes.")),
            band("suggested", _("depression suggested (5 or more)"), 5, 15, 1, FOLLOW_UP),
        ),
    },
    band_set_labels={
        "severity": _("Normal 0-4, mild 5-8, moderate 9-11, severe 12-15"),
        "screen": _("Screening cut-off: 5 or more"),
    },
    default_review_days=None,
    triggers=("behaviour_change", "band_worsened"),
    source=(
        "Sheikh JI, Yesavage JA. Geriatric Depression Scale (GDS): recent evidence and development of a shorter "
        "version. Clinical Gerontologist 1986;5(1-2):165-173. Yesavage JA, Brink TL, Rose TL, et al. "
        "Development and validation of a geriatric depression screening scale: a preliminary report. Journal of "
        "Psychiatric Research 1983;17(1):37-49. Interpretation: GDS website, Stanford University "
        "(web.stanford.edu/~yesavage/GDS.html)."
    ),
    licence="The Geriatric Depression Scale is in the public domain and may be copied and used without permission.",
    acknowledgement=_("Geriatric Depression Scale: Yesavage JA, Sheikh JI, Stanford University (public domain)."),
    min_total=D(0),
    max_total=D(15),
)
