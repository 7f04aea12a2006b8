"""Pages of the follow-up tasks: the nurse's "Post-fall checks" list (in the menu, soonest first, overdue
marked, query count that does not grow), recording a task (field errors, nothing saved; then saved), the
incident's tasks and its panel for the incident page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories as f
from tests.incidents.conftest import in_home, report
from writecarenotes.incidents import views_followups
from writecarenotes.incidents.models import FollowUpStatus, FollowUpTask
from writecarenotes.platform.identity.access import build_access

pytestmark = pytest.mark.django_db
LIST = "/incidents/followups/"


def _main(response) -> str:
    html = response.content.decode()
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


@pytest.fixture
def nurse(world, client_for):
    return client_for(world.users["nurse"])


def test_the_nurse_sees_the_post_fall_checks_of_an_unwitnessed_fall(world, nurse):
    incident = report(world, witnessed=False)
    with in_home(world.home):
        FollowUpTask.objects.filter(incident=incident, key="neuro_00").update(
            due_at=timezone.now() - timedelta(minutes=1)
        )
    home = nurse.get("/").content.decode()
    assert 'href="/incidents/followups/"' in home and "Post-fall checks" in home
    html = _main(nurse.get(LIST))
    assert "Neurological observations (baseline)" in html and "Post-fall assessment" in html
    assert "Check anticoagulant and antiplatelet medicines" in html
    assert "Overdue" in html and "Evans" in html and incident.reference in html


def test_the_list_query_count_does_not_grow(world, nurse):
    report(world, witnessed=True)
    nurse.get(LIST)
    with CaptureQueriesContext(connection) as few:
        assert nurse.get(LIST).status_code == 200
    for n in range(3):
        r = f.resident(world.home, unit=world.unit, room=world.room, family=f"Faller{n}", nhs_number="")
        report(world, resident=r, witnessed=False)
    with CaptureQueriesContext(connection) as many:
        html = _main(nurse.get(LIST))
    assert "Faller2" in html
    assert len(many.captured_queries) == len(few.captured_queries)


def test_recording_a_task_shows_field_errors_then_saves(world, nurse):
    incident = report(world, witnessed=False)
    with in_home(world.home):
        task = FollowUpTask.objects.get(incident=incident, key="neuro_00")
    url = f"/incidents/followups/{task.pk}/"
    page = _main(nurse.get(url))
    assert "GCS" in page and "Pupils" in page and "NG232" in page
    refused = nurse.post(url, {"outcome": "", "gcs": "15"})
    assert refused.status_code == 422
    assert 'id="id_outcome_errors"' in refused.content.decode()
    no_pupils = nurse.post(url, {"outcome": "Alert.", "gcs": "15"})  # the service's rule, next to its field
    assert no_pupils.status_code == 422
    assert "Record the pupils" in no_pupils.content.decode() and 'id="id_pupils_errors"' in no_pupils.content.decode()
    with in_home(world.home):
        assert FollowUpTask.objects.get(pk=task.pk).status == FollowUpStatus.OPEN
    saved = nurse.post(
        url, {"outcome": "Alert, orientated, no headache.", "gcs": "15", "pupils": "3 mm equal, reactive"}
    )
    assert saved.status_code == 303 and saved["Location"] == LIST
    with in_home(world.home):
        done = FollowUpTask.objects.get(pk=task.pk)
    assert done.status == FollowUpStatus.DONE and done.gcs == 15 and done.done_by == world.users["nurse"]
    assert f'id="task-{task.pk}"' not in _main(nurse.get(LIST))


def test_the_incident_page_of_tasks_and_the_panel(world, nurse, client_for):
    incident = report(world, witnessed=True)
    html = _main(nurse.get(f"/incidents/{incident.pk}/followups/"))
    assert "Review 24 hours after the fall" in html
    request = RequestFactory().get("/")
    request.user = world.users["nurse"]
    request.access = build_access(world.users["nurse"], world.home.pk)
    with in_home(world.home):
        panel = views_followups.incident_panel(request, incident)
    assert 'id="followups"' in panel and "Post-fall assessment" in panel
    assert client_for(world.users["finance"]).get(LIST).status_code == 403
    welsh = report(world, home=world.other_home, resident=world.other_home_resident)
    assert nurse.get(f"/incidents/{welsh.pk}/followups/").status_code == 404
