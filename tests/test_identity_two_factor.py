"""Two-factor log-in: enrolment with a QR code, verification, recovery codes, status page."""

from __future__ import annotations

import base64
import re
import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories as f
from writecarenotes.platform.identity import services

pytestmark = pytest.mark.two_factor

LOGIN = "/account/login/"
SETUP = "/account/two-factor/setup/"
VERIFY = "/account/two-factor/verify/"


def code_from_secret(secret: str, steps_ahead: int = 0) -> str:
    """What the phone app shows for a base32 secret (optionally for a later 30-second step)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def _secret_on_page(html: str) -> str:
    return re.search(r'id="totp-secret"[^>]*>([A-Z2-7]+)<', html).group(1)


def _login(client: Client, user) -> None:
    r = client.post(LOGIN, {"username": user.email, "password": f.PASSWORD})
    assert r.status_code == 302, r.content.decode()[:500]


def _enrol(user) -> tuple[TOTPDevice, list[str]]:
    device = services.start_enrolment(user)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    codes = services.confirm_enrolment(user, device, code_from_secret(secret))
    device.refresh_from_db()
    return device, codes


@pytest.fixture
def nurse(db):
    org = f.organisation()
    home = f.home(org, name="Oak Lodge")
    user = f.user("nurse2fa@example.test", name="Nia Nurse")
    f.member(user, "nurse", home=home)
    return user


def test_first_log_in_enrols_with_a_qr_code_then_shows_recovery_codes_once(nurse, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    c = Client()
    _login(c, nurse)
    r = c.get("/residents/")
    assert r.status_code == 302 and r["Location"].startswith(SETUP)
    page = c.get(r["Location"])
    html = page.content.decode()
    assert '<label for="id_otp_token">6-digit code</label>' in html
    assert 'name="otp_token"' in html
    # The QR code is inline SVG with no style attributes (strict CSP), plus the typed secret.
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert "style" not in svg and "data:" not in svg
    assert "unsafe-inline" not in page["Content-Security-Policy"]
    secret = _secret_on_page(html)
    # A wrong code gives a field message.
    r = c.post(r["Location"], {"otp_token": "000000" if code_from_secret(secret) != "000000" else "111111"})
    assert r.status_code == 200
    assert "That code did not match" in r.content.decode()
    # Re-opening the page keeps the same secret (the app already scanned it).
    assert _secret_on_page(c.get(SETUP).content.decode()) == secret
    r = c.post(SETUP + "?next=/residents/", {"otp_token": code_from_secret(secret, 1), "next": "/residents/"})
    assert r.status_code == 302 and r["Location"] == "/account/two-factor/recovery-codes/"
    html = c.get(r["Location"]).content.decode()
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", html)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "I have saved these" in html and 'href="/residents/"' in html
    # Shown once only.
    r = c.get("/account/two-factor/recovery-codes/")
    assert r.status_code == 302 and r["Location"] == "/account/two-factor/"
    # The session is verified: protected pages open.
    assert c.get("/residents/").status_code == 200


def test_returning_user_must_enter_a_code_at_log_in(nurse, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device, _codes = _enrol(nurse)
    c = Client()
    r = c.post(LOGIN + "?next=/residents/", {"username": nurse.email, "password": f.PASSWORD, "next": "/residents/"})
    assert r.status_code == 302 and r["Location"].startswith(VERIFY)
    assert c.get("/residents/")["Location"].startswith(VERIFY)
    html = c.get(r["Location"]).content.decode()
    assert '<label for="id_otp_token">6-digit code</label>' in html
    r = c.post(VERIFY + "?next=/residents/", {"otp_token": "12345"})
    assert r.status_code == 200 and "That code did not work" in r.content.decode()
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    r = c.post(VERIFY + "?next=/residents/", {"otp_token": code_from_secret(secret, 1)})
    assert r.status_code == 302 and r["Location"] == "/residents/"
    assert c.get("/residents/").status_code == 200


def test_verify_ignores_next_pointing_to_another_site(nurse):
    device, _ = _enrol(nurse)
    c = Client()
    _login(c, nurse)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    r = c.post(VERIFY + "?next=https://evil.example/", {"otp_token": code_from_secret(secret, 1)})
    assert r.status_code == 302 and r["Location"] == "/"


def test_a_recovery_code_works_once(nurse, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    _device, codes = _enrol(nurse)
    c = Client()
    _login(c, nurse)
    r = c.post(VERIFY, {"otp_token": codes[0].upper()[:4] + " " + codes[0].upper()[4:]})
    assert r.status_code == 302
    assert "9 recovery codes are left" in c.get("/account/").content.decode()
    other = Client()
    _login(other, nurse)
    r = other.post(VERIFY, {"otp_token": codes[0]})
    assert r.status_code == 200 and "That code did not work" in r.content.decode()
    assert other.get("/residents/")["Location"].startswith(VERIFY)


def test_api_refuses_an_unverified_session(nurse):
    _enrol(nurse)
    c = Client()
    _login(c, nurse)
    assert c.get("/api/v1/residents/").status_code == 401


def test_unverified_session_cannot_make_tokens_or_new_recovery_codes(nurse):
    _device, codes = _enrol(nurse)
    c = Client()
    _login(c, nurse)
    r = c.get("/account/tokens/")
    assert r.status_code == 302 and r["Location"].startswith(VERIFY)
    r = c.post("/account/two-factor/", {"password": f.PASSWORD})
    assert r.status_code == 302 and r["Location"].startswith(VERIFY)
    assert services.recovery_codes_left(nurse) == 10
    # Nor can it enrol a second device of the attacker's choosing.
    r = c.get(SETUP)
    assert r.status_code == 302 and r["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=nurse).count() == 1


def test_status_page_regenerates_recovery_codes_after_password(nurse, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0  # the old code is tried first on purpose
    device, old_codes = _enrol(nurse)
    c = Client()
    _login(c, nurse)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    c.post(VERIFY, {"otp_token": code_from_secret(secret, 1)})
    html = c.get("/account/two-factor/").content.decode()
    assert "Each log-in asks for a code" in html and "10 unused recovery codes" in html
    assert '<label for="id_password">Your password</label>' in html
    r = c.post("/account/two-factor/", {"password": "wrong"})
    assert r.status_code == 200 and "That is not your current password." in r.content.decode()
    r = c.post("/account/two-factor/", {"password": f.PASSWORD})
    assert r.status_code == 302
    new_codes = re.findall(r"<li>([a-z2-7]{8})</li>", c.get(r["Location"]).content.decode())
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    # The old codes no longer work.
    assert services.verify_second_factor(nurse, old_codes[1]).device is None
    assert services.verify_second_factor(nurse, new_codes[1]).device is not None


def test_status_page_for_someone_not_enrolled(nurse):
    c = Client()
    _login(c, nurse)
    html = c.get("/account/two-factor/").content.decode()
    assert "You have not set up two-factor log-in yet." in html


def test_inspectors_read_resident_records_so_they_need_a_second_factor_too(db):
    org = f.organisation()
    home = f.home(org)
    inspector = f.user("insp@example.test")
    f.member(inspector, "inspector", home=home)
    c = Client()
    _login(c, inspector)
    r = c.get("/residents/")
    assert r.status_code == 302
    assert r["Location"].startswith("/account/two-factor/setup/")


def test_two_factor_off_switch_lets_everyone_in(nurse, settings):
    settings.TWO_FACTOR_REQUIRED = False
    c = Client()
    _login(c, nurse)
    r = c.get("/residents/")
    assert r.status_code == 200
    assert "two-factor authentication is switched off" in r.content.decode()


def test_guessing_codes_is_slowed_down_with_a_clear_message(nurse):
    device, _ = _enrol(nurse)
    c = Client()
    _login(c, nurse)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    good = code_from_secret(secret, 1)
    bad = "000000" if good != "000000" else "111111"
    c.post(VERIFY, {"otp_token": bad})
    r = c.post(VERIFY, {"otp_token": good})  # at once: throttled, even though the code is right
    assert r.status_code == 200
    assert "Too many wrong codes" in r.content.decode()
    assert c.get("/residents/")["Location"].startswith(VERIFY)


def test_verifying_gives_a_new_session_id(nurse):
    device, _ = _enrol(nurse)
    c = Client()
    _login(c, nurse)
    before = c.session.session_key
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    c.post(VERIFY, {"otp_token": code_from_secret(secret, 1)})
    assert c.session.session_key != before
    assert c.get("/residents/").status_code == 200
