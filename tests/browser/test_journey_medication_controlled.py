"""Controlled drugs and the fridge log in a real browser, on a tablet: a nurse receives morphine into the
controlled drugs register with a witness who types their own password (a wrong one is refused first), a
stock check finds a discrepancy (the manager's alert), and a fridge reading out of range is refused until
the action taken is written. No Content-Security-Policy violations, nothing wider than the tablet."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.helpers import csp_violations, log_in
from tests.medication.conftest import formulary, in_home
from writecarenotes.medication import services_controlled as cd
from writecarenotes.medication.models import CDDiscrepancy, CDEntry

pytestmark = pytest.mark.browser

TABLET = {"width": 744, "height": 1133}  # iPad mini, portrait


@pytest.fixture
def home(transactional_db):
    org = f.organisation("Meadow Care")
    oak = f.home(org, name="Oak Lodge", nation="england", care_type="nursing")
    unit, room = f.unit_with_room(oak, unit_name="Ground floor", room_number="1")
    f.resident(oak, unit=unit, room=room, family="Evans", given="Margaret Ann", preferred_name="Peggy")
    nurse = f.user("nina.nurse@example.test", name="Nina Nurse")
    f.member(nurse, "nurse", home=oak)
    witness = f.user("sam.senior@example.test", name="Sam Senior")
    f.member(witness, "senior_carer", home=oak)
    manager = f.user("mo.manager@example.test", name="Mo Manager")
    f.member(manager, "registered_manager", home=oak)
    meds = formulary(oak)
    with in_home(oak):
        page = cd.open_register(home_id=oak.pk, medicine_id=meds.morphine.pk, resident_id=None, by=manager)
    return {"home": oak, "page": page}


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]


def test_receive_morphine_with_a_witness_then_a_discrepancy_and_a_fridge_alarm(page_for, home):
    page = page_for(**TABLET)
    log_in(page, "nina.nurse@example.test")
    page.goto("/medication/cd/")
    page.get_by_role("link", name="Morphine sulfate 10 mg/5 ml oral solution").click()
    page.get_by_role("link", name="Record stock received").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New entry")
    page.fill("input[name=quantity]", "100")
    page.fill("input[name=party_name]", "High Street Pharmacy")
    page.fill("input[name=party_address]", "1 High Street, Oakham")
    page.fill("input[name=witness_email]", "sam.senior@example.test")
    page.fill("input[name=witness_password]", "not-the-password")
    page.get_by_role("button", name="Enter in the register").click()
    expect(page.locator("#id_witness_email_errors")).to_contain_text("not right")
    expect(page.locator("input[name=party_name]")).to_have_value("High Street Pharmacy")
    page.fill("input[name=witness_password]", f.PASSWORD)
    page.get_by_role("button", name="Enter in the register").click()
    expect(page.locator("#cd-balance")).to_contain_text("100")
    expect(page.locator("#entry-1")).to_contain_text("Sam Senior")
    expect(page.locator("#entry-1")).to_contain_text("High Street Pharmacy")
    _fits(page)

    page.get_by_role("link", name="Stock check").click()
    page.fill("input[name=counted]", "95")
    page.fill("input[name=witness_email]", "sam.senior@example.test")
    page.fill("input[name=witness_password]", f.PASSWORD)
    page.get_by_role("button", name="Record the count").click()
    expect(page.locator(".messages")).to_contain_text("Discrepancy: counted 95, the register says 100")
    expect(page.locator("#cd-page-discrepancies")).to_contain_text("Open")
    with in_home(home["home"]):
        assert CDDiscrepancy.objects.get().counted == 95 and CDEntry.objects.count() == 1
    page.goto("/")
    expect(page.locator("#panel-cd-discrepancies")).to_be_visible()

    page.context.clear_cookies()
    log_in(page, "mo.manager@example.test")
    page.goto("/medication/fridges/")
    page.fill("input[name=name]", "Treatment room")
    page.get_by_role("button", name="Add a fridge").click()
    page.fill("input[name=current_c]", "9.5")
    page.fill("input[name=min_c]", "4.0")
    page.fill("input[name=max_c]", "9.5")
    page.get_by_role("button", name="Record the reading").click()
    expect(page.locator("#id_action_taken_errors")).to_contain_text("between 2 and 8")
    page.fill("textarea[name=action_taken]", "Door left open: closed it, insulin quarantined, pharmacist told")
    page.get_by_role("button", name="Record the reading").click()
    expect(page.locator("#fridge-readings")).to_contain_text("Out of range")
    _fits(page)
    page.goto("/")
    expect(page.locator("#panel-fridges")).to_contain_text("1 reading out of +2 to +8")
    assert csp_violations(page) == []
