"""Recording the round (services_rounds): the slot and its window at its exact edges, outcome rules, one
record per slot, the safety checks with their overrides, the controlled drugs witness, corrections and PRN
effects, and the consecutive-days alerts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import PASSWORD
from tests.medication.conftest import in_home, order, record, slot
from writecarenotes.medication import services_rounds as sr
from writecarenotes.medication import services_rounds_alerts as alerts
from writecarenotes.medication.models import Administration, MedicationAlert, MedicationOrder, SafetyOverride
from writecarenotes.platform.api.concurrency import PreconditionFailed
from writecarenotes.platform.events.models import OutboxEvent
from writecarenotes.platform.identity.access import build_access
from writecarenotes.residents.models import Resident


def events(world, name: str) -> list[dict]:
    with in_home(world.home):
        return [e.payload for e in OutboxEvent.objects.filter(name=name)]


def messages(exc) -> str:
    return " ".join(exc.value.messages)


# --- the slot and its window -----------------------------------------------------------------------------


def test_a_dose_is_recorded_in_its_slot_with_its_first_version_and_event(world, meds, clock, nka):
    o = order(world, meds.paracetamol)
    adm = record(world, o, outcome="given", dose="1", due_at=slot(clock))
    assert adm.outcome == "given" and adm.dose == Decimal("1") and adm.late is False
    assert adm.recorded_by == world.users["senior_carer"] and adm.administered_at == clock.now
    assert len(events(world, "medication.dose_given")) == 1


def test_the_window_opens_exactly_one_hour_before_and_never_earlier(world, meds, clock, nka):
    o = order(world, meds.paracetamol, times=["09:10"])
    clock.now = slot(clock, "08:09")  # one minute before the window opens
    with pytest.raises(ValidationError) as exc:
        record(world, o, outcome="given", dose="1", due_at=slot(clock, "09:10"))
    assert "cannot be recorded before 08:10" in messages(exc)
    assert not Administration.unscoped.exists()
    clock.now = slot(clock, "08:10")  # exactly when it opens
    assert record(world, o, outcome="given", dose="1", due_at=slot(clock, "09:10")).late is False


def test_late_only_after_the_window_closes(world, meds, clock, nka):
    on_time = order(world, meds.paracetamol, times=["07:10"])
    late = order(world, meds.lactulose, times=["07:09"])
    assert (
        record(world, on_time, outcome="given", dose="1", due_at=slot(clock, "07:10")).late is False
    )  # 08:10 = closes
    assert record(world, late, outcome="given", dose="1", due_at=slot(clock, "07:09")).late is True  # a minute after


def test_a_time_critical_medicine_has_the_narrower_window(world, meds, clock, nka):
    o = order(world, meds.cocareldopa, times=["08:40"])
    clock.now = slot(clock, "08:09")
    with pytest.raises(ValidationError) as exc:
        record(world, o, outcome="given", dose="1", due_at=slot(clock, "08:40"))
    assert "before 08:10" in messages(exc)
    clock.now = slot(clock, "08:10")
    assert record(world, o, outcome="given", dose="1", due_at=slot(clock, "08:40")).late is False
    MedicationOrder.unscoped.filter(pk=o.pk).update(status="stopped")  # not a duplicate of the next one
    o2 = order(world, meds.cocareldopa, times=["07:39"])
    assert record(world, o2, outcome="given", dose="1", due_at=slot(clock, "07:39")).late is True


def test_a_time_that_is_not_a_slot_of_the_order_is_refused(world, meds, clock, nka):
    o = order(world, meds.paracetamol)
    with pytest.raises(ValidationError) as exc:
        record(world, o, outcome="given", dose="1", due_at=slot(clock, "08:30"))
    assert "is not due at 08:30" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        record(world, o, outcome="given", dose="1")
    assert "Choose the scheduled time" in messages(exc)


def test_a_stopped_order_and_a_resident_who_left_are_refused(world, meds, clock, nka):
    o = order(world, meds.paracetamol, status="stopped")
    with pytest.raises(ValidationError) as exc:
        record(world, o, outcome="given", dose="1", due_at=slot(clock))
    assert "This prescription is stopped" in messages(exc)
    o2 = order(world, meds.lactulose)
    Resident.unscoped.filter(pk=world.resident.pk).update(status="discharged")
    with pytest.raises(ValidationError) as exc:
        record(world, o2, outcome="given", dose="1", due_at=slot(clock))
    assert "no longer living in the home" in messages(exc)


# --- outcomes ---------------------------------------------------------------------------------------------


def test_the_dose_must_be_within_the_prescribed_range(world, meds, clock, nka):
    o = order(world, meds.lactulose, dose="10", dose_max="15")
    for bad in ("9.99", "15.01"):
        with pytest.raises(ValidationError) as exc:
            record(world, o, outcome="given", dose=bad, due_at=slot(clock))
        assert "The prescribed dose is 10-15 ml" in messages(exc)
    assert record(world, o, outcome="given", dose="15", due_at=slot(clock)).dose == Decimal("15")


def test_a_dose_not_given_needs_a_fitting_reason_and_words_for_other(world, meds, clock):
    o = order(world, meds.paracetamol)
    with pytest.raises(ValidationError) as exc:
        record(world, o, outcome="refused", due_at=slot(clock))
    assert exc.value.message_dict["reason_code"] == ["Choose the reason the dose was not given."]
    with pytest.raises(ValidationError) as exc:
        record(world, o, outcome="refused", reason_code="hospital", due_at=slot(clock))
    assert exc.value.message_dict["reason_code"] == ["Choose a reason that fits the outcome."]
    with pytest.raises(ValidationError) as exc:
        record(world, o, outcome="omitted", reason_code="other", due_at=slot(clock))
    assert exc.value.message_dict["note"] == ["Say why the dose was not given."]
    adm = record(world, o, outcome="refused", reason_code="refused", note="Spat it out", due_at=slot(clock))
    assert adm.dose is None and len(events(world, "medication.dose_refused")) == 1


def test_omitted_publishes_dose_omitted(world, meds, clock):
    o = order(world, meds.cocareldopa, times=["08:00"])
    record(world, o, outcome="unavailable", reason_code="out_of_stock", due_at=slot(clock))
    ev = events(world, "medication.dose_omitted")[0]
    assert ev["outcome"] == "unavailable" and ev["time_critical"] is True


def test_self_administered_only_on_a_self_administration_plan(world, meds, clock, nka):
    o = order(world, meds.paracetamol)
    with pytest.raises(ValidationError) as exc:
        record(world, o, outcome="self_administered", dose="1", due_at=slot(clock))
    assert "not on a self-administration plan" in messages(exc)
    o2 = order(world, meds.lactulose, mode="self")
    with pytest.raises(ValidationError) as exc:  # on a plan, but no risk assessment in force
        record(world, o2, outcome="self_administered", dose="1", due_at=slot(clock))
    assert "risk assessment" in messages(exc)
    from tests.medication.test_special import self_values
    from writecarenotes.medication import services_special

    with in_home(world.home):
        a = services_special.record_self_assessment(
            user=world.users["nurse"],
            resident_id=world.resident.pk,
            medicine_id=meds.lactulose.pk,
            values=self_values(),
        )
        type(a).objects.filter(pk=a.pk).update(review_date=clock.now.date() - timedelta(days=1))
    with pytest.raises(ValidationError) as exc:  # its review date has passed
        record(world, o2, outcome="self_administered", dose="1", due_at=slot(clock))
    assert "due for review" in messages(exc)
    type(a).unscoped.filter(pk=a.pk).update(review_date=clock.now.date())
    assert record(world, o2, outcome="self_administered", dose="1", due_at=slot(clock)).outcome == "self_administered"


def test_a_covert_dose_needs_its_authorisation_in_force(world, meds, clock, nka):
    o = order(world, meds.lactulose, mode="covert")
    with pytest.raises(ValidationError) as exc:
        record(world, o, outcome="given", dose="1", due_at=slot(clock))
    assert "Covert administration needs a capacity assessment" in messages(exc)
    # refusing is still recorded: the resident declined what was offered
    assert record(world, o, outcome="refused", reason_code="refused", due_at=slot(clock)).outcome == "refused"


# --- one record per slot ----------------------------------------------------------------------------------


def test_a_second_record_for_the_slot_is_refused_with_who_and_when(world, meds, clock, nka):
    o = order(world, meds.paracetamol)
    clock.now = slot(clock, "08:03")
    record(world, o, outcome="given", dose="1", due_at=slot(clock))
    clock.now = slot(clock, "08:20")
    with pytest.raises(ValidationError) as exc:
        record(world, o, role="nurse", outcome="refused", reason_code="refused", due_at=slot(clock))
    name = world.users["senior_carer"].display_name
    assert f"already recorded at 08:03 by {name}" in messages(exc)
    assert Administration.unscoped.count() == 1


def test_the_database_constraint_gives_the_same_message_not_a_500(world, meds, clock, nka, monkeypatch):
    o = order(world, meds.paracetamol)
    clock.now = slot(clock, "08:03")
    record(world, o, outcome="refused", reason_code="refused", due_at=slot(clock))
    monkeypatch.setattr(sr, "_existing_record", lambda order, due_at: None)  # the race: both passed the check
    clock.now = slot(clock, "08:05")
    with pytest.raises(ValidationError) as exc:
        record(world, o, outcome="refused", reason_code="refused", due_at=slot(clock))
    assert "already recorded at 08:03" in messages(exc)
    assert Administration.unscoped.count() == 1


# --- safety checks ----------------------------------------------------------------------------------------


def prn_paracetamol(world, meds):
    return order(
        world,
        meds.paracetamol,
        is_prn=True,
        dose="1",
        dose_max="2",
        prn_indication="Pain",
        prn_min_interval_minutes=240,
        prn_max_doses_24h=4,
        prn_effect_check_minutes=60,
    )


def test_a_prn_dose_too_soon_is_refused_with_the_reason(world, meds, clock, nka):
    o = prn_paracetamol(world, meds)
    record(world, o, outcome="given", dose="2", at=slot(clock, "08:00"))
    clock.now = slot(clock, "11:59")  # one minute short of four hours
    with pytest.raises(sr.SafetyRefused) as exc:
        record(world, o, outcome="given", dose="2")
    assert exc.value.may_override is False  # a senior carer may not override
    assert any(f.rule == "prn_interval" for f in exc.value.findings)
    assert Administration.unscoped.count() == 1
    clock.now = slot(clock, "12:00")
    assert record(world, o, outcome="given", dose="2").outcome == "given"


def test_a_prn_record_has_no_slot_and_sets_its_effect_check(world, meds, clock, nka):
    o = prn_paracetamol(world, meds)
    with pytest.raises(ValidationError) as exc:
        record(world, o, outcome="given", dose="1", due_at=slot(clock))
    assert "has no scheduled time" in messages(exc)
    adm = record(world, o, outcome="given", dose="1")
    assert adm.due_at is None and adm.effect_due_at == clock.now + timedelta(minutes=60)


def test_a_nurse_overrides_with_a_reason_which_is_kept_and_reported(world, meds, clock, nka):
    o = prn_paracetamol(world, meds)
    record(world, o, outcome="given", dose="1", at=slot(clock, "08:00"))
    clock.now = slot(clock, "09:00")
    with pytest.raises(sr.SafetyRefused) as exc:
        record(world, o, role="nurse", outcome="given", dose="1")
    assert exc.value.may_override is True
    assert "override reason" in messages(exc)
    adm = record(world, o, role="nurse", outcome="given", dose="1", override_reason="GP advised by phone at 08:55")
    ov = SafetyOverride.unscoped.get(administration=adm)
    assert ov.rule == "prn_interval" and ov.reason == "GP advised by phone at 08:55" and ov.by == world.users["nurse"]
    assert events(world, "medication.safety_overridden")[0]["rules"] == ["prn_interval"]


def test_a_senior_carer_cannot_override(world, meds, clock, nka):
    o = prn_paracetamol(world, meds)
    record(world, o, outcome="given", dose="1", at=slot(clock, "08:00"))
    clock.now = slot(clock, "09:00")
    with pytest.raises(sr.SafetyRefused) as exc:
        record(world, o, outcome="given", dose="1", override_reason="I think it is fine")
    assert exc.value.message_dict["override_reason"] == ["You may not override this check: ask the nurse in charge."]
    assert not SafetyOverride.unscoped.exists()


def test_paracetamol_across_two_products_is_stopped_at_4_g(world, meds, clock, nka):
    o1 = order(world, meds.paracetamol, is_prn=True, dose="2", prn_min_interval_minutes=60)
    o2 = order(world, meds.cocodamol, is_prn=True, dose="2", prn_min_interval_minutes=60)
    why = "Both prescribed by Dr Patel on purpose"
    for h in ("04:00", "06:00", "07:00"):  # 3 g of paracetamol; both products: a duplicate the nurse overrides
        record(world, o1, role="nurse", outcome="given", dose="2", at=slot(clock, h), override_reason=why)
    record(world, o2, role="nurse", outcome="given", dose="2", override_reason=why)  # exactly 4 g: allowed
    clock.now = slot(clock, "09:10")
    with pytest.raises(sr.SafetyRefused) as exc:
        record(world, o1, role="nurse", outcome="given", dose="2", override_reason=why)  # 5 g
    assert "ingredient_max_24h" in {f.rule for f in exc.value.findings}
    assert Administration.unscoped.count() == 4


# --- controlled drugs -------------------------------------------------------------------------------------


def test_a_controlled_drug_needs_a_witness_with_their_own_password(world, meds, clock, nka):
    o = order(world, meds.morphine, dose="2.5")
    with pytest.raises(ValidationError) as exc:
        record(world, o, outcome="given", dose="2.5", due_at=slot(clock))
    assert "witness" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        record(
            world,
            o,
            outcome="given",
            dose="2.5",
            due_at=slot(clock),
            witness={"email": world.users["nurse"].email, "password": "wrong"},
        )
    assert exc.value.message_dict["witness"] == ["The witness's e-mail or password is not right."]
    with pytest.raises(ValidationError) as exc:
        record(
            world,
            o,
            outcome="given",
            dose="2.5",
            due_at=slot(clock),
            witness={"email": world.users["senior_carer"].email, "password": PASSWORD},
        )
    assert "different person" in messages(exc)
    assert not Administration.unscoped.exists()


def test_a_witnessed_controlled_drug_goes_in_the_register(world, meds, clock, nka):
    from writecarenotes.medication import services_controlled as cd
    from writecarenotes.medication.models import CDEntry

    nurse, deputy = world.users["nurse"], world.users["deputy_manager"]
    with in_home(world.home):
        reg = cd.open_register(
            home_id=world.home.pk, medicine_id=meds.morphine.pk, resident_id=world.resident.pk, by=nurse
        )
        cd.receive(
            reg.pk,
            quantity="100",
            supplier_name="Pharmacy",
            supplier_address="High St",
            by=nurse,
            witness=deputy,
            occurred_at=slot(clock, "07:00"),
        )
    o = order(world, meds.morphine, dose="2.5")
    adm = record(
        world,
        o,
        outcome="given",
        dose="2.5",
        due_at=slot(clock),
        witness={"email": nurse.email, "password": PASSWORD},
    )
    assert adm.witness == nurse
    assert CDEntry.unscoped.filter(administration=adm).count() == 1


# --- corrections and PRN effects --------------------------------------------------------------------------


def test_a_correction_is_a_new_version_with_if_match(world, meds, clock, nka):
    o = order(world, meds.paracetamol)
    adm = record(world, o, outcome="refused", reason_code="refused", due_at=slot(clock))
    user = world.users["nurse"]
    access = build_access(user, world.home.pk)
    with in_home(world.home), pytest.raises(PreconditionFailed):
        sr.correct_administration(adm.pk, user=user, access=access, reason="x", if_match='"v9"', outcome="omitted")
    with in_home(world.home), pytest.raises(ValidationError) as exc:
        sr.correct_administration(adm.pk, user=user, access=access, reason="", if_match='"v1"', outcome="omitted")
    assert "reason" in exc.value.message_dict
    with in_home(world.home):
        fixed = sr.correct_administration(
            adm.pk,
            user=user,
            access=access,
            reason="Tapped the wrong button: she took it",
            if_match='"v1"',
            outcome="given",
            dose="1",
        )
    assert fixed.version == 2 and fixed.outcome == "given" and fixed.reason_code == ""
    from writecarenotes.platform.audit.models import RecordVersion

    versions = RecordVersion.objects.filter(content_type="medication.administration", object_id=str(adm.pk))
    assert versions.count() == 2 and versions.order_by("-version").first().reason.startswith("Tapped")


def test_prn_effect_needs_words_unless_effective_and_is_recorded_once(world, meds, clock, nka):
    o = prn_paracetamol(world, meds)
    adm = record(world, o, outcome="given", dose="1")
    user = world.users["senior_carer"]
    clock.now += timedelta(minutes=60)
    with in_home(world.home), pytest.raises(ValidationError) as exc:
        sr.record_prn_effect(adm.pk, user=user, effect="not_effective")
    assert "note" in exc.value.message_dict
    with in_home(world.home):
        done = sr.record_prn_effect(adm.pk, user=user, effect="partly", note="Still some pain in her hip")
    assert done.effect == "partly" and done.version == 2
    assert len(events(world, "medication.prn_effect_recorded")) == 1
    with in_home(world.home), pytest.raises(ValidationError) as exc:
        sr.record_prn_effect(adm.pk, user=user, effect="effective")
    assert "already recorded" in messages(exc)


# --- alerts -----------------------------------------------------------------------------------------------


def test_refusals_on_two_days_running_raise_one_alert_which_a_third_day_extends(world, meds, clock):
    assert alerts.CONSECUTIVE_DAYS == 2
    o = order(world, meds.paracetamol)
    record(world, o, outcome="refused", reason_code="refused", due_at=slot(clock, days=-2), at=slot(clock, "08:00", -2))
    assert not MedicationAlert.unscoped.exists()  # one day is not a run
    record(world, o, outcome="omitted", reason_code="asleep", due_at=slot(clock, days=-1), at=slot(clock, "08:00", -1))
    alert = MedicationAlert.unscoped.get()
    assert alert.days == 2 and alert.outcomes == ["omitted", "refused"]
    record(world, o, outcome="refused", reason_code="refused", due_at=slot(clock))
    alert.refresh_from_db()
    assert MedicationAlert.unscoped.count() == 1 and alert.days == 3 and alert.last_day == clock.now.date()


def test_a_gap_day_or_a_withheld_dose_does_not_alert(world, meds, clock):
    o = order(world, meds.paracetamol)
    record(world, o, outcome="refused", reason_code="refused", due_at=slot(clock, days=-2), at=slot(clock, "08:00", -2))
    record(world, o, outcome="refused", reason_code="refused", due_at=slot(clock))  # day -1 missing from the run
    o2 = order(world, meds.lactulose)
    record(
        world,
        o2,
        outcome="withheld",
        reason_code="clinical_advice",
        due_at=slot(clock, days=-1),
        at=slot(clock, "08:00", -1),
    )
    record(world, o2, outcome="withheld", reason_code="clinical_advice", due_at=slot(clock))
    assert not MedicationAlert.unscoped.exists()


def test_the_nurse_records_the_gp_contact(world, meds, clock):
    o = order(world, meds.paracetamol)
    record(world, o, outcome="refused", reason_code="refused", due_at=slot(clock, days=-1), at=slot(clock, "08:00", -1))
    record(world, o, outcome="refused", reason_code="refused", due_at=slot(clock))
    alert = MedicationAlert.unscoped.get()
    with in_home(world.home), pytest.raises(ValidationError):
        alerts.acknowledge_alert(alert.pk, user=world.users["nurse"], note="  ")
    with in_home(world.home):
        alerts.acknowledge_alert(alert.pk, user=world.users["nurse"], note="Dr Patel: stop it, review Friday")
    alert.refresh_from_db()
    assert alert.status == "acknowledged" and alert.acknowledged_by == world.users["nurse"]


def test_the_job_scan_raises_what_was_missed_and_is_idempotent(world, meds, clock):
    o = order(world, meds.paracetamol)
    with in_home(world.home):
        for d in (-1, 0):
            Administration.unscoped.create(
                home=world.home,
                order=o,
                resident=world.resident,
                due_at=slot(clock, days=d),
                outcome="refused",
                reason_code="refused",
                administered_at=slot(clock, days=d),
                recorded_at=slot(clock, days=d),
                recorded_by=world.users["nurse"],
            )
        assert alerts.scan(clock.now - timedelta(days=2)) == 1
        assert alerts.scan(clock.now - timedelta(days=2)) == 0
    assert MedicationAlert.unscoped.count() == 1
