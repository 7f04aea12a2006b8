"""Care plans proposed from a resident's latest assessment results: the mapping as data, with its sources.

Each ``Rule`` says which need domain a tool's result points to, and from which band rank on (the
tool's own bands, so an organisation's choice of band set is respected: see assessments' tool
library). The highest ``Level`` whose ``min_rank`` the result reaches applies; it adds a line to the
plan's needs, goals and interventions. Several results pointing at the same domain make ONE plan
(Waterlow and Braden -> one skin integrity plan); interventions with the same ``key`` are merged,
the most frequent kept (repositioning every 2 h wins over every 4 h).

A proposal is only a proposal: the nurse reads it, changes it with the person, and agrees it
(``services_plans.agree_plan``). A domain that already has a plan (not archived) is left alone.

Sources of the thresholds and of what is proposed:
- Pressure ulcers: NICE CG179 (2014) 1.1.17-1.1.18 and NICE QS89 (2015) statement 5: adults at risk
  change position at least every 6 hours, at high risk at least every 4 hours; 1.1.20 high-
  specification foam mattress for adults at high risk. Waterlow card (2005): 10+ at risk, 15+ high,
  20+ very high; Braden (Ayello & Braden 2002): 15-18 at risk, 13-14 moderate, 10-12 high, 9 or less
  very high. For very high risk the proposal repositions every 2 hours (more often than NICE's
  "at least every 4 hours", as is usual practice for very high risk): the nurse adjusts it.
- Malnutrition: BAPEN 'MUST' Explanatory Booklet (2003, revised 2011), management guidelines:
  medium risk: observe, document food and fluid intake for 3 days, repeat screening monthly in care
  homes; high risk: treat, refer to a dietitian or follow local policy, set goals, improve and
  increase intake, monitor and review the care plan monthly. Fluid target 30 ml/kg/day (NICE CG174
  (2013) 1.3.1: 25-30 ml/kg/day of water for adults' routine maintenance), from the last weight.
- Falls: Morse Fall Scale (Morse, Morse & Tylko 1989; the tool's bands); NICE CG161 (2013) / NG249
  (2025): multifactorial interventions for people at risk (environment, footwear, vision,
  continence, medication review).
- Pain: Abbey Pain Scale (Abbey et al. 2004): reassess 1 hour after any intervention; PAINAD
  (Warden, Hurley & Volicer 2003).
- Delirium and cognition: 4AT (4 or more: possible delirium; 1-3: possible cognitive impairment);
  NICE CG103 (2010, updated 2023) delirium: look for and treat the cause, reorientation, glasses and
  hearing aids, hydration, sleep. AMTS, AMT4, 6CIT: impaired cognition suggested.
- Mood: GDS-15 (5 or more suggests depression; Sheikh & Yesavage 1986), Cornell Scale (Alexopoulos et al.
  1988): follow-up with the GP or older people's mental health team.
- Dependency: Barthel Index (Collin et al. 1988, 0-20; Shah et al. 1989, 0-100): any dependency ->
  personal care plan; severe or total dependency -> mobility plan (moving and handling).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from writecarenotes.care_planning.models.plans import Domain, ScheduleKind

#: fluid target from the last weight: ml per kg per day (NICE CG174 1.3.1), limits and the default
ML_PER_KG = 30
FLUID_MIN_ML, FLUID_MAX_ML, FLUID_DEFAULT_ML = 1000, 2500, 1500
DRINK_TIMES = ("08:00", "10:00", "12:00", "14:00", "16:00", "18:00", "20:00")
MEAL_TIMES = ("08:30", "12:30", "17:30")
NIGHT_CHECK_TIMES = ("22:00", "00:00", "02:00", "04:00", "06:00")


@dataclass(frozen=True)
class InterventionSpec:
    key: str
    what: object  # a lazy text; "{hours}" and "{target}" are filled in
    kind: str
    every_hours: int | None = None
    every_days: int | None = None
    times: tuple[str, ...] = ()
    chart: str = ""
    repositioning: bool = False  # sets the repositioning interval (= every_hours)
    fluid_target: bool = False  # sets the daily fluid target (from the last weight)


@dataclass(frozen=True)
class GoalSpec:
    key: str
    text: object
    measure: object = ""
    days: int = 30


@dataclass(frozen=True)
class Level:
    min_rank: int
    needs: object
    goals: tuple[GoalSpec, ...] = ()
    interventions: tuple[InterventionSpec, ...] = ()


@dataclass(frozen=True)
class Rule:
    tool: str
    domain: str
    why: object
    source: str
    levels: tuple[Level, ...]

    def level_for(self, rank: int | None) -> Level | None:
        if rank is None:
            return None
        fitting = [lv for lv in self.levels if lv.min_rank <= rank]
        return max(fitting, key=lambda lv: lv.min_rank) if fitting else None


def _reposition(hours: int) -> InterventionSpec:
    return InterventionSpec(
        key="reposition",
        what=_(
            "Help to change position at least every {hours} hours, day and night. Check the skin over "
            "heels, bottom, hips and elbows each time; record it on the repositioning chart."
        ),
        kind=ScheduleKind.EVERY_N_HOURS,
        every_hours=hours,
        chart="repositioning",
        repositioning=True,
    )


_MATTRESS = InterventionSpec(
    key="mattress",
    what=_("Check the pressure-relieving mattress and cushion are in place and working."),
    kind=ScheduleKind.EACH_SHIFT,
)
_DYNAMIC = InterventionSpec(
    key="mattress",
    what=_("Check the dynamic (alternating) mattress is on, set for the person's weight, and the cushion is in use."),
    kind=ScheduleKind.EACH_SHIFT,
)
_SKIN_CARE = InterventionSpec(
    key="skin_care",
    what=_("Keep the skin clean and dry; after incontinence wash, dry and apply barrier cream if prescribed."),
    kind=ScheduleKind.AS_NEEDED,
)
_SKIN_GOAL = GoalSpec(
    key="skin_intact",
    text=_("Skin stays intact: no new pressure damage."),
    measure=_("No new redness that does not fade when pressed, and no broken skin, at the skin checks."),
)


def _skin_levels(ranks: dict[int, int]) -> tuple[Level, ...]:
    """Skin integrity levels from {band rank: repositioning hours}."""
    out = []
    for rank, hours in sorted(ranks.items()):
        out.append(
            Level(
                min_rank=rank,
                needs=_("At risk of pressure ulcers: {summary}."),
                goals=(_SKIN_GOAL,),
                interventions=(_reposition(hours), _DYNAMIC if hours <= 2 else _MATTRESS, _SKIN_CARE),
            )
        )
    return tuple(out)


_FOOD_CHART = InterventionSpec(
    key="food_chart",
    what=_("Record what is eaten and drunk at each meal on the food and fluid chart."),
    kind=ScheduleKind.TIMES_OF_DAY,
    times=MEAL_TIMES,
    chart="food-fluid",
)
_DRINKS = InterventionSpec(
    key="drinks",
    what=_("Offer a drink (about 200 ml) every 2 hours while awake; aim for {target} ml a day. Record each drink."),
    kind=ScheduleKind.TIMES_OF_DAY,
    times=DRINK_TIMES,
    chart="food-fluid",
    fluid_target=True,
)
_SNACKS = InterventionSpec(
    key="snacks",
    what=_("Offer a fortified snack or nourishing drink between meals (food first)."),
    kind=ScheduleKind.TIMES_OF_DAY,
    times=("10:30", "15:00", "20:00"),
    chart="food-fluid",
)


def _weigh(days: int) -> InterventionSpec:
    return InterventionSpec(
        key="weigh",
        what=_("Weigh on the same scales, at the same time of day, in similar clothing; record the weight."),
        kind=ScheduleKind.EVERY_N_DAYS,
        every_days=days,
        times=("10:00",),
        chart="weight",
    )


_WEIGHT_GOAL = GoalSpec(
    key="weight_stable",
    text=_("Weight stays steady or goes up."),
    measure=_("No further weight loss at the next weights."),
)
_FLUID_GOAL = GoalSpec(
    key="fluids",
    text=_("Drinks enough every day."),
    measure=_("The day's fluid total reaches the target on most days."),
)

_FALLS_BASICS = InterventionSpec(
    key="falls_environment",
    what=_(
        "Call bell, walking aid and glasses within reach; well-fitting footwear; floor clear of trip hazards; "
        "bed at the lowest height."
    ),
    kind=ScheduleKind.EACH_SHIFT,
)
_NIGHT_CHECKS = InterventionSpec(
    key="night_checks",
    what=_("Check on the person at night and offer the toilet if awake; record the night check."),
    kind=ScheduleKind.TIMES_OF_DAY,
    times=NIGHT_CHECK_TIMES,
    chart="sleep",
)
_AFTER_FALL = InterventionSpec(
    key="after_fall",
    what=_(
        "After any fall: check for injury before moving the person, get help, and record the fall in a note "
        "(marked as a fall)."
    ),
    kind=ScheduleKind.AS_NEEDED,
)
_NO_FALLS_GOAL = GoalSpec(
    key="no_falls",
    text=_("No falls with injury."),
    measure=_("Falls recorded in the daily notes since the last review."),
)
_MED_REVIEW_GOAL = GoalSpec(
    key="medication_review",
    text=_("Medicines reviewed by the GP or pharmacist for those that raise the risk of falls."),
    measure=_("The review and its outcome written in the plan."),
    days=28,
)

_PAIN_CHECK = InterventionSpec(
    key="pain_check",
    what=_("Look for signs of pain (face, sounds, body, behaviour) and tell the nurse about any change."),
    kind=ScheduleKind.EACH_SHIFT,
)
_PAIN_RELIEF = InterventionSpec(
    key="pain_relief",
    what=_("Give pain relief as prescribed and reassess pain with the same tool one hour later."),
    kind=ScheduleKind.AS_NEEDED,
)
_PAIN_GOAL = GoalSpec(
    key="comfortable",
    text=_("Is comfortable: pain is mild or absent."),
    measure=_("Pain scores at reassessment are lower than now."),
    days=14,
)

_REORIENTATE = InterventionSpec(
    key="orientation",
    what=_(
        "Explain who you are and what you are doing; say the day and time; make sure glasses and hearing aids "
        "are in and working."
    ),
    kind=ScheduleKind.EACH_SHIFT,
)
_DELIRIUM_CAUSES = InterventionSpec(
    key="delirium_causes",
    what=_(
        "Tell the nurse at once about new confusion, drowsiness or agitation; the GP looks for the cause "
        "(infection, pain, constipation, dehydration, medicines)."
    ),
    kind=ScheduleKind.AS_NEEDED,
)
_DELIRIUM_GOAL = GoalSpec(
    key="delirium_resolved",
    text=_("The cause of the confusion is found and treated; back to their usual self."),
    measure=_("4AT below 4 at reassessment."),
    days=7,
)
_COGNITION_GOAL = GoalSpec(
    key="cognition_assessed",
    text=_("A fuller assessment of memory and thinking, with the GP or memory service."),
    measure=_("The outcome written in the plan."),
    days=28,
)

_MOOD = InterventionSpec(
    key="mood",
    what=_("Spend time talking with the person each shift; note their mood and anything that lifts or lowers it."),
    kind=ScheduleKind.EACH_SHIFT,
)
_MOOD_GOAL = GoalSpec(
    key="mood_followed_up",
    text=_("Low mood followed up with the GP or mental health team."),
    measure=_("The follow-up and its outcome written in the plan."),
    days=28,
)

_PERSONAL_CARE = InterventionSpec(
    key="personal_care",
    what=_("Help with washing, dressing and oral care as the person prefers; let them do what they can themselves."),
    kind=ScheduleKind.TIMES_OF_DAY,
    times=("08:30", "20:30"),
)
_INDEPENDENCE_GOAL = GoalSpec(
    key="independence",
    text=_("Keeps doing the parts of personal care they can do."),
    measure=_("What the person did themselves, in the daily notes."),
)
_MOVING = InterventionSpec(
    key="moving_handling",
    what=_("Move and transfer with the equipment and number of staff in the moving and handling assessment."),
    kind=ScheduleKind.EACH_SHIFT,
)

PRESSURE = (
    "NICE CG179 (2014) 1.1.17-1.1.20; NICE QS89 (2015) statement 5: reposition at least every 6 h (at risk), "
    "every 4 h (high risk)"
)
MUST_SOURCE = "BAPEN 'MUST' Explanatory Booklet (2003, rev. 2011): management guidelines; NICE CG174 1.3.1"
FALLS_SOURCE = "Morse, Morse & Tylko 1989 (Morse Fall Scale); NICE CG161 (2013) / NG249 (2025)"
DELIRIUM_SOURCE = "4AT v1.2 (www.the4at.com); NICE CG103 Delirium (2010, updated 2023)"

RULES: tuple[Rule, ...] = (
    Rule(
        "waterlow",
        Domain.SKIN,
        _("Waterlow 10 or more: at risk of pressure ulcers."),
        PRESSURE,
        _skin_levels({1: 6, 2: 4, 3: 2}),
    ),
    Rule(
        "braden",
        Domain.SKIN,
        _("Braden 18 or less: at risk of pressure ulcers."),
        PRESSURE,
        _skin_levels({1: 6, 2: 4, 3: 4, 4: 2}),
    ),
    Rule(
        "must",
        Domain.NUTRITION,
        _("MUST medium (1) or high (2 or more) risk of malnutrition."),
        MUST_SOURCE,
        (
            Level(
                1,
                _("Medium risk of malnutrition: {summary}. Intake to be observed for 3 days."),
                (
                    GoalSpec(
                        "intake_recorded",
                        _("Food and fluid intake recorded for 3 days and reviewed by the nurse."),
                        _("Three complete days on the food and fluid chart."),
                        days=3,
                    ),
                    _WEIGHT_GOAL,
                    _FLUID_GOAL,
                ),
                (_FOOD_CHART, _DRINKS, _weigh(30)),
            ),
            Level(
                2,
                _("High risk of malnutrition: {summary}."),
                (
                    GoalSpec(
                        "dietitian",
                        _("Referred to a dietitian (or the home's nutrition policy followed); advice in the plan."),
                        _("The referral and the advice written in the plan."),
                        days=14,
                    ),
                    _WEIGHT_GOAL,
                    _FLUID_GOAL,
                ),
                (_FOOD_CHART, _DRINKS, _SNACKS, _weigh(7)),
            ),
        ),
    ),
    Rule(
        "morse",
        Domain.MOBILITY,
        _("Morse Fall Scale at moderate or high risk."),
        FALLS_SOURCE,
        (
            Level(1, _("At risk of falls: {summary}."), (_NO_FALLS_GOAL,), (_FALLS_BASICS, _AFTER_FALL)),
            Level(
                2,
                _("High risk of falls: {summary}."),
                (_NO_FALLS_GOAL, _MED_REVIEW_GOAL),
                (_FALLS_BASICS, _NIGHT_CHECKS, _AFTER_FALL),
            ),
        ),
    ),
    Rule(
        "abbey",
        Domain.MEDICATION,
        _("Abbey Pain Scale 3 or more: pain."),
        "Abbey J et al. The Abbey pain scale. Int J Palliat Nurs 2004;10(1):6-13",
        (Level(1, _("Pain: {summary}."), (_PAIN_GOAL,), (_PAIN_CHECK, _PAIN_RELIEF)),),
    ),
    Rule(
        "painad",
        Domain.MEDICATION,
        _("PAINAD 1 or more: signs of pain."),
        "Warden V, Hurley AC, Volicer L. J Am Med Dir Assoc 2003;4(1):9-15",
        (Level(1, _("Pain: {summary}."), (_PAIN_GOAL,), (_PAIN_CHECK, _PAIN_RELIEF)),),
    ),
    Rule(
        "4at",
        Domain.COGNITION,
        _("4AT 1-3: possible cognitive impairment; 4 or more: possible delirium."),
        DELIRIUM_SOURCE,
        (
            Level(1, _("Possible cognitive impairment: {summary}."), (_COGNITION_GOAL,), (_REORIENTATE,)),
            Level(
                2,
                _("Possible delirium: {summary}. Needs a clinical review today."),
                (_DELIRIUM_GOAL,),
                (_REORIENTATE, _DELIRIUM_CAUSES, _DRINKS),
            ),
        ),
    ),
    *(
        Rule(
            slug,
            Domain.COGNITION,
            _("Impaired cognition suggested."),
            source,
            (Level(1, _("Memory and thinking: {summary}."), (_COGNITION_GOAL,), (_REORIENTATE,)),),
        )
        for slug, source in (
            ("amts", "Hodkinson HM. Age Ageing 1972;1(4):233-238"),
            ("amt4", "Swain DG, Nightingale PG. Clin Rehabil 1997;11(3):243-248"),
            ("6cit", "Brooke P, Bullock R. Int J Geriatr Psychiatry 1999;14(11):936-940"),
        )
    ),
    Rule(
        "gds15",
        Domain.MENTAL_HEALTH,
        _("GDS-15 5 or more: depression suggested."),
        "Sheikh JI, Yesavage JA. Clin Gerontol 1986;5(1-2):165-173",
        (Level(1, _("Low mood: {summary}."), (_MOOD_GOAL,), (_MOOD,)),),
    ),
    Rule(
        "cornell",
        Domain.MENTAL_HEALTH,
        _("Cornell Scale: depressive symptoms."),
        "Alexopoulos GS et al. Biol Psychiatry 1988;23(3):271-284",
        (Level(1, _("Low mood: {summary}."), (_MOOD_GOAL,), (_MOOD,)),),
    ),
    *(
        rule
        for slug in ("barthel", "barthel-100")
        for rule in (
            Rule(
                slug,
                Domain.PERSONAL_CARE,
                _("Barthel Index: needs help with activities of daily living."),
                "Collin C, Wade DT, Davies S, Horne V. Int Disabil Stud 1988;10(2):61-63; Shah S et al. 1989",
                (Level(1, _("Needs help with daily living: {summary}."), (_INDEPENDENCE_GOAL,), (_PERSONAL_CARE,)),),
            ),
            Rule(
                slug,
                Domain.MOBILITY,
                _("Barthel Index: severe or total dependency."),
                "Collin C, Wade DT, Davies S, Horne V. Int Disabil Stud 1988;10(2):61-63; Shah S et al. 1989",
                (Level(3, _("Needs help to move: {summary}."), (_NO_FALLS_GOAL,), (_MOVING, _AFTER_FALL)),),
            ),
        )
    ),
)


def domains_for_tool(tool: str) -> set[str]:
    """The need domains a tool's results may point to (for reviews when its band worsens)."""
    return {str(r.domain) for r in RULES if r.tool == tool}


