"""Liberty records by the nation of the home: DoLS (MCA 2005 Schedule A1) in England and Wales with
the urgent authorisation's 7 days and one 7-day extension, standard authorisations of at most a
year with conditions; section 47 certificates, guardianship and intervention orders in Scotland;
Trust panel authorisations in Northern Ireland (6 months, then 6 months, then a year); decision
support arrangements in Ireland. Only the home's framework is accepted. The daily job publishes
dols.expiring (28 days before the end, once per end date) and dols.expired."""

from __future__ import annotations

import contextlib
from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories as f
from writecarenotes.care_planning import capacity_rules as rules
from writecarenotes.care_planning.jobs_capacity import liberty_expiry
from writecarenotes.care_planning.models.capacity import LibertyRecord
from writecarenotes.care_planning.services_capacity_liberty import (
    change_conditions,
    end_liberty,
    expiry_list,
    extend_liberty,
    grant_liberty,
    record_liberty,
    refuse_liberty,
)
from writecarenotes.platform.audit.models import RecordVersion
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.events.models import OutboxEvent
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@contextlib.contextmanager
def in_home(home):
    with acting_as_system("test"), acting_for([home]):
        yield


def home_in(nation: str):
    org = f.organisation()
    home = f.home(org, nation=nation)
    unit, room = f.unit_with_room(home)
    resident = f.resident(home, unit=unit, room=room, family="Nation")
    nurse = f.user(name="Nation Nurse")
    f.member(nurse, "nurse", home=home)
    return home, resident, nurse


def events(name):
    return list(OutboxEvent.unscoped.filter(name=name).order_by("occurred_at", "id"))


def urgent(world, start=None, end=None):
    start = start or TODAY()
    with in_home(world.home):
        return record_liberty(
            world.resident.pk,
            user=world.users["nurse"],
            values={
                "kind": "dols_urgent",
                "body": "Shire County Council",
                "start_on": start,
                "end_on": end or start + timedelta(days=7),
            },
        )


# --- the nation decides the framework ----------------------------------------------------------


@pytest.mark.parametrize(
    ("nation", "framework"),
    [
        ("england", "dols"),
        ("wales", "dols"),
        ("scotland", "awi_scotland"),
        ("northern_ireland", "mca_ni"),
        ("ireland", "adm_ireland"),
    ],
)
def test_each_nation_has_its_framework(nation, framework):
    assert rules.framework_for(nation) == framework
    assert {k.framework for k in rules.kinds_for(framework)} == {framework}


@pytest.mark.parametrize(
    ("nation", "wrong", "right"),
    [
        ("england", "awi_s47", "dols_standard"),
        ("scotland", "dols_standard", "awi_guardianship"),
        ("northern_ireland", "dols_urgent", "ni_panel"),
        ("ireland", "ni_panel", "adm_co_decision"),
    ],
)
def test_only_the_homes_framework_is_accepted(nation, wrong, right):
    home, resident, nurse = home_in(nation)
    with in_home(home), pytest.raises(ValidationError) as exc:
        record_liberty(resident.pk, user=nurse, values={"kind": wrong, "requested_on": TODAY(), "start_on": TODAY()})
    assert "kind" in exc.value.message_dict
    with in_home(home):
        r = record_liberty(
            resident.pk, user=nurse, values={"kind": right, "requested_on": TODAY(), "person_appointed": "Ann Evans"}
        )
    assert r.framework == rules.framework_for(nation) and r.status == "requested"


# --- DoLS: standard -----------------------------------------------------------------------------


def test_standard_authorisation_applied_for_then_granted_with_conditions(world):
    with in_home(world.home):
        r = record_liberty(
            world.resident.pk,
            user=world.users["nurse"],
            values={"kind": "dols_standard", "body": "Shire County Council", "requested_on": TODAY()},
        )
        assert r.status == "requested" and r.start_on is None
        granted = grant_liberty(
            r.pk,
            user=world.users["nurse"],
            decided_on=TODAY(),
            start_on=TODAY(),
            end_on=rules.add_years(TODAY(), 1),  # the most Sch. A1 allows
            conditions=["Weekly visits to her church", " ", "Review the door keypad in 3 months"],
            reference="DOLS-2024-118",
        )
    assert granted.status == "in_force" and granted.conditions == [
        "Weekly visits to her church",
        "Review the door keypad in 3 months",
    ]
    assert granted.reference == "DOLS-2024-118" and granted.version == 2
    versions = RecordVersion.objects.filter(content_type="care_planning.libertyrecord", object_id=str(r.pk))
    assert versions.count() == 2
    assert [e.payload["change"] for e in events("dols.changed")] == ["recorded", "granted"]


