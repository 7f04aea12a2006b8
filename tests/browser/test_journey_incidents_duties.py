"""Post-fall checks and duties in a real browser, on a phone: a carer reports an unwitnessed fall with
moderate harm in an English home. The nurse opens "Post-fall checks" from the menu, sees the post-fall
assessment, the anticoagulant check and the head-injury observations, and records the baseline
observations (first refused without the pupils, the message next to the field). The manager's dashboard
shows the overdue duty-of-candour step with a link to the incident's duties, where the statutory
source is named. No Content-Security-Policy violations, nothing wider than the phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.helpers import csp_violations, log_in
from writecarenotes.incidents.models import DutyStep, FollowUpTask
from writecarenotes.incidents.services_report import report_incident
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
    manager = f.user("rita.manager@example.test", name="Rita Manager")
    f.member(manager, "registered_manager", home=oak)
    with acting_as_system("test"), acting_for([oak]):
        incident = report_incident(
            user=carer,
            values={
                "kind": "fall",
                "occurred_at": timezone.now() - timedelta(minutes=20),
                "location": "Bedroom 1",
                "what_happened": "Found on the floor beside the bed; did not see her fall.",
                "severity": "moderate",
                "witnessed": False,
                "head_struck": None,
            },
            people=[{"role": "affected", "kind": "resident", "resident_id": peggy.pk}],
            home_id=oak.pk,
        )
        # the candour notification was due two hours ago (an incident reported late)
        DutyStep.objects.filter(incident=incident, key="notify_in_person").update(
            due_at=timezone.now() - timedelta(hours=2)
        )
    return {"home": oak, "incident": incident}


def _no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_nurse_records_post_fall_checks_and_manager_sees_the_overdue_candour_step(page_for, home):
    incident = home["incident"]
    page = page_for(**PHONE)
    log_in(page, "nina.nurse@example.test")
    page.goto("/")
    link = page.locator("nav.site-nav").get_by_role("link", name="Post-fall checks")
    if not link.is_visible():
        page.locator("nav.site-nav summary").click()  # the menu folds away on a phone
    link.click()
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("Post-fall checks")
    expect(main).to_contain_text("Post-fall assessment")
    expect(main).to_contain_text("Check anticoagulant and antiplatelet medicines")
    expect(main).to_contain_text("Neurological observations (baseline)")
    expect(main).to_contain_text("Peggy Evans")
    _no_horizontal_scroll(page)

    page.get_by_role("link", name="Neurological observations (baseline)").click()
    expect(main).to_contain_text("NICE NG232")
    page.fill("input[name=gcs]", "15")
    page.fill("textarea[name=outcome]", "Alert and orientated, no headache, moving all limbs.")
    page.get_by_role("button", name="Record").click()
    expect(page.locator("#id_pupils_errors")).to_contain_text("Record the pupils")
    page.fill("input[name=pupils]", "3 mm, equal, reactive to light")
    page.get_by_role("button", name="Record").click()
    expect(main).to_contain_text("Recorded: Neurological observations (baseline).")
    expect(main).to_contain_text("21 tasks to do")
    expect(page.get_by_role("link", name="Neurological observations (baseline)")).to_have_count(0)
    _no_horizontal_scroll(page)
    with acting_as_system("test"), acting_for([home["home"]]):
        task = FollowUpTask.objects.get(incident=incident, key="neuro_00")
        assert task.status == "done" and task.gcs == 15 and task.done_by.email == "nina.nurse@example.test"
    assert csp_violations(page) == []

    manager = page_for(**PHONE)
    log_in(manager, "rita.manager@example.test")
    manager.goto("/")
    panel = manager.locator("#overdue-obligations")
    expect(panel).to_contain_text("Overdue obligations")
    expect(panel).to_contain_text(f"{incident.reference}: Tell the person (or their representative) in person")
    panel.get_by_role("link", name=f"{incident.reference}: Tell the person (or their representative) in person").click()
    expect(manager.locator("main")).to_contain_text("The statutory duty applies.")
    expect(manager.locator("main")).to_contain_text("regulation 20")
    _no_horizontal_scroll(manager)
    assert csp_violations(manager) == []
