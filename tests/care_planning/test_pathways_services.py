"""Services of the specialist pathways (29-32): enrolment, versioned documents, symptom observations
with the IPOS levels, advance decisions checked against the Mental Capacity Act 2005 s25, anticipatory
medicines, mood entries and team contacts, goals read from the Barthel Index, sessions, equipment
servicing and the daily job. Every change is audited, published, and refused by field when wrong."""

from __future__ import annotations

import contextlib
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories as f
from writecarenotes.assessments.services import record_assessment
from writecarenotes.care_planning import services_pathways as base
from writecarenotes.care_planning import services_pathways_mental as mental
from writecarenotes.care_planning import services_pathways_palliative as palliative
from writecarenotes.care_planning import services_pathways_rehab as rehab
from writecarenotes.care_planning.jobs_pathways import equipment_service_due
from writecarenotes.care_planning.models.pathways import (
    PathwayDocument,
    SymptomObservation,
    TherapyEquipment,
)
from writecarenotes.care_planning.pathways_templates import pathway_templates
from writecarenotes.platform.api.concurrency import PreconditionFailed, etag_for
from writecarenotes.platform.audit.models import AuditRecord, RecordVersion
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.events.models import OutboxEvent
from writecarenotes.platform.tenancy.scope import acting_for
from writecarenotes.residents.public import ResidentNotFound

pytestmark = pytest.mark.django_db

THIS_IS_ME = {"name_i_like": "Peggy", "completed_by": "Peggy with her daughter Ann", "routines": "Tea at 7."}
ACP = {
    "what_matters": "Being with my cat and my family.",
    "preferred_place_of_care": "this_home",
    "preferred_place_of_death": "this_home",
    "people_to_involve": "Ann (daughter) 07700 900123",
    "involvement": "themselves",
    "discussed_with": "Ann; Dr Shah; nurse Jo",
}


@contextlib.contextmanager
def home(world):
    with acting_as_system("test"), acting_for([world.home]):
        yield


def events(name: str) -> list:
    return list(OutboxEvent.unscoped.filter(name=name).order_by("occurred_at", "id"))


def nurse(world):
    return world.users["nurse"]


def _errors(exc) -> dict:
    return exc.value.message_dict


# --- templates, enrolment ------------------------------------------------------------------------


def test_the_four_templates_name_their_need_domain_goals_and_interventions():
    templates = {t.pathway: t for t in pathway_templates()}
    assert [t.service_number for t in pathway_templates()] == [30, 29, 31, 32]
    assert templates["palliative"].need_domain == "end_of_life" and templates["dementia"].need_domain == "cognition"
    assert templates["rehabilitation"].need_domain == "mobility"
    assert templates["mental_health"].need_domain == "mental_health"
    for t in templates.values():
        assert t.goals and t.interventions and t.sources
        assert t.as_dict()["interventions"][0]["text"]
    assert "this_is_me" in templates["dementia"].documents


def test_start_and_end_a_pathway(world):
    with home(world):
        e = base.start_pathway(resident_id=world.resident.pk, pathway="palliative", user=nurse(world))
        with pytest.raises(ValidationError) as exc:
            base.start_pathway(resident_id=world.resident.pk, pathway="palliative", user=nurse(world))
        assert "already on this pathway" in str(_errors(exc)["pathway"])
        with pytest.raises(ValidationError) as exc:
            base.start_pathway(resident_id=world.resident.pk, pathway="astrology", user=nurse(world))
        with pytest.raises(ValidationError) as exc:
            base.end_pathway(e, reason="  ")
        assert "reason" in _errors(exc)
        ended = base.end_pathway(e, reason="Improved; back to the usual plan.")
        assert ended.ended_on == timezone.localdate() and ended.version == 2
        again = base.start_pathway(resident_id=world.resident.pk, pathway="palliative", user=nurse(world))
        assert again.pk != e.pk
        with pytest.raises(ResidentNotFound):
            base.start_pathway(resident_id=world.other_home_resident.pk, pathway="palliative", user=nurse(world))
    assert [ev.payload["pathway"] for ev in events("pathway.started")] == ["palliative", "palliative"]
    assert len(events("pathway.ended")) == 1
    versions = RecordVersion.objects.filter(content_type="care_planning.pathwayenrolment", object_id=str(e.pk))
    assert [v.reason for v in versions.order_by("version")] == ["", "Improved; back to the usual plan."]


