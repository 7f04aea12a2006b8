"""Reporting an incident in a real browser, on a phone: a carer opens the resident's page, follows
"Report an incident" (the resident is chosen already), first forgets what happened (refused next to the
field, the answers kept), then reports an unwitnessed fall with a head injury on the body map, sees the
incident's page and finds it in the list of incidents. No Content-Security-Policy violations, nothing
wider than the phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.helpers import csp_violations, log_in
from writecarenotes.incidents.models import Incident
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def home(transactional_db):
    org = f.organisation("Meadow Care")
    oak = f.home(org, name="Oak Lodge", nation="england", care_type="nursing")
    unit, room = f.unit_with_room(oak, unit_name="Ground floor", room_number="1")
    peggy = f.resident(oak, unit=unit, room=room, family="Evans", given="Margaret Ann", preferred_name="Peggy")
    carer = f.user("cara.carer@example.test", name="Cara Carer")
    f.member(carer, "carer", home=oak)
    return {"home": oak, "peggy": peggy, "carer": carer}


def _no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_carer_reports_an_unwitnessed_fall_with_a_head_injury(page_for, home):
    page = page_for(**PHONE)
    log_in(page, "cara.carer@example.test")
    peggy = home["peggy"]
    page.goto(f"/residents/{peggy.pk}/")
    page.get_by_role("link", name="Report an incident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report an incident")
    expect(page.locator("select[name=residents] option:checked")).to_contain_text("Peggy Evans")
    _no_horizontal_scroll(page)

    page.select_option("select[name=kind]", "fall")
    page.fill("input[name=location]", "Room 1, between the bed and the en-suite")
    page.locator("input[name=severity][value=moderate]").check()
    page.locator("input[name=witnessed][value=no]").check()
    page.locator("input[name=head_struck][value=yes]").check()
    page.get_by_role("button", name="Report the incident").click()
    expect(page.locator("#id_what_happened_errors")).to_be_visible()
    expect(page.locator("input[name=head_struck][value=yes]")).to_be_checked()  # the answers are kept
    _no_horizontal_scroll(page)

    page.fill("textarea[name=what_happened]", "Found on the floor at the night check; nobody saw her fall.")
    page.fill("textarea[name=immediate_actions]", "Not moved until the nurse came; head injury observations.")
    page.locator("#injuries summary").click()
    page.select_option("select[name=injury_1_location]", "head_back")
    page.select_option("select[name=injury_1_kind]", "head_injury")
    page.fill("input[name=injury_1_description]", "Bump, 3 cm")
    page.get_by_role("button", name="Report the incident").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("INC-")
    expect(page.locator("#incident-facts")).to_contain_text("Found on the floor at the night check")
    expect(page.locator("#incident-injuries")).to_contain_text("Head (back)")
    expect(page.locator("#incident-injuries")).to_contain_text("Head injury")
    _no_horizontal_scroll(page)
    with acting_for([home["home"]]):
        incident = Incident.objects.get()
    assert incident.witnessed is False and incident.head_struck is True and incident.reported_by == home["carer"]

    page.goto("/incidents/")
    expect(page.locator("#incident-list")).to_contain_text(incident.reference)
    expect(page.locator("#incident-list")).to_contain_text("Peggy Evans")
    _no_horizontal_scroll(page)
    assert csp_violations(page) == []
