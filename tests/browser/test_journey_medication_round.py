"""The 08:00 medication round in a real browser, on a tablet: a senior carer opens "Medication round", gives
Peggy's co-careldopa (time-critical, highlighted), records that she refused her lactulose with the reason,
is stopped from giving her co-codamol (the paracetamol in it and in her PRN paracetamol would pass 4 g in
24 hours) and from a PRN paracetamol dose given too soon, with the reasons shown, then opens the MAR chart and
prints it (a PDF). No Content-Security-Policy violations, nothing wider than the tablet."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.helpers import csp_violations, log_in
from tests.medication.conftest import formulary, order
from writecarenotes.medication.models import Administration
from writecarenotes.platform.tenancy.scope import acting_for
from writecarenotes.residents.models import Resident

pytestmark = pytest.mark.browser

TABLET = {"width": 800, "height": 1280}
LONDON = ZoneInfo("Europe/London")


class _World:
    pass


@pytest.fixture
def home(transactional_db, monkeypatch):
    today = timezone.localdate()
    now = datetime.combine(today, datetime.min.time(), tzinfo=LONDON).replace(hour=8, minute=10)
    monkeypatch.setattr(timezone, "now", lambda: now)
    org = f.organisation("Meadow Care")
    oak = f.home(org, name="Oak Lodge", nation="england", care_type="nursing")
    unit, room = f.unit_with_room(oak, unit_name="Ground floor", room_number="1")
    peggy = f.resident(oak, unit=unit, room=room, family="Evans", given="Margaret Ann", preferred_name="Peggy")
    with acting_for([oak]):
        Resident.objects.filter(pk=peggy.pk).update(no_known_allergies=True)
    sam = f.user("sam.senior@example.test", name="Sam Senior")
    f.member(sam, "senior_carer", home=oak)
    nurse = f.user("nina.nurse@example.test", name="Nina Nurse")
    f.member(nurse, "nurse", home=oak)
    w = _World()
    w.home, w.resident, w.users = oak, peggy, {"nurse": nurse, "senior_carer": sam}
    meds = formulary(oak)
    cocareldopa = order(w, meds.cocareldopa, times=["08:00", "14:00"])
    lactulose = order(w, meds.lactulose, dose="10", times=["08:00"])
    prn = order(
        w,
        meds.paracetamol,
        is_prn=True,
        dose="1",
        dose_max="2",
        prn_indication="Pain or fever",
        prn_min_interval_minutes=240,
        prn_max_doses_24h=4,
    )
    with acting_for([oak]):
        Administration.objects.create(
            home=oak,
            order=prn,
            resident=peggy,
            outcome="given",
            dose=Decimal("2"),
            administered_at=now - timedelta(hours=2),
            recorded_at=now - timedelta(hours=2),
            recorded_by=nurse,
        )
        # 3.5 g of paracetamol since yesterday morning: the regular co-codamol (1 g more) would pass 4 g
        for hours, tablets in ((7, 2), (12, 2), (16, 1)):
            Administration.objects.create(
                home=oak,
                order=prn,
                resident=peggy,
                outcome="given",
                dose=Decimal(tablets),
                administered_at=now - timedelta(hours=hours),
                recorded_at=now - timedelta(hours=hours),
                recorded_by=nurse,
            )
    cocodamol = order(w, meds.cocodamol, dose="2", times=["08:00"])
    return {
        "home": oak,
        "peggy": peggy,
        "cocareldopa": cocareldopa,
        "lactulose": lactulose,
        "prn": prn,
        "cocodamol": cocodamol,
    }


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]


def test_a_senior_carer_runs_the_morning_round(page_for, home):
    page = page_for(**TABLET)
    log_in(page, "sam.senior@example.test")
    page.get_by_role("link", name="Medication round").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Medication round")
    expect(page.locator("#round-heading")).to_contain_text("08:00")
    peggy = page.locator(f"#resident-{home['peggy'].pk}")
    expect(peggy).to_contain_text("Peggy Evans")
    critical = page.locator(f"#dose-{home['cocareldopa'].pk}")
    expect(critical).to_have_class("dose critical")
    expect(critical).to_contain_text("Time-critical")
    _fits(page)

    critical.get_by_role("button", name="Given").click()
    expect(page.locator(f"#dose-{home['cocareldopa'].pk} [data-state]")).to_have_attribute("data-state", "recorded")
    expect(page.locator(f"#dose-{home['cocareldopa'].pk}")).to_contain_text("Given")

    lact = page.locator(f"#dose-{home['lactulose'].pk}")
    lact.locator("summary").click()
    lact.locator("select[name=not_given_outcome]").select_option("refused")
    lact.get_by_role("button", name="Record not given").click()
    expect(page.locator(f"#dose-{home['lactulose'].pk} [role=alert]")).to_contain_text(
        "Choose the reason the dose was not given."
    )
    lact = page.locator(f"#dose-{home['lactulose'].pk}")
    lact.locator("select[name=reason_code]").select_option("refused")
    lact.locator("input[name=note]").fill("Said she is not constipated")
    lact.get_by_role("button", name="Record not given").click()
    expect(page.locator(f"#dose-{home['lactulose'].pk} [data-state]")).to_have_attribute("data-state", "recorded")
    expect(page.locator(f"#dose-{home['lactulose'].pk}")).to_contain_text("Refused")

    # co-codamol: 1 g more paracetamol would make 4.5 g in 24 hours across the two products: refused
    co = page.locator(f"#dose-{home['cocodamol'].pk}")
    co.get_by_role("button", name="Given").click()
    expect(page.locator(f"#dose-{home['cocodamol'].pk} [role=alert]")).to_contain_text("Paracetamol: 3.5 g")
    expect(page.locator(f"#dose-{home['cocodamol'].pk} [role=alert]")).to_contain_text("4.5 g")

    page.locator(f"#resident-{home['peggy'].pk} .prn-list > summary").click()
    prn = page.locator(f"#prn-{home['prn'].pk}")
    expect(prn).to_contain_text("Next dose from")
    prn.locator("input[name=dose]").fill("2")
    prn.get_by_role("button", name="Given").click()
    expect(page.locator(f"#prn-{home['prn'].pk} [role=alert]")).to_contain_text("4 h")
    _fits(page)
    with acting_for([home["home"]]):
        assert Administration.objects.filter(order=home["prn"]).count() == 4
        assert not Administration.objects.filter(order=home["cocodamol"]).exists()
        assert Administration.objects.get(order=home["lactulose"]).reason_code == "refused"

    page.locator(f"#resident-{home['peggy'].pk}").get_by_role("link", name="MAR chart").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("MAR chart")
    expect(page.locator("#mar-allergies")).to_contain_text("No known allergies")
    expect(page.locator("#mar-grid")).to_contain_text("Lactulose")
    expect(page.locator("#mar-key")).to_contain_text("A = Refused")
    _fits(page)
    href = page.locator("#mar-print").get_attribute("href")
    pdf = page.context.request.get(href)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    assert csp_violations(page) == []
