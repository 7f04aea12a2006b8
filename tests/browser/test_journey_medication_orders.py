"""Reconciling a new resident's medicines in a real browser, on a tablet: a nurse opens the resident's
page, follows "Medicines", starts the admission reconciliation with the sources she checked, first forgets
to say what the source says (refused next to the field), then lists a medicine brought in as a new order
and a second one to query with the GP, completes the reconciliation and sees the new order on the
resident's medicines record. No Content-Security-Policy violations, nothing wider than the tablet."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.helpers import csp_violations, log_in
from tests.medication.conftest import formulary
from writecarenotes.medication.models import MedicationOrder, Reconciliation
from writecarenotes.platform.tenancy.scope import acting_for
from writecarenotes.residents.models import Resident

pytestmark = pytest.mark.browser

TABLET = {"width": 820, "height": 1180}


@pytest.fixture
def home(transactional_db):
    org = f.organisation("Meadow Care")
    oak = f.home(org, name="Oak Lodge", nation="england", care_type="nursing")
    unit, room = f.unit_with_room(oak, unit_name="Ground floor", room_number="1")
    peggy = f.resident(oak, unit=unit, room=room, family="Evans", given="Margaret Ann", preferred_name="Peggy")
    Resident.unscoped.filter(pk=peggy.pk).update(no_known_allergies=True)
    nurse = f.user("nina.nurse@example.test", name="Nina Nurse")
    f.member(nurse, "nurse", home=oak)
    meds = formulary(oak)
    return {"home": oak, "peggy": peggy, "nurse": nurse, "meds": meds}


def _no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]


def test_a_nurse_reconciles_a_new_residents_medicines(page_for, home):
    page = page_for(**TABLET)
    log_in(page, "nina.nurse@example.test")
    peggy, meds = home["peggy"], home["meds"]
    page.goto(f"/residents/{peggy.pk}/")
    page.locator("#main").get_by_role("link", name="Medicines", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Medicines: Peggy Evans")
    page.get_by_role("link", name="Reconcile medicines").click()
    page.select_option("select[name=occasion]", "admission")
    page.locator("input[name=sources_checked][value=gp_record]").check()
    page.locator("input[name=sources_checked][value=brought_in]").check()
    page.get_by_role("button", name="Start the reconciliation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Medicines reconciliation: Peggy Evans")
    _no_horizontal_scroll(page)

    form = page.locator("#line-form")
    form.locator("select[name=medicine_id]").select_option(str(meds.cocareldopa.pk))
    form.locator("select[name=decision]").select_option("new")
    form.locator("input[name=line_reason]").fill("Brought in; on the GP's repeat list")
    form.locator("input[name=prescriber]").fill("Dr A Patel")
    form.locator("input[name=dose]").fill("1")
    form.locator("input[name=times]").fill("08:00, 14:00, 20:00")
    form.get_by_role("button", name="Add to the list").click()
    expect(page.locator("#id_sources_errors, .errorlist").first).to_be_visible()  # no source said anything
    expect(page.locator("#line-form input[name=times]")).to_have_value("08:00, 14:00, 20:00")  # answers kept

    form = page.locator("#line-form")
    form.locator("input[name=src_gp_record]").fill("Co-careldopa 25/100 one tablet 8am 2pm 8pm")
    form.locator("input[name=src_brought_in]").fill("Box of 84, same directions")
    form.get_by_role("button", name="Add to the list").click()
    expect(page.locator("#recon-lines")).to_contain_text("Co-careldopa 25 mg/100 mg tablets")

    form = page.locator("#line-form")
    form.locator("select[name=medicine_id]").select_option(str(meds.lactulose.pk))
    form.locator("select[name=decision]").select_option("query")
    form.locator("input[name=line_reason]").fill("Family say she stopped it last month")
    form.locator("input[name=src_resident_family]").fill("Stopped a month ago")
    form.get_by_role("button", name="Add to the list").click()
    expect(page.locator("#recon-lines")).to_contain_text("Query with the GP")
    _no_horizontal_scroll(page)

    page.get_by_role("button", name="Complete the reconciliation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Medicines: Peggy Evans")
    expect(page.locator("#regular")).to_contain_text("Co-careldopa 25 mg/100 mg tablets")
    expect(page.locator("#regular")).to_contain_text("08:00, 14:00, 20:00")
    expect(page.locator("#regular")).to_contain_text("time-critical")
    expect(page.locator("#regular")).not_to_contain_text("Lactulose")
    _no_horizontal_scroll(page)
    with acting_for([home["home"]]):
        recon = Reconciliation.objects.get()
        assert recon.status == "completed" and recon.completed_by == home["nurse"]
        assert sorted(recon.sources_checked) == ["brought_in", "gp_record", "resident_family"]
        assert MedicationOrder.objects.get().medicine == meds.cocareldopa
    assert csp_violations(page) == []
