"""Assessments in a real browser: a nurse on a phone opens a resident's assessments, assesses them
with the Braden scale (one answer missing first: the message appears next to that question), and
sees the score, the level of risk with what to do, every answer with its points and the next due
date; then the unit's due list. No Content-Security-Policy violations, nothing wider than the phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.helpers import csp_violations, log_in
from writecarenotes.assessments.models import AssessmentAnswer, AssessmentResult
from writecarenotes.assessments.services_due import mark_due
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
    with acting_for([oak]), acting_as_system("test setup"):
        mark_due(peggy.pk, "braden", "admission", timezone.localdate() - timedelta(days=1))
    nurse = f.user("nina.nurse@example.test", name="Nina Nurse")
    f.member(nurse, "nurse", home=oak)
    return {"home": oak, "unit": unit, "peggy": peggy}


def _no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_nurse_assesses_a_resident_with_braden_on_a_phone(page_for, home):
    page = page_for(**PHONE)
    log_in(page, "nina.nurse@example.test")
    page.goto(f"/assessments/residents/{home['peggy'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Peggy Evans")
    expect(page.locator("main")).to_contain_text("Overdue 1 day")
    _no_horizontal_scroll(page)

    page.get_by_role("link", name="Assess Braden now").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Braden Scale")
    _no_horizontal_scroll(page)
    answers = {"sensory_perception": "2", "moisture": "2", "activity": "2", "mobility": "2", "nutrition": "2"}
    for key, value in answers.items():
        page.locator(f"input[name=item_{key}][value='{value}']").check()
    page.get_by_role("button", name="Save and score").click()  # friction and shear not answered
    expect(page.locator("#id_item_friction_shear_group .errorlist")).to_contain_text("required")
    expect(page.locator("main .errorlist[role=alert]")).to_be_visible()
    expect(page.locator("input[name=item_moisture][value='2']")).to_be_checked()  # the answers are kept

    page.get_by_role("group", name="Friction and shear").get_by_text("2 Potential problem").click()
    page.get_by_role("button", name="Save and score").click()
    expect(page.locator("main")).to_contain_text("Assessment saved: Braden 12: high risk.")
    expect(page.locator("#h-score")).to_have_text("Braden 12: high risk")
    expect(page.locator(".result-total")).to_have_text("12")
    expect(page.locator(".result-band")).to_have_text("high risk")
    due = (timezone.localdate() + timedelta(days=30)).strftime("%-d %b %Y")
    expect(page.locator(".result-next-due")).to_have_text(due)
    expect(page.locator("main table tbody tr")).to_have_count(6)
    expect(page.locator("main svg circle")).to_have_count(1)
    _no_horizontal_scroll(page)

    page.goto(f"/assessments/units/{home['unit'].pk}/due/")
    expect(page.locator("main")).to_contain_text("Nothing overdue or due this week.")
    page.goto(f"/assessments/residents/{home['peggy'].pk}/")
    expect(page.locator("main")).to_contain_text("Braden 12: high risk")
    expect(page.locator("main")).to_contain_text(f"Next due {due}")
    _no_horizontal_scroll(page)
    assert csp_violations(page) == []
    with acting_for([home["home"]]):
        [result] = AssessmentResult.objects.all()
        assert AssessmentAnswer.objects.filter(result=result).count() == 6
