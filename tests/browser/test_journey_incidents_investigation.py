"""Investigating an incident in a real browser, on a phone: the registered manager opens the
investigation of a fall, assigns the nurse as investigator, records two of the 5 whys and an
action, is refused completion without findings (the message next to the field), then completes it
with the findings. No Content-Security-Policy violations, nothing wider than the phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.helpers import csp_violations, log_in
from writecarenotes.incidents.models import Incident, IncidentPerson, Investigation, InvestigationAction
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
    manager = f.user("rita.manager@example.test", name="Rita Manager")
    f.member(manager, "registered_manager", home=oak)
    nurse = f.user("nina.nurse@example.test", name="Nina Nurse")
    f.member(nurse, "nurse", home=oak)
    with acting_as_system("test"), acting_for([oak]):
        incident = Incident.objects.create(
            home=oak,
            reference="INC-2026-0001",
            kind="fall",
            occurred_at=timezone.now() - timedelta(hours=3),
            unit=unit,
            location="Bedroom 1",
            what_happened="Found on the floor by the bed at night.",
            severity="low",
            reported_by=nurse,
        )
        IncidentPerson.objects.create(
            home=oak, incident=incident, role="affected", kind="resident", resident=peggy, added_by=nurse
        )
    return {"home": oak, "incident": incident, "nurse": nurse}


def _no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_manager_investigates_and_completes(page_for, home):
    page = page_for(**PHONE)
    log_in(page, "rita.manager@example.test")
    incident = home["incident"]
    page.goto(f"/incidents/{incident.pk}/investigation/")
    expect(page.locator("#investigation-status")).to_contain_text("No investigation has been opened.")
    _no_horizontal_scroll(page)
    page.get_by_role("button", name="Open an investigation").click()
    expect(page.locator("#investigation-status")).to_contain_text("Open")

    page.select_option("#investigator select[name=investigator]", label="Nina Nurse")
    page.get_by_role("button", name="Assign").click()
    expect(page.locator("#investigation-investigator")).to_contain_text("Nina Nurse")
    expect(page.locator("#investigation-status")).to_contain_text("In progress")

    for why, because in (
        ("Why did Peggy fall?", "She got up to the toilet without her frame."),
        ("Why without her frame?", "The frame was left by the door after the evening wash."),
    ):
        page.fill("#whys input[name=why]", why)
        page.fill("#whys textarea[name=because]", because)
        page.get_by_role("button", name="Add the why").click()
    expect(page.locator("#whys-list li")).to_have_count(2)
    expect(page.locator("#whys-list")).to_contain_text("The frame was left by the door")

    page.fill("#actions textarea[name=description]", "Frame placed by the bed at every evening wash; checked at 22:00")
    page.select_option("#actions select[name=owner]", label="Nina Nurse")
    page.fill("#actions input[name=due_on]", (timezone.localdate() + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Add the action").click()
    expect(page.locator("#actions-list")).to_contain_text("Frame placed by the bed")
    _no_horizontal_scroll(page)

    page.get_by_role("link", name="Complete the investigation").click()
    page.get_by_role("button", name="Complete the investigation").click()
    expect(page.locator("#id_findings_errors")).to_contain_text("Write the findings")
    page.fill("textarea[name=findings]", "The frame was routinely moved away from the bed at the evening wash.")
    page.fill("textarea[name=conclusion]", "Avoidable; routine changed.")
    page.get_by_role("button", name="Complete the investigation").click()
    expect(page.locator("#investigation-status")).to_contain_text("Completed")
    expect(page.locator("#actions-list")).to_contain_text("Frame placed by the bed")  # tracked on
    _no_horizontal_scroll(page)
    assert csp_violations(page) == []
    with acting_for([home["home"]]):
        inv = Investigation.objects.get()
        assert inv.status == "completed" and inv.investigator_id == home["nurse"].pk
        assert inv.whys.count() == 2
        assert InvestigationAction.objects.get().status == "open"
