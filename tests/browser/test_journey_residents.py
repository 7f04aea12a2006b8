"""Residents in a real browser: a nurse on a phone finds a resident by name and opens the
profile; a manager records the pre-admission assessment of an enquiry and admits it into a
free room (the full room is not offered). No Content-Security-Policy violations."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.helpers import csp_violations, log_in
from writecarenotes.platform.tenancy.models import Room
from writecarenotes.platform.tenancy.scope import acting_for
from writecarenotes.residents.models import Resident

pytestmark = pytest.mark.browser


@pytest.fixture
def home(transactional_db):
    org = f.organisation("Meadow Care")
    oak = f.home(org, name="Oak Lodge", nation="england", care_type="nursing")
    unit, room = f.unit_with_room(oak, unit_name="Ground floor", room_number="1")
    f.resident(oak, unit=unit, room=room, family="Evans", given="Margaret Ann", preferred_name="Peggy")
    with acting_for([oak]):
        free = Room.objects.create(home=oak, unit=unit, number="2", beds=1)
    f.resident(oak, family="Newcombe", given="Harold", status="enquiry", nhs_number="")
    nurse = f.user("nina.nurse@example.test", name="Nina Nurse")
    f.member(nurse, "nurse", home=oak)
    manager = f.user("mo.manager@example.test", name="Mo Manager")
    f.member(manager, "registered_manager", home=oak)
    return {"home": oak, "free": free}


def test_a_nurse_finds_a_resident_by_name_on_a_phone(page_for, home):
    page = page_for(width=390, height=844)
    log_in(page, "nina.nurse@example.test")
    page.goto("/residents/")
    page.get_by_label("Search by name, room or NHS number").fill("evans")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Peggy Evans").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Peggy Evans")
    expect(page.get_by_role("heading", name="Allergies and resuscitation")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Margaret Ann Evans")
    # the page fits the phone: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert csp_violations(page) == []


def test_a_manager_assesses_and_admits_an_enquiry_into_a_free_room(page_for, home):
    page = page_for(width=390, height=844)
    log_in(page, "mo.manager@example.test")
    page.goto("/residents/?status=enquiries")
    page.get_by_role("link", name="Harold Newcombe").click()
    page.get_by_role("link", name="Record the pre-admission assessment").click()
    page.get_by_label("Assessed by (name and role)").fill("Mo Manager, registered manager")
    page.get_by_label("Summary of needs").fill("Walks with a frame; needs help with washing.")
    page.get_by_label("Suitable: the home can meet their needs").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Assessment recorded.")
    page.get_by_role("link", name="Admit", exact=True).click()
    options = page.locator("#id_room option").all_inner_texts()
    assert any(o.startswith("2 ·") for o in options) and not any(o.startswith("1 ·") for o in options)
    page.get_by_label("Room (only rooms with a free bed are listed)").select_option(str(home["free"].pk))
    # Save without the confirmation: a field message, nothing admitted
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".field-error")).to_contain_text("This field is required.")
    page.get_by_label("I have checked this is the right person and the details are correct").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Harold Newcombe is admitted.")
    expect(page.locator("main")).to_contain_text("In residence")
    with acting_for([home["home"]]):
        harold = Resident.objects.get(legal_family_name="Newcombe")
    assert harold.status == "in_residence" and harold.room_id == home["free"].pk
    assert harold.admitted_on == timezone.localdate()
    assert csp_violations(page) == []
