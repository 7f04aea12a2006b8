"""The demo organisation: what `writecarenotes demo` and `make run` on an empty database build."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.db import connection
from django.test import Client

from writecarenotes.demo import build, data
from writecarenotes.demo.build import DEMO_PASSWORD, database_is_empty, demo_organisation, ensure_demo, print_logins
from writecarenotes.platform.identity.capabilities import ROLES
from writecarenotes.platform.identity.models import Membership, User
from writecarenotes.platform.tenancy.models import CareHome, Organisation, Room, Unit
from writecarenotes.platform.tenancy.scope import acting_for
from writecarenotes.residents import nhs_number
from writecarenotes.residents.models import Resident

DEMO_USERS = [f"{local}@{data.EMAIL_DOMAIN}" for _, _, local, _ in data.USERS]


@pytest.fixture(autouse=True)
def without_other_histories(request, monkeypatch):
    """The people, homes and log-ins are what these tests check; the demo's weeks of history
    (daily records, assessments, care plans, pathways: about 20 s a build) are built only by the
    test marked ``full_demo``."""
    if "full_demo" not in request.keywords:
        monkeypatch.setattr(build, "DEMO_SEEDS", [])
        monkeypatch.setattr(build, "CARE_RECORD_DAYS", 2)  # the history itself: test_care_records_demo.py


@pytest.fixture
def demo(db):
    return ensure_demo(reset=False, quiet=True)


def _homes(org):
    homes = {h.nation: h for h in CareHome.objects.filter(organisation=org)}
    return homes["england"], homes["wales"]


def _residents(org):
    homes = list(CareHome.objects.filter(organisation=org))
    with acting_for(homes):
        return list(Resident.objects.select_related("home", "room", "unit"))


def test_an_empty_database_is_noticed(db):
    assert database_is_empty()
    ensure_demo(quiet=True)
    assert not database_is_empty()


def test_two_homes_in_england_and_wales_with_their_regulators(demo):
    assert demo.name == "Bryn & Oak Care Group"
    assert CareHome.objects.filter(organisation=demo).count() == 2
    oak, celyn = _homes(demo)
    assert (oak.name, oak.regulator, oak.care_type, oak.registered_beds) == (
        "Oak Lodge Nursing Home",
        "cqc",
        "nursing",
        40,
    )
    assert oak.registration_number.startswith("1-")
    assert (celyn.name, celyn.regulator, celyn.care_type, celyn.registered_beds) == (
        "Tŷ Celyn Residential Home",
        "ciw",
        "residential",
        24,
    )
    with acting_for([oak, celyn]):
        units = {h: list(Unit.objects.filter(home=h).values_list("name", flat=True)) for h in (oak, celyn)}
        assert units[oak] == ["Ground floor – nursing", "First floor – dementia nursing"]
        assert units[celyn] == ["Llawr gwaelod / Ground floor", "Llawr cyntaf / First floor"]
        for home in (oak, celyn):
            rooms = list(Room.objects.filter(home=home))
            assert sum(r.beds for r in rooms) == home.registered_beds
            assert any(r.beds == 2 for r in rooms), "some shared rooms"
            assert any(r.en_suite for r in rooms) and not all(r.en_suite for r in rooms)


def test_a_user_for_every_role(demo):
    members = list(Membership.objects.filter(organisation=demo).select_related("home", "user"))
    assert {m.role for m in members} == set(ROLES)
    for m in members:
        assert m.user.email.endswith("@demo.example.org")
        # organisation-level roles cover every home; the others belong to a home
        assert (m.home_id is None) == ROLES[m.role].org_level, m
    homes_per_user = Counter(m.user_id for m in members if m.home_id)
    assert max(homes_per_user.values()) == 2, "someone works in both homes, to show home switching"
    oak, celyn = _homes(demo)
    celyn_roles = {m.role for m in members if m.home_id == celyn.pk}
    assert {"registered_manager", "senior_carer", "carer"} <= celyn_roles
    assert "nurse" not in celyn_roles  # a residential home has no nurses
    assert User.objects.filter(email__in=DEMO_USERS).count() == len(DEMO_USERS)


def test_sixty_valid_residents_placed_in_real_beds(demo):
    residents = _residents(demo)
    assert len(residents) == 60
    by_nation = Counter(r.home.nation for r in residents)
    assert by_nation == {"england": 38, "wales": 22}
    numbers = [r.nhs_number for r in residents]
    assert len(set(numbers)) == 60
    for n in numbers:
        assert nhs_number.is_valid(n), n
        assert n.startswith("999"), "synthetic test range only"
    assert all(date(1925, 1, 1) <= r.date_of_birth <= date(1950, 12, 31) for r in residents)
    statuses = Counter(r.status for r in residents)
    assert statuses["enquiry"] == 1
    assert 1 <= statuses["temporarily_absent"] <= 2
    assert statuses["in_residence"] == 60 - statuses["enquiry"] - statuses["temporarily_absent"]
    today = date.today()
    for r in residents:
        if r.status == "enquiry":
            assert r.room_id is None and r.admitted_on is None
        else:
            assert r.room is not None and r.room.home_id == r.home_id and r.unit_id == r.room.unit_id
            assert today - timedelta(days=4 * 366) <= r.admitted_on < today
    per_room = Counter(r.room_id for r in residents if r.room_id)
    beds = {r.room_id: r.room.beds for r in residents if r.room_id}
    assert all(per_room[room] <= beds[room] for room in per_room), "never more residents than beds"
    welsh_given = set(data.WELSH_NAMES["female"] + data.WELSH_NAMES["male"])
    wales = [r for r in residents if r.home.nation == "wales"]
    assert sum(r.legal_given_names.split()[0] in welsh_given for r in wales) >= len(wales) // 2


def test_the_demo_password_passes_the_password_validators(demo):
    assert len(DEMO_PASSWORD) >= 12
    for user in User.objects.filter(email__in=DEMO_USERS):
        validate_password(DEMO_PASSWORD, user)


def test_a_second_run_changes_nothing(demo, capsys):
    def snapshot():
        residents = _residents(demo)
        return (
            Organisation.objects.count(),
            CareHome.objects.count(),
            User.objects.count(),
            Membership.objects.count(),
            sorted((r.pk, r.nhs_number) for r in residents),
        )

    before = snapshot()
    again = ensure_demo(reset=False, quiet=False)
    assert again.pk == demo.pk
    assert snapshot() == before
    out = capsys.readouterr().out
    assert "already there" in out
    assert "admin@demo.example.org" in out


def test_reset_rebuilds_the_same_people(demo):
    old_residents = _residents(demo)
    old_user_ids = set(User.objects.filter(email__in=DEMO_USERS).values_list("pk", flat=True))
    rebuilt = ensure_demo(reset=True, quiet=True)
    assert rebuilt.pk != demo.pk
    assert not Organisation.objects.filter(pk=demo.pk).exists()
    assert Organisation.objects.count() == 1
    assert CareHome.objects.count() == 2
    new_residents = _residents(rebuilt)
    assert len(new_residents) == 60
    # deterministic: the same names and NHS numbers (new rows)

    def key(r):
        return (
            r.legal_family_name,
            r.legal_given_names,
            r.nhs_number,
            r.date_of_birth,
            r.room.number if r.room else "",
        )

    assert sorted(map(key, new_residents)) == sorted(map(key, old_residents))
    assert not {r.pk for r in new_residents} & {r.pk for r in old_residents}
    new_user_ids = set(User.objects.filter(email__in=DEMO_USERS).values_list("pk", flat=True))
    assert len(new_user_ids) == len(DEMO_USERS) and not new_user_ids & old_user_ids


def test_reset_leaves_other_organisations_alone(demo):
    from tests import factories as f

    other = f.organisation("Someone Else Care")
    home = f.home(other, nation="scotland", care_type="residential")
    unit, room = f.unit_with_room(home)
    resident = f.resident(home, unit=unit, room=room, family="MacLeod")
    ensure_demo(reset=True, quiet=True)
    with acting_for([home]):
        assert Resident.objects.get(pk=resident.pk).legal_family_name == "MacLeod"
    assert Organisation.objects.filter(pk=other.pk).exists()


def test_every_demo_user_can_log_in_and_sees_their_dashboard(demo):
    oak, celyn = _homes(demo)
    for role, full_name, local, home_keys in data.USERS:
        c = Client()
        r = c.post("/account/login/", {"username": f"{local}@{data.EMAIL_DOMAIN}", "password": DEMO_PASSWORD})
        assert r.status_code == 302, (local, r.content.decode()[:500])
        page = c.get("/")
        assert page.status_code == 200, local
        html = page.content.decode()
        assert full_name in html
        assert str(ROLES[role].label) in html
        expected_home = celyn if home_keys == ["celyn"] else oak
        assert expected_home.name in html, local


def test_wrong_password_does_not_log_in(demo):
    r = Client().post("/account/login/", {"username": "admin@demo.example.org", "password": "not-the-password-1"})
    assert r.status_code == 200
    assert "do not match" in r.content.decode()


def test_print_logins_lists_every_user_the_password_and_two_factor(demo, capsys):
    print_logins()
    out = capsys.readouterr().out
    for email in DEMO_USERS:
        assert email in out
    for role in ROLES.values():
        assert str(role.label) in out
    assert "Tŷ Celyn Residential Home" in out and "All homes" in out
    assert out.count(DEMO_PASSWORD) == 1
    assert "WCN_TWO_FACTOR=off" in out and "QR code" in out


def test_print_logins_is_silent_without_a_demo(db, capsys):
    print_logins()
    assert capsys.readouterr().out == ""


def test_the_demo_is_never_built_in_production(db, settings, capsys):
    settings.PRODUCTION = True
    assert ensure_demo(reset=False, quiet=False) is None
    assert demo_organisation() is None
    assert User.objects.count() == 0
    assert "never loaded in production" in capsys.readouterr().out


def test_demo_residents_have_believable_profiles_built_through_the_lifecycle(demo):
    from writecarenotes.platform.audit.models import AuditRecord
    from writecarenotes.platform.events.models import OutboxEvent

    residents = [r for r in _residents(demo) if r.status != "enquiry"]
    homes = list(CareHome.objects.filter(organisation=demo))
    with acting_for(homes):
        for r in residents:
            allergies = list(r.allergies.all())
            assert r.no_known_allergies != bool(allergies), "allergies or, explicitly, no known allergies"
            assert r.diagnoses.count() >= 2
            assert r.contacts.filter(next_of_kin=True, is_active=True).exclude(phone="").exists()
            assert r.about_me and r.preferences and r.gp_ods_code and r.height_cm
            assert r.pre_admission_outcome == "suitable" and r.pre_admission_on <= r.admitted_on
        assert sum(r.no_known_allergies for r in residents) >= 10
        assert sum(r.dnacpr_status in ("dnacpr", "respect") for r in residents) >= 10
        assert sum(r.attorneys.exists() for r in residents) >= 5
        conditions = {d.condition for r in residents for d in r.diagnoses.all()}
        assert {"COPD", "Type 2 diabetes", "Parkinson's disease"} & conditions
        assert any("dementia" in c.lower() for c in conditions)
        away = [r for r in residents if r.status == "temporarily_absent"]
        assert away and all(r.absence_kind == "hospital" and r.room_id for r in away)
    admitted = OutboxEvent.unscoped.filter(organisation=demo, name="resident.admitted").count()
    assert admitted == len(residents)
    assert OutboxEvent.unscoped.filter(organisation=demo, name="resident.enquiry_created").count() == 60
    assert AuditRecord.objects.filter(
        action="residents.resident.admitted", subject_type="residents.resident"
    ).count() >= len(residents)


@pytest.mark.full_demo
@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="the demo is an SQLite convenience (`make run`); on PostgreSQL its several thousand service "
    "calls take many minutes, and the services it calls are tested there on their own",
)
def test_the_full_demo_has_the_history_later_services_show_and_resets_cleanly(db):
    from writecarenotes.assessments.models import AssessmentDue, AssessmentResult
    from writecarenotes.care_planning.models import CarePlan, LibertyRecord, PathwayEnrolment, Risk
    from writecarenotes.incidents.models import (
        DutyStep,
        FollowUpTask,
        Incident,
        Investigation,
        StatutoryNotification,
    )

    org = ensure_demo(quiet=True)
    homes = list(CareHome.objects.filter(organisation=org))
    with acting_for(homes):
        results = AssessmentResult.objects.count()
        counts = {
            "results": results,
            "tools": AssessmentResult.objects.values("tool").distinct().count(),
            "due": AssessmentDue.objects.count(),
            "agreed plans": CarePlan.objects.filter(status="agreed").count(),
            "risks": Risk.objects.count(),
            "liberty": LibertyRecord.objects.count(),
            "pathways": PathwayEnrolment.objects.count(),
            "incidents": Incident.objects.count(),
            "notifications": StatutoryNotification.objects.count(),
            "post-fall tasks": FollowUpTask.objects.count(),
            "candour steps": DutyStep.objects.filter(kind="candour").count(),
            "investigations": Investigation.objects.count(),
        }
        # the fall with a fracture found later: the regulator of each home is to be told
        regulators = set(StatutoryNotification.objects.values_list("regulator", flat=True))
    assert all(counts.values()), counts
    assert counts["tools"] >= 5
    assert regulators == {"cqc", "ciw"}
    # a rebuild deletes every context's rows of the demo organisation (corrections and versions too)
    again = ensure_demo(reset=True, quiet=True)
    with acting_for(list(CareHome.objects.filter(organisation=again))):
        assert AssessmentResult.objects.count() == results
