"""Trend numbers checked against a known set of incidents: by type, harm, unit, local hour and weekday
(British Summer Time: the database converts before grouping), by resident; the period's edges in local
time; repeat fallers at the rule boundaries; the monthly summary; a fixed number of queries however
many incidents; the CSV's content and a PDF that is a PDF."""

from __future__ import annotations

import contextlib
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests import factories as f
from tests.incidents.test_investigation_services import in_home, make_incident, opened
from writecarenotes.incidents import services_investigation as svc
from writecarenotes.incidents import services_lessons as lessons
from writecarenotes.incidents import trends
from writecarenotes.incidents.models import StatutoryNotification
from writecarenotes.incidents.reports_incidents import summary_csv, summary_pdf
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


@pytest.fixture
def june(world):
    """Six incidents in June 2026 (BST) and one just after, in two units, for two residents."""
    upstairs, room2 = f.unit_with_room(world.home, unit_name="First floor", room_number="12")
    joan = f.resident(world.home, unit=upstairs, room=room2, family="Hughes", given="Joan", nhs_number="9990000042")
    made = [
        make_incident(world, kind="fall", severity="low", at=local(2026, 6, 1, 3, 15)),  # Monday 03:xx
        make_incident(world, kind="fall", severity="moderate", at=local(2026, 6, 1, 14, 0)),
        make_incident(world, kind="medication_error", severity="no_harm", at=local(2026, 6, 3, 14, 30)),  # Wed
        make_incident(
            world, kind="fall", severity="low", at=local(2026, 6, 6, 23, 30), resident=joan, unit=upstairs
        ),  # Saturday 23:30 local is 22:30 UTC
        make_incident(world, kind="choking", severity="severe", at=local(2026, 6, 30, 23, 59), resident=joan),
        make_incident(world, kind="near_miss", severity="no_harm", at=local(2026, 6, 15, 9, 0), resident=False),
        make_incident(world, kind="fall", severity="low", at=local(2026, 7, 1, 0, 30)),  # 30 June 23:30 UTC: July
    ]
    return {"joan": joan, "upstairs": upstairs, "incidents": made}


def _counts(bars) -> dict:
    return {b.label: b.count for b in bars if b.count}


def test_trends_count_by_every_dimension_in_local_time(world, june, django_assert_num_queries):
    with in_home(world.home), django_assert_num_queries(7):
        data = trends.trends(date(2026, 6, 1), date(2026, 6, 30))
    assert data.total == 6
    assert _counts(data.by_type) == {
        "Fall": 3,
        "Medication error": 1,
        "Choking": 1,
        "Near miss": 1,
    }
    assert [b.label for b in data.by_type][0] == "Fall"  # most first
    assert _counts(data.by_severity) == {"No harm": 2, "Low harm": 2, "Moderate harm": 1, "Severe harm": 1}
    assert [b.key for b in data.by_severity] == ["no_harm", "low", "moderate", "severe", "death"]
    assert _counts(data.by_unit) == {"Ground floor": 5, "First floor": 1}
    assert _counts(data.by_hour) == {"03:00": 1, "14:00": 2, "23:00": 2, "09:00": 1}
    assert len(data.by_hour) == 24
    assert _counts(data.by_weekday) == {"Monday": 3, "Wednesday": 1, "Saturday": 1, "Tuesday": 1}
    assert _counts(data.by_resident) == {"Margaret Evans": 3, "Joan Hughes": 2}
    assert data.by_home == []  # one home in scope


def test_the_query_count_does_not_grow_with_incidents(world, june, django_assert_num_queries):
    for day in range(2, 12):
        make_incident(world, at=local(2026, 6, day, 10, 0))
    with in_home(world.home), django_assert_num_queries(7):
        data = trends.trends(date(2026, 6, 1), date(2026, 6, 30))
    assert data.total == 16


def test_all_homes_of_the_organisation_for_a_provider_admin(world, june):
    make_incident(world, home=world.other_home, at=local(2026, 6, 10, 12, 0))
    make_incident(world, home=world.foreign_home, at=local(2026, 6, 10, 12, 0))  # another organisation
    with acting_for_org(world):
        data = trends.trends(date(2026, 6, 1), date(2026, 6, 30))
        one = trends.trends(date(2026, 6, 1), date(2026, 6, 30), world.other_home.pk)
    assert data.total == 7 and _counts(data.by_home) == {"Oak Lodge": 6, "Ty Celyn": 1}
    assert one.total == 1


