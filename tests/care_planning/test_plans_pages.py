"""Pages of care plans: a resident's plans with "Propose from assessments", a plan, changing it with a
reason, agreeing it, the carers' task list (done / not done, query counts that do not grow), the
review with the records since last time, the printed plan (PDF) and the family summary."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories as f
from tests.care_planning.conftest import WATERLOW_17, assess, plans_home
from writecarenotes.care_planning.models.plans import CarePlan, Review, TaskCompletion
from writecarenotes.care_planning.services_plans import agree_plan
from writecarenotes.care_planning.services_proposals import propose_from_assessments
from writecarenotes.platform.audit.models import AuditRecord

pytestmark = pytest.mark.django_db


def _main(response) -> str:
    html = response.content.decode()
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def _proposed(world, resident=None) -> CarePlan:
    resident = resident or world.resident
    assess(world, "waterlow", WATERLOW_17, resident=resident)
    with plans_home(world):
        return propose_from_assessments(resident.pk, user=world.users["nurse"]).created[0]


def _agreed(world, resident=None) -> CarePlan:
    plan = _proposed(world, resident)
    with plans_home(world):
        return agree_plan(plan, user=world.users["nurse"], resident_involved=True, agreement_recorded=True)


def test_the_residents_page_proposes_plans_from_the_assessments(world, nurse, client_for):
    url = f"/care-plans/residents/{world.resident.pk}/plans/"
    assess(world, "waterlow", WATERLOW_17)
    html = _main(nurse.get(url))
    assert "Propose from assessments" in html and "Waterlow 17: high risk" in html
    assert 'data-offline="care-entry"' in html and 'name="idempotency_key"' in html
    response = nurse.post(f"{url}propose/", {"idempotency_key": str(uuid.uuid4())})
    assert response.status_code == 303
    with plans_home(world):
        plan = CarePlan.objects.get(resident=world.resident)
    assert response["Location"] == f"/care-plans/plans/{plan.pk}/"
    html = _main(nurse.get(url))
    assert "Skin integrity" in html and "Proposed" in html
    assert AuditRecord.objects.filter(action="residents.resident.read", part="care plans").exists()
    carer = _main(client_for(world.users["carer"]).get(url))
    assert "Skin integrity" in carer and "Propose from assessments" not in carer
    assert nurse.get(f"/care-plans/residents/{world.other_home_resident.pk}/plans/").status_code == 404


def test_a_plan_page_and_changing_it_with_a_reason(world, nurse, client_for):
    plan = _proposed(world)
    html = _main(nurse.get(f"/care-plans/plans/{plan.pk}/"))
    assert "Help to change position at least every 4 hours" in html and "every 4 hours, day and night" in html
    assert "Skin stays intact" in html and "Waterlow 17: high risk" in html and "NICE CG179" in html
    assert f"/care-plans/plans/{plan.pk}/agree/" in html
    carer = _main(client_for(world.users["carer"]).get(f"/care-plans/plans/{plan.pk}/"))
    assert "/edit/" not in carer and "/agree/" not in carer
    edit = f"/care-plans/plans/{plan.pk}/edit/"
    bad = nurse.post(edit, {"in_my_words": "I sleep on my left.", "needs": plan.needs, "review_every_months": 1})
    assert bad.status_code == 422 and "This field is required" in _main(bad)
    ok = nurse.post(
        edit, {"in_my_words": "I sleep on my left.", "needs": plan.needs, "review_every_months": 1, "reason": "Asked"}
    )
    assert ok.status_code == 303
    assert "I sleep on my left." in _main(nurse.get(f"/care-plans/plans/{plan.pk}/"))
    new_item = nurse.post(
        f"/care-plans/plans/{plan.pk}/interventions/new/",
        {"what": "Heel boots at night", "schedule_kind": "times_of_day", "times": "22:00, 25:00"},
    )
    assert new_item.status_code == 422 and "HH:MM" in _main(new_item)
    assert nurse.get(f"/care-plans/plans/{plan.pk}/goals/new/").status_code == 200


def test_agreeing_records_involvement(world, nurse, client_for):
    plan = _proposed(world)
    url = f"/care-plans/plans/{plan.pk}/agree/"
    assert client_for(world.users["carer"]).get(url).status_code == 403
    html = _main(nurse.get(url))
    assert "Was the resident involved" in html and "Help to change position" in html
    bad = nurse.post(url, {"resident_involved": "no", "agreement_recorded": "yes"})
    assert bad.status_code == 422 and "name the representative" in _main(bad)
    ok = nurse.post(
        url,
        {
            "resident_involved": "no",
            "representative_name": "Ann Evans",
            "representative_relationship": "Daughter",
            "agreement_recorded": "yes",
        },
    )
    assert ok.status_code == 303
    with plans_home(world):
        plan.refresh_from_db()
    assert plan.status == "agreed" and plan.representative_name == "Ann Evans"


def test_the_carers_task_list_with_done_and_not_done(world, carer):
    plan = _agreed(world)
    url = f"/care-plans/units/{world.unit.pk}/tasks/"
    html = _main(carer.get(url))
    assert "Help to change position" in html and "Evans" in html
    with plans_home(world):
        shift_item = plan.interventions.get(schedule_kind="each_shift")
    from writecarenotes.care_records.public import shift_bounds

    start, _end = shift_bounds()
    due = timezone.localtime(start).isoformat()
    refused = carer.post(f"{url}record/", {"intervention_id": shift_item.pk, "due_at": due, "outcome": "not_done"})
    assert refused.status_code == 422 and "Choose why it was not done" in _main(refused)
    key = str(uuid.uuid4())
    done = carer.post(
        f"{url}record/", {"intervention_id": shift_item.pk, "due_at": due, "outcome": "done", "idempotency_key": key}
    )
    assert (
        done.status_code == 303
        and done["Location"].endswith(f"#r{world.resident.pk}")
        and "?recorded=" in done["Location"]
    )
    again = carer.post(
        f"{url}record/", {"intervention_id": shift_item.pk, "due_at": due, "outcome": "done", "idempotency_key": key}
    )
    assert again.status_code == 303  # the same key: replayed, recorded once
    with plans_home(world):
        assert TaskCompletion.objects.count() == 1
    assert "Carer User" in _main(carer.get(url))
    assert carer.get(f"/care-plans/units/{world.other_home_resident.unit_id}/tasks/").status_code == 404


def test_the_task_list_query_count_does_not_grow_with_residents(world, carer):
    _agreed(world)
    url = f"/care-plans/units/{world.unit.pk}/tasks/"
    carer.get(url)
    with CaptureQueriesContext(connection) as few:
        carer.get(url)
    for i in range(3):
        _agreed(world, f.resident(world.home, unit=world.unit, family=f"Extra{i}", nhs_number="9990000018"))
    with CaptureQueriesContext(connection) as many:
        html = _main(carer.get(url))
    assert "Extra2" in html
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_residents_page_query_count_does_not_grow_with_plans(world, nurse):
    url = f"/care-plans/residents/{world.resident.pk}/plans/"
    _proposed(world)
    nurse.get(url)
    with CaptureQueriesContext(connection) as few:
        nurse.get(url)
    for domain in ("sleep", "continence", "communication"):
        nurse.post(f"/care-plans/residents/{world.resident.pk}/plans/new/", {"domain": domain})
    with CaptureQueriesContext(connection) as many:
        html = _main(nurse.get(url))
    assert "Communication" in html
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_review_page_shows_the_records_and_holds_the_review(world, nurse, client_for):
    plan = _agreed(world)
    url = f"/care-plans/plans/{plan.pk}/review/"
    html = _main(nurse.get(url))
    assert "What the records say since" in html and "Falls recorded: 0." in html
    assert f"/assessments/residents/{world.resident.pk}/waterlow/" in html  # every result
    assert "<svg" in html and "Waterlow" in html and "the last result" in html  # the trend, drawn inline
    assert "Record the review" in html
    assert "Record the review" not in _main(client_for(world.users["carer"]).get(url))
    bad = nurse.post(url, {"outcome": "continue"})
    assert bad.status_code == 422
    ok = nurse.post(
        url,
        {
            "summary": "Skin intact, repositioning kept to.",
            "outcome": "continue",
            "held_on": timezone.localdate().isoformat(),
            "resident_involved": "yes",
            "agreement_recorded": "yes",
        },
    )
    assert ok.status_code == 303
    with plans_home(world):
        assert Review.objects.get(plan=plan).records_text.startswith("Falls recorded: 0.")
    assert "Skin intact" in _main(nurse.get(f"/care-plans/plans/{plan.pk}/"))
    assert "No review due." in _main(nurse.get("/care-plans/reviews/"))


def test_the_printed_plan_is_a_pdf_and_the_family_summary_is_plain(world, nurse):
    _agreed(world)
    pdf = nurse.get(f"/care-plans/residents/{world.resident.pk}/plans/print/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and len(pdf.content) > 2000
    family = _main(nurse.get(f"/care-plans/residents/{world.resident.pk}/plans/family/"))
    assert "Keeping skin healthy" in family and "every 4 hours, day and night" in family
    for jargon in ("Waterlow", "Skin integrity", "repositioning_hours", "band"):
        assert jargon not in family
    assert re.search(r"We look at the plan again by \d+ \w+ \d{4}", family)
    assert AuditRecord.objects.filter(part="care plan family summary").exists()
