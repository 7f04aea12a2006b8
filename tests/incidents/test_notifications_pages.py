"""Pages of statutory notifications: the incident's panel, the prepared form (text and PDF), marking
submitted (field errors on bad input), the due list (query count), HIQA returns, refusals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from tests import factories as f
from tests.incidents.notifications_helpers import in_home, make_incident
from writecarenotes.incidents import services_notifications as svc
from writecarenotes.incidents import views_notifications
from writecarenotes.incidents.models import StatutoryNotification

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(world, client_for):
    return client_for(world.users["registered_manager"])


def serious_fall(world):
    incident = make_incident(
        world.home,
        world.users["registered_manager"],
        resident=world.resident,
        injury="suspected_fracture",
        severity="severe",
        serious_injury_tests=["body_structure"],
        medical_attention="admitted",
    )
    with in_home(world.home):
        return incident, StatutoryNotification.objects.get(incident=incident)


def test_incident_panel_shows_the_notification_with_prepare_for_managers_only(world, manager, client_for):
    incident, n = serious_fall(world)
    from writecarenotes.platform.identity.access import build_access

    for role, can in (("registered_manager", True), ("carer", False)):
        request = RequestFactory().get("/")
        request.user = world.users[role]
        request.access = build_access(request.user, world.home.pk)
        with in_home(world.home):
            html = views_notifications.incident_panel(request, incident)
        assert "Serious injury to a person using the service" in html and "Without delay" in html
        assert ("Prepare" in html) is can and ("Mark as submitted" in html) is can


def test_prepare_in_one_click_then_the_form_text_and_pdf(world, manager):
    incident, n = serious_fall(world)
    page = manager.get(f"/incidents/notifications/{n.pk}/")
    assert page.status_code == 200 and "Prepare" in page.content.decode()
    r = manager.post(f"/incidents/notifications/{n.pk}/prepare/", {"version": n.version})
    assert r.status_code == 303
    page = manager.get(f"/incidents/notifications/{n.pk}/").content.decode()
    assert "The form, filled in" in page and world.home.registration_number in page and "Evans" in page
    assert 'id="notification-text"' in page
    pdf = manager.get(f"/incidents/notifications/{n.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"


def test_mark_submitted_with_errors_next_to_the_field(world, manager):
    incident, n = serious_fall(world)
    url = f"/incidents/notifications/{n.pk}/submitted/"
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    bad = manager.post(url, {"submitted_at": future, "reference": "X", "version": n.version})
    assert bad.status_code == 422 and "cannot be in the future" in bad.content.decode()
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    ok = manager.post(url, {"submitted_at": now, "reference": "CQC-REF-9", "version": n.version})
    assert ok.status_code == 303
    with in_home(world.home):
        n.refresh_from_db()
    assert n.status == "submitted" and n.regulator_reference == "CQC-REF-9"
    stale = manager.post(f"/incidents/notifications/{n.pk}/prepare/", {"version": 1}, follow=True)
    assert "already submitted" in stale.content.decode() or "changed this notification" in stale.content.decode()


def test_carers_cannot_prepare_or_submit(world, client_for):
    incident, n = serious_fall(world)
    carer = client_for(world.users["carer"])
    assert carer.get(f"/incidents/notifications/{n.pk}/").status_code == 200
    assert carer.post(f"/incidents/notifications/{n.pk}/prepare/", {"version": 1}).status_code == 403
    assert carer.post(f"/incidents/notifications/{n.pk}/submitted/", {}).status_code == 403


def test_another_homes_notification_is_404(world, client_for):
    user = f.user("w.rm@example.test")
    f.member(user, "registered_manager", home=world.other_home)
    incident = make_incident(world.other_home, user, resident=world.other_home_resident, police_involved=True)
    with in_home(world.other_home):
        n = StatutoryNotification.objects.get(incident=incident)
    manager = client_for(world.users["registered_manager"])
    assert manager.get(f"/incidents/notifications/{n.pk}/").status_code == 404
    assert manager.post(f"/incidents/notifications/{n.pk}/prepare/", {"version": 1}).status_code == 404


def test_due_list_shows_overdue_first_in_few_queries(world, manager, django_assert_max_num_queries):
    for _ in range(3):
        serious_fall(world)
    with in_home(world.home):
        StatutoryNotification.objects.filter(pk=StatutoryNotification.objects.first().pk).update(
            due_at=timezone.now() - timedelta(hours=1)
        )
    manager.get("/incidents/notifications/")
    with django_assert_max_num_queries(20):
        page = manager.get("/incidents/notifications/")
    html = page.content.decode()
    assert page.status_code == 200 and html.index("Overdue") < html.index("Serious injury")
    assert html.count("Serious injury to a person using the service") == 3
    counts = manager.get("/incidents/notifications/panel/").content.decode()
    assert "1" in counts and "overdue" in counts


def test_hiqa_returns_pages(world, client_for):
    ie = f.home(world.org, name="Teach Ceoil", nation="ireland", care_type="nursing")
    f.unit_with_room(ie, unit_name="Ard", room_number="3")
    user = f.user("ie.page@example.test")
    f.member(user, "registered_manager", home=ie)
    with in_home(ie):
        quarterly, nil = svc.ensure_returns(ie, date(2026, 7, 3))
    c = client_for(user)
    listing = c.get("/incidents/notifications/returns/").content.decode()
    assert "Quarterly return (NF39)" in listing and "Six-monthly nil return" in listing
    page = c.get(f"/incidents/notifications/returns/{quarterly.pk}/")
    assert page.status_code == 200 and "Pressure ulcers category 2 or higher" in page.content.decode()
    bad = c.post(
        f"/incidents/notifications/returns/{quarterly.pk}/submit/", {"submitted_on": "2026-07-10", "version": 1}
    )
    assert bad.status_code == 422 and "restraint" in bad.content.decode()
    ok = c.post(
        f"/incidents/notifications/returns/{quarterly.pk}/figures/",
        {"restraint_occasions": "0", "fire_alarm_activations": "1", "version": 1},
    )
    assert ok.status_code == 303
    done = c.post(
        f"/incidents/notifications/returns/{quarterly.pk}/submit/", {"submitted_on": "2026-07-03", "version": 2}
    )
    assert done.status_code == 303
    assert "Submitted" in c.get(f"/incidents/notifications/returns/{quarterly.pk}/").content.decode()