def test_a_standard_authorisation_may_not_exceed_a_year(world):
    with in_home(world.home):
        r = record_liberty(
            world.resident.pk, user=world.users["nurse"], values={"kind": "dols_standard", "requested_on": TODAY()}
        )
        with pytest.raises(ValidationError) as exc:
            grant_liberty(
                r.pk,
                user=world.users["nurse"],
                decided_on=TODAY(),
                start_on=TODAY(),
                end_on=rules.add_years(TODAY(), 1) + timedelta(days=1),
            )
        assert "end_on" in exc.value.message_dict and "42" in exc.value.message_dict["end_on"][0]
        with pytest.raises(ValidationError) as exc:
            grant_liberty(r.pk, user=world.users["nurse"], decided_on=TODAY(), start_on=TODAY(), end_on=None)
        assert "end_on" in exc.value.message_dict
        with pytest.raises(ValidationError):  # dates of an application are given when it is granted
            record_liberty(
                world.resident.pk,
                user=world.users["nurse"],
                values={"kind": "dols_standard", "requested_on": TODAY(), "start_on": TODAY()},
            )


def test_refused_with_a_reason_and_then_it_cannot_be_granted(world):
    with in_home(world.home):
        r = record_liberty(
            world.resident.pk, user=world.users["nurse"], values={"kind": "dols_standard", "requested_on": TODAY()}
        )
        with pytest.raises(ValidationError):
            refuse_liberty(r.pk, user=world.users["nurse"], decided_on=TODAY(), reason="")
        refused = refuse_liberty(
            r.pk, user=world.users["nurse"], decided_on=TODAY(), reason="Not deprived of liberty: goes out freely"
        )
        assert refused.status == "refused"
        with pytest.raises(ValidationError):
            grant_liberty(
                r.pk,
                user=world.users["nurse"],
                decided_on=TODAY(),
                start_on=TODAY(),
                end_on=TODAY() + timedelta(days=30),
            )


# --- DoLS: urgent, 7 days + one extension of 7 days ---------------------------------------------


def test_an_urgent_authorisation_lasts_at_most_7_days(world):
    start = TODAY()
    with in_home(world.home), pytest.raises(ValidationError) as exc:
        record_liberty(
            world.resident.pk,
            user=world.users["nurse"],
            values={"kind": "dols_urgent", "start_on": start, "end_on": start + timedelta(days=8)},
        )
    assert "78" in exc.value.message_dict["end_on"][0]
    r = urgent(world, start, start + timedelta(days=7))  # exactly 7 days: accepted
    assert r.status == "in_force" and r.end_on == start + timedelta(days=7)


def test_an_urgent_authorisation_is_extended_once_by_at_most_7_days(world):
    r = urgent(world)
    first_end = r.end_on
    with in_home(world.home):
        with pytest.raises(ValidationError) as exc:
            extend_liberty(
                r.pk,
                user=world.users["nurse"],
                new_end_on=first_end + timedelta(days=8),
                decided_on=TODAY(),
                reason="Assessments not done",
            )
        assert "new_end_on" in exc.value.message_dict
        extended = extend_liberty(
            r.pk,
            user=world.users["nurse"],
            new_end_on=first_end + timedelta(days=7),
            decided_on=TODAY(),
            reason="Best interests assessor ill",
        )
        assert extended.end_on == first_end + timedelta(days=7) and extended.extensions == 1
        with pytest.raises(ValidationError) as exc:
            extend_liberty(
                r.pk,
                user=world.users["nurse"],
                new_end_on=extended.end_on + timedelta(days=1),
                decided_on=TODAY(),
                reason="Again",
            )
        assert "only once" in exc.value.message_dict["new_end_on"][0]


def test_a_standard_authorisation_is_not_extended_and_an_ended_one_cannot_be(world):
    with in_home(world.home):
        r = record_liberty(
            world.resident.pk, user=world.users["nurse"], values={"kind": "dols_standard", "requested_on": TODAY()}
        )
        grant_liberty(
            r.pk, user=world.users["nurse"], decided_on=TODAY(), start_on=TODAY(), end_on=TODAY() + timedelta(days=100)
        )
        with pytest.raises(ValidationError):
            extend_liberty(
                r.pk,
                user=world.users["nurse"],
                new_end_on=TODAY() + timedelta(days=120),
                decided_on=TODAY(),
                reason="x",
            )
        ended = end_liberty(r.pk, user=world.users["nurse"], ended_on=TODAY(), reason="Moved to a nursing home")
        assert ended.status == "ended"
        with pytest.raises(ValidationError):
            change_conditions(r.pk, user=world.users["nurse"], conditions=["x"], reason="y")


def test_conditions_can_be_varied_with_a_reason(world):
    r = urgent(world)
    with in_home(world.home):
        changed = change_conditions(
            r.pk, user=world.users["nurse"], conditions=["Daily walk in the garden"], reason="Review"
        )
    assert changed.conditions == ["Daily walk in the garden"] and changed.version == 2


# --- other nations --------------------------------------------------------------------------------


def test_scotland_section_47_certificate_one_year_or_three_for_a_prescribed_condition():
    home, resident, nurse = home_in("scotland")
    start = TODAY()
    with in_home(home):
        with pytest.raises(ValidationError):
            record_liberty(
                resident.pk,
                user=nurse,
                values={"kind": "awi_s47", "start_on": start, "end_on": rules.add_years(start, 2)},
            )
        r = record_liberty(
            resident.pk,
            user=nurse,
            values={
                "kind": "awi_s47",
                "start_on": start,
                "end_on": rules.add_years(start, 3),
                "prescribed_condition": True,
            },
        )
    assert r.status == "in_force" and r.framework == "awi_scotland"