# --- documents -----------------------------------------------------------------------------------


def test_a_document_is_versioned_and_needs_a_reason_after_the_first_version(world):
    with home(world):
        doc = base.save_document(resident_id=world.resident.pk, kind="this_is_me", values=THIS_IS_ME, user=nurse(world))
        assert doc.version == 1 and doc.data["name_i_like"] == "Peggy" and doc.data["mobility"] == ""
        changed = {**THIS_IS_ME, "routines": "Tea at 7, with two sugars."}
        with pytest.raises(ValidationError) as exc:
            base.save_document(resident_id=world.resident.pk, kind="this_is_me", values=changed, user=nurse(world))
        assert "reason" in _errors(exc)
        same = base.save_document(
            resident_id=world.resident.pk, kind="this_is_me", values=THIS_IS_ME, user=nurse(world), reason="x"
        )
        assert same.version == 1  # nothing changed: no new version
        doc = base.save_document(
            resident_id=world.resident.pk, kind="this_is_me", values=changed, user=nurse(world), reason="Ann told us"
        )
        assert doc.version == 2
        history = base.document_history(doc)
    assert [v.version for v in history] == [2, 1]
    assert [(c.label, c.before, c.after) for c in history[0].changes] == [
        ("My routines: what I like to do and when", "Tea at 7.", "Tea at 7, with two sugars.")
    ]
    assert history[0].reason == "Ann told us"
    assert [e.payload["document_version"] for e in events("pathway.document_saved")] == [1, 2]
    assert AuditRecord.objects.filter(action="care_planning.pathway_document.this_is_me").count() == 2


def test_a_document_refuses_missing_unknown_and_wrong_values_by_field(world):
    with home(world), pytest.raises(ValidationError) as exc:
        base.save_document(
            resident_id=world.resident.pk,
            kind="advance_care_plan",
            values={**ACP, "preferred_place_of_death": "the moon", "what_matters": "", "horoscope": "Leo"},
            user=nurse(world),
        )
    errors = _errors(exc)
    assert errors["values.preferred_place_of_death"] == ["Choose from the list."]
    assert errors["values.what_matters"] == ["This is needed."]
    assert "horoscope" in errors["values"][0]
    assert not PathwayDocument.unscoped.filter(kind="advance_care_plan").exists()
    with home(world), pytest.raises(ValidationError) as exc:
        base.save_document(
            resident_id=world.resident.pk,
            kind="bereavement",
            values={"family": "Ann", "offered": ["cruse", "tarot"], "follow_up_on": "31/02/2025"},
            user=nurse(world),
        )
    assert set(_errors(exc)) >= {"values.offered", "values.follow_up_on"}


def test_stale_if_match_is_refused_with_412(world):
    with home(world):
        doc = base.save_document(resident_id=world.resident.pk, kind="advance_care_plan", values=ACP, user=nurse(world))
        stale = etag_for(doc)
        base.save_document(
            resident_id=world.resident.pk,
            kind="advance_care_plan",
            values={**ACP, "wishes": "No hospital."},
            user=nurse(world),
            reason="Talked again",
            if_match=stale,
        )
        with pytest.raises(PreconditionFailed):
            base.save_document(
                resident_id=world.resident.pk,
                kind="advance_care_plan",
                values={**ACP, "wishes": "Hospital if treatable."},
                user=nurse(world),
                reason="x",
                if_match=stale,
            )


def test_care_after_death_and_bereavement_are_written_after_the_resident_died(world):
    dead = f.resident(world.home, unit=world.unit, family="Rees", nhs_number="9990000042", status="deceased")
    with home(world):
        care = base.save_document(
            resident_id=dead.pk,
            kind="after_death",
            values={
                "wishes": "Rosary in her hands",
                "care_given": "Washed by two carers",
                "given_by": "Jo and Sam",
                "infection_risk": "none",
                "belongings": "Wedding ring stays on; the rest listed and kept",
                "informed": "Ann 14:05 by Jo; GP 14:20",
            },
            user=nurse(world),
        )
        assert care.version == 1
        with pytest.raises(ValidationError) as exc:
            base.save_document(resident_id=dead.pk, kind="this_is_me", values=THIS_IS_ME, user=nurse(world))
        assert "in residence" in " ".join(exc.value.messages)
        with pytest.raises(ValidationError):
            palliative.record_symptoms(
                resident_id=dead.pk, user=nurse(world), occurred_at=timezone.now(), scores={"pain": 1}
            )


