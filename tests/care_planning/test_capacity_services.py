"""Capacity assessments (the two-stage test of the Mental Capacity Act 2005) and best-interest
decisions: the outcome must follow from the answers (s.2(1), s.3(1)), practicable steps before a
finding of incapacity (s.1(3)), corrections strike through and replace, best-interest decisions
only for a person found to lack capacity, with who was consulted."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from writecarenotes.care_planning.models.capacity import BestInterestDecision, CapacityAssessment
from writecarenotes.care_planning.services_capacity import (
    correct_capacity_assessment,
    record_best_interest_decision,
    record_capacity_assessment,
)
from writecarenotes.platform.audit.models import AuditRecord
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.events.models import OutboxEvent
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def in_home(home):
    with acting_as_system("test"), acting_for([home]):
        yield


def lacks(world, **over) -> dict:
    """Dementia; cannot retain or weigh the information about moving room: lacks capacity."""
    values = {
        "decision": "Whether to move to a ground-floor room",
        "impairment": True,
        "impairment_evidence": "Diagnosed Alzheimer's disease (memory clinic, 2023).",
        "understand": True,
        "understand_evidence": "Could say the new room is downstairs and has a garden door.",
        "retain": False,
        "retain_evidence": "Two minutes later could not recall being told about the move.",
        "use_weigh": False,
        "use_weigh_evidence": "Could not weigh the stairs against staying near her friend.",
        "communicate": True,
        "communicate_evidence": "Speaks clearly.",
        "because_of_impairment": True,
        "practicable_steps": "Quiet room, morning, photos of both rooms, daughter present, asked again next day.",
        "outcome": "lacks_capacity",
        "assessor_id": world.users["nurse"].pk,
        "assessed_on": timezone.localdate(),
        "review_on": timezone.localdate() + timedelta(days=90),
    }
    values.update(over)
    return values


def has(world, **over) -> dict:
    return lacks(world, retain=True, use_weigh=True, because_of_impairment=None, outcome="has_capacity", **over)


def test_a_person_who_cannot_retain_or_weigh_because_of_dementia_lacks_capacity(world):
    with in_home(world.home):
        a = record_capacity_assessment(world.resident.pk, user=world.users["nurse"], values=lacks(world))
    assert a.lacks_capacity and a.assessor_id == world.users["nurse"].pk
    rec = AuditRecord.objects.get(action="care_planning.capacity_assessment.recorded")
    assert rec.subject_type == "residents.resident" and rec.subject_id == str(world.resident.pk)
    [e] = OutboxEvent.unscoped.filter(name="capacity.assessed")
    assert e.payload["outcome"] == "lacks_capacity"


def test_all_four_functional_items_passed_has_capacity(world):
    with in_home(world.home):
        a = record_capacity_assessment(world.resident.pk, user=world.users["nurse"], values=has(world))
    assert a.outcome == "has_capacity"


@pytest.mark.parametrize(
    ("over", "field", "words"),
    [
        # lacks capacity without an impairment of the mind or brain (stage 1 no)
        ({"impairment": False}, "outcome", "without an impairment"),
        # lacks capacity with every functional item passed
        ({"retain": True, "use_weigh": True}, "outcome", "they have capacity"),
        # lacks capacity though the inability is not because of the impairment
        ({"because_of_impairment": False}, "outcome", "because of the impairment"),
        # an item failed with an impairment: the causal question must be answered
        ({"because_of_impairment": None}, "because_of_impairment", "because of the impairment"),
        # lacks capacity without the practicable steps taken (s.1(3))
        ({"practicable_steps": ""}, "practicable_steps", "practicable steps"),
        ({"impairment_evidence": ""}, "impairment_evidence", "evidence"),
        ({"retain_evidence": " "}, "retain_evidence", "evidence"),
        ({"decision": ""}, "decision", "decision"),
        ({"outcome": "maybe"}, "outcome", "outcome"),
        ({"assessed_on": timezone.localdate() + timedelta(days=1)}, "assessed_on", "future"),
        ({"review_on": timezone.localdate()}, "review_on", "after the assessment"),
        ({"assessor_id": None}, "assessor_id", "assessor"),
    ],
)
def test_an_outcome_inconsistent_with_the_answers_is_refused(world, over, field, words):
    with in_home(world.home), pytest.raises(ValidationError) as exc:
        record_capacity_assessment(world.resident.pk, user=world.users["nurse"], values=lacks(world, **over))
    assert field in exc.value.message_dict
    assert words in " ".join(exc.value.message_dict[field])
    with in_home(world.home):
        assert CapacityAssessment.objects.count() == 0


def test_has_capacity_is_refused_when_the_answers_show_incapacity(world):
    with in_home(world.home), pytest.raises(ValidationError) as exc:
        record_capacity_assessment(
            world.resident.pk, user=world.users["nurse"], values=lacks(world, outcome="has_capacity")
        )
    assert "lack capacity" in exc.value.message_dict["outcome"][0]


def test_no_impairment_means_capacity_even_with_an_item_failed(world):
    values = lacks(world, impairment=False, because_of_impairment=None, outcome="has_capacity", practicable_steps="")
    with in_home(world.home):
        a = record_capacity_assessment(world.resident.pk, user=world.users["nurse"], values=values)
    assert a.outcome == "has_capacity"


def test_a_correction_strikes_through_and_replaces(world):
    with in_home(world.home):
        original = record_capacity_assessment(world.resident.pk, user=world.users["nurse"], values=lacks(world))
        with pytest.raises(ValidationError):
            correct_capacity_assessment(original.pk, user=world.users["nurse"], reason="", values=has(world))
        replacement = correct_capacity_assessment(
            original.pk, user=world.users["nurse"], reason="Wrong resident's notes used", values=has(world)
        )
        original.refresh_from_db()
        assert original.is_struck and original.replaced_by_id == replacement.pk
        assert original.struck_reason == "Wrong resident's notes used"
        with pytest.raises(ValidationError):
            correct_capacity_assessment(original.pk, user=world.users["nurse"], reason="again", values=has(world))
    assert AuditRecord.objects.get(action="care_planning.capacity_assessment.corrected").reason


def decision(world, assessment, **over) -> dict:
    values = {
        "capacity_assessment_id": assessment.pk,
        "decision": "Move to room 3 on the ground floor.",
        "options_considered": "Stay upstairs with a stair lift; move downstairs; move to the sister home.",
        "consulted": [
            {"name": "Ann Evans", "relationship": "Daughter (LPA health and welfare)", "views": "Supports the move."},
            {"name": "Dr Rao", "relationship": "GP", "views": "Falls on the stairs are the main danger."},
        ],
        "wishes_feelings_beliefs": "Has always loved the garden; wants to stay near her friend Mary.",
        "least_restrictive": "Keeps her in the same home, near Mary, with free access to the garden.",
        "decision_maker": "Nina Nurse",
        "decision_maker_role": "Nurse in charge",
        "decided_on": timezone.localdate(),
    }
    values.update(over)
    return values


def test_a_best_interest_decision_follows_a_finding_of_incapacity(world):
    with in_home(world.home):
        a = record_capacity_assessment(world.resident.pk, user=world.users["nurse"], values=lacks(world))
        d = record_best_interest_decision(world.resident.pk, user=world.users["nurse"], values=decision(world, a))
    assert d.capacity_assessment_id == a.pk and len(d.consulted) == 2
    assert OutboxEvent.unscoped.filter(name="capacity.best_interest_decision_recorded").count() == 1


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"consulted": []}, "consulted"),
        ({"consulted": [{"name": "Ann Evans", "relationship": "", "views": "Agrees"}]}, "consulted.0.relationship"),
        ({"consulted": [{"name": "", "relationship": "Son", "views": "Agrees"}]}, "consulted.0.name"),
        ({"least_restrictive": ""}, "least_restrictive"),
        ({"wishes_feelings_beliefs": ""}, "wishes_feelings_beliefs"),
        ({"options_considered": ""}, "options_considered"),
        ({"decision_maker": ""}, "decision_maker"),
        ({"decided_on": timezone.localdate() - timedelta(days=3)}, "decided_on"),  # before the assessment
        ({"capacity_assessment_id": 999999}, "capacity_assessment_id"),
    ],
)
def test_best_interest_refusals(world, over, field):
    with in_home(world.home):
        a = record_capacity_assessment(world.resident.pk, user=world.users["nurse"], values=lacks(world))
        with pytest.raises(ValidationError) as exc:
            record_best_interest_decision(
                world.resident.pk, user=world.users["nurse"], values=decision(world, a, **over)
            )
        assert field in exc.value.message_dict
        assert BestInterestDecision.objects.count() == 0


def test_no_best_interest_decision_for_a_person_with_capacity_or_a_struck_assessment(world):
    with in_home(world.home):
        capable = record_capacity_assessment(world.resident.pk, user=world.users["nurse"], values=has(world))
        with pytest.raises(ValidationError) as exc:
            record_best_interest_decision(world.resident.pk, user=world.users["nurse"], values=decision(world, capable))
        assert "lacks capacity" in exc.value.message_dict["capacity_assessment_id"][0]
        lacking = record_capacity_assessment(world.resident.pk, user=world.users["nurse"], values=lacks(world))
        correct_capacity_assessment(lacking.pk, user=world.users["nurse"], reason="Typo", values=lacks(world))
        with pytest.raises(ValidationError) as exc:
            record_best_interest_decision(world.resident.pk, user=world.users["nurse"], values=decision(world, lacking))
        assert "replacement" in exc.value.message_dict["capacity_assessment_id"][0]
