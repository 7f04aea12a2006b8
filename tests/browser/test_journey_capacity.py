"""Mental capacity in a real browser, on a phone: a nurse assesses a resident's capacity to decide
where to live (the two-stage test; an inconsistent outcome first, refused next to the outcome), then
records a DoLS standard authorisation applied for and granted with an end date and a condition, and
sees it in the list of authorisations ending within 28 days and, with its condition, on the
resident's capacity page. No Content-Security-Policy violations, nothing wider than the phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.helpers import csp_violations, log_in
from writecarenotes.care_planning.models.capacity import CapacityAssessment, LibertyRecord
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
    return {"home": oak, "peggy": peggy, "nurse": nurse}


def _no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _radio(page, name: str, value: str) -> None:
    page.locator(f"input[name={name}][value='{value}']").check()


def test_a_nurse_records_a_capacity_assessment_and_a_dols_authorisation(page_for, home):
    page = page_for(**PHONE)
    log_in(page, "nina.nurse@example.test")
    peggy = home["peggy"]
    page.goto(f"/care-plans/residents/{peggy.pk}/capacity/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Peggy Evans")
    expect(page.locator("main")).to_contain_text("Nothing applied for or in force.")
    _no_horizontal_scroll(page)

    page.get_by_role("link", name="Assess capacity for a decision").click()
    page.fill("input[name=decision]", "Whether to live at Oak Lodge")
    _radio(page, "impairment", "yes")
    page.fill("textarea[name=impairment_evidence]", "Alzheimer's disease, memory clinic 2023.")
    for name, able in (("understand", "no"), ("retain", "no"), ("use_weigh", "no"), ("communicate", "yes")):
        _radio(page, name, able)
        page.fill(f"textarea[name={name}_evidence]", f"What she said and did ({name}).")
    _radio(page, "because_of_impairment", "yes")
    page.fill("textarea[name=practicable_steps]", "Photos of home and here, morning, daughter present, asked twice.")
    _radio(page, "outcome", "has_capacity")  # inconsistent with the answers
    _no_horizontal_scroll(page)
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.locator("#id_outcome_group .errorlist")).to_contain_text("lack capacity for this decision")
    expect(page.locator("input[name=retain][value='no']")).to_be_checked()  # the answers are kept
    _radio(page, "outcome", "lacks_capacity")
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.locator("#capacity-outcome")).to_contain_text("Lacks capacity for this decision")
    _no_horizontal_scroll(page)

    page.goto(f"/care-plans/residents/{peggy.pk}/capacity/")
    page.get_by_role("link", name="Record an application or authorisation").click()
    expect(page.locator("main")).not_to_contain_text("Section 47")
    _radio(page, "kind", "dols_standard")
    page.fill("input[name=body]", "Shire County Council")
    today = timezone.localdate()
    page.fill("input[name=requested_on]", (today - timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#liberty-status")).to_contain_text("Applied for")
    page.get_by_role("link", name="Record that it was granted").click()
    end = today + timedelta(days=21)
    page.fill("input[name=decided_on]", today.isoformat())
    page.fill("input[name=start_on]", today.isoformat())
    page.fill("input[name=end_on]", (today + timedelta(days=400)).isoformat())  # more than a year
    page.fill("textarea[name=conditions]", "Supported trips to church every Sunday")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_end_on_errors")).to_contain_text("at the latest")
    page.fill("input[name=end_on]", end.isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#liberty-status")).to_contain_text("In force")
    expect(page.locator("#liberty-end")).to_contain_text(end.strftime("%-d %b %Y"))
    _no_horizontal_scroll(page)

    page.goto("/care-plans/capacity/liberty/")
    expect(page.locator("main")).to_contain_text("Oak Lodge")
    expect(page.locator("main")).to_contain_text("Peggy Evans: Standard authorisation")
    expect(page.locator("main")).to_contain_text("21 days left")
    _no_horizontal_scroll(page)
    page.goto(f"/care-plans/residents/{peggy.pk}/capacity/")
    expect(page.locator("main")).to_contain_text("Supported trips to church every Sunday")
    _no_horizontal_scroll(page)
    assert csp_violations(page) == []
    with acting_for([home["home"]]):
        assert CapacityAssessment.objects.get().outcome == "lacks_capacity"
        assert LibertyRecord.objects.get().status == "in_force"
