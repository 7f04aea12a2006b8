"""The proposal mapping (pure: no database) and proposing plans from a resident's real results."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tests.care_planning.conftest import MUST_3, WATERLOW_10, WATERLOW_17, WATERLOW_22, assess, plans_home
from writecarenotes.assessments.public import ResultSummary
from writecarenotes.care_planning.models.plans import CarePlan, Domain, PlanStatus
from writecarenotes.care_planning.proposals_plans import RULES, domains_for_tool, fluid_target_ml, propose
from writecarenotes.care_planning.services_plans import archive_plan
from writecarenotes.care_planning.services_proposals import propose_from_assessments
from writecarenotes.platform.events.models import OutboxEvent

TODAY = date(2025, 3, 10)


def result(tool: str, rank: int | None, summary: str = "", result_id: int = 1, total: str = "0", band: str = "x"):
    return ResultSummary(
        result_id=result_id,
        tool=tool,
        total=total,
        band=band,
        band_label=band,
        band_rank=rank,
        summary=summary or f"{tool} rank {rank}",
        assessed_at=datetime(2025, 3, 9, 10, 0, tzinfo=UTC),
        next_due_on=None,
    )


def _repositioning(p) -> dict:
    return next(i for i in p.interventions if i["key"] == "reposition")


@pytest.mark.parametrize(
    ("tool", "rank", "hours"),
    [
        ("waterlow", 0, None),  # 2-9: not at risk, no plan
        ("waterlow", 1, 6),  # 10-14 at risk: at least every 6 h (NICE CG179 1.1.17)
        ("waterlow", 2, 4),  # 15-19 high: at least every 4 h (1.1.18)
        ("waterlow", 3, 2),  # 20+ very high
        ("braden", 0, None),  # 19-23 not at risk
        ("braden", 1, 6),  # 15-18 at risk
        ("braden", 2, 4),  # 13-14 moderate
        ("braden", 3, 4),  # 10-12 high
        ("braden", 4, 2),  # 6-9 very high
    ],
)
def test_pressure_risk_bands_give_a_skin_plan_with_repositioning_by_band(tool, rank, hours):
    proposals = propose([result(tool, rank)], today=TODAY)
    if hours is None:
        assert proposals == {}
        return
    skin = proposals[Domain.SKIN]
    r = _repositioning(skin)
    assert (r["every_hours"], r["repositioning_hours"], r["chart"], r["schedule_kind"]) == (
        hours,
        hours,
        "repositioning",
        "every_n_hours",
    )
    assert f"every {hours} hours" in r["what"]
    assert skin.reasons[0]["source"].startswith("NICE CG179")
    assert skin.goals[0]["target_on"] == date(2025, 4, 9)


def test_waterlow_and_braden_make_one_skin_plan_with_the_more_frequent_repositioning():
    proposals = propose(
        [result("waterlow", 2, "Waterlow 17: high risk", 1), result("braden", 4, "Braden 9: very high", 2)],
        today=TODAY,
    )
    assert list(proposals) == [Domain.SKIN]
    skin = proposals[Domain.SKIN]
    assert _repositioning(skin)["every_hours"] == 2
    assert [i["key"] for i in skin.interventions].count("reposition") == 1
    assert {a["result_id"] for a in skin.assessments} == {1, 2}
    assert skin.needs == [
        "At risk of pressure ulcers: Waterlow 17: high risk.",
        "At risk of pressure ulcers: Braden 9: very high.",
    ]


@pytest.mark.parametrize(("rank", "weigh_every", "snacks"), [(0, None, False), (1, 30, False), (2, 7, True)])
def test_must_medium_and_high_give_a_nutrition_plan_with_charts_weights_and_a_fluid_target(rank, weigh_every, snacks):
    proposals = propose([result("must", rank)], latest_weight_kg=Decimal("50.0"), today=TODAY)
    if weigh_every is None:
        assert proposals == {}
        return
    plan = proposals[Domain.NUTRITION]
    keys = {i["key"]: i for i in plan.interventions}
    assert keys["weigh"]["every_days"] == weigh_every and keys["weigh"]["chart"] == "weight"
    assert keys["food_chart"]["chart"] == "food-fluid" and keys["food_chart"]["times"] == ["08:30", "12:30", "17:30"]
    assert keys["drinks"]["fluid_target_ml"] == 1500  # 30 ml x 50 kg
    assert "aim for 1500 ml a day" in keys["drinks"]["what"]
    assert ("snacks" in keys) is snacks
    assert any(r.get("fluid_target") == 1500 for r in plan.reasons)


@pytest.mark.parametrize(
    ("kg", "ml"),
    [(None, 1500), ("50.0", 1500), ("61.2", 1850), ("61.6", 1850), ("61.7", 1850), ("30.0", 1000), ("95.0", 2500)],
)
def test_fluid_target_is_30_ml_per_kg_rounded_to_50_within_limits(kg, ml):
    # 61.2 x 30 = 1836 -> 1850; 61.7 x 30 = 1851 -> 1850; 30 kg -> 900 -> the 1000 floor; 95 kg -> 2850 -> 2500 cap
    assert fluid_target_ml(Decimal(kg) if kg else None)[0] == ml


@pytest.mark.parametrize(("rank", "night_checks"), [(0, None), (1, False), (2, True)])
def test_morse_moderate_and_high_give_a_falls_plan(rank, night_checks):
    proposals = propose([result("morse", rank)], today=TODAY)
    if night_checks is None:
        assert proposals == {}
        return
    keys = {i["key"] for i in proposals[Domain.MOBILITY].interventions}
    assert "falls_environment" in keys and "after_fall" in keys
    assert ("night_checks" in keys) is night_checks
    goals = {g["key"] for g in proposals[Domain.MOBILITY].goals}
    assert ("medication_review" in goals) is night_checks


def test_pain_delirium_mood_and_dependency_go_to_their_domains():
    proposals = propose(
        [
            result("abbey", 2, result_id=1),
            result("4at", 2, result_id=2),
            result("gds15", 1, result_id=3),
            result("barthel", 3, result_id=4),
        ],
        today=TODAY,
    )
    assert list(proposals) == [
        Domain.PERSONAL_CARE,
        Domain.MOBILITY,
        Domain.COGNITION,
        Domain.MENTAL_HEALTH,
        Domain.MEDICATION,
    ]
    assert {i["key"] for i in proposals[Domain.COGNITION].interventions} == {"orientation", "delirium_causes", "drinks"}
    assert {i["key"] for i in proposals[Domain.MEDICATION].interventions} == {"pain_check", "pain_relief"}
    # Barthel moderate dependency (rank 2): personal care only, no mobility plan
    assert list(propose([result("barthel", 2)], today=TODAY)) == [Domain.PERSONAL_CARE]
    # 4AT 1-3: cognition without the delirium actions
    cognition = propose([result("4at", 1)], today=TODAY)[Domain.COGNITION]
    assert {i["key"] for i in cognition.interventions} == {"orientation"}


def test_every_rule_names_its_source_and_reasoning_and_a_tool_of_the_library():
    from writecarenotes.assessments.public import tool_names

    tools = tool_names()
    for rule in RULES:
        assert rule.tool in tools, rule.tool
        assert rule.source and str(rule.why)
        assert rule.levels and all(lv.interventions and lv.goals for lv in rule.levels)
    assert domains_for_tool("waterlow") == {"skin_integrity"}
    assert domains_for_tool("barthel") == {"personal_care", "mobility_falls"}


# --- from a resident's results ------------------------------------------------------------------


@pytest.mark.django_db
def test_proposing_from_a_waterlow_result_makes_a_proposed_skin_plan(world):
    assess(world, "waterlow", WATERLOW_17)
    with plans_home(world):
        outcome = propose_from_assessments(world.resident.pk, user=world.users["nurse"])
        assert [p.domain for p in outcome.created] == ["skin_integrity"]
        plan = CarePlan.objects.get(resident=world.resident)
        assert plan.status == PlanStatus.PROPOSED
        assert plan.assessments[0]["summary"] == "Waterlow 17: high risk"
        repo = plan.interventions.get(chart="repositioning")
        assert (repo.every_hours, repo.repositioning_hours) == (4, 4)
        assert plan.goals.count() == 1
        assert OutboxEvent.unscoped.filter(name="care_plan.proposed").count() == 1
        # again: the domain already has a plan, nothing new
        again = propose_from_assessments(world.resident.pk, user=world.users["nurse"])
        assert again.created == [] and [d for d, _why in again.skipped] == ["skin_integrity"]
        # archived: a new proposal follows the new result
        archive_plan(plan, reason="test")
    assess(world, "waterlow", WATERLOW_22)
    with plans_home(world):
        third = propose_from_assessments(world.resident.pk, user=world.users["nurse"])
        assert third.created[0].interventions.get(chart="repositioning").every_hours == 2


@pytest.mark.django_db
def test_a_resident_at_the_waterlow_boundary_and_with_must_3_gets_two_plans(world):
    assess(world, "waterlow", WATERLOW_10)
    assess(world, "must", MUST_3)
    with plans_home(world):
        outcome = propose_from_assessments(world.resident.pk, user=world.users["nurse"])
        assert sorted(p.domain for p in outcome.created) == ["nutrition_hydration", "skin_integrity"]
        skin = next(p for p in outcome.created if p.domain == "skin_integrity")
        assert skin.interventions.get(chart="repositioning").every_hours == 6
        nutrition = next(p for p in outcome.created if p.domain == "nutrition_hydration")
        assert nutrition.interventions.get(chart="weight").every_days == 7


@pytest.mark.django_db
def test_nothing_to_propose_without_results_at_risk(world):
    with plans_home(world):
        outcome = propose_from_assessments(world.resident.pk, user=world.users["nurse"])
    assert outcome.nothing_to_propose and outcome.results_used == 0
