"""Daily care records in a real browser: a carer on a phone records a note and a drink in a few
taps and sees the running fluid total; the nurse sees who needs what now, adds to the handover of
the last shift and signs it off. No Content-Security-Policy violations, nothing wider than the phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.helpers import csp_violations, log_in
from writecarenotes.care_records.models import CareNote, FoodFluidEntry
from writecarenotes.care_records.services_charts import set_chart_settings
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.browser


@pytest.fixture
def home(transactional_db):
    org = f.organisation("Meadow Care")
    oak = f.home(org, name="Oak Lodge", nation="england", care_type="nursing")
    unit, room = f.unit_with_room(oak, unit_name="Ground floor", room_number="1")
    peggy = f.resident(oak, unit=unit, room=room, family="Evans", given="Margaret Ann", preferred_name="Peggy")
    with acting_for([oak]), acting_as_system("test setup"):
        set_chart_settings(resident_id=peggy.pk, values={"repositioning_interval_hours": 2, "fluid_target_ml": 1500})
    carer = f.user("cara.carer@example.test", name="Cara Carer")
    f.member(carer, "carer", home=oak)
    nurse = f.user("nina.nurse@example.test", name="Nina Nurse")
    f.member(nurse, "nurse", home=oak)
    return {"home": oak, "unit": unit, "peggy": peggy}


def test_carer_records_a_note_and_a_drink_on_a_phone(page_for, home):
    page = page_for(width=390, height=844)
    log_in(page, "cara.carer@example.test")
    page.goto(f"/care/residents/{home['peggy'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Peggy Evans")
    page.get_by_role("link", name="Add a note").click()
    page.get_by_label("What kind of note").select_option("personal_care")
    page.get_by_label("What happened").fill("Helped to wash and dress; chose the blue cardigan.")
    page.get_by_role("button", name="Save note").click()
    expect(page.locator("main")).to_contain_text("Note saved.")
    expect(page.locator("main")).to_contain_text("chose the blue cardigan")

    page.get_by_role("link", name="Food and fluid").first.click()
    page.get_by_label("Food or drink").fill("Tea")
    page.get_by_label("Fluid taken (ml)").fill("200")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("200 / 1500 ml")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert csp_violations(page) == []
    with acting_for([home["home"]]):
        assert CareNote.objects.count() == 1 and FoodFluidEntry.objects.count() == 1


def test_nurse_sees_alerts_and_signs_off_the_handover(page_for, home):
    page = page_for(width=390, height=844)
    log_in(page, "nina.nurse@example.test")
    page.goto(f"/care/units/{home['unit'].pk}/alerts/")
    expect(page.locator("#alert-list")).to_contain_text("Peggy Evans")
    expect(page.locator("#alert-list")).to_contain_text("Repositioning due")
    page.get_by_role("link", name="Handover Ground floor").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Shift handover")
    page.get_by_label("Handover note").fill("Peggy's daughter is visiting at 10:00.")
    page.get_by_role("button", name="Add to handover").click()
    expect(page.locator("main")).to_contain_text("Added to the handover.")
    page.get_by_role("button", name="Sign off handover").click()
    expect(page.locator("main")).to_contain_text("This handover is read-only")
    expect(page.get_by_role("button", name="Add to handover")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert csp_violations(page) == []
