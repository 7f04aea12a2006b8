"""Recording and correcting assessments: every answer stored with its points, the score from the
engine, audit and events in the same transaction, refusals that leave nothing, corrections that
never edit in place, due dates, tool settings and the read-side queries."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories as f
from tests.assessments.support import BRADEN_12, BRADEN_18, BRADEN_23, events, record
from writecarenotes.assessments import queries
from writecarenotes.assessments.models import AssessmentAnswer, AssessmentDue, AssessmentResult, ToolSettings
from writecarenotes.assessments.services import correct_assessment
from writecarenotes.assessments.services_due import mark_due, set_tool_settings
from writecarenotes.platform.audit.models import AuditRecord
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.tenancy.scope import acting_for
from writecarenotes.residents.public import ResidentNotFound

pytestmark = pytest.mark.django_db


def _in(world):
    return acting_for([world.home])


def test_a_result_keeps_every_answer_with_its_points_and_the_engines_score(world):
    result = record(world, BRADEN_12, notes="Sitting out most of the day.")
    assert result.total == Decimal(12)
    assert (result.band_key, result.band_rank, result.band_set) == ("high", 3, "ayello_braden")
    assert result.summary == "Braden 12: high risk"
    assert result.band_action  # the published action is stored with the result
    assert result.tool_version == "1" and result.notes == "Sitting out most of the day."
    with _in(world):
        answers = {a.item_key: (a.value, a.points) for a in AssessmentAnswer.objects.filter(result=result)}
    assert answers == {k: ("2", Decimal(2)) for k in BRADEN_12}
    assert not result.is_late


def test_recording_is_audited_and_published_with_the_next_due_date(world):
    assessed = timezone.now() - timedelta(minutes=10)
    result = record(world, at=assessed)
    audit = AuditRecord.objects.get(action="assessments.result.recorded")
    assert audit.subject_type == "residents.resident" and audit.subject_id == str(world.resident.pk)
    assert audit.after["answers"]["friction_shear"] == {"value": "3", "points": "3"}
    [event] = events("assessment.recorded")
    expected_due = timezone.localdate(assessed) + timedelta(days=30)  # Braden: every 30 days by default
    assert event.payload["result_id"] == result.pk and event.payload["total"] == "23"
    assert event.payload["next_due_on"] == expected_due.isoformat()
    assert result.next_due_on == expected_due
    with _in(world):
        due = AssessmentDue.objects.get(resident=world.resident, tool="braden")
    assert (due.due_on, due.reason, due.last_result_id) == (expected_due, "review", result.pk)


def test_invalid_answers_are_refused_per_item_and_nothing_is_written(world):
    bad = {**BRADEN_23, "moisture": "9"}
    del bad["activity"]
    with pytest.raises(ValidationError) as exc:
        record(world, {**bad, "mood": "4"})
    errors = exc.value.message_dict
    assert {"answers.moisture", "answers.activity", "answers.mood"} <= set(errors)
    with _in(world):
        assert AssessmentResult.objects.count() == 0 and AssessmentAnswer.objects.count() == 0
        assert AssessmentDue.objects.count() == 0
    assert not AuditRecord.objects.filter(action__startswith="assessments.").exists()
    assert events("assessment.recorded") == []


def test_time_unknown_tool_band_set_and_notes_are_checked(world):
    with pytest.raises(ValidationError) as exc:
        record(world, at=timezone.now() + timedelta(hours=1))
    assert "assessed_at" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        record(world, at=timezone.now() - timedelta(days=8))
    assert "assessed_at" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        record(world, tool="tarot")
    assert "tool" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        record(world, band_set="made_up")
    assert "band_set" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        record(world, notes="x" * 5001)
    assert "notes" in exc.value.message_dict


def test_a_late_entry_is_marked_late(world):
    assert record(world, at=timezone.now() - timedelta(hours=3)).is_late


def test_only_current_residents_of_the_scope_can_be_assessed(world):
    gone = f.resident(world.home, unit=world.unit, family="Gone", status="discharged", nhs_number="9990000042")
    with pytest.raises(ValidationError):
        record(world, resident=gone)
    with acting_as_system("test"), _in(world), pytest.raises(ResidentNotFound):
        from writecarenotes.assessments.services import record_assessment

        record_assessment(world.foreign_resident.pk, "braden", BRADEN_23, timezone.now(), world.users["nurse"])


def test_a_worse_band_than_last_time_publishes_band_worsened(world):
    first = record(world, BRADEN_23, at=timezone.now() - timedelta(hours=2))
    assert events("assessment.band_worsened") == []
    second = record(world, BRADEN_12)
    [event] = events("assessment.band_worsened")
    assert event.payload == {
        "result_id": second.pk,
        "previous_result_id": first.pk,
        "resident_id": world.resident.pk,
        "tool": "braden",
        "previous_band": "no_risk",
        "band": "high",
    }
    record(world, BRADEN_18)  # better again: no new event
    assert len(events("assessment.band_worsened")) == 1


def test_bands_of_different_band_sets_are_not_compared(world):
    record(world, BRADEN_23, at=timezone.now() - timedelta(hours=2), band_set="cutoff_16")
    record(world, BRADEN_12)  # default set: different ranks, no "worsened"
    assert events("assessment.band_worsened") == []


def test_a_correction_strikes_through_and_replaces_with_a_reason(world):
    original = record(world, BRADEN_23)
    with pytest.raises(ValidationError) as exc, acting_as_system("test"), _in(world):
        correct_assessment(original, "  ", BRADEN_18, world.users["nurse"])
    assert "reason" in exc.value.message_dict
    with acting_as_system("test"), _in(world):
        replacement = correct_assessment(original, "Wrong resident's chart read", BRADEN_18, world.users["nurse"])
        original.refresh_from_db()
        due = AssessmentDue.objects.get(resident=world.resident, tool="braden")
        assert AssessmentAnswer.objects.filter(result=original).count() == 6  # kept as it was
        assert AssessmentAnswer.objects.filter(result=replacement).count() == 6
        with pytest.raises(ValidationError):
            correct_assessment(original, "again", BRADEN_18, world.users["nurse"])
    assert original.is_struck and original.replaced_by_id == replacement.pk
    assert original.strike_reason == "Wrong resident's chart read" and original.total == Decimal(23)
    assert replacement.total == Decimal(18) and replacement.assessed_at == original.assessed_at
    assert due.last_result_id == replacement.pk and replacement.next_due_on == original.next_due_on
    audit = AuditRecord.objects.get(action="assessments.result.corrected")
    assert audit.reason == "Wrong resident's chart read"
    [event] = events("assessment.corrected")
    assert event.payload["replacement_id"] == replacement.pk
    with _in(world):
        assert [r.pk for r in queries.versions_of(replacement)] == [original.pk, replacement.pk]


def test_invalid_corrected_answers_change_nothing(world):
    original = record(world, BRADEN_23)
    with pytest.raises(ValidationError) as exc, acting_as_system("test"), _in(world):
        correct_assessment(original, "typo", {**BRADEN_23, "nutrition": "7"}, world.users["nurse"])
    assert "answers.nutrition" in exc.value.message_dict
    with _in(world):
        original.refresh_from_db()
        assert not original.is_struck and AssessmentResult.objects.count() == 1


def test_tool_settings_choose_band_set_and_review_interval(world):
    with acting_as_system("test"), _in(world):
        set_tool_settings("braden", enabled=True, band_set="cutoff_16", review_days=7, user=world.users["nurse"])
        with pytest.raises(ValidationError) as exc:
            set_tool_settings("braden", enabled=True, band_set="nope", review_days=0)
        assert {"band_set", "review_days"} <= set(exc.value.message_dict)
    assessed = timezone.now() - timedelta(minutes=5)
    result = record(world, BRADEN_18, at=assessed)
    assert (result.band_set, result.band_key) == ("cutoff_16", "not_at_risk")
    assert result.next_due_on == timezone.localdate(assessed) + timedelta(days=7)
    assert AuditRecord.objects.filter(action="assessments.tool_settings.changed").count() == 1
    with acting_as_system("test"), _in(world):
        set_tool_settings("braden", enabled=False)
        assert ToolSettings.objects.get(tool="braden").enabled is False
    with pytest.raises(ValidationError) as exc:
        record(world)
    assert "tool" in exc.value.message_dict


def test_tool_settings_belong_to_the_organisation(world):
    with acting_as_system("test"), acting_for([world.foreign_home]):
        set_tool_settings("braden", enabled=False)
    with _in(world):
        assert not ToolSettings.objects.exists()
    assert record(world).band_key == "no_risk"


def test_mark_due_never_postpones_and_is_cleared_by_an_assessment_after_it(world):
    today = timezone.localdate()
    with acting_as_system("test"), _in(world):
        row = mark_due(world.resident.pk, "morse", "fall", today)
        assert (row.due_on, row.reason) == (today, "fall")
        same = mark_due(world.resident.pk, "morse", "admission", today + timedelta(days=3))
        assert (same.due_on, same.reason) == (today, "fall")  # the earlier date stays
        manual = mark_due(world.resident.pk, "morse", "manual", today + timedelta(days=3))
        assert manual.due_on == today + timedelta(days=3)  # asked for explicitly
        with pytest.raises(ValidationError):
            mark_due(world.resident.pk, "morse", "whim", today)
        with pytest.raises(ValidationError):
            mark_due(world.resident.pk, "tarot", "manual", today)
    assert AuditRecord.objects.filter(action="assessments.due.marked").count() == 2


def test_an_older_assessment_written_late_does_not_move_the_schedule(world):
    newer = record(world, at=timezone.now() - timedelta(minutes=5))
    record(world, at=timezone.now() - timedelta(days=2))
    with _in(world):
        due = AssessmentDue.objects.get(resident=world.resident, tool="braden")
    assert due.last_result_id == newer.pk and due.due_on == newer.next_due_on


def test_a_fall_after_an_assessment_written_late_stays_due(world):
    fall_at = timezone.now() - timedelta(hours=1)
    with acting_as_system("test"), _in(world):
        mark_due(world.resident.pk, "morse", "fall", timezone.localdate(), requested_at=fall_at)
    morse = {
        "history_of_falling": "yes",
        "secondary_diagnosis": "no",
        "ambulatory_aid": "aid",
        "iv_access": "no",
        "gait": "weak",
        "mental_status": "oriented",
    }
    record(world, morse, tool="morse", at=fall_at - timedelta(hours=2))  # assessed before the fall
    with _in(world):
        due = AssessmentDue.objects.get(resident=world.resident, tool="morse")
    assert (due.due_on, due.reason) == (timezone.localdate(), "fall")
    record(world, morse, tool="morse")  # assessed after the fall: back to the review
    with _in(world):
        due.refresh_from_db()
    assert due.reason == "review"


def test_latest_by_tool_and_history_show_the_change_since_last_time(world):
    first = record(world, BRADEN_23, at=timezone.now() - timedelta(days=2))
    second = record(world, BRADEN_18, at=timezone.now() - timedelta(days=1))
    third = record(world, BRADEN_12)
    with _in(world):
        latest, change = queries.latest_by_tool(world.resident.pk)["braden"]
        rows = queries.history(world.resident.pk, "braden")
        answers = queries.answer_rows(third)
    assert latest.pk == third.pk and change.previous.pk == second.pk
    assert change.total == Decimal(-6) and change.direction == "worse" and change.total_text == "-6"
    assert [(r.pk, c.previous.pk if c else None) for r, c in rows] == [
        (third.pk, second.pk),
        (second.pk, first.pk),
        (first.pk, None),
    ]
    assert [a.key for a in answers] == list(BRADEN_12)
    assert answers[0].answer.startswith("2 Very limited") and answers[0].points == Decimal(2)


def test_an_assessment_in_the_same_minute_as_the_request_clears_it(world):
    with acting_as_system("test"), _in(world):
        mark_due(world.resident.pk, "braden", "manual", timezone.localdate())
    # the form's time of assessment is to the minute, so it is "earlier" than the request by seconds
    result = record(world, at=timezone.localtime().replace(second=0, microsecond=0))
    with _in(world):
        due = AssessmentDue.objects.get(resident=world.resident, tool="braden")
    assert (due.reason, due.due_on, due.last_result_id) == ("review", result.next_due_on, result.pk)


def test_what_other_contexts_may_read(world):
    from writecarenotes.assessments import public

    result = record(world, BRADEN_12)
    with acting_as_system("test"), _in(world):
        mark_due(world.resident.pk, "must", "manual", timezone.localdate() - timedelta(days=1))
        [latest] = public.latest_results(world.resident.pk)
        due = {d.tool: d for d in public.due_items(world.resident.pk)}
    assert (latest.result_id, latest.total, latest.band, latest.summary) == (result.pk, "12", "high", result.summary)
    assert due["must"].overdue and not due["braden"].overdue
    assert public.tool_names()["braden"].startswith("Braden Scale")