# --- symptoms ------------------------------------------------------------------------------------


def test_symptoms_are_recorded_with_ipos_levels_and_severe_ones_published(world):
    at = timezone.now() - timedelta(minutes=10)
    with home(world):
        obs = palliative.record_symptoms(
            resident_id=world.resident.pk,
            user=nurse(world),
            occurred_at=at,
            scores={"pain": 3, "shortness_of_breath": "1", "agitation": 4, "respiratory_secretions": None},
            actions="Oramorph given; daughter called.",
        )
    assert obs.scores() == {
        "pain": 3,
        "shortness_of_breath": 1,
        "nausea": None,
        "vomiting": None,
        "sore_or_dry_mouth": None,
        "agitation": 4,
        "respiratory_secretions": None,
    }
    assert obs.severe() == ["pain", "agitation"] and not obs.is_late
    (event,) = events("pathway.symptoms_recorded")
    assert event.payload["severe"] == ["pain", "agitation"] and event.payload["scores"]["pain"] == 3
    assert AuditRecord.objects.filter(action="care_planning.pathway.symptoms.recorded").count() == 1


@pytest.mark.parametrize(
    ("scores", "field"),
    [
        ({"pain": 5}, "pain"),
        ({"pain": -1}, "pain"),
        ({"pain": 2.5}, "pain"),
        ({"pain": True}, "pain"),
        ({"pain": "severe"}, "pain"),
        ({}, "scores"),
        ({"pain": None, "nausea": "na"}, "scores"),
        ({"itching": 2}, "scores"),
    ],
)
def test_symptom_levels_outside_0_to_4_are_refused(world, scores, field):
    with home(world), pytest.raises(ValidationError) as exc:
        palliative.record_symptoms(
            resident_id=world.resident.pk, user=nurse(world), occurred_at=timezone.now(), scores=scores
        )
    assert field in _errors(exc)
    assert not SymptomObservation.unscoped.filter(resident_id=world.resident.pk).exists()


def test_level_boundaries_severe_from_3(world):
    with home(world):
        two = palliative.record_symptoms(
            resident_id=world.resident.pk, user=nurse(world), occurred_at=timezone.now(), scores={"pain": 2}
        )
        three = palliative.record_symptoms(
            resident_id=world.resident.pk, user=nurse(world), occurred_at=timezone.now(), scores={"pain": 3}
        )
        zero = palliative.record_symptoms(
            resident_id=world.resident.pk, user=nurse(world), occurred_at=timezone.now(), scores={"pain": 0}
        )
    assert (two.severe(), three.severe(), zero.severe(), zero.pain) == ([], ["pain"], [], 0)


def test_times_late_and_out_of_range(world):
    with home(world):
        late = palliative.record_symptoms(
            resident_id=world.resident.pk,
            user=nurse(world),
            occurred_at=timezone.now() - timedelta(hours=3),
            scores={"nausea": 1},
        )
        assert late.is_late
        for when in (timezone.now() + timedelta(hours=1), timezone.now() - timedelta(days=8), datetime(2025, 1, 1)):
            with pytest.raises(ValidationError) as exc:
                palliative.record_symptoms(
                    resident_id=world.resident.pk, user=nurse(world), occurred_at=when, scores={"nausea": 1}
                )
            assert "occurred_at" in _errors(exc)


