"""The platform journey in a real browser: log in with two-factor, switch home, open the dashboard,
see only permitted navigation, log out. Plus the log-in page on a phone."""

from __future__ import annotations

import base64
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.helpers import csp_violations, log_in

pytestmark = pytest.mark.browser


def code_for(key: bytes) -> str:
    return f"{totp(key):06d}"


class Homes:
    """One organisation with two homes, a resident in each, and the people of the journey."""

    def __init__(self):
        org = f.organisation("Meadow Care")
        self.oak = f.home(org, name="Oak Lodge", nation="england", care_type="nursing")
        self.celyn = f.home(org, name="Ty Celyn", nation="wales", care_type="residential")
        unit, room = f.unit_with_room(self.oak)
        cunit, croom = f.unit_with_room(self.celyn, unit_name="Celyn", room_number="A1")
        f.resident(self.oak, unit=unit, room=room, family="Evans")
        f.resident(self.celyn, unit=cunit, room=croom, family="Pritchard", nhs_number="9990000026")
        self.deputy = f.user("dana.deputy@example.test", name="Dana Deputy")
        f.member(self.deputy, "deputy_manager", home=self.oak)
        f.member(self.deputy, "deputy_manager", home=self.celyn)


@pytest.fixture
def homes(transactional_db) -> Homes:
    return Homes()


def nav_labels(page) -> list[str]:
    return [t.strip() for t in page.locator("nav.site-nav a").all_inner_texts()]


def switch_home_and_log_out(page, homes: Homes) -> None:
    """From the dashboard of Oak Lodge: switch to Ty Celyn, check the residents list, log out."""
    expect(page.locator("h1")).to_have_text("Oak Lodge")
    expect(page.locator("#active-home")).to_have_value(str(homes.oak.pk))
    page.locator("nav.site-nav").get_by_role("link", name="Residents").click()
    expect(page.locator("main")).to_contain_text("Evans")
    expect(page.locator("main")).not_to_contain_text("Pritchard")

    # The select submits itself (app.js, data-autosubmit) and comes back to the same list.
    page.select_option("#active-home", label="Ty Celyn")
    page.wait_for_url(re.compile(r"/residents/$"))
    expect(page.locator("#active-home")).to_have_value(str(homes.celyn.pk))
    expect(page.locator("main")).to_contain_text("Pritchard")
    expect(page.locator("main")).not_to_contain_text("Evans")

    page.locator("nav.site-nav").get_by_role("link", name="Dashboard").click()
    expect(page.locator("h1")).to_have_text("Ty Celyn")

    page.locator("header").get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/account/login/"))
    expect(page.locator("h1")).to_have_text("Log in")
    page.goto("/")
    page.wait_for_url(re.compile(r"/account/login/\?next=/$"))
    expect(page.locator("#active-home")).to_have_count(0)
    assert csp_violations(page) == []


@pytest.mark.two_factor
def test_journey_with_a_confirmed_authenticator(page_for, homes):
    device = TOTPDevice.objects.create(user=homes.deputy, name="Phone", confirmed=True)
    page = page_for()
    log_in(page, homes.deputy.email)

    page.wait_for_url(re.compile(r"/account/two-factor/verify/"))
    page.fill("input[name=otp_token]", code_for(device.bin_key))
    page.locator("main form").first.locator("button[type=submit]").click()

    page.wait_for_url(re.compile(r"/$"))
    switch_home_and_log_out(page, homes)


@pytest.mark.two_factor
def test_journey_enrolling_an_authenticator_at_first_log_in(page_for, homes):
    page = page_for()
    log_in(page, homes.deputy.email)

    page.wait_for_url(re.compile(r"/account/two-factor/setup/"))
    secret = page.locator("#totp-secret").inner_text().strip().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("input[name=otp_token]", code_for(key))
    page.locator("main form").first.locator("button[type=submit]").click()

    page.wait_for_url(re.compile(r"/account/two-factor/recovery-codes/"))
    expect(page.locator("main li").first).to_be_visible()
    page.get_by_role("link", name="I have saved these").click()

    page.wait_for_url(re.compile(r"/$"))
    assert TOTPDevice.objects.filter(user=homes.deputy, confirmed=True).count() == 1
    switch_home_and_log_out(page, homes)


def test_navigation_shows_only_what_the_role_may_use(page_for, homes):
    carer = f.user("carl.carer@example.test", name="Carl Carer")
    f.member(carer, "carer", home=homes.oak)
    manager = f.user("rita.manager@example.test", name="Rita Manager")
    f.member(manager, "registered_manager", home=homes.oak)

    page = page_for()
    log_in(page, carer.email)
    expect(page.locator("h1")).to_have_text("Oak Lodge")
    labels = nav_labels(page)
    assert "Residents" in labels
    assert "Who can do what" not in labels
    page.goto("/access/")
    expect(page.locator("h1")).not_to_have_text("Who can do what")

    other = page_for()
    log_in(other, manager.email)
    expect(other.locator("h1")).to_have_text("Oak Lodge")
    labels = nav_labels(other)
    assert "Residents" in labels and "Who can do what" in labels
    other.locator("nav.site-nav").get_by_role("link", name="Who can do what").click()
    expect(other.locator("h1")).to_be_visible()
    assert other.url.endswith("/access/")
    assert csp_violations(page) == [] and csp_violations(other) == []


def test_the_log_in_page_fits_a_phone(page_for, transactional_db):
    page = page_for(width=390, height=844)
    page.goto("/account/login/")
    expect(page.locator("input[name=username]")).to_be_visible()
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"horizontal scroll: page is {widths[0]}px wide on a {widths[1]}px screen"
    buttons = page.locator("button:visible, a.button:visible, input[type=submit]:visible")
    assert buttons.count() >= 1
    for i in range(buttons.count()):
        box = buttons.nth(i).bounding_box()
        assert box is not None and box["height"] >= 44, f"{buttons.nth(i).inner_text()!r} is {box} (< 44px high)"
    for field in ("username", "password"):
        # Every input has a label the browser associates with it.
        assert page.get_by_label(re.compile(".+")).and_(page.locator(f"input[name={field}]")).count() == 1
    assert csp_violations(page) == []