@dataclass
class DomainProposal:
    """What the proposal makes of one domain: the plan's needs, goals, interventions and the results behind."""

    domain: str
    needs: list[str] = field(default_factory=list)
    reasons: list[dict] = field(default_factory=list)
    assessments: list[dict] = field(default_factory=list)
    goals: list[dict] = field(default_factory=list)
    interventions: list[dict] = field(default_factory=list)


def fluid_target_ml(latest_weight_kg) -> tuple[int, str]:
    """(ml a day, how it was worked out): 30 ml/kg of the last weight, rounded to 50 ml, within limits."""
    if latest_weight_kg is None:
        return FLUID_DEFAULT_ML, _t("No weight recorded: the usual 1500 ml a day until the person is weighed.")
    kg = Decimal(str(latest_weight_kg))
    ml = int((kg * ML_PER_KG / 50).quantize(Decimal(1)) * 50)
    ml = max(FLUID_MIN_ML, min(FLUID_MAX_ML, ml))
    return ml, _t("30 ml per kg of %(kg)s kg (NICE CG174), rounded: %(ml)s ml a day.") % {"kg": f"{kg:f}", "ml": ml}


def _intervention(spec: InterventionSpec, target_ml: int) -> dict:
    what = str(spec.what).replace("{hours}", str(spec.every_hours or "")).replace("{target}", str(target_ml))
    return {
        "key": spec.key,
        "what": what,
        "schedule_kind": str(spec.kind),
        "every_hours": spec.every_hours,
        "every_days": spec.every_days,
        "times": list(spec.times),
        "chart": spec.chart,
        "repositioning_hours": spec.every_hours if spec.repositioning else None,
        "fluid_target_ml": target_ml if spec.fluid_target else None,
    }