def test_a_correction_strikes_through_and_replaces(world):
    with home(world):
        obs = palliative.record_symptoms(
            resident_id=world.resident.pk, user=nurse(world), occurred_at=timezone.now(), scores={"pain": 1}
        )
        new = base.correct_entry(
            obs,
            reason="Wrong row: it was breathlessness",
            new_values={"pain": None, "shortness_of_breath": 3},
            user=nurse(world),
        )
        obs.refresh_from_db()
        assert obs.is_struck and obs.replaced_by_id == new.pk and obs.pain == 1
        assert new.shortness_of_breath == 3 and new.occurred_at == obs.occurred_at
        assert [e.pk for e in base.history_of(new)] == [obs.pk, new.pk]
        with pytest.raises(ValidationError):
            base.correct_entry(obs, reason="again", new_values={}, user=nurse(world))
        with pytest.raises(ValidationError) as exc:
            base.correct_entry(new, reason="", new_values={}, user=nurse(world))
        assert "reason" in _errors(exc)
    assert [e.payload["severe"] for e in events("pathway.symptoms_recorded")] == [[], ["shortness_of_breath"]]
    assert len(events("pathway.entry_corrected")) == 1


# --- advance decisions and anticipatory medicines -------------------------------------------------

ADRT = {
    "made_on": date(2024, 3, 1),
    "treatments_refused": "Cardiopulmonary resuscitation; artificial ventilation",
    "circumstances": "If my heart stops or I cannot breathe for myself",
    "document_location": "Red folder, nurses' office; copy with GP",
    "copy_on_file": True,
    "refuses_life_sustaining": True,
    "life_at_risk_statement": True,
    "in_writing": True,
    "signed": True,
    "witnessed": True,
    "checked_on": date(2024, 3, 5),
    "checked_by": "Jo Bloggs RN",
}


def test_an_advance_decision_is_checked_against_the_mca_section_25(world):
    with home(world):
        d = palliative.record_advance_decision(resident_id=world.resident.pk, user=nurse(world), **ADRT)
        assert d.is_valid and d.applies_to_life_sustaining and d.problems() == []
        values = {**ADRT, "witnessed": False}
        with pytest.raises(ValidationError):
            palliative.recheck_advance_decision(d, values=values, reason="")
        d2 = palliative.recheck_advance_decision(d, values=values, reason="Re-read: no witness signature")
        assert d2.is_valid and not d2.applies_to_life_sustaining
        assert "a witness" in d2.problems()[0] and "s25(5)-(6)" in d2.problems()[0]
        d3 = palliative.recheck_advance_decision(
            d2, values={**values, "later_lpa_covers_it": True}, reason="LPA registered in 2025 covers CPR"
        )
        assert not d3.is_valid and any("s25(2)(b)" in p for p in d3.problems())
        with pytest.raises(ValidationError) as exc:
            palliative.record_advance_decision(
                resident_id=world.resident.pk, user=nurse(world), **{**ADRT, "checked_on": date(2024, 2, 1)}
            )
        assert "checked_on" in _errors(exc)
    assert [e.payload["applies_to_life_sustaining"] for e in events("pathway.advance_decision_recorded")] == [
        True,
        False,
        False,
    ]
    assert RecordVersion.objects.filter(content_type="care_planning.advancedecision").count() == 3


def test_anticipatory_medicines_are_recorded_changed_and_stopped(world):
    values = {
        "drug": "Morphine sulfate",
        "dose": "2.5 mg to 5 mg",
        "route": "subcutaneous",
        "frequency": "every 2 hours if needed",
        "indication": "pain",
        "prescribed_on": timezone.localdate(),
        "prescriber": "Dr Shah",
    }
    with home(world):
        med = palliative.record_anticipatory_medicine(resident_id=world.resident.pk, user=nurse(world), **values)
        with pytest.raises(ValidationError) as exc:
            palliative.record_anticipatory_medicine(
                resident_id=world.resident.pk, user=nurse(world), **{**values, "route": "by owl", "dose": ""}
            )
        assert {"route", "dose"} <= set(_errors(exc))
        stale = etag_for(med)
        med = palliative.change_anticipatory_medicine(
            med, values={"dose": "2.5 mg"}, reason="GP review", if_match=stale
        )
        assert med.dose == "2.5 mg" and med.version == 2
        with pytest.raises(PreconditionFailed):
            palliative.change_anticipatory_medicine(med, values={"dose": "5 mg"}, reason="x", if_match=stale)
        med = palliative.stop_anticipatory_medicine(med, reason="Not needed: pain controlled")
        assert med.stopped_on == timezone.localdate()
        with pytest.raises(ValidationError):
            palliative.stop_anticipatory_medicine(med, reason="again")
    assert [e.payload["change"] for e in events("pathway.anticipatory_medicine_changed")] == [
        "recorded",
        "changed",
        "stopped",
    ]


