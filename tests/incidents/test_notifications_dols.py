"""Statutory notifications about a resident, not an incident: Deprivation of Liberty Safeguards.

England (CQC, regulation 18(4A) and (4B), as amended by SI 2012/921): the request for a standard
authorisation is notified together with its outcome, once the outcome is known (granted, refused or
withdrawn): nothing when the request is made. Wales (CIW): the request is notified when it is made.
Scotland, Northern Ireland and Ireland: nothing (no DoLS scheme; no notification rule found).
Raised from care planning's ``dols.changed`` event; shown, prepared, printed and submitted like any other.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests import factories as f
from tests.incidents.notifications_helpers import in_home
from writecarenotes.care_planning.services_capacity_liberty import (
    end_liberty,
    grant_liberty,
    record_liberty,
    refuse_liberty,
)
from writecarenotes.incidents import obligations
from writecarenotes.incidents import services_notifications as svc
from writecarenotes.incidents.models import StatutoryNotification
from writecarenotes.incidents.rules.notifications import LibertyChange, required_for_liberty, rule
from writecarenotes.platform.audit.models import RecordVersion
from writecarenotes.platform.events import dispatcher
from writecarenotes.platform.events.models import OutboxEvent

pytestmark = pytest.mark.django_db
BASE = "/api/v1/incidents"


def today():
    return timezone.localdate()


def change(nation="england", framework="dols", kind="dols_standard", change="granted", status="in_force", end_on=None):
    return LibertyChange(nation=nation, framework=framework, kind=kind, change=change, status=status, end_on=end_on)


def codes(c: LibertyChange) -> list[str]:
    return [r.code for r in required_for_liberty(c)]


def deliver():
    outcome = dispatcher.run_due()
    assert not outcome.get("dead") and not outcome.get("retry"), outcome


def dols_notes(home):
    with in_home(home):
        return list(StatutoryNotification.objects.filter(incident__isnull=True).order_by("pk"))


def apply_for(home, resident, user, *, body="Shire County Council"):
    with in_home(home):
        return record_liberty(
            resident.pk,
            user=user,
            values={"kind": "dols_standard", "body": body, "requested_on": today() - timedelta(days=3)},
        )


def grant(home, record, user):
    with in_home(home):
        return grant_liberty(
            record.pk,
            user=user,
            decided_on=today(),
            start_on=today(),
            end_on=today() + timedelta(days=180),
            reference="SB-77",
        )


@pytest.fixture
def granted(world):
    """A request for a standard authorisation in the English home, granted; the events delivered."""
    manager = world.users["registered_manager"]
    record = apply_for(world.home, world.resident, manager)
    deliver()
    record = grant(world.home, record, manager)
    deliver()
    [n] = dols_notes(world.home)
    return record, n


@pytest.fixture
def manager(world, client_for):
    return client_for(world.users["registered_manager"])


# --- the rules, case by case ----------------------------------------------------------------------


def test_england_notifies_the_outcome_of_a_standard_authorisation_request_not_the_request():
    assert codes(change(change="recorded", status="requested")) == []
    assert codes(change(change="granted", status="in_force", end_on=today())) == ["cqc_reg18_dols_outcome"]
    assert codes(change(change="refused", status="refused")) == ["cqc_reg18_dols_outcome"]
    # ended with no end date: it was still a request, so it was withdrawn: CQC is told
    assert codes(change(change="ended", status="ended")) == ["cqc_reg18_dols_outcome"]
    # an authorisation in force that ends, is extended, or an urgent authorisation: nothing
    assert codes(change(change="ended", status="ended", end_on=today())) == []
    assert codes(change(change="extended", status="in_force", end_on=today())) == []
    assert codes(change(kind="dols_urgent", change="recorded", status="in_force", end_on=today())) == []
    spec = rule("cqc_reg18_dols_outcome")
    assert "18(4A)(a) and (4B)" in spec.source and spec.regulator == "cqc"
    assert spec.form == "Statutory notification: Outcome of an application to deprive a person of their liberty"
    assert spec.unverified  # shown on the page
    [req] = required_for_liberty(change(change="refused", status="refused"))
    assert "refused" in req.why and req.deadline_text.startswith("Without delay")


def test_wales_notifies_the_request_to_ciw_and_other_nations_nothing():
    assert codes(change(nation="wales", change="recorded", status="requested")) == ["ciw_dols_request"]
    assert codes(change(nation="wales", change="granted", status="in_force", end_on=today())) == []
    for nation, framework, kind in (
        ("scotland", "awi_scotland", "awi_guardianship"),
        ("northern_ireland", "mca_ni", "ni_panel"),
        ("ireland", "adm_ireland", "adm_co_decision"),
    ):
        for what, status in (("recorded", "requested"), ("granted", "in_force"), ("refused", "refused")):
            assert codes(change(nation=nation, framework=framework, kind=kind, change=what, status=status)) == []


# --- raised from dols.changed ---------------------------------------------------------------------


def test_a_request_raises_nothing_in_england_and_its_outcome_one_notification(world):
    manager = world.users["registered_manager"]
    record = apply_for(world.home, world.resident, manager)
    deliver()
    assert dols_notes(world.home) == []
    before = timezone.now()
    record = grant(world.home, record, manager)
    deliver()
    [n] = dols_notes(world.home)
    assert n.code == "cqc_reg18_dols_outcome" and n.status == "required" and n.regulator == "cqc"
    assert n.incident_id is None and n.resident_id == world.resident.pk
    assert n.source_ref == f"care_planning.liberty:{record.pk}" and n.reference == "DoLS"
    assert n.source_details["outcome"] == "granted" and n.source_details["resident_name"]
    # without delay: flagged 24 hours after the outcome was recorded
    assert before - timedelta(minutes=1) <= n.required_at <= timezone.now()
    assert n.due_at == n.required_at + timedelta(hours=24)
    with in_home(world.home):
        assert RecordVersion.objects.filter(
            content_type="incidents.statutorynotification", object_id=str(n.pk)
        ).exists()
    [event] = OutboxEvent.unscoped.filter(name="notification.required")
    assert event.payload["incident_id"] is None and event.payload["resident_id"] == world.resident.pk


def test_redelivery_changes_nothing_and_a_second_outcome_adds_a_second(world, granted):
    record, n = granted
    with in_home(world.home):
        again = svc.raise_for_liberty(
            home_id=world.home.pk,
            record_id=record.pk,
            resident_id=world.resident.pk,
            framework="dols",
            kind="dols_standard",
            change="granted",
            status="in_force",
            end_on=record.end_on,
        )
    assert again == []
    assert [x.pk for x in dols_notes(world.home)] == [n.pk]
    assert OutboxEvent.unscoped.filter(name="notification.required").count() == 1
    # another request, refused: a second notification; a third, withdrawn: a third
    manager = world.users["registered_manager"]
    second = apply_for(world.home, world.resident, manager, body="Another council")
    third = apply_for(world.home, world.resident, manager, body="Third council")
    with in_home(world.home):
        refuse_liberty(second.pk, user=manager, decided_on=today(), reason="Not a deprivation of liberty.")
        end_liberty(third.pk, user=manager, ended_on=today(), reason="Moved to another home.")
    deliver()
    outcomes = [x.source_details["outcome"] for x in dols_notes(world.home)]
    assert outcomes == ["granted", "refused", "withdrawn"]


def test_the_database_keeps_one_per_source_and_needs_an_incident_or_a_resident(world, granted):
    _record, n = granted
    with in_home(world.home), pytest.raises(IntegrityError), transaction.atomic():
        StatutoryNotification.objects.create(
            home=world.home,
            resident=world.resident,
            source_ref=n.source_ref,
            code=n.code,
            regulator="cqc",
            title="x",
            form="x",
            source="x",
            deadline_text="x",
            why="x",
            due_at=timezone.now(),
        )
    with in_home(world.home), pytest.raises(IntegrityError), transaction.atomic():
        StatutoryNotification.objects.create(
            home=world.home,
            code="x",
            regulator="cqc",
            title="x",
            form="x",
            source="x",
            deadline_text="x",
            why="x",
            due_at=timezone.now(),
        )


def test_a_welsh_home_notifies_ciw_of_the_request_and_nothing_more_at_the_outcome(world):
    user = f.user("wales.dols@example.test")
    f.member(user, "registered_manager", home=world.other_home)
    record = apply_for(world.other_home, world.other_home_resident, user)
    deliver()
    [n] = dols_notes(world.other_home)
    assert n.code == "ciw_dols_request" and n.regulator == "ciw" and n.resident_id == world.other_home_resident.pk
    grant(world.other_home, record, user)
    deliver()
    assert [x.pk for x in dols_notes(world.other_home)] == [n.pk]


def test_an_irish_home_notifies_nothing(world):
    home = f.home(world.org, nation="ireland")
    unit, room = f.unit_with_room(home)
    resident = f.resident(home, unit=unit, room=room, family="Byrne")
    user = f.user("ie.dols@example.test")
    f.member(user, "registered_manager", home=home)
    with in_home(home):
        record_liberty(
            resident.pk,
            user=user,
            values={
                "kind": "adm_co_decision",
                "person_appointed": "Sean Byrne",
                "requested_on": today() - timedelta(days=1),
            },
        )
    deliver()
    assert dols_notes(home) == []


# --- open and overdue steps -------------------------------------------------------------------------


def test_an_overdue_dols_notification_is_an_overdue_step_linked_by_url(world, granted):
    _record, n = granted
    with in_home(world.home):
        assert obligations.overdue_steps(timezone.now()) == []
        steps = obligations.overdue_steps(n.due_at + timedelta(minutes=1))
    [step] = [s for s in steps if s.kind == "notification"]
    assert step.incident_id == 0 and step.reference == "DoLS" and step.url.endswith(f"/notifications/{n.pk}/")
    assert "Notify CQC" in step.title


# --- pages ------------------------------------------------------------------------------------------


def test_the_list_shows_the_resident_notification(world, manager, granted, django_assert_max_num_queries):
    _record, n = granted
    with django_assert_max_num_queries(25):
        page = manager.get("/incidents/notifications/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Outcome of an application to deprive a person of their liberty (DoLS)" in html
    assert "DoLS" in html and n.source_details["resident_name"] in html


def test_detail_prepare_and_pdf_of_a_resident_notification(world, manager, granted):
    record, n = granted
    url = f"/incidents/notifications/{n.pk}/"
    html = manager.get(url).content.decode()
    assert "not an incident" in html and f"/residents/{world.resident.pk}/capacity/" in html
    assert "18(4A)(a) and (4B)" in html and "not yet checked" in html
    response = manager.post(f"{url}prepare/", {"version": n.version})
    assert response.status_code == 303
    with in_home(world.home):
        n.refresh_from_db()
    assert n.status == "prepared" and n.prepared_by == world.users["registered_manager"]
    text = n.content_text
    assert "OUTCOME OF AN APPLICATION TO DEPRIVE" in text
    assert world.home.registration_number in text and "02/04/1936" in text and "9990000018" in text
    assert "Standard authorisation" in text and "Granted" in text
    assert record.end_on.strftime("%d/%m/%Y") in text
    assert f"/residents/{world.resident.pk}/capacity/" in text  # where the supervisory body and dates are
    html = manager.get(url).content.decode()
    assert "from the resident&#x27;s record" in html or "from the resident's record" in html
    pdf = manager.get(f"{url}pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and "DoLS" in pdf["Content-Disposition"]
    response = manager.post(
        f"{url}submitted/",
        {"submitted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "reference": "ENQ1-234", "version": 2},
    )
    assert response.status_code == 303
    with in_home(world.home):
        n.refresh_from_db()
    assert n.status == "submitted" and n.regulator_reference == "ENQ1-234"


def test_a_carer_cannot_prepare_it(world, client_for, granted):
    _record, n = granted
    carer = client_for(world.users["carer"])
    assert carer.post(f"/incidents/notifications/{n.pk}/prepare/", {"version": 1}).status_code == 403


# --- API --------------------------------------------------------------------------------------------


def test_the_api_lists_and_prepares_a_resident_notification(world, manager, granted):
    _record, n = granted
    listed = manager.get(f"{BASE}/notifications?resident_id={world.resident.pk}").json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert item["incident_id"] is None and item["incident_reference"] == ""
    assert item["resident_id"] == world.resident.pk and item["reference"] == "DoLS"
    assert item["code"] == "cqc_reg18_dols_outcome"
    prepared = manager.post(
        f"{BASE}/notifications/{n.pk}/prepare",
        data=json.dumps({}),
        content_type="application/json",
        headers={"If-Match": '"v1"'},
    )
    assert prepared.status_code == 200, prepared.content
    body = prepared.json()
    assert [s["key"] for s in body["sections"]] == ["service", "resident", "liberty", "reporter"]
    assert "Granted" in body["text"]
    submitted = manager.post(
        f"{BASE}/notifications/{n.pk}/submit",
        data=json.dumps({"submitted_at": timezone.now().isoformat(), "reference": "ENQ1-1"}),
        content_type="application/json",
        headers={"If-Match": '"v2"'},
    )
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
