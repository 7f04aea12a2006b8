"""Pages of the duties: the duties panel with a form per step (field errors, nothing saved; then saved
and shown with to whom and when), relatives and GP told, declining (managers), and the manager's
dashboard panel of every overdue obligation across sub-domains, until done."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.incidents.conftest import in_home, report
from writecarenotes.incidents import views_duties
from writecarenotes.incidents.models import DutyStep, FollowUpTask, StepStatus
from writecarenotes.platform.identity.access import build_access

pytestmark = pytest.mark.django_db


def _main(response) -> str:
    html = response.content.decode()
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


@pytest.fixture
def nurse(world, client_for):
    return client_for(world.users["nurse"])


@pytest.fixture
def manager(world, client_for):
    return client_for(world.users["registered_manager"])


def _step(incident, kind, key):
    with in_home(incident.home):
        return DutyStep.objects.get(incident=incident, kind=kind, key=key)


def test_the_duties_page_shows_candour_with_its_source_and_a_form_per_step(world, nurse):
    incident = report(world, severity="moderate")
    html = _main(nurse.get(f"/incidents/{incident.pk}/duties/"))
    assert "Duty of candour" in html and "The statutory duty applies." in html
    assert "Health and Social Care Act 2008 (Regulated Activities) Regulations 2014, regulation 20" in html
    assert "Send the written follow-up" in html and "Date sent" in html
    assert "Tell the GP" in html and "Record a relative, representative or GP told" in html
    assert "It cannot be done" not in html  # declining is the manager's


def test_recording_a_step_refused_without_details_then_saved(world, nurse):
    incident = report(world, severity="moderate")
    step = _step(incident, "candour", "notify_in_person")
    url = f"/incidents/{incident.pk}/duties/steps/{step.pk}/done/"
    p = f"step{step.pk}-"
    refused = nurse.post(url, {p + "notes": "Told her."})
    assert refused.status_code == 422
    body = refused.content.decode()
    assert f'id="id_{p}addressed_to_errors"' in body and f'id="id_{p}addressed_as_errors"' in body
    assert _step(incident, "candour", "notify_in_person").status == StepStatus.OPEN
    saved = nurse.post(
        url,
        {
            p + "notes": "Met her son in the quiet lounge and explained.",
            p + "addressed_to": "John Evans",
            p + "addressed_as": "lacks_capacity",
            "next": f"/incidents/{incident.pk}/duties/",
        },
    )
    assert saved.status_code == 303 and saved["Location"] == f"/incidents/{incident.pk}/duties/"
    html = _main(nurse.get(f"/incidents/{incident.pk}/duties/"))
    assert "John Evans" in html and "Their representative: the person lacks capacity" in html
    offsite = nurse.post(
        f"/incidents/{incident.pk}/duties/steps/{_step(incident, 'candour', 'apology').pk}/done/",
        {
            f"step{_step(incident, 'candour', 'apology').pk}-notes": "Said sorry.",
            f"step{_step(incident, 'candour', 'apology').pk}-addressed_to": "John Evans",
            f"step{_step(incident, 'candour', 'apology').pk}-addressed_as": "lacks_capacity",
            "next": "https://evil.example/",
        },
    )
    assert offsite["Location"] == f"/incidents/{incident.pk}/duties/"


def test_relative_told_and_manager_declines_the_gp_step(world, nurse, manager):
    incident = report(world, severity="low")
    when = timezone.localtime() - timedelta(minutes=15)
    r = nurse.post(
        f"/incidents/{incident.pk}/duties/informed/",
        {
            "informed-party": "relative",
            "informed-name": "Ann Evans",
            "informed-relationship": "Daughter",
            "informed-informed_at": when.strftime("%Y-%m-%dT%H:%M"),
            "informed-method": "phone",
            "informed-what_said": "Found on the floor; bruise on the hip; GP informed.",
        },
    )
    assert r.status_code == 303
    assert _step(incident, "informed", "relative").status == StepStatus.DONE
    gp = _step(incident, "informed", "gp")
    assert nurse.post(f"/incidents/{incident.pk}/duties/steps/{gp.pk}/decline/", {}).status_code == 403
    page = _main(manager.get(f"/incidents/{incident.pk}/duties/"))
    assert "It cannot be done" in page and "Ann Evans" in page
    refused = manager.post(f"/incidents/{incident.pk}/duties/steps/{gp.pk}/decline/", {f"decline{gp.pk}-reason": ""})
    assert refused.status_code == 422
    ok = manager.post(
        f"/incidents/{incident.pk}/duties/steps/{gp.pk}/decline/",
        {f"decline{gp.pk}-reason": "GP on site at the time and examined her."},
    )
    assert ok.status_code == 303 and _step(incident, "informed", "gp").status == StepStatus.DECLINED


def test_the_managers_dashboard_lists_every_overdue_obligation_until_done(world, manager, nurse):
    incident = report(world, severity="moderate", witnessed=True)
    past = timezone.now() - timedelta(hours=2)
    with in_home(world.home):
        DutyStep.objects.filter(incident=incident, key="apology").update(due_at=past)
        FollowUpTask.objects.filter(incident=incident, key="assessment").update(due_at=past)
    html = _main(manager.get("/"))
    assert 'id="overdue-obligations"' in html
    assert f"{incident.reference}: Apologise" in html and f"{incident.reference}: Post-fall assessment" in html
    assert f'href="/incidents/{incident.pk}/duties/"' in html
    assert 'id="overdue-obligations"' not in _main(nurse.get("/"))  # the manager's panel
    step = _step(incident, "candour", "apology")
    nurse.post(
        f"/incidents/{incident.pk}/duties/steps/{step.pk}/done/",
        {
            f"step{step.pk}-notes": "Apologised.",
            f"step{step.pk}-addressed_to": "Mrs Evans",
            f"step{step.pk}-addressed_as": "self",
        },
    )
    html = _main(manager.get("/"))
    assert f"{incident.reference}: Apologise" not in html and f"{incident.reference}: Post-fall assessment" in html


def test_the_dashboard_query_count_does_not_grow(world, manager):
    report(world, severity="moderate")
    manager.get("/")
    with CaptureQueriesContext(connection) as few:
        manager.get("/")
    for _ in range(3):
        incident = report(world, severity="severe", witnessed=False)
        with in_home(world.home):
            DutyStep.objects.filter(incident=incident).update(due_at=timezone.now() - timedelta(hours=1))
    with CaptureQueriesContext(connection) as many:
        manager.get("/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_panel_for_the_incident_page(world):
    incident = report(world, kind="abuse", abuse_alleged=True)
    request = RequestFactory().get(f"/incidents/{incident.pk}/")
    request.user = world.users["nurse"]
    request.access = build_access(world.users["nurse"], world.home.pk)
    with in_home(world.home):
        panel = views_duties.incident_panel(request, incident)
    assert 'id="duties"' in panel and "Safeguarding" in panel and "Protect the person now" in panel
    assert "Care Act 2014" in panel and f'value="/incidents/{incident.pk}/"' in panel


def test_the_incident_page_shows_the_duties_and_follow_up_panels(world, nurse):
    incident = report(world, severity="moderate", witnessed=False)
    html = _main(nurse.get(f"/incidents/{incident.pk}/"))
    assert 'id="duties"' in html and 'id="followups"' in html
    assert (
        "Neurological observations (baseline)" in html and "Tell the person (or their representative) in person" in html
    )
    step = _step(incident, "candour", "apology")
    p = f"step{step.pk}-"
    saved = nurse.post(
        f"/incidents/{incident.pk}/duties/steps/{step.pk}/done/",
        {
            p + "notes": "Apologised.",
            p + "addressed_to": "Mrs Evans",
            p + "addressed_as": "self",
            "next": f"/incidents/{incident.pk}/",
        },
    )
    assert saved.status_code == 303 and saved["Location"] == f"/incidents/{incident.pk}/"