def test_northern_ireland_panel_authorisation_six_months_then_six_then_a_year():
    home, resident, nurse = home_in("northern_ireland")
    with in_home(home):
        r = record_liberty(
            resident.pk, user=nurse, values={"kind": "ni_panel", "body": "Belfast HSC Trust", "requested_on": TODAY()}
        )
        start = TODAY()
        with pytest.raises(ValidationError):
            grant_liberty(
                r.pk,
                user=nurse,
                decided_on=TODAY(),
                start_on=start,
                end_on=rules.add_months(start, 6) + timedelta(days=1),
            )
        r = grant_liberty(r.pk, user=nurse, decided_on=TODAY(), start_on=start, end_on=rules.add_months(start, 6))
        with pytest.raises(ValidationError):
            extend_liberty(
                r.pk, user=nurse, new_end_on=rules.add_months(r.end_on, 7), decided_on=TODAY(), reason="Panel"
            )
        r = extend_liberty(
            r.pk, user=nurse, new_end_on=rules.add_months(r.end_on, 6), decided_on=TODAY(), reason="Panel"
        )
        r = extend_liberty(
            r.pk, user=nurse, new_end_on=rules.add_years(r.end_on, 1), decided_on=TODAY(), reason="Panel"
        )
    assert r.extensions == 2


def test_ireland_arrangements_name_the_person_appointed():
    home, resident, nurse = home_in("ireland")
    with in_home(home):
        with pytest.raises(ValidationError) as exc:
            record_liberty(resident.pk, user=nurse, values={"kind": "adm_assistant", "start_on": TODAY()})
        assert "person_appointed" in exc.value.message_dict
        r = record_liberty(
            resident.pk,
            user=nurse,
            values={"kind": "adm_assistant", "start_on": TODAY(), "person_appointed": "Siobhan Byrne"},
        )
    assert r.status == "in_force" and r.end_on is None


def test_add_months_keeps_to_the_last_day_of_a_short_month():
    assert rules.add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert rules.add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)


# --- the daily job --------------------------------------------------------------------------------


def _slot(day):
    return timezone.make_aware(datetime.combine(day, time(6, 15)))


def test_the_job_announces_expiry_28_days_ahead_once_and_marks_expired(world):
    with in_home(world.home):
        r = record_liberty(
            world.resident.pk, user=world.users["nurse"], values={"kind": "dols_standard", "requested_on": TODAY()}
        )
        grant_liberty(
            r.pk, user=world.users["nurse"], decided_on=TODAY(), start_on=TODAY(), end_on=TODAY() + timedelta(days=29)
        )
    liberty_expiry(_slot(TODAY()))
    assert events("dols.expiring") == []  # 29 days left
    liberty_expiry(_slot(TODAY() + timedelta(days=1)))
    [expiring] = events("dols.expiring")
    assert expiring.payload["days_left"] == 28
    liberty_expiry(_slot(TODAY() + timedelta(days=2)))  # again: nothing new
    assert len(events("dols.expiring")) == 1
    liberty_expiry(_slot(TODAY() + timedelta(days=29)))  # the last day: still in force
    assert events("dols.expired") == []
    liberty_expiry(_slot(TODAY() + timedelta(days=30)))
    [expired] = events("dols.expired")
    assert expired.payload["record_id"] == r.pk
    with in_home(world.home):
        r.refresh_from_db()
        assert r.status == "expired" and r.version == 3
    liberty_expiry(_slot(TODAY() + timedelta(days=31)))
    assert len(events("dols.expired")) == 1


def test_an_extension_gets_a_new_expiry_alert(world):
    r = urgent(world)
    liberty_expiry(_slot(TODAY()))
    with in_home(world.home):
        extend_liberty(
            r.pk, user=world.users["nurse"], new_end_on=r.end_on + timedelta(days=7), decided_on=TODAY(), reason="x"
        )
    liberty_expiry(_slot(TODAY()))
    assert [e.payload["end_on"] for e in events("dols.expiring")] == [
        (TODAY() + timedelta(days=7)).isoformat(),
        (TODAY() + timedelta(days=14)).isoformat(),
    ]


def test_the_expiry_list_flags_a_renewal_under_way(world):
    r = urgent(world)
    with in_home(world.home):
        lists = expiry_list()
        assert [i.record.pk for i in lists["expiring"]] == [r.pk] and not lists["expiring"][0].renewal_under_way
        record_liberty(
            world.resident.pk, user=world.users["nurse"], values={"kind": "dols_standard", "requested_on": TODAY()}
        )
        assert expiry_list()["expiring"][0].renewal_under_way
        LibertyRecord.objects.filter(pk=r.pk).update(status="expired", end_on=TODAY() - timedelta(days=2))
        [gone] = expiry_list()["expired"]
        assert gone.days_left == -2
