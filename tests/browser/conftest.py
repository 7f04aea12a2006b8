"""Browser tests: Debian's chromium driven by Playwright's sync API against pytest-django's live server.

Without a browser these tests SKIP with a message, unless WCN_REQUIRE_BROWSER=1 (set by .ci/run),
in which case they FAIL: CI must never pass by skipping them. The Playwright pip package ships its
own driver; `playwright install` is never needed (nor wanted: no downloaded browsers).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    wanted = os.environ.get("WCN_CHROMIUM") or "/usr/bin/chromium"
    if Path(wanted).is_file() and os.access(wanted, os.X_OK):
        return wanted
    return shutil.which(wanted) if not os.path.isabs(wanted) else None


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    if path is None:
        message = (
            "no chromium at /usr/bin/chromium (or $WCN_CHROMIUM): install it with "
            "`apt-get install chromium` to run the browser tests"
        )
        if os.environ.get("WCN_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " (WCN_REQUIRE_BROWSER=1: browser tests must run here)", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the Django ORM calls made by the
    # test itself (fixtures, assertions) are still synchronous, so Django's async guard is lifted
    # for these tests only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    pw = sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
    finally:
        pw.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page_for(browser, live_server, transactional_db):
    """page_for(width=..., height=...) -> a fresh page (own cookies) on the live server.

    Console messages are collected on ``page.wcn_console`` so tests can assert that the strict
    Content-Security-Policy blocked nothing.
    """
    contexts = []

    def make(width: int = 1280, height: int = 900, service_workers: str = "allow"):
        # service_workers="block" for tests that fake network failures with page.route(): requests a
        # service worker makes are not seen by page.route(), so the fake failure would depend on timing.
        context = browser.new_context(
            viewport={"width": width, "height": height}, base_url=live_server.url, service_workers=service_workers
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.wcn_console = []
        page.on("console", lambda msg: page.wcn_console.append(f"{msg.type}: {msg.text}"))
        return page

    yield make
    for context in contexts:
        context.close()
