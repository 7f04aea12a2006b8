"""Specialist pathways in a real browser: a nurse on a phone opens a resident's pathways, records an
end-of-life symptom observation (leaving every symptom at "cannot assess" first: the form says so and
keeps the answers), sees the severe symptom on the chart, then records a rehabilitation session and
sees it on the rehabilitation tab. No Content-Security-Policy violations, nothing wider than the phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.helpers import csp_violations, log_in
from writecarenotes.care_planning.models.pathways import SymptomObservation, TherapySession
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


def test_a_nurse_records_symptoms_and_a_therapy_session_on_a_phone(page_for, home):
    page = page_for(**PHONE)
    log_in(page, "nina.nurse@example.test")
    peggy = home["peggy"]
    page.goto(f"/care-plans/residents/{peggy.pk}/pathways/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Peggy Evans")
    _no_horizontal_scroll(page)

    page.get_by_role("navigation", name="Pathways").get_by_role("link", name="End of life").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Palliative and end of life")
    page.get_by_role("link", name="Record symptoms").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Symptom observation")
    _no_horizontal_scroll(page)

    page.get_by_role("group", name="Pain").get_by_label("Cannot assess").check()
    page.get_by_role("button", name="Save observation").click()
    expect(page.locator("main .errorlist[role=alert]")).to_contain_text("Rate at least one symptom.")
    expect(page.get_by_role("group", name="Pain").get_by_label("Cannot assess")).to_be_checked()

    page.get_by_role("group", name="Pain").get_by_label("3 Severely").check()
    page.get_by_role("group", name="Agitation or restlessness").get_by_label("1 Slightly").check()
    page.get_by_label("What was done (comfort, medicines given, who was told)").fill(
        "Repositioned; nurse in charge told."
    )
    page.get_by_role("button", name="Save observation").click()
    expect(page.locator("main .messages")).to_contain_text("Symptoms recorded.")
    expect(page.locator("main")).to_contain_text("Severe")
    expect(page.locator("main figure svg rect")).to_have_count(7)
    _no_horizontal_scroll(page)

    page.get_by_role("navigation", name="Pathways").get_by_role("link", name="Rehabilitation").click()
    page.get_by_role("link", name="Record a therapy session").click()
    _no_horizontal_scroll(page)
    page.get_by_label("Therapist").fill("Lee Jones")
    page.get_by_role("group", name="Discipline").get_by_label("Physiotherapy").check()
    page.get_by_label("Duration (minutes)").fill("30")
    page.get_by_label("Activity").fill("Sit to stand, ten times")
    page.get_by_role("group", name="Progress").get_by_label("Some progress").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main .messages")).to_contain_text("Session recorded.")
    expect(page.locator("main")).to_contain_text("Sit to stand, ten times")
    expect(page.locator("main")).to_contain_text("Lee Jones")
    _no_horizontal_scroll(page)

    with acting_for([home["home"]]):
        obs = SymptomObservation.objects.get(resident_id=peggy.pk)
        session = TherapySession.objects.get(resident_id=peggy.pk)
    assert (obs.pain, obs.agitation, obs.recorded_by_id) == (3, 1, home["nurse"].pk)
    assert (session.duration_minutes, session.progress_rating, session.discipline) == (30, 3, "physiotherapy")
    assert csp_violations(page) == []
