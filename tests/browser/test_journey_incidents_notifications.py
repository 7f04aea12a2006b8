"""Statutory notifications in a real browser, on a phone: an unwitnessed fall with a fractured hip
(a health professional's opinion: a change to the structure of the body) in an English home. The
manager sees the CQC regulation 18 notification due on the notifications list, opens it, prepares it
in one click (the form filled from the incident, the home and the resident), and marks it submitted
with CQC's reference. No Content-Security-Policy violations, nothing wider than the phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.helpers import csp_violations, log_in
from tests.incidents.notifications_helpers import in_home, make_incident
from writecarenotes.incidents.models import StatutoryNotification

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
    incident = make_incident(
        oak,
        manager,
        resident=peggy,
        injury="suspected_fracture",
        severity="severe",
        serious_injury_tests=["body_structure"],
        medical_attention="admitted",
        witnessed=False,
    )
    return {"home": oak, "incident": incident}


def test_manager_prepares_and_submits_a_cqc_regulation_18_notification(page_for, home):
    page = page_for(**PHONE)
    log_in(page, "rita.manager@example.test")
    page.goto("/incidents/notifications/")
    main = page.locator("main")
    expect(main).to_contain_text("CQC: Serious injury to a person using the service")
    expect(main).to_contain_text(home["incident"].reference)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("link", name="CQC: Serious injury to a person using the service").first.click()
    expect(main).to_contain_text("regulation 18(2)(a)")
    page.locator("#prepare").click()
    expect(main).to_contain_text("The form, filled in")
    expect(page.locator("#notification-text")).to_contain_text("Oak Lodge")
    expect(page.locator("#notification-text")).to_contain_text("Peggy Evans")
    expect(page.locator("#notification-text")).to_contain_text("Suspected fracture")

    page.fill("input[name=reference]", "CQC-NOT-20260001")
    page.locator("#mark-submitted").click()
    expect(page.locator("#notification-status")).to_contain_text("Submitted")
    expect(page.locator("#notification-reference")).to_have_text("CQC-NOT-20260001")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert csp_violations(page) == []
    with in_home(home["home"]):
        n = StatutoryNotification.objects.get(incident=home["incident"])
    assert n.status == "submitted" and n.regulator_reference == "CQC-NOT-20260001"
