"""Vital signs services: NEWS2 stored, audit and events, escalation, refusals, rollback, scale 2,
corrections, SBARD, the alert list and the demo helper."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tests import factories as f
from writecarenotes.care_records import alerts, news2
from writecarenotes.care_records.models import SbardEscalation, VitalSigns
from writecarenotes.care_records.services_notes import correct_entry
from writecarenotes.care_records.services_vitals import (
    demo_history,
    record_sbard,
    record_vital_signs,
    set_spo2_scale,
)
from writecarenotes.platform.audit.models import AuditRecord
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.events.models import OutboxEvent
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.django_db

WELL = dict(
    respiration_rate=16,
    spo2=97,
    on_oxygen=False,
    systolic_bp=132,
    diastolic_bp=78,
    pulse=72,
    consciousness="A",
    temperature=Decimal("36.8"),
)
# RR 22 (2), SpO2 95 (1), air, SBP 105 (1), pulse 95 (1), Alert, 38.3 (1) = 6: medium.
MEDIUM = dict(WELL, respiration_rate=22, spo2=95, systolic_bp=105, diastolic_bp=60, pulse=95, temperature="38.3")


def _record(world, values, user=None, **kw):
    with acting_as_system("test"), acting_for([world.home]):
        return record_vital_signs(
            resident_id=world.resident.pk,
            user=user or world.users["carer"],
            occurred_at=kw.pop("occurred_at", timezone.now()),
            values=values,
        )


def _events(name):
    return list(OutboxEvent.unscoped.filter(name=name))


def test_complete_set_stores_news2_audits_and_publishes(world):
    vs = _record(world, WELL)
    assert (vs.news2_total, vs.news2_band, vs.news2_red) == (0, news2.LOW, False)
    assert vs.news2_scores["temperature"] == 0
    audit = AuditRecord.objects.get(action="care_records.vital_signs.recorded")
    assert audit.subject_type == "residents.resident" and audit.subject_id == str(world.resident.pk)
    [event] = _events("care_records.vital_signs_recorded")
    assert event.payload["news2_total"] == 0 and event.payload["band"] == "low"
    assert _events("care_records.news2_escalation_needed") == []


def test_medium_score_publishes_escalation_needed(world):
    vs = _record(world, MEDIUM)
    assert (vs.news2_total, vs.news2_band) == (6, news2.MEDIUM)
    [event] = _events("care_records.news2_escalation_needed")
    assert event.payload == {
        "vital_signs_id": vs.pk,
        "resident_id": world.resident.pk,
        "occurred_at": event.payload["occurred_at"],
        "news2_total": 6,
        "band": "medium",
        "red_score": False,
    }


def test_red_score_alone_publishes_escalation_needed(world):
    vs = _record(world, dict(WELL, consciousness="C"))
    assert (vs.news2_total, vs.news2_band, vs.news2_red) == (3, news2.LOW_MEDIUM, True)
    assert len(_events("care_records.news2_escalation_needed")) == 1


def test_incomplete_set_is_kept_without_a_score(world):
    vs = _record(world, {"pulse": 88, "temperature": "37.1"})
    assert vs.news2_total is None and vs.news2_band == ""
    assert vs.missing_parameters() == ["respiration_rate", "spo2", "on_oxygen", "systolic_bp", "consciousness"]
    [event] = _events("care_records.vital_signs_recorded")
    assert event.payload["news2_total"] is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("spo2", 101),
        ("spo2", 30),
        ("respiration_rate", 81),
        ("pulse", 300),
        ("systolic_bp", 20),
        ("temperature", "46.0"),
        ("temperature", "24.9"),
    ],
)
def test_impossible_values_are_refused_with_a_field_message(world, field, value):
    with pytest.raises(ValidationError) as exc:
        _record(world, dict(WELL, **{field: value}))
    assert field in exc.value.message_dict
    with acting_for([world.home]):
        assert VitalSigns.objects.count() == 0
    assert not AuditRecord.objects.filter(action="care_records.vital_signs.recorded").exists()


def test_empty_set_and_unknown_soft_sign_are_refused(world):
    with pytest.raises(ValidationError):
        _record(world, {})
    with pytest.raises(ValidationError) as exc:
        _record(world, dict(WELL, soft_signs=["made_up"]))
    assert "soft_signs" in exc.value.message_dict


def test_diastolic_above_systolic_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        _record(world, dict(WELL, systolic_bp=110, diastolic_bp=120))
    assert "diastolic_bp" in exc.value.message_dict


def test_rollback_leaves_no_entry_audit_or_event(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        _record(world, MEDIUM)
        raise RuntimeError("boom after the service")
    with acting_for([world.home]):
        assert VitalSigns.objects.count() == 0
    assert not AuditRecord.objects.filter(action="care_records.vital_signs.recorded").exists()
    assert _events("care_records.vital_signs_recorded") == []


def test_only_current_residents(world):
    gone = f.resident(world.home, family="Gone", nhs_number="9990000042", status="discharged")
    with pytest.raises(ValidationError), acting_as_system("t"), acting_for([world.home]):
        record_vital_signs(resident_id=gone.pk, user=world.users["carer"], occurred_at=timezone.now(), values=WELL)


def test_scale2_set_by_nurse_changes_scoring_and_is_audited(world):
    with acting_as_system("t"), acting_for([world.home]):
        set_spo2_scale(
            resident_id=world.resident.pk, user=world.users["nurse"], spo2_scale=2, reason="COPD, 88-92% prescribed"
        )
    # 89% on air: Scale 1 would score 3; Scale 2 scores 0.
    vs = _record(world, dict(WELL, spo2=89))
    assert (vs.spo2_scale, vs.news2_scores["spo2"], vs.news2_total) == (2, 0, 0)
    audit = AuditRecord.objects.get(action="care_records.spo2_scale.set")
    assert audit.reason == "COPD, 88-92% prescribed"


def test_scale_needs_a_reason(world):
    with pytest.raises(ValidationError) as exc, acting_as_system("t"), acting_for([world.home]):
        set_spo2_scale(resident_id=world.resident.pk, user=world.users["nurse"], spo2_scale=2, reason=" ")
    assert "reason" in exc.value.message_dict


def test_correction_strikes_and_rescores(world):
    vs = _record(world, MEDIUM)
    with acting_as_system("t"), acting_for([world.home]):
        new = correct_entry(
            vs, reason="Typed 22 for 12", new_values={"respiration_rate": 12}, user=world.users["nurse"]
        )
        vs.refresh_from_db()
    assert vs.is_struck and vs.replaced_by_id == new.pk
    assert (new.news2_scores["respiration_rate"], new.news2_total, new.news2_band) == (0, 4, news2.LOW)


def test_sbard_links_to_the_same_residents_vital_signs(world):
    vs = _record(world, MEDIUM)
    values = dict(
        situation="NEWS2 6, chesty cough",
        background="COPD, usually NEWS2 1",
        assessment="Temperature 38.3, RR 22",
        recommendation="Please review today",
        decision="GP visiting at 3pm",
        contacted="gp",
        contacted_name="Dr Patel",
        outcome="",
    )
    with acting_as_system("t"), acting_for([world.home]):
        e = record_sbard(
            resident_id=world.resident.pk,
            user=world.users["senior_carer"],
            occurred_at=timezone.now(),
            values=values,
            vital_signs_id=vs.pk,
        )
        assert list(vs.escalations.all()) == [e]
    assert _events("care_records.sbard_recorded")[0].payload["contacted"] == "gp"
    other = f.resident(world.home, family="Other", nhs_number="9990000050")
    with pytest.raises(ValidationError), acting_as_system("t"), acting_for([world.home]):
        record_sbard(
            resident_id=other.pk,
            user=world.users["carer"],
            occurred_at=timezone.now(),
            values=values,
            vital_signs_id=vs.pk,
        )
    with pytest.raises(ValidationError) as exc, acting_as_system("t"), acting_for([world.home]):
        record_sbard(
            resident_id=world.resident.pk,
            user=world.users["carer"],
            occurred_at=timezone.now(),
            values=dict(values, situation=""),
        )
    assert "situation" in exc.value.message_dict
    with acting_for([world.home]):
        assert SbardEscalation.objects.count() == 1


def _news2_alerts(world, now=None):
    with acting_for([world.home]):
        return [a for a in alerts.alerts_for(now=now) if a.kind == "news2"]


def test_alert_list_shows_medium_news2_and_due_observations(world):
    assert _news2_alerts(world) == []
    _record(world, MEDIUM)
    [a] = _news2_alerts(world)
    assert a.severity == "high" and "NEWS2 6" in a.message and a.resident_id == world.resident.pk
    # an hour and a half later the hourly observations are also overdue
    later = [x.message for x in _news2_alerts(world, now=timezone.now() + timedelta(minutes=90))]
    assert any("Observations due" in m for m in later)


def test_alert_list_ignores_a_well_resident(world):
    _record(world, WELL)
    assert _news2_alerts(world, now=timezone.now() + timedelta(hours=13)) == []


def test_demo_history_deteriorating_ends_medium(world):
    with acting_for([world.home]):
        rows = demo_history(world.resident, 14, random.Random(4), deteriorating=True)
        assert len(rows) == 15
        latest = VitalSigns.objects.order_by("-occurred_at").first()
    assert latest.news2_band == news2.MEDIUM and latest.news2_total >= 5
    assert all(r.news2_total is not None for r in rows)
    assert sum(r.news2_band == news2.LOW for r in rows[:-3]) == len(rows) - 3