# --- mental health -------------------------------------------------------------------------------


def test_mood_entries_and_concerns(world):
    with home(world):
        settled = mental.record_mood(
            resident_id=world.resident.pk, user=nurse(world), occurred_at=timezone.now(), mood_score=3
        )
        worry = mental.record_mood(
            resident_id=world.resident.pk,
            user=nurse(world),
            occurred_at=timezone.now(),
            mood_score=2,
            observations=["self_harm", "tearful"],
            behaviour="Said she wanted it all to end.",
        )
        assert not settled.concern and worry.concern and worry.observations == ["tearful", "self_harm"]
        for bad in ({"mood_score": 0}, {"mood_score": 6}, {"mood_score": 3, "observations": ["possessed"]}):
            with pytest.raises(ValidationError):
                mental.record_mood(resident_id=world.resident.pk, user=nurse(world), occurred_at=timezone.now(), **bad)
    assert [e.payload["concern"] for e in events("pathway.mood_recorded")] == [False, True]


def test_community_mental_health_team_contacts(world):
    with home(world):
        with pytest.raises(ValidationError) as exc:
            mental.add_contact(resident_id=world.resident.pk, user=nurse(world), team="CMHT North", phone="call me")
        assert "phone" in _errors(exc)
        c = mental.add_contact(
            resident_id=world.resident.pk,
            user=nurse(world),
            team="Older people's CMHT North",
            worker_name="Sam Patel",
            role="Care coordinator",
            phone="01632 960001",
        )
        c = mental.change_contact(c, values={"phone": "01632 960002"}, reason="New number")
        c = mental.end_contact(c, reason="Discharged from the team")
        assert c.ended_on and c.version == 3
        with pytest.raises(ValidationError):
            mental.change_contact(c, values={"phone": "01632 960003"}, reason="x")


# --- rehabilitation ------------------------------------------------------------------------------

B20_MAX = {
    "bowels": "2",
    "bladder": "2",
    "grooming": "1",
    "toilet_use": "2",
    "feeding": "2",
    "transfer": "3",
    "mobility": "3",
    "dressing": "2",
    "stairs": "2",
    "bathing": "1",
}


def _barthel(world, answers, at):
    with home(world):
        return record_assessment(world.resident.pk, "barthel", answers, at, nurse(world))


def test_a_barthel_goal_takes_its_baseline_and_measurements_from_the_assessments(world):
    # transfer 1, mobility 1, stairs 0, bathing 0: 20 - 2 - 2 - 2 - 1 = 13 (Collin et al. 20-point version)
    _barthel(
        world,
        {**B20_MAX, "transfer": "1", "mobility": "1", "stairs": "0", "bathing": "0"},
        timezone.now() - timedelta(days=2),
    )
    with home(world):
        goal = rehab.add_goal(
            resident_id=world.resident.pk,
            user=nurse(world),
            description="Walk to the dining room with a frame",
            discipline="physiotherapy",
            measure="barthel",
            target_value=Decimal(17),
            target_on=timezone.localdate() + timedelta(days=42),
        )
    assert goal.baseline_value == Decimal(13) and goal.baseline_result_id is not None
    # the 17 of the published worked example (transfer 2, mobility 2, stairs 1)
    _barthel(world, {**B20_MAX, "transfer": "2", "mobility": "2", "stairs": "1"}, timezone.now() - timedelta(hours=2))
    with home(world):
        m = rehab.measure_goal(goal, user=nurse(world), from_assessment=True)
        assert m.value == Decimal(17) and m.assessment_result_id
        with pytest.raises(ValidationError) as exc:
            rehab.measure_goal(goal, user=nurse(world), from_assessment=True)
        assert "already recorded" in str(_errors(exc)["value"])
    (event,) = events("pathway.goal_measured")
    assert event.payload["reached"] is True and event.payload["value"] == "17.00"


