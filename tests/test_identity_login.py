"""Log-in by e-mail, password reset, lock-out, session limits and "log out everywhere"."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from django.test import Client

from tests import factories as f
from writecarenotes.platform.identity import services

LOGIN = "/account/login/"


def _login(client: Client, email: str, password: str = f.PASSWORD):
    return client.post(LOGIN, {"username": email, "password": password})


def _logged_out(client: Client) -> bool:
    """What the user notices: their account page sends them to the log-in page."""
    r = client.get("/account/")
    return r.status_code == 302 and r["Location"].startswith(LOGIN)


# --- Log-in ------------------------------------------------------------------------------


def test_login_page_has_labelled_email_and_password_fields(db):
    html = Client().get(LOGIN).content.decode()
    assert '<label for="id_username">E-mail address</label>' in html
    assert '<label for="id_password">Password</label>' in html
    assert 'type="email" name="username"' in html
    assert 'autocomplete="current-password"' in html
    assert "Forgotten your password?" in html


def test_login_with_email_any_case_and_argon2_hashes(world):
    user = world.users["carer"]
    assert user.password.startswith("argon2")
    c = Client()
    r = _login(c, user.email.upper())
    assert r.status_code == 302 and r["Location"] == "/"
    assert "Oak Lodge" in c.get("/").content.decode()


def test_wrong_password_gives_a_friendly_message_not_which_part_was_wrong(world):
    r = _login(Client(), world.users["carer"].email, "wrong-password-here")
    assert r.status_code == 200
    assert "That e-mail address and password do not match an active account." in r.content.decode()
    r = _login(Client(), "nobody@example.test", "wrong-password-here")
    assert "That e-mail address and password do not match an active account." in r.content.decode()


def test_deactivated_user_cannot_log_in(world):
    user = world.users["carer"]
    user.is_active = False
    user.save()
    r = _login(Client(), user.email)
    assert r.status_code == 200
    assert "do not match an active account" in r.content.decode()


def test_login_keeps_the_chosen_home_in_the_session(world):
    user = f.user("both@example.test", name="Dee Both")
    f.member(user, "deputy_manager", home=world.home)
    f.member(user, "deputy_manager", home=world.other_home)
    c = Client()
    _login(c, user.email)
    r = c.post("/home/switch/", {"home": str(world.other_home.pk), "next": "/"})
    assert r.status_code == 302
    html = c.get("/").content.decode()
    assert f'<option value="{world.other_home.pk}" selected>' in html


# --- Lock-out (django-axes) ---------------------------------------------------------------


def test_five_failures_lock_the_account_on_this_device_with_a_friendly_page(world):
    user = world.users["nurse"]
    c = Client()
    for _ in range(4):
        r = _login(c, user.email, "not-the-password")
        assert r.status_code == 200
    r = _login(c, user.email, "not-the-password")
    assert r.status_code in (403, 429)
    html = r.content.decode()
    assert "Too many attempts" in html
    assert "wait 15 minutes" in html
    # Even the right password is refused while locked out, without a server error.
    r = _login(c, user.email)
    assert r.status_code in (403, 429)
    assert "Too many attempts" in r.content.decode()
    assert _logged_out(c)
    # Another account from the same address is not locked (username + IP).
    r = _login(Client(), world.users["carer"].email)
    assert r.status_code == 302


def test_lockout_is_per_address_too(world):
    user = world.users["nurse"]
    for _ in range(5):
        _login(Client(REMOTE_ADDR="10.0.0.1"), user.email, "not-the-password")
    r = Client(REMOTE_ADDR="10.0.0.2").post(LOGIN, {"username": user.email, "password": f.PASSWORD})
    assert r.status_code == 302


# --- Password reset -----------------------------------------------------------------------


def test_password_reset_does_not_reveal_whether_an_account_exists(world):
    r1 = Client().post("/account/password-reset/", {"email": "nobody@example.test"})
    r2 = Client().post("/account/password-reset/", {"email": world.users["carer"].email})
    assert r1.status_code == r2.status_code == 302
    assert r1["Location"] == r2["Location"] == "/account/password-reset/sent/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.users["carer"].email]
    page = Client().get("/account/password-reset/sent/").content.decode()
    assert "If that address belongs to an account" in page


def test_password_reset_link_sets_a_new_password_once_and_ends_old_sessions(world, client_for):
    user = world.users["carer"]
    old_session = client_for(user)
    assert old_session.get("/account/").status_code == 200
    Client().post("/account/password-reset/", {"email": user.email})
    link = re.search(r"http://testserver(/account/password-reset/\S+/\S+/)", mail.outbox[0].body).group(1)
    c = Client()
    r = c.get(link)
    assert r.status_code == 302  # Django swaps the token for a session marker
    form_url = r["Location"]
    assert "Choose a new password" in c.get(form_url).content.decode()
    new = "a-much-better-passphrase-42"
    r = c.post(form_url, {"new_password1": new, "new_password2": "different-passphrase-42"})
    assert "password" in r.content.decode().lower() and r.status_code == 200
    r = c.post(form_url, {"new_password1": new, "new_password2": new})
    assert r.status_code == 302 and r["Location"] == "/account/password-reset/done/"
    assert _login(Client(), user.email, new).status_code == 302
    assert _logged_out(old_session)
    # The link works once.
    r = Client().get(link, follow=True)
    assert r.status_code == 404 and "This link does not work" in r.content.decode()


def test_password_reset_form_field_is_labelled_and_errors_inline(db):
    c = Client()
    html = c.get("/account/password-reset/").content.decode()
    assert '<label for="id_email">E-mail address</label>' in html
    r = c.post("/account/password-reset/", {"email": "not an address"})
    assert r.status_code == 200
    assert "Enter a valid email address." in r.content.decode()


# --- Session limits -----------------------------------------------------------------------


def _age_session(client: Client, *, started_ago: float | None = None, seen_ago: float | None = None):
    session = client.session
    now = time.time()
    if started_ago is not None:
        session["wcn_started"] = now - started_ago
    if seen_ago is not None:
        session["wcn_seen"] = now - seen_ago
    session.save()


def test_idle_session_ends_after_the_idle_timeout(world, client_for, settings):
    c = client_for(world.users["carer"])
    assert c.get("/account/").status_code == 200
    idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
    _age_session(c, seen_ago=idle - 60)
    assert c.get("/account/").status_code == 200  # still within the limit, and activity renews it
    _age_session(c, seen_ago=idle + 60)
    assert _logged_out(c)
    html = c.get(LOGIN).content.decode()
    assert "You were logged out because the session ended." in html


def test_background_polling_does_not_keep_a_session_alive(world, client_for, settings):
    c = client_for(world.users["carer"])
    c.get("/account/")
    idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
    _age_session(c, seen_ago=idle - 60)
    c.get("/account/", headers={"X-WCN-Background": "1"})
    _age_session(c, seen_ago=None)
    assert c.session["wcn_seen"] < time.time() - idle + 120


def test_session_ends_after_the_absolute_lifetime_even_when_active(world, client_for, settings):
    c = client_for(world.users["carer"])
    c.get("/account/")
    lifetime = settings.SESSION_ABSOLUTE_LIFETIME.total_seconds()
    _age_session(c, started_ago=lifetime - 60, seen_ago=10)
    assert c.get("/account/").status_code == 200
    _age_session(c, started_ago=lifetime + 60, seen_ago=10)
    assert _logged_out(c)


# --- Log out everywhere -------------------------------------------------------------------


def test_log_out_everywhere_ends_every_session_and_token(world, client_for):
    user = world.users["registered_manager"]
    phone, desktop = client_for(user), client_for(user)
    issued = services.create_api_token(user, home=world.home, name="Pharmacy", capabilities=["residents:view"], days=30)
    api = Client(headers={"Authorization": f"Bearer {issued.raw}"})
    assert api.get("/api/v1/platform/me").status_code == 200
    r = desktop.post("/account/sessions/logout-everywhere/")
    assert r.status_code == 302 and r["Location"] == LOGIN
    assert "logged out on every device" in desktop.get(LOGIN).content.decode()
    assert _logged_out(desktop)
    assert _logged_out(phone)
    assert api.get("/api/v1/platform/me").status_code == 401
    # Logging in again works, with a fresh session.
    assert _login(Client(), user.email).status_code == 302


def test_log_out_everywhere_needs_post(world, client_for):
    c = client_for(world.users["carer"])
    assert c.get("/account/sessions/logout-everywhere/").status_code == 405
    assert c.get("/account/").status_code == 200


def test_profile_page_shows_name_email_and_links(world, client_for):
    user = world.users["nurse"]
    html = client_for(user).get("/account/").content.decode()
    assert user.full_name in html and user.email in html
    for url in ("/account/two-factor/", "/account/tokens/", "/account/sessions/logout-everywhere/"):
        assert url in html


@pytest.mark.parametrize("url", ["/account/", "/account/tokens/", "/account/two-factor/", "/users/"])
def test_anonymous_visitors_are_sent_to_log_in(db, url):
    r = Client().get(url)
    assert r.status_code == 302 and r["Location"].startswith(LOGIN)
