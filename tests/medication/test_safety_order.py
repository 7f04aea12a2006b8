"""Allergies (ingredient, class, synonyms, severity), allergy status, duplicate therapy and interactions,
through check_order and check_dose; the pluggable interaction checker."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.medication.conftest import in_home, order
from writecarenotes.medication import safety
from writecarenotes.medication.safety_rules import interactions
from writecarenotes.medication.safety_rules.classes import normalise, term_matches
from writecarenotes.medication.safety_rules.interactions import Interaction
from writecarenotes.residents.models import Allergy, Resident

pytestmark = pytest.mark.django_db


def allergic(world, substance, severity="moderate", sensitivity=False, ended=False, reaction="rash"):
    with in_home(world.home):
        Allergy.objects.create(
            home=world.home,
            resident=world.resident,
            substance=substance,
            severity=severity,
            reaction=reaction,
            is_sensitivity=sensitivity,
            ended_at=timezone.now() if ended else None,
        )


def no_known_allergies(world):
    with in_home(world.home):
        Resident.objects.filter(pk=world.resident.pk).update(no_known_allergies=True)


def check_order(world, medicine, **kw):
    with in_home(world.home):
        return safety.check_order(resident_id=world.resident.pk, medicine=medicine, **kw)


def check_dose(world, o, dose="1"):
    with in_home(world.home):
        return safety.check_dose(o, dose=Decimal(dose), at=timezone.now() - timedelta(minutes=1))


def rules(findings):
    return [f.rule for f in findings]


# --- allergy status ---------------------------------------------------------------------------------


def test_allergies_not_recorded_is_a_finding_for_a_new_order(world, meds):
    [f] = check_order(world, meds.lactulose)
    assert f.rule == "allergy_status" and f.overridable and "CG183" in f.source
    assert "Allergies are not recorded" in f.message
    no_known_allergies(world)
    assert check_order(world, meds.lactulose) == []


def test_allergies_not_recorded_does_not_stop_a_dose(world, meds):
    o = order(world, meds.lactulose, is_prn=True)
    assert check_dose(world, o) == []


# --- allergy match ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("substance", "medicine", "what"),
    [
        ("Penicillins", "amoxicillin", "amoxicillin (penicillin)"),
        ("PENICILLIN", "amoxicillin", "amoxicillin (penicillin)"),
        ("amoxicillin", "amoxicillin", "contains amoxicillin."),
        ("NSAIDs", "ibuprofen", "ibuprofen (NSAID)"),
        ("Non-steroidal anti-inflammatory drugs", "naproxen", "naproxen (NSAID)"),
        ("codeine", "cocodamol", "contains codeine phosphate"),
        ("Opiates", "morphine", "morphine sulfate (opioid)"),
        ("acetaminophen", "paracetamol", "contains paracetamol"),
    ],
)
def test_allergy_matches_by_ingredient_class_and_synonym(world, meds, substance, medicine, what):
    allergic(world, substance)
    [f] = check_order(world, getattr(meds, medicine))
    assert f.rule == "allergy" and f.overridable and what in f.message
    assert f.message.startswith(f"Recorded moderate allergy to {substance} (reaction: rash)")


def test_no_false_match(world, meds):
    allergic(world, "penicillin")
    allergic(world, "latex")
    assert check_order(world, meds.paracetamol) == []
    assert check_order(world, meds.ibuprofen) == []


@pytest.mark.parametrize("severity", ["severe", "life_threatening"])
def test_severe_allergy_is_refused_whatever_the_role(world, meds, severity):
    allergic(world, "penicillin", severity=severity, reaction="anaphylaxis")
    [f] = check_order(world, meds.amoxicillin)
    assert not f.overridable and "cannot be overridden" in f.message
    o = order(world, meds.amoxicillin, is_prn=True)
    [f] = check_dose(world, o)
    assert f.rule == "allergy" and not f.overridable


def test_a_severe_sensitivity_may_be_overridden_and_an_ended_allergy_is_ignored(world, meds):
    allergic(world, "ibuprofen", severity="severe", sensitivity=True, reaction="indigestion")
    [f] = check_order(world, meds.ibuprofen)
    assert f.overridable and "Recorded severe sensitivity to ibuprofen" in f.message
    allergic(world, "naproxen", severity="life_threatening", ended=True)
    assert check_order(world, meds.naproxen) == []  # ibuprofen is not naproxen; the naproxen allergy ended


def test_normalise_and_terms():
    assert normalise("  NSAIDs ") == "nsaid"
    assert normalise("Penicillins.") == "penicillin"
    assert term_matches("codeine", "codeine phosphate")
    assert not term_matches("codeine phosphate", "codeine")
    assert not term_matches("penicillin", "paracetamol")


# --- duplicate therapy ---------------------------------------------------------------------------------


def test_same_ingredient_on_two_active_orders(world, meds):
    no_known_allergies(world)
    order(world, meds.paracetamol, dose=2)
    [f] = check_order(world, meds.cocodamol)
    assert f.rule == "duplicate_therapy" and f.overridable
    assert (
        "Co-codamol 30/500 tablets and Paracetamol 500 mg tablets (also active) both contain paracetamol" in f.message
    )


def test_same_class_nsaid(world, meds):
    no_known_allergies(world)
    order(world, meds.ibuprofen)
    [f] = check_order(world, meds.naproxen)
    assert f.rule == "duplicate_therapy" and "are both NSAIDs" in f.message and "BNF" in f.source


def test_stopped_or_ended_orders_and_the_order_itself_do_not_count(world, meds):
    no_known_allergies(world)
    order(world, meds.ibuprofen, status="stopped")
    order(world, meds.naproxen, stop_date=timezone.localdate() - timedelta(days=1))
    assert check_order(world, meds.ibuprofen) == []
    changing = order(world, meds.ibuprofen)
    assert check_order(world, meds.ibuprofen, exclude_order_id=changing.pk) == []


def test_duplicate_is_found_at_the_dose_too(world, meds):
    order(world, meds.paracetamol, dose=2)
    coco = order(world, meds.cocodamol, is_prn=True)
    assert rules(check_dose(world, coco)) == ["duplicate_therapy"]


def test_another_residents_orders_do_not_count(world, meds):
    no_known_allergies(world)
    from tests import factories as f

    other = f.resident(world.home, unit=world.unit, room=world.room, family="Hughes", nhs_number="9990000042")
    order(world, meds.ibuprofen, resident=other)
    assert check_order(world, meds.naproxen) == []


# --- interactions ---------------------------------------------------------------------------------------


def test_warfarin_with_an_nsaid(world, meds):
    no_known_allergies(world)
    order(world, meds.warfarin)
    found = check_order(world, meds.ibuprofen)
    [f] = [f for f in found if f.rule == "interaction"]
    assert f.overridable and "severe interaction" in f.message and "bleeding" in f.message
    assert "Ibuprofen 200 mg tablets with Warfarin 1 mg tablets (also active)" in f.message
    assert "BNF" in f.source


def test_interaction_at_the_dose(world, meds):
    order(world, meds.warfarin)
    ibu = order(world, meds.ibuprofen, is_prn=True)
    assert rules(check_dose(world, ibu)) == ["interaction"]


def test_every_builtin_rule_has_a_source_and_severity():
    assert len(interactions.RULES) >= 6
    for rule in interactions.RULES:
        assert rule.source and rule.severity in ("severe", "moderate") and rule.first and rule.second
    assert interactions.BuiltinChecker.complete is False and "not complete" in interactions.BuiltinChecker.name


class OneRuleChecker:
    """A stand-in for a licensed knowledge base: every pair interacts."""

    name = "Test knowledge base"
    complete = True

    def interactions(self, product, others):
        return [Interaction(product.name, o.name, "moderate", "test effect", "test advice", "Test KB") for o in others]


def test_the_checker_is_chosen_by_a_setting(world, meds, settings):
    no_known_allergies(world)
    order(world, meds.lactulose)
    assert check_order(world, meds.cocareldopa) == []
    settings.MEDICATION_INTERACTION_CHECKER = "tests.medication.test_safety_order.OneRuleChecker"
    [f] = check_order(world, meds.cocareldopa)
    assert f.rule == "interaction" and f.source == "Test KB" and "test effect" in f.message
    assert safety.interaction_checker().name == "Test knowledge base"


def test_check_order_queries_are_bounded(world, meds, django_assert_max_num_queries):
    for m in (meds.warfarin, meds.paracetamol, meds.lactulose, meds.cocareldopa):
        order(world, m)
    allergic(world, "penicillin")
    with in_home(world.home), django_assert_max_num_queries(4):
        safety.check_order(resident_id=world.resident.pk, medicine=meds.ibuprofen)
