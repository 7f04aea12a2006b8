"""Cornell Scale for Depression in Dementia (Alexopoulos, Abrams, Young & Shamoian 1988).

19 items about the week before the interview, each rated from interviews with a carer who knows the
person and with the person: a = unable to evaluate, 0 = absent, 1 = mild or intermittent, 2 =
severe. "Unable to evaluate" scores 0. Total 0-38.

Interpretation published with the scale: above 10 probable major depression; above 18 definite major
depression; below 6, as a rule, no significant depressive symptoms. So: 0-5 none significant; 6-10
some symptoms (below the probable-depression cut-off); 11-18 probable; 19-38 definite.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from writecarenotes.assessments.engine import Item, Tool
from writecarenotes.assessments.tools._common import D, band, opt

MOOD = _("A. Mood-related signs")
BEHAVIOUR = _("B. Behavioural disturbance")
PHYSICAL = _("C. Physical signs")
CYCLIC = _("D. Cyclic functions")
IDEATIONAL = _("E. Ideational disturbance")


def _item(key, label, group, help_text="") -> Item:
    return Item(
        key=key,
        label=label,
        kind="choice",
        group=group,
        help=help_text,
        options=(
            opt("a", _("Unable to evaluate"), 0),
            opt("0", _("Absent"), 0),
            opt("1", _("Mild or intermittent"), 1),
            opt("2", _("Severe"), 2),
        ),
    )


ITEMS = (
    _item("anxiety", _("Anxiety: anxious expression, ruminating, worrying"), MOOD),
    _item("sadness", _("Sadness: sad expression, sad voice, tearful"), MOOD),
    _item("lack_of_reactivity", _("Lack of reaction to pleasant events"), MOOD),
    _item("irritability", _("Irritability: easily annoyed, short-tempered"), MOOD),
    _item("agitation", _("Agitation: restless, wringing hands, pulling hair"), BEHAVIOUR),
    _item("retardation", _("Retardation: slow movements, slow speech, slow reactions"), BEHAVIOUR),
    _item(
        "physical_complaints",
        _("Multiple physical complaints"),
        BEHAVIOUR,
        _("Score 0 if there are gastrointestinal symptoms only."),
    ),
    _item(
        "loss_of_interest",
        _("Loss of interest: less involved in usual activities"),
        BEHAVIOUR,
        _("Score only if the change happened quickly, in less than a month."),
    ),
    _item("appetite_loss", _("Appetite loss: eating less than usual"), PHYSICAL),
    _item("weight_loss", _("Weight loss"), PHYSICAL, _("Score 2 if more than 5 lb (about 2.3 kg) in a month.")),
    _item(
        "lack_of_energy",
        _("Lack of energy: tires easily, cannot keep up activities"),
        PHYSICAL,
        _("Score only if the change happened quickly, in less than a month."),
    ),
    _item("diurnal_variation", _("Mood varies through the day: symptoms worse in the morning"), CYCLIC),
    _item("difficulty_falling_asleep", _("Difficulty falling asleep: later than usual for this person"), CYCLIC),
    _item("multiple_awakenings", _("Wakes several times during sleep"), CYCLIC),
    _item("early_waking", _("Wakes early: earlier than usual for this person"), CYCLIC),
    _item(
        "suicide",
        _("Suicide: feels life is not worth living, has suicidal wishes, or has attempted suicide"),
        IDEATIONAL,
    ),
    _item("poor_self_esteem", _("Poor self-esteem: self-blame, running self down, feelings of failure"), IDEATIONAL),
    _item("pessimism", _("Pessimism: expects the worst"), IDEATIONAL),
    _item("mood_congruent_delusions", _("Mood-congruent delusions: of poverty, illness or loss"), IDEATIONAL),
)

REFER = _("Refer to the GP or older people's mental health team for assessment.")

TOOL = Tool(
    slug="cornell",
    name=_("Cornell Scale for Depression in Dementia"),
    short_name="Cornell",
    version="1",
    purpose=_("Rates signs of depression in people with dementia, from interviews with a carer and the person."),
    items=ITEMS,
    band_sets={
        "alexopoulos_1988": (
            band("none", _("no significant depressive symptoms"), 0, 5, 0, _("Reassess if mood or behaviour changes.")),
            band(
                "some",
                _("some depressive symptoms (below the probable-depression cut-off)"),
                6,
                10,
                1,
                _("Watch mood and behaviour; discuss with the GP if symptoms persist."),
            ),
            band("probable", _("probable major depression"), 11, 18, 2, REFER),
            band("definite", _("definite major depression"), 19, 38, 3, REFER),
        ),
    },
    band_set_labels={"alexopoulos_1988": _("Above 10 probable, above 18 definite major depression")},
    default_review_days=None,
    triggers=("behaviour_change", "band_worsened"),
    source=(
        "Alexopoulos GS, Abrams RC, Young RC, Shamoian CA. Cornell Scale for Depression in Dementia. Biological "
        "Psychiatry 1988;23(3):271-284. Interpretation (above 10 probable, above 18 definite, below 6 no "
        "significant symptoms): as published with the scale's administration instructions."
    ),
    licence=(
        "Cornell Scale for Depression in Dementia © George S. Alexopoulos. Widely reproduced for clinical use; "
        "reproduction in a product may need the author's permission (Weill Cornell Medicine), which the "
        "operator of an installation should check. The item wording here is a short paraphrase."
    ),
    acknowledgement=_("Cornell Scale for Depression in Dementia © George S. Alexopoulos, 1988."),
    min_total=D(0),
    max_total=D(38),
)
