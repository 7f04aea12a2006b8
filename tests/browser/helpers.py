"""Steps shared by the browser journeys."""

from __future__ import annotations

from tests import factories as f


def csp_violations(page) -> list[str]:
    """Console messages about Content-Security-Policy violations (collected by ``page_for``)."""
    return [m for m in page.wcn_console if "Content Security Policy" in m or "Content-Security-Policy" in m]


def log_in(page, email: str, password: str = f.PASSWORD) -> None:
    """Sign in through the log-in page (two-factor is off unless the test turns it on)."""
    page.goto("/account/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
