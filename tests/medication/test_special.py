"""Homely remedies (protocol, giving one to a resident as a PRN order that the round's checks count),
self-administration (risk assessment needed, lockable storage, review date) and covert administration
(capacity assessment that found a lack of capacity, best-interests decision on it, pharmacist's advice,
review date: refused without any of them or once the review date has passed)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.medication.conftest import in_home, order
from writecarenotes.medication import services_orders
from writecarenotes.medication import services_special as svc
from writecarenotes.medication.models import (
    Administration,
    AdministrationMode,
    CovertAuthorisation,
    HomelyRemedy,
    MedicationOrder,
    OrderSource,
)
from writecarenotes.residents.models import Resident

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def nka(world):
    Resident.unscoped.filter(pk=world.resident.pk).update(no_known_allergies=True)


def remedy_values(**extra) -> dict:
    return {
        "indication": "Mild pain or fever",
        "dose": "1",
        "dose_max": "2",
        "min_interval_minutes": 240,
        "max_doses_24h": 4,
        "max_days": 2,
        "expected_effect": "Pain or fever eased",
        "authorised_by": "Dr A Patel",
        "authoriser_role": "gp",
        "authorised_on": TODAY() - timedelta(days=30),
        "review_date": TODAY() + timedelta(days=300),
        **extra,
    }


def add_remedy(world, medicine, **extra) -> HomelyRemedy:
    with in_home(world.home):
        return svc.add_remedy(
            user=world.users["nurse"], medicine_id=medicine.pk, values=remedy_values(**extra), home_id=world.home.pk
        )


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"dose": "0"}, "dose"),
        ({"dose_max": "0.5"}, "dose_max"),
        ({"max_doses_24h": 0}, "max_doses_24h"),
        ({"max_days": None}, "max_days"),
        ({"authorised_by": ""}, "authorised_by"),
        ({"authoriser_role": "carer"}, "authoriser_role"),
        ({"authorised_on": TODAY() + timedelta(days=1)}, "authorised_on"),
        ({"review_date": TODAY() - timedelta(days=30)}, "review_date"),  # equal to the authorised date
        ({"expected_effect": ""}, "expected_effect"),
    ],
)
def test_a_homely_remedy_protocol_is_complete_or_refused(world, meds, extra, field):
    with pytest.raises(ValidationError) as exc:
        add_remedy(world, meds.paracetamol, **extra)
    assert field in exc.value.message_dict


def test_giving_a_homely_remedy_starts_a_prn_order_for_at_most_max_days(world, meds, nka):
    r = add_remedy(world, meds.paracetamol)
    with in_home(world.home):
        o = svc.authorise_remedy(r.pk, user=world.users["nurse"], resident_id=world.resident.pk)
    assert o.source == OrderSource.HOMELY_REMEDY and o.is_prn and o.prn_max_doses_24h == 4
    assert o.prn_min_interval_minutes == 240 and o.start_date == TODAY() and o.stop_date == TODAY() + timedelta(days=1)
    assert o.prescriber == "Dr A Patel (GP)"


def test_a_homely_remedy_past_its_review_date_cannot_be_given(world, meds, nka):
    r = add_remedy(world, meds.paracetamol)
    with in_home(world.home):
        HomelyRemedy.objects.filter(pk=r.pk).update(review_date=TODAY())
        svc.authorise_remedy(r.pk, user=world.users["nurse"], resident_id=world.resident.pk)  # the review day: allowed
        HomelyRemedy.objects.filter(pk=r.pk).update(review_date=TODAY() - timedelta(days=1))
        with pytest.raises(ValidationError) as exc:
            svc.authorise_remedy(r.pk, user=world.users["nurse"], resident_id=world.resident.pk)
    assert "due for review" in str(exc.value)


def test_homely_paracetamol_with_prescribed_cocodamol_hits_the_daily_paracetamol_limit(world, meds, nka):
    coc = order(
        world,
        meds.cocodamol,
        is_prn=True,
        dose=2,
        prn_min_interval_minutes=240,
        prn_max_doses_24h=4,
        prn_indication="pain",
        prn_expected_effect="eased",
        prn_review_date=TODAY() + timedelta(days=20),
    )
    r = add_remedy(world, meds.paracetamol)
    with in_home(world.home):
        with pytest.raises(services_orders.AcknowledgementRequired) as exc:  # duplicate paracetamol, at prescribing
            svc.authorise_remedy(r.pk, user=world.users["nurse"], resident_id=world.resident.pk)
        assert any("paracetamol" in f.message.lower() for f in exc.value.findings)
        homely = svc.authorise_remedy(
            r.pk, user=world.users["nurse"], resident_id=world.resident.pk, acknowledgement="GP to review co-codamol"
        )
        now = timezone.now()
        for hours in (20, 14, 8, 2):  # 4 x 2 co-codamol 30/500 = 4 g paracetamol in the last 24 hours
            Administration.objects.create(
                home=world.home,
                order=coc,
                resident=world.resident,
                outcome="given",
                dose=Decimal("2"),
                administered_at=now - timedelta(hours=hours),
                recorded_at=now,
                recorded_by=world.users["nurse"],
            )
        from writecarenotes.medication import safety

        findings = safety.check_dose(MedicationOrder.objects.get(pk=homely.pk), dose=Decimal("1"), at=now)
    assert any("paracetamol" in f.message.lower() and not f.rule.startswith("prn") for f in findings), findings


# --- self-administration --------------------------------------------------------------------------


def self_values(**extra):
    return {
        "level": "full",
        "knows_purpose": True,
        "knows_dose_and_times": True,
        "can_open_packaging": True,
        "will_report_problems": True,
        "storage": "Locked drawer in room 1",
        "lockable": True,
        "agreed_by": "Resident and Dr Patel",
        "assessed_on": TODAY(),
        "review_date": TODAY() + timedelta(days=90),
        **extra,
    }


def test_self_administration_needs_a_current_assessment(world, meds, nka):
    values = {"prescriber": "Dr P", "dose": "10", "times": ["08:00"], "start_date": TODAY(), "mode": "self"}
    with in_home(world.home):
        with pytest.raises(ValidationError) as exc:
            services_orders.start_order(
                user=world.users["nurse"], resident_id=world.resident.pk, medicine_id=meds.lactulose.pk, values=values
            )
        assert "risk assessment" in exc.value.message_dict["mode"][0]
        a = svc.record_self_assessment(
            user=world.users["nurse"],
            resident_id=world.resident.pk,
            medicine_id=meds.lactulose.pk,
            values=self_values(),
        )
        o = services_orders.start_order(
            user=world.users["nurse"], resident_id=world.resident.pk, medicine_id=meds.lactulose.pk, values=values
        )
        assert o.mode == AdministrationMode.SELF
        type(a).objects.filter(pk=a.pk).update(review_date=TODAY() - timedelta(days=1))
        assert "due for review" in svc.self_administration_refusal(world.resident.pk, meds.lactulose.pk)
        type(a).objects.filter(pk=a.pk).update(review_date=TODAY())
        assert svc.self_administration_refusal(world.resident.pk, meds.lactulose.pk) is None


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"lockable": False}, "lockable"),
        ({"storage": ""}, "storage"),
        ({"agreed_by": ""}, "agreed_by"),
        ({"review_date": TODAY()}, "review_date"),
        ({"can_open_packaging": False}, "level"),
        ({"level": "sometimes"}, "level"),
    ],
)
def test_a_self_administration_assessment_is_refused_when_incomplete(world, meds, extra, field):
    with pytest.raises(ValidationError) as exc, in_home(world.home):
        svc.record_self_assessment(
            user=world.users["nurse"],
            resident_id=world.resident.pk,
            medicine_id=meds.lactulose.pk,
            values=self_values(**extra),
        )
    assert field in exc.value.message_dict


# --- covert ---------------------------------------------------------------------------------------


@pytest.fixture
def mca(world):
    """A capacity assessment (lacks capacity) and a best-interests decision on it, in care planning."""
    from writecarenotes.care_planning.models import BestInterestDecision, CapacityAssessment

    def make(lacks=True):
        with in_home(world.home):
            fields = {f.name for f in CapacityAssessment._meta.concrete_fields}
            ca = CapacityAssessment(home=world.home, resident=world.resident)
            defaults = {
                "decision": "Taking prescribed medicines",
                "outcome": "lacks_capacity" if lacks else "has_capacity",
                "assessed_on": TODAY() - timedelta(days=3),
            }
            for k, v in defaults.items():
                setattr(ca, k, v)
            _fill(ca, fields, world)
            ca.save()
            bi = BestInterestDecision(home=world.home, resident=world.resident, capacity_assessment=ca)
            for k, v in {
                "decision": "Give medicines hidden in food",
                "decision_maker": "Dr A Patel",
                "decided_on": TODAY() - timedelta(days=2),
            }.items():
                setattr(bi, k, v)
            _fill(bi, {f.name for f in BestInterestDecision._meta.concrete_fields}, world)
            bi.save()
        return ca, bi

    return make


def _fill(row, fields, world):
    """Required fields the test does not care about get a plain value."""
    for f in row._meta.concrete_fields:
        if (
            f.name in ("id", "organisation")
            or f.null
            or f.has_default()
            or getattr(row, f.attname, None) not in (None, "")
        ):
            continue
        if f.is_relation:
            if f.related_model.__name__ == "User":
                setattr(row, f.name, world.users["nurse"])
            continue
        t = f.get_internal_type()
        if t in ("DateTimeField",):
            setattr(row, f.name, timezone.now())
        elif t == "DateField":
            setattr(row, f.name, TODAY())
        elif t in ("CharField", "TextField"):
            setattr(row, f.name, (f.choices[0][0] if f.choices else "x"))
        elif t in ("IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField"):
            setattr(row, f.name, 1)
        elif t == "BooleanField":
            setattr(row, f.name, False)
        elif t == "JSONField":
            setattr(row, f.name, [])


def covert_values(ca, bi, **extra):
    return {
        "capacity_assessment_id": ca.pk,
        "best_interest_decision_id": bi.pk,
        "pharmacist_name": "Priya Shah",
        "pharmacist_advised_on": TODAY() - timedelta(days=1),
        "how_to_give": "Crush and mix with a spoon of yoghurt",
        "review_date": TODAY() + timedelta(days=28),
        **extra,
    }


def test_covert_is_refused_without_every_piece_and_allowed_with_them(world, meds, nka, mca):
    o = order(world, meds.cocareldopa)
    ca, bi = mca()
    with in_home(world.home):
        with pytest.raises(ValidationError) as exc:  # straight to covert without the paperwork
            services_orders.change_order(o.pk, user=world.users["nurse"], values={"mode": "covert"}, reason="refusing")
        assert "capacity assessment" in exc.value.message_dict["mode"][0]
        for missing in (
            "capacity_assessment_id",
            "best_interest_decision_id",
            "pharmacist_name",
            "how_to_give",
            "review_date",
            "pharmacist_advised_on",
        ):
            with pytest.raises(ValidationError) as exc:
                svc.authorise_covert(o.pk, user=world.users["nurse"], values=covert_values(ca, bi, **{missing: None}))
            assert missing in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            svc.authorise_covert(
                o.pk, user=world.users["nurse"], values=covert_values(ca, bi, review_date=TODAY() - timedelta(days=1))
            )
        assert "review_date" in exc.value.message_dict
        auth = svc.authorise_covert(o.pk, user=world.users["nurse"], values=covert_values(ca, bi, review_date=TODAY()))
        o.refresh_from_db()
        assert o.mode == AdministrationMode.COVERT and auth.how_to_give.startswith("Crush")
        assert svc.covert_refusal(o) is None  # the review day itself
        CovertAuthorisation.objects.filter(pk=auth.pk).update(review_date=TODAY() - timedelta(days=1))
        assert "due for review" in svc.covert_refusal(o)


def test_covert_is_refused_when_the_resident_has_capacity(world, meds, nka, mca):
    o = order(world, meds.cocareldopa)
    ca, bi = mca(lacks=False)
    with pytest.raises(ValidationError) as exc, in_home(world.home):
        svc.authorise_covert(o.pk, user=world.users["nurse"], values=covert_values(ca, bi))
    assert "has capacity" in exc.value.message_dict["capacity_assessment_id"][0]


def test_a_covert_start_is_refused(world, meds, nka):
    with pytest.raises(ValidationError) as exc, in_home(world.home):
        services_orders.start_order(
            user=world.users["nurse"],
            resident_id=world.resident.pk,
            medicine_id=meds.lactulose.pk,
            values={"prescriber": "Dr", "dose": "10", "times": ["08:00"], "start_date": date.today(), "mode": "covert"},
        )
    assert "covert" in exc.value.message_dict["mode"][0]
