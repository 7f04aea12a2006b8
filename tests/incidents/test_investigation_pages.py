"""Pages of investigation and learning: the investigation page and the incident panel, assigning,
the 5 whys, a factor, an action marked done, completion refused next to the field then accepted,
lessons with read receipts, the open actions list, trends with SVG charts and tables, the monthly
summary as a page, PDF and CSV; query counts that do not grow; permissions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from tests.incidents.test_investigation_services import in_home, make_incident, opened
from writecarenotes.incidents import services_investigation as svc
from writecarenotes.incidents import services_lessons as lessons
from writecarenotes.incidents.models import Investigation, InvestigationAction, LessonRead
from writecarenotes.platform.audit.models import AuditRecord

pytestmark = pytest.mark.django_db


def _main(response) -> str:
    html = response.content.decode()
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


@pytest.fixture
def manager(world, client_for):
    return client_for(world.users["registered_manager"])


def _with_analysis(world, incident=None, n=1):
    inv = opened(world, incident)
    user = world.users["registered_manager"]
    with in_home(world.home):
        for i in range(n):
            svc.add_why(inv.pk, user=user, why=f"Why {i}?", because=f"Because {i}.")
            svc.add_factor(inv.pk, user=user, category="task", detail=f"Factor {i}")
            lessons.add_action(
                inv.pk,
                user=user,
                description=f"Action {i}",
                owner_id=world.users["nurse"].pk,
                due_on=timezone.localdate() + timedelta(days=3),
            )
    return inv


def test_a_manager_opens_assigns_analyses_and_completes(world, manager):
    incident = make_incident(world, kind="near_miss", severity="no_harm")
    url = f"/incidents/{incident.pk}/investigation/"
    page = _main(manager.get(url))
    assert "No investigation has been opened." in page and "Open an investigation" in page
    assert AuditRecord.objects.filter(action="incidents.incident.read", part="investigation").exists()
    response = manager.post(f"{url}open/", {"due_on": (timezone.localdate() + timedelta(days=10)).isoformat()})
    assert response.status_code == 303
    with in_home(world.home):
        inv = Investigation.objects.get()
    response = manager.post(
        f"{url}assign/",
        {"investigator": world.users["nurse"].pk, "due_on": inv.due_on.isoformat(), "version": inv.version},
    )
    assert response.status_code == 303
    page = _main(manager.get(url))
    assert "Nurse User" in page and "In progress" in page
    # completion refused next to the field, then the analysis, then accepted
    response = manager.post(f"{url}complete/", {"findings": "", "conclusion": "", "version": inv.version + 1})
    assert response.status_code == 422
    html = _main(response)
    assert 'id="id_findings_errors"' in html and "Write the findings" in html and "root-cause analysis" in html
    assert manager.post(f"{url}whys/", {"why": "", "because": ""}).status_code == 422
    assert manager.post(f"{url}whys/", {"why": "Why did she fall?", "because": "Bell out of reach."}).status_code == 303
    assert manager.post(f"{url}factors/", {"category": "equipment", "detail": "Bell cord short"}).status_code == 303
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    action = {"description": "Fit a longer bell cord", "owner": world.users["nurse"].pk, "due_on": due}
    assert manager.post(f"{url}actions/", action).status_code == 303
    with in_home(world.home):
        inv.refresh_from_db()
        act = InvestigationAction.objects.get()
    response = manager.post(f"/incidents/actions/{act.pk}/done/", {"done_note": "", "version": 1})
    assert response.status_code == 422 and 'id="id_done_note_errors"' in _main(response)
    response = manager.post(
        f"/incidents/actions/{act.pk}/done/", {"done_note": "Cord fitted", "version": 1, "next": url}
    )
    assert response.status_code == 303 and response["Location"] == url
    response = manager.post(
        f"{url}complete/", {"findings": "The bell was out of reach.", "conclusion": "", "version": inv.version}
    )
    assert response.status_code == 303
    page = _main(manager.get(url))
    assert "Completed" in page and "Bell cord short" in page and "Cord fitted" in page
    assert "Add the why" not in page  # the analysis is closed


def test_stale_forms_say_so(world, manager):
    inv = opened(world)
    url = f"/incidents/{inv.incident_id}/investigation/"
    response = manager.post(f"{url}findings/", {"findings": "x", "conclusion": "", "version": 99})
    assert response.status_code == 422 and "Someone changed this record" in _main(response)


def test_carers_see_it_but_cannot_manage(world, client_for):
    inv = _with_analysis(world)
    carer = client_for(world.users["carer"])
    url = f"/incidents/{inv.incident_id}/investigation/"
    page = _main(carer.get(url))
    assert "Why 0?" in page and "Add the why" in page and "Complete the investigation" not in page
    assert carer.post(f"{url}complete/", {}).status_code == 403
    assert carer.post(f"{url}assign/", {}).status_code == 403
    assert client_for(world.users["family"]).get(url).status_code == 403


def test_another_homes_investigation_is_not_found(world, client_for):
    foreign = make_incident(world, home=world.other_home)
    manager = client_for(world.users["registered_manager"])
    assert manager.get(f"/incidents/{foreign.pk}/investigation/").status_code == 404


def test_the_page_costs_the_same_with_more_analysis(world, manager, django_assert_max_num_queries):
    small = _with_analysis(world, n=1)
    big = _with_analysis(world, make_incident(world), n=8)
    manager.get(f"/incidents/{small.incident_id}/investigation/")  # warm the session
    with django_assert_max_num_queries(40) as small_q:
        manager.get(f"/incidents/{small.incident_id}/investigation/")
    with django_assert_max_num_queries(40) as big_q:
        html = _main(manager.get(f"/incidents/{big.incident_id}/investigation/"))
    assert "Action 7" in html
    assert len(big_q.captured_queries) == len(small_q.captured_queries)


def test_the_incident_panel(world):
    inv = _with_analysis(world)
    request = RequestFactory().get("/incidents/")
    request.user = world.users["registered_manager"]
    from writecarenotes.platform.identity.access import build_access

    request.access = build_access(request.user, None)
    from writecarenotes.incidents.views_investigation import incident_panel

    with in_home(world.home):
        incident = inv.incident
        html = incident_panel(request, incident)
        other = incident_panel(request, make_incident(world, kind="abuse"))
    assert 'id="investigation"' in html and "Why 0?" in html and "Mark done" in html
    assert "Action 0" in html and "Task factors" in html
    assert "Open an investigation" in other


def test_open_actions_and_lessons_for_staff(world, manager, client_for, django_assert_max_num_queries):
    inv = _with_analysis(world, n=3)
    _with_analysis(world, make_incident(world), n=3)
    with django_assert_max_num_queries(20):
        page = _main(manager.get("/incidents/actions/"))
    assert page.count("Mark done") == 6
    response = manager.post(
        f"/incidents/{inv.incident_id}/investigation/lessons/new/",
        {"title": "Bells in reach", "text": "Check the bell.", "audience": "roles", "roles": ["carer"]},
    )
    assert response.status_code == 303
    lesson_url = response["Location"]
    carer = client_for(world.users["carer"])
    assert "Bells in reach" in _main(carer.get("/incidents/lessons/")) and "Not read yet" in _main(
        carer.get("/incidents/lessons/")
    )
    nurse = client_for(world.users["nurse"])
    assert "Bells in reach" not in _main(nurse.get("/incidents/lessons/"))  # shared with carers only
    assert nurse.get(lesson_url).status_code == 404
    assert carer.post(f"{lesson_url}read/").status_code == 303
    assert "You have read this" in _main(carer.get(lesson_url))
    html = _main(manager.get(lesson_url))
    readers = html.split('id="readers"', 1)[1]
    assert "Carer User" in readers and "1 read, 0 not yet." in html
    with in_home(world.home):
        assert LessonRead.objects.count() == 1
    nav = carer.get("/incidents/lessons/").content.decode()
    assert "Lessons learned" in nav and "Incident trends" in nav


def test_trends_page_charts_tables_and_summary(world, manager, django_assert_max_num_queries):
    when = timezone.localtime(timezone.now() - timedelta(hours=1))  # the month of the incidents, even at 00:30
    for kind in ("fall", "fall", "choking"):
        make_incident(world, kind=kind, severity="moderate", at=when)
    manager.get("/incidents/trends/")
    with django_assert_max_num_queries(30):
        response = manager.get("/incidents/trends/")
    html = _main(response)
    assert "<svg" in html and "3 incidents" in html and "style=" not in html
    by_type = html.split('id="trend-type"', 1)[1].split("</section>", 1)[0]
    assert "<td>Fall</td><td>2</td>" in by_type and "<td>Choking</td><td>1</td>" in by_type
    assert "Margaret Evans" in html.split('id="repeat-fallers"', 1)[1]  # two falls within 90 days
    bad = manager.get("/incidents/trends/?start=2026-05-01&end=2026-04-01")
    assert bad.status_code == 422 and 'id="id_end_errors"' in _main(bad)
    today = when.date()
    page = _main(manager.get(f"/incidents/trends/summary/{today.year}/{today.month}/"))
    assert "3 incidents, by type and harm" in page
    pdf = manager.get(f"/incidents/trends/summary/{today.year}/{today.month}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
    csv = manager.get(f"/incidents/trends/summary/{today.year}/{today.month}/csv/")
    assert "Incidents by type,Fall,2" in csv.content.decode()
    assert manager.get(f"/incidents/trends/summary/{today.year}/13/").status_code == 404


def test_a_provider_admin_sees_every_home(world, client_for):
    make_incident(world, kind="fall")
    make_incident(world, home=world.other_home, kind="choking")
    admin = client_for(world.users["provider_admin"])
    assert admin.post("/home/switch/", {"home": "all", "next": "/"}).status_code in (302, 303)
    html = _main(admin.get("/incidents/trends/"))
    by_home = html.split('id="trend-home"', 1)[1].split("</section>", 1)[0]
    assert "<td>Oak Lodge</td><td>1</td>" in by_home and "<td>Ty Celyn</td><td>1</td>" in by_home
    one = _main(admin.get(f"/incidents/trends/?home={world.other_home.pk}"))
    assert "1 incident from" in one and 'id="trend-home"' not in one


def test_the_incident_page_shows_the_panel(world, manager):
    from tests.incidents.conftest import report

    incident = report(world, severity="moderate")  # the policy opens the investigation
    html = _main(manager.get(f"/incidents/{incident.pk}/"))
    panel = html.split('id="investigation"', 1)[1].split("</section>", 1)[0]
    assert "Open" in panel and "Not assigned yet" in panel and "Open the investigation" in panel