@contextlib.contextmanager
def acting_for_org(world):
    """Acting for both homes of the organisation, as a provider admin acting for all homes does."""
    with acting_as_system("test"), acting_for([world.home, world.other_home]):
        yield


def test_repeat_fallers_at_the_rule_boundaries(world):
    now = timezone.now()
    upstairs, room2 = f.unit_with_room(world.home, unit_name="First floor", room_number="12")
    joan = f.resident(world.home, unit=upstairs, room=room2, family="Hughes", given="Joan", nhs_number="9990000042")
    bill = f.resident(world.home, unit=upstairs, room=room2, family="Owen", given="Bill", nhs_number="9990000050")
    # Margaret: two falls within 90 days -> a repeat faller
    make_incident(world, at=now - timedelta(days=10))
    make_incident(world, at=now - timedelta(days=89))
    # Joan: one in 90 days and two more within the year = 3 in 12 months -> a repeat faller
    make_incident(world, resident=joan, at=now - timedelta(days=5))
    make_incident(world, resident=joan, at=now - timedelta(days=200))
    make_incident(world, resident=joan, at=now - timedelta(days=364))
    # Bill: one in 90 days, one at 91 days, one older than a year: not yet
    make_incident(world, resident=bill, at=now - timedelta(days=30))
    make_incident(world, resident=bill, at=now - timedelta(days=91))
    make_incident(world, resident=bill, at=now - timedelta(days=366))
    make_incident(world, resident=bill, kind="choking", at=now - timedelta(days=2))  # not a fall
    with in_home(world.home):
        found = {r.name: r for r in trends.repeat_fallers(now)}
    assert set(found) == {"Margaret Evans", "Joan Hughes"}
    assert found["Margaret Evans"].falls == {90: 2, 365: 2}
    assert found["Joan Hughes"].falls == {90: 1, 365: 3}
    assert found["Joan Hughes"].rules == ["3 falls in 365 days (3 or more)"]


def test_the_monthly_summary_csv_and_pdf(world, june, django_assert_max_num_queries):
    incidents = june["incidents"]
    manager = world.users["registered_manager"]
    inv = opened(world, incidents[1])
    with in_home(world.home):
        svc.add_factor(inv.pk, user=manager, category="communication", detail="Handover missed the new frame")
        lessons.add_action(
            inv.pk,
            user=manager,
            description="=SUM(A1) frame checks",
            owner_id=world.users["nurse"].pk,
            due_on=timezone.localdate(),
        )
        lessons.share_lesson(inv.pk, user=manager, title="Frames", text="Keep frames in reach.", audience="all")
        StatutoryNotification.objects.create(
            home=world.home,
            incident=incidents[4],
            code="cqc_18_serious_injury",
            regulator="cqc",
            title="Serious injury",
            form="Statutory notification form",
            source="CQC (Registration) Regulations 2009, regulation 18",
            deadline_text="Without delay",
            why="Choking with severe harm",
            due_at=local(2026, 7, 1, 12, 0),
            status="submitted",
            submitted_at=local(2026, 6, 30, 23, 59, 30),
        )
        with django_assert_max_num_queries(12):
            summary = trends.monthly_summary(2026, 6)
    assert summary.total == 6
    assert [(b.label, b.count) for b in summary.notifications] == [("CQC: Serious injury", 1)]
    rows = {r["label"]: r["counts"] for r in summary.by_type_and_harm}
    assert rows["Fall"] == [0, 2, 1, 0, 0] and rows["Choking"] == [0, 0, 0, 1, 0]
    assert summary.harm_totals == [2, 2, 1, 1, 0]
    assert len(summary.open_actions) == 1 and summary.investigations_open == 1
    assert [(b.label, b.count) for b in summary.factors] == [("Communication factors", 1)]
    text = summary_csv(summary)
    lines = text.splitlines()
    assert lines[0] == "Section,Item,Figure"
    assert "Incidents,Total,6" in lines and "Incidents by type,Fall,3" in lines
    assert "Incidents by harm,Severe harm,1" in lines
    assert any("=SUM(A1) frame checks" in line for line in lines)  # inside the item text, not at its start
    assert "Contributory factors,Communication factors,1" in lines
    assert "Statutory notifications made,CQC: Serious injury,1" in lines
    with in_home(world.home):
        pdf = summary_pdf(summary, where="Oak Lodge", printed_by="Registered manager User")
    assert pdf.startswith(b"%PDF")


def test_a_csv_cell_never_starts_a_formula(world):
    from writecarenotes.incidents.reports_incidents import _safe

    assert _safe("=1+1") == "'=1+1" and _safe("-3") == "'-3" and _safe("Falls") == "Falls"