def _more_frequent(a: dict, b: dict) -> dict:
    """Of two interventions with the same key, the one done more often."""
    if a["every_hours"] and b["every_hours"]:
        return a if a["every_hours"] <= b["every_hours"] else b
    if a["every_days"] and b["every_days"]:
        return a if a["every_days"] <= b["every_days"] else b
    return a if len(a["times"]) >= len(b["times"]) else b


def propose(results, *, latest_weight_kg=None, today=None) -> dict[str, DomainProposal]:
    """{domain: DomainProposal} from ``results`` (assessments.public.ResultSummary, latest per tool).
    Pure: no database. Domains are in the order of ``Domain``."""
    today = today or timezone.localdate()
    target_ml, target_how = fluid_target_ml(latest_weight_kg)
    out: dict[str, DomainProposal] = {}
    by_tool = {r.tool: r for r in results}
    for rule in RULES:
        result = by_tool.get(rule.tool)
        level = rule.level_for(result.band_rank) if result is not None else None
        if level is None:
            continue
        p = out.setdefault(str(rule.domain), DomainProposal(domain=str(rule.domain)))
        p.needs.append(str(level.needs).replace("{summary}", result.summary))
        p.reasons.append({"tool": rule.tool, "why": str(rule.why), "source": rule.source, "result": result.summary})
        if not any(a["result_id"] == result.result_id for a in p.assessments):
            p.assessments.append(
                {
                    "tool": result.tool,
                    "result_id": result.result_id,
                    "total": result.total,
                    "band": result.band,
                    "band_rank": result.band_rank,
                    "summary": result.summary,
                    "assessed_at": result.assessed_at.isoformat(),
                }
            )
        for g in level.goals:
            if not any(x["key"] == g.key for x in p.goals):
                p.goals.append(
                    {
                        "key": g.key,
                        "text": str(g.text),
                        "measure": str(g.measure),
                        "target_on": today + timedelta(days=g.days),
                    }
                )
        for spec in level.interventions:
            item = _intervention(spec, target_ml)
            same = next((i for i, x in enumerate(p.interventions) if x["key"] == spec.key), None)
            if same is None:
                p.interventions.append(item)
            else:
                p.interventions[same] = _more_frequent(p.interventions[same], item)
        if any(i["fluid_target_ml"] for i in p.interventions) and not any(r.get("fluid_target") for r in p.reasons):
            p.reasons.append({"fluid_target": target_ml, "why": target_how, "source": "NICE CG174 1.3.1"})
    order = [d.value for d in Domain]
    return {d: out[d] for d in order if d in out}
