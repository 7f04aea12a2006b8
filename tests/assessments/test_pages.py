"""Pages of assessments: the tool library, a resident's assessments, the form generated from the tool
with field errors next to the item, the result with every answer and the trend, corrections, the due
lists (query counts that do not grow), the dashboard panel and the managers' settings."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories as f
from tests.assessments.support import BRADEN_12, BRADEN_18, BRADEN_23, record
from writecarenotes.assessments.models import AssessmentResult
from writecarenotes.assessments.services_due import mark_due
from writecarenotes.platform.audit.models import AuditRecord
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.django_db


def _main(response) -> str:
    html = response.content.decode()
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def _form_data(answers: dict, **extra) -> dict:
    data = {f"item_{k}": v for k, v in answers.items()}
    data["assessed_at"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    data.update(extra)
    return data


@pytest.fixture
def nurse(world, client_for):
    return client_for(world.users["nurse"])


def test_the_tool_library_names_source_licence_and_acknowledgement(world, nurse):
    html = _main(nurse.get("/assessments/tools/"))
    assert "Braden Scale" in html and "Waterlow" in html
    assert "Bergstrom N, Braden BJ" in html and "Used with permission" in html
    detail = _main(nurse.get("/assessments/tools/braden/"))
    assert "Friction and shear" in detail and "very high risk" in detail and "Ayello" in detail
    assert nurse.get("/assessments/tools/tarot/").status_code == 404


def test_the_resident_page_lists_due_latest_results_and_assess_buttons(world, nurse, client_for):
    record(world, BRADEN_23, at=timezone.now() - timedelta(days=2))
    record(world, BRADEN_12)
    html = _main(nurse.get(f"/assessments/residents/{world.resident.pk}/"))
    assert "Braden 12: high risk" in html and "Higher risk than last time" in html and "-11 since" in html
    assert f'href="/assessments/residents/{world.resident.pk}/braden/new/"' in html
    assert "Ask for an assessment" in html
    assert AuditRecord.objects.filter(action="residents.resident.read", part="assessments").exists()
    carer = _main(client_for(world.users["carer"]).get(f"/assessments/residents/{world.resident.pk}/"))
    assert "Braden 12: high risk" in carer and "/new/" not in carer  # carers view, do not assess
    assert nurse.get(f"/assessments/residents/{world.other_home_resident.pk}/").status_code == 404


def test_the_form_is_generated_from_the_tool(world, nurse):
    braden = _main(nurse.get(f"/assessments/residents/{world.resident.pk}/braden/new/"))
    assert braden.count('type="radio"') == 4 * 5 + 3
    assert 'data-offline="care-entry"' in braden and 'name="idempotency_key"' in braden
    assert "<legend>Sensory perception" in braden
    waterlow = _main(nurse.get(f"/assessments/residents/{world.resident.pk}/waterlow/new/"))
    assert 'type="checkbox" name="item_skin"' in waterlow  # several answers: checkboxes
    must = _main(nurse.get(f"/assessments/residents/{world.resident.pk}/must/new/"))
    assert re.search(r'<input type="number" name="item_weight_kg"[^>]*step="0.1"', must)
    assert "Weight (kg)" in must or "(kg)" in must
    assert nurse.get(f"/assessments/residents/{world.resident.pk}/tarot/new/").status_code == 404


def test_saving_the_form_shows_the_result_with_every_answer(world, nurse):
    url = f"/assessments/residents/{world.resident.pk}/braden/new/"
    response = nurse.post(url, _form_data(BRADEN_12, notes="Reluctant to move."))
    assert response.status_code == 303
    with acting_for([world.home]):
        result = AssessmentResult.objects.get()
    assert response["Location"] == f"/assessments/residents/{world.resident.pk}/results/{result.pk}/"
    html = _main(nurse.get(response["Location"], follow=True))
    assert "Braden 12: high risk" in html and result.band_action[:40] in html
    assert html.count('<tr><th scope="row">') >= 6 and "2 Very limited" in html
    due = (timezone.localdate() + timedelta(days=30)).strftime("%-d %b %Y")
    assert due in html and "<svg" in html and "Reluctant to move." in html


def test_errors_are_shown_next_to_the_item_and_nothing_is_saved(world, nurse):
    answers = dict(BRADEN_23)
    del answers["moisture"]
    response = nurse.post(f"/assessments/residents/{world.resident.pk}/braden/new/", _form_data(answers))
    assert response.status_code == 422
    html = _main(response)
    group = html.split('id="id_item_moisture_group"', 1)[1].split("</fieldset>", 1)[0]
    assert 'class="errorlist"' in group and "required" in group
    assert re.search(r'name="item_sensory_perception" value="4" id="[^"]+" checked', html)  # answers kept
    future = _form_data(BRADEN_23)
    future["assessed_at"] = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    assert "cannot be in the future" in _main(
        nurse.post(f"/assessments/residents/{world.resident.pk}/braden/new/", future)
    )
    with acting_for([world.home]):
        assert AssessmentResult.objects.count() == 0


def test_a_form_sent_twice_with_its_key_records_once(world, nurse):
    data = _form_data(BRADEN_23, idempotency_key=str(uuid.uuid4()))
    url = f"/assessments/residents/{world.resident.pk}/braden/new/"
    first, second = nurse.post(url, data), nurse.post(url, data)
    assert first.status_code == second.status_code == 303 and first["Location"] == second["Location"]
    with acting_for([world.home]):
        assert AssessmentResult.objects.count() == 1


def test_a_carer_cannot_assess(world, client_for):
    carer = client_for(world.users["carer"])
    assert carer.get(f"/assessments/residents/{world.resident.pk}/braden/new/").status_code == 403


def test_correct_a_result_on_its_page(world, nurse):
    original = record(world, BRADEN_23)
    url = f"/assessments/residents/{world.resident.pk}/results/{original.pk}/correct/"
    page = _main(nurse.get(url))
    assert 'value="4"' in page and "checked" in page  # the original answers are filled in
    missing = nurse.post(url, {**_form_data(BRADEN_18), "reason": ""})
    assert missing.status_code == 422 and "This field is required" in _main(missing)
    done = nurse.post(url, {**_form_data(BRADEN_18), "reason": "Read the wrong chart"})
    assert done.status_code == 303
    html = _main(nurse.get(done["Location"]))
    assert "Braden 18: at risk (mild)" in html and "Read the wrong chart" in html and "<del>" in html
    again = nurse.get(url)
    assert again.status_code == 303  # already corrected: sent to the replacement


def test_the_history_page_draws_the_trend(world, nurse):
    record(world, BRADEN_23, at=timezone.now() - timedelta(days=3))
    record(world, BRADEN_18, at=timezone.now() - timedelta(days=1))
    record(world, BRADEN_12)
    html = _main(nurse.get(f"/assessments/residents/{world.resident.pk}/braden/"))
    assert html.count("<circle") == 3 and "<polyline" in html and "style=" not in html
    assert html.count("<tr>") == 4


def _due_resident(world, n: int):
    unit, room = world.unit, None
    with acting_for([world.home]):
        from writecarenotes.platform.tenancy.models import Room

        room = Room.objects.create(home=world.home, unit=unit, number=f"D{n}")
    r = f.resident(world.home, unit=unit, room=room, family=f"Due{n}", nhs_number="9434765919")
    with acting_as_system("test"), acting_for([world.home]):
        mark_due(r.pk, "morse", "manual", timezone.localdate() - timedelta(days=1))
        mark_due(r.pk, "braden", "manual", timezone.localdate())
    record(world, BRADEN_23, resident=r)
    return r


def test_unit_due_list_and_its_query_count_does_not_grow(world, nurse):
    _due_resident(world, 1)
    url = f"/assessments/units/{world.unit.pk}/due/"
    nurse.get(url)
    with CaptureQueriesContext(connection) as few:
        html = _main(nurse.get(url))
    assert "Overdue" in html and "Due1" in html and "Morse" in html
    for n in range(2, 6):
        _due_resident(world, n)
    with CaptureQueriesContext(connection) as many:
        html = _main(nurse.get(url))
    assert "Due5" in html
    assert len(many.captured_queries) == len(few.captured_queries)
    assert nurse.get(f"/assessments/units/{world.other_home_resident.unit_id}/due/").status_code == 404


def test_resident_page_query_count_does_not_grow_with_results(world, nurse):
    url = f"/assessments/residents/{world.resident.pk}/"
    record(world, BRADEN_23)
    nurse.get(url)
    with CaptureQueriesContext(connection) as few:
        nurse.get(url)
    for days in range(1, 6):
        record(world, BRADEN_18, at=timezone.now() - timedelta(days=days))
    with CaptureQueriesContext(connection) as many:
        nurse.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_dashboard_panel_loads_the_counts(world, nurse, client_for):
    _due_resident(world, 1)
    dashboard = _main(nurse.get("/"))
    assert 'id="panel-assessments-due"' in dashboard and 'hx-get="/assessments/panel/"' in dashboard
    counts = nurse.get("/assessments/panel/").content.decode()
    assert '<p class="stat">1</p>' in counts and "1 due today" in counts
    assert "panel-assessments-due" not in _main(client_for(world.users["kitchen"]).get("/"))


def test_managers_change_tool_settings(world, client_for):
    manager = client_for(world.users["registered_manager"])
    assert "Braden" in _main(manager.get("/assessments/settings/"))
    url = "/assessments/settings/braden/"
    assert 'name="review_days"' in _main(manager.get(url))
    bad = manager.post(url, {"enabled": "on", "band_set": "ayello_braden", "review_days": "0"})
    assert bad.status_code == 422
    ok = manager.post(url, {"enabled": "on", "band_set": "cutoff_16", "review_days": "14", "reason": "Policy"})
    assert ok.status_code == 303
    assert record(world, BRADEN_18).band_set == "cutoff_16"
    assert client_for(world.users["senior_carer"]).get(url).status_code == 403


def test_ask_for_an_assessment(world, nurse):
    url = f"/assessments/residents/{world.resident.pk}/ask/"
    response = nurse.post(url, {"tool": "must", "due_on": timezone.localdate().isoformat()})
    assert response.status_code == 303
    html = _main(nurse.get(response["Location"]))
    assert "Asked for" in html and "Due today" in html