def test_goal_values_are_checked_against_the_measure(world):
    def add(**kw):
        values = {
            "description": "Dress with prompting",
            "discipline": "occupational_therapy",
            "measure": "barthel-100",
            "baseline_value": Decimal(60),
            "target_value": Decimal(75),
            "target_on": timezone.localdate() + timedelta(days=30),
        }
        values.update(kw)
        with home(world):
            return rehab.add_goal(resident_id=world.resident.pk, user=nurse(world), **values)

    assert add().baseline_value == Decimal(60)
    for kw, field in (
        ({"target_value": Decimal(83)}, "target_value"),  # Barthel 100 goes in steps of 5
        ({"target_value": Decimal(105)}, "target_value"),
        ({"target_value": Decimal(55)}, "target_value"),  # worse than the baseline
        ({"target_value": Decimal(60)}, "target_value"),
        ({"measure": "other", "measure_label": ""}, "measure_label"),
        ({"target_on": timezone.localdate() - timedelta(days=400)}, "target_on"),
        ({"measure": "barthel", "baseline_value": None}, "baseline_value"),  # no Barthel result yet
    ):
        with pytest.raises(ValidationError) as exc:
            add(**kw)
        assert field in _errors(exc), kw
    lower = add(
        measure="other",
        measure_label="Timed Up and Go",
        unit="seconds",
        higher_is_better=False,
        baseline_value=Decimal("32.5"),
        target_value=Decimal(20),
    )
    with home(world):
        m = rehab.measure_goal(lower, user=nurse(world), value=Decimal("19.8"), occurred_at=timezone.now())
    assert rehab.reached(lower, m.value)


def test_sessions_and_equipment_servicing_and_the_daily_job(world):
    today = timezone.localdate()
    with home(world):
        s = rehab.record_session(
            resident_id=world.resident.pk,
            user=nurse(world),
            occurred_at=timezone.now(),
            therapist="Lee Jones",
            discipline="physiotherapy",
            duration_minutes=30,
            activity="Sit to stand practice",
            progress_rating=3,
        )
        assert s.progress_rating == 3
        with pytest.raises(ValidationError) as exc:
            rehab.record_session(
                resident_id=world.resident.pk,
                user=nurse(world),
                occurred_at=timezone.now(),
                therapist="Lee",
                discipline="astrology",
                duration_minutes=0,
                activity="x",
                progress_rating=3,
            )
        assert {"discipline", "duration_minutes"} <= set(_errors(exc))
        hoist = rehab.issue_equipment(
            resident_id=world.resident.pk,
            user=nurse(world),
            item="Sling, medium",
            serial_number="SL-0042",
            issued_on=today - timedelta(days=200),
            next_service_due=today - timedelta(days=1),
        )
        frame = rehab.issue_equipment(
            resident_id=world.resident.pk,
            user=nurse(world),
            item="Walking frame",
            issued_on=today,
            next_service_due=today + timedelta(days=10),
        )
        rehab.issue_equipment(
            resident_id=world.resident.pk,
            user=nurse(world),
            item="Perching stool",
            issued_on=today,
            next_service_due=today + timedelta(days=60),
        )
        due = rehab.maintenance_due(today)
        assert [(i.equipment.pk, i.overdue) for i in due] == [(hoist.pk, True), (frame.pk, False)]
    slot = timezone.make_aware(datetime.combine(today, datetime.min.time().replace(hour=6, minute=10)))
    assert equipment_service_due(slot) == 2
    assert equipment_service_due(slot) == 0  # once per due date
    payloads = sorted((e.payload["item"], e.payload["overdue"]) for e in events("pathway.equipment_service_due"))
    assert payloads == [("Sling, medium", True), ("Walking frame", False)]
    with home(world):
        hoist = rehab.record_service(hoist, serviced_on=today, next_service_due=today + timedelta(days=182))
        assert hoist.last_serviced_on == today and hoist.version == 2
        with pytest.raises(ValidationError):
            rehab.record_service(hoist, serviced_on=today, next_service_due=today)
        frame = rehab.return_equipment(frame, reason="No longer needed")
        assert [i.equipment.pk for i in rehab.maintenance_due(today)] == []
    # the frame, had it stayed, would now be overdue: a second notice for the same due date, once
    TherapyEquipment.unscoped.filter(pk=frame.pk).update(returned_on=None)
    later = slot + timedelta(days=11)
    assert equipment_service_due(later) == 1 and equipment_service_due(later) == 0
