"""A manager reviews a safety check override in a real browser, on a tablet: the nurse gave Peggy a
"when required" paracetamol dose one hour after the last, overriding the minimum interval with the GP's
telephone instruction. The manager's dashboard shows the override to review; the manager opens it, first
forgets the note (refused next to the field), then records the review; the list is empty and the
reviewed list shows the note. The rules page names its sources and says the interaction list is not
complete. No Content-Security-Policy violations, nothing wider than the tablet."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.helpers import csp_violations, log_in
from tests.medication.conftest import in_home, medicine
from writecarenotes.medication import safety
from writecarenotes.medication.models import Administration, DoseUnit, MedicationOrder, MedicineForm, SafetyOverride

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1024}


@pytest.fixture
def home(transactional_db):
    org = f.organisation("Meadow Care")
    oak = f.home(org, name="Oak Lodge", nation="england", care_type="nursing")
    unit, room = f.unit_with_room(oak, unit_name="Ground floor", room_number="1")
    peggy = f.resident(oak, unit=unit, room=room, family="Evans", given="Margaret Ann", preferred_name="Peggy")
    nurse = f.user("nina.nurse@example.test", name="Nina Nurse")
    f.member(nurse, "nurse", home=oak)
    manager = f.user("rita.manager@example.test", name="Rita Manager")
    f.member(manager, "registered_manager", home=oak)
    para = medicine(
        oak, "Paracetamol 500 mg tablets", MedicineForm.TABLET, DoseUnit.TABLET, [("paracetamol", 500, ["analgesic"])]
    )
    now = timezone.now()
    with in_home(oak):
        order = MedicationOrder.objects.create(
            home=oak,
            resident=peggy,
            medicine=para,
            prescriber="Dr A Patel",
            dose=Decimal(1),
            dose_max=Decimal(2),
            is_prn=True,
            prn_min_interval_minutes=240,
            prn_max_doses_24h=4,
            start_date=(now - timedelta(days=3)).date(),
            created_by=nurse,
            created_at=now,
            updated_at=now,
        )
        first = now - timedelta(hours=1, minutes=30)
        Administration.objects.create(
            home=oak,
            order=order,
            resident=peggy,
            outcome="given",
            dose=Decimal(2),
            administered_at=first,
            recorded_at=first,
            recorded_by=nurse,
        )
        at = now - timedelta(minutes=30)
        [finding] = safety.check_dose(order, dose=Decimal(2), at=at)
        second = Administration.objects.create(
            home=oak,
            order=order,
            resident=peggy,
            outcome="given",
            dose=Decimal(2),
            administered_at=at,
            recorded_at=at,
            recorded_by=nurse,
        )
        override = SafetyOverride.objects.create(
            home=oak,
            administration=second,
            rule=finding.rule,
            message=finding.message,
            reason="GP (Dr Patel) phoned: may give now for severe pain",
            by=nurse,
            at=at,
        )
    return {"home": oak, "override": override, "manager": manager}


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]


def test_a_manager_reviews_an_override(page_for, home):
    page = page_for(**TABLET)
    log_in(page, "rita.manager@example.test")
    page.goto("/")
    panel = page.locator("#safety-overrides-panel")
    expect(panel).to_contain_text("Safety overrides to review")
    expect(panel.locator(".stat")).to_have_text("1")
    panel.get_by_role("link", name="Peggy Evans: Paracetamol 500 mg tablets").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Safety override")
    facts = page.locator("#override-facts")
    expect(facts).to_contain_text("PRN minimum interval")
    expect(facts).to_contain_text("at least 4 hours between doses: next dose from")
    expect(facts).to_contain_text("GP (Dr Patel) phoned: may give now for severe pain")
    expect(facts).to_contain_text("Nina Nurse")
    _fits(page)

    page.get_by_role("button", name="Record the review").click()
    expect(page.locator("#id_review_note_errors")).to_be_visible()
    page.fill("textarea[name=review_note]", "Confirmed with Dr Patel; PRN protocol to be reviewed at the next visit.")
    page.get_by_role("button", name="Record the review").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Safety check overrides")
    expect(page.locator("main")).to_contain_text("Nothing to review.")
    page.get_by_role("link", name="Reviewed", exact=True).click()
    expect(page.locator("#override-list")).to_contain_text("Reviewed by Rita Manager")
    expect(page.locator("#override-list")).to_contain_text("PRN protocol to be reviewed at the next visit")
    _fits(page)
    with in_home(home["home"]):
        o = SafetyOverride.objects.get(pk=home["override"].pk)
    assert o.reviewed_by == home["manager"] and o.reviewed_at is not None

    page.get_by_role("link", name="The checks and their sources").click()
    expect(page.locator("#interaction-warning")).to_contain_text("this list is not complete")
    expect(page.locator("#ingredient-limits")).to_contain_text("BNF")
    _fits(page)
    assert csp_violations(page) == []
