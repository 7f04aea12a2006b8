"""Care planning in a real browser: a nurse proposes a care plan from a Waterlow result (high risk),
reads it, agrees it with the resident's daughter; then a carer on a 390 px phone opens the unit's
task list, sees the repositioning task from the plan and marks it done. No Content-Security-Policy
violations, nothing wider than the phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.helpers import csp_violations, log_in
from tests.care_planning.conftest import WATERLOW_17
from writecarenotes.assessments.services import record_assessment
from writecarenotes.care_planning.models.plans import CarePlan, TaskCompletion
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def home(transactional_db):
    org = f.organisation("Meadow Care")
    oak = f.home(org, name="Oak Lodge", nation="england", care_type="nursing")
    unit, room = f.unit_with_room(oak, unit_name="Ground floor", room_number="1")
    peggy = f.resident(oak, unit=unit, room=room, family="Evans", given="Margaret Ann", preferred_name="Peggy")
    nurse = f.user("nina.nurse@example.test", name="Nina Nurse")
    f.member(nurse, "nurse", home=oak)
    carer = f.user("carl.carer@example.test", name="Carl Carer")
    f.member(carer, "carer", home=oak)
    with acting_for([oak]), acting_as_system("test setup"):
        record_assessment(peggy.pk, "waterlow", dict(WATERLOW_17), timezone.now() - timedelta(minutes=10), nurse)
    return {"home": oak, "unit": unit, "peggy": peggy}


def _no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_plan_from_waterlow_becomes_a_task_a_carer_marks_done_on_a_phone(page_for, home):
    nurse = page_for(width=1024, height=900)
    log_in(nurse, "nina.nurse@example.test")
    nurse.goto(f"/care-plans/residents/{home['peggy'].pk}/plans/")
    expect(nurse.get_by_role("heading", level=1)).to_contain_text("Peggy Evans")
    expect(nurse.locator("main")).to_contain_text("Waterlow 17: high risk")
    nurse.get_by_role("button", name="Propose from assessments").click()
    expect(nurse.get_by_role("heading", level=1)).to_have_text("Skin integrity")
    expect(nurse.locator("main")).to_contain_text("Proposed from the assessments: Skin integrity")
    expect(nurse.locator("main")).to_contain_text("Help to change position at least every 4 hours")
    expect(nurse.locator("main")).to_contain_text("every 4 hours, day and night")

    nurse.get_by_role("link", name="Agree the plan").click()
    nurse.get_by_label("Was the resident involved in making this plan?").select_option("no")
    nurse.get_by_label("Did the resident (or their representative) agree with the plan?").select_option("yes")
    nurse.get_by_role("button", name="Agree the plan").click()
    expect(nurse.locator("#id_agreement_notes_errors")).to_contain_text("name the representative")
    nurse.get_by_label("Representative's name (if any)").fill("Ann Evans")
    nurse.get_by_label("Relationship to the resident").fill("Daughter")
    nurse.get_by_role("button", name="Agree the plan").click()
    expect(nurse.locator("main")).to_contain_text("Care plan agreed: its tasks are on the carers' lists.")
    expect(nurse.locator("main")).to_contain_text("Ann Evans (Daughter)")
    assert csp_violations(nurse) == []

    carer = page_for(**PHONE)
    log_in(carer, "carl.carer@example.test")
    carer.goto(f"/care-plans/units/{home['unit'].pk}/tasks/")
    expect(carer.get_by_role("heading", level=1)).to_have_text("Tasks: Ground floor")
    _no_horizontal_scroll(carer)
    task = (
        carer.locator("li.task", has_text="Help to change position")
        .filter(has=carer.locator("button.task-button"))
        .first
    )
    expect(task).to_be_visible()
    box = task.locator("button.task-button").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 120  # a big tap target
    task.locator("button.task-button").click()
    expect(carer.locator("main .messages")).to_contain_text("Done: Help to change position")
    expect(carer.locator("li.task", has_text="Carl Carer")).to_contain_text("Help to change position")
    _no_horizontal_scroll(carer)
    assert csp_violations(carer) == []
    with acting_for([home["home"]]):
        plan = CarePlan.objects.get(resident=home["peggy"])
        assert plan.status == "agreed"
        done = TaskCompletion.objects.get()
        assert done.intervention.chart == "repositioning" and done.outcome == "done"
