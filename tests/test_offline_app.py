"""The installable web app: manifest, service worker, offline page, and the queue's status in the page shell."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from writecarenotes.platform.web import offline

WEB = Path(offline.__file__).parent


def _csp(response) -> str:
    return response["Content-Security-Policy"]


def _strict(csp: str) -> None:
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def _sw_config(body: str) -> dict:
    first_line = body.splitlines()[0]
    assert first_line.startswith("self.WCN_SW = ") and first_line.endswith(";")
    return json.loads(first_line.removeprefix("self.WCN_SW = ").removesuffix(";"))


def test_the_service_worker_is_served_from_the_root_with_a_site_wide_scope(db):
    response = Client().get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    _strict(_csp(response))
    config = _sw_config(response.content.decode())
    assert re.fullmatch(r"wcn-shell-[0-9a-f]{12}", config["cache"])
    assert config["offline"] == "/offline/"
    wanted = {"/static/wcn/app.css", "/static/wcn/offline.js", "/static/wcn/icon.svg", "/offline/"}
    assert set(config["shell"]) >= wanted


def test_the_service_worker_caches_only_the_shell_never_pages_or_api_data(db):
    config = _sw_config(Client().get("/sw.js").content.decode())
    for url in config["shell"]:
        assert url == "/offline/" or url.startswith("/static/"), url
        assert not url.startswith("/api/")
    source = (WEB / "static" / "wcn" / "sw.js").read_text()
    assert "cache.put" not in source  # nothing is added at run time: only the versioned shell list
    assert 'request.method !== "GET"' in source  # posts are never intercepted


def test_every_shell_file_exists_so_the_worker_installs(db):
    for name in offline.SHELL_STATIC:
        assert finders.find(name), name
    assert Client().get("/offline/").status_code == 200


def test_the_cache_version_changes_when_a_shell_file_changes(db, monkeypatch, tmp_path):
    before = offline._shell_version()
    changed = tmp_path / "app.css"
    changed.write_text("body { color: red; }")
    real_find = finders.find
    monkeypatch.setattr(
        finders, "find", lambda name, *a, **k: str(changed) if name == "wcn/app.css" else real_find(name)
    )
    assert offline._shell_version() != before


def test_the_manifest_makes_the_app_installable(db):
    response = Client().get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == "WriteCareNotes" and data["short_name"]
    assert data["start_url"] == "/" and data["scope"] == "/" and data["display"] == "standalone"
    css = (WEB / "static" / "wcn" / "app.css").read_text()
    assert f"--brand: {data['theme_color']};" in css
    assert f"--wash: {data['background_color']};" in css
    (icon,) = data["icons"]
    assert icon == {"src": "/static/wcn/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"}
    assert finders.find("wcn/icon.svg")


def test_the_offline_page_holds_no_personal_data(world, client_for):
    carer = world.users["carer"]
    response = client_for(carer).get("/offline/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "No connection" in html
    assert "will be sent when the connection returns" in html
    assert carer.display_name not in html and carer.email not in html
    assert "Evans" not in html and world.home.name not in html
    assert 'data-user=""' in html  # the offline page never sends anyone's queue
    assert "style=" not in html
    _strict(_csp(response))


@pytest.fixture
def dashboard_html(world, client_for):
    response = client_for(world.users["carer"]).get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_every_signed_in_page_loads_the_queue_and_shows_its_status(world, dashboard_html):
    html = dashboard_html
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert re.search(r'<script src="/static/wcn/offline\.js" defer></script>', html)
    assert re.search(r'<p id="offline-queue" class="offline-queue" role="status" hidden></p>', html)
    assert f'data-user="{world.users["carer"].pk}"' in html
    assert 'data-login-url="/account/login/"' in html


def test_the_queue_messages_are_translated_text_in_a_json_block_not_inline_script(dashboard_html):
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", dashboard_html, re.S)
    for attrs, _body in scripts:
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs  # no inline JavaScript
    block = re.search(r'<script type="application/json" id="wcn-offline-i18n">(.*?)</script>', dashboard_html, re.S)
    strings = json.loads(block.group(1))
    assert strings["saved"] == "Saved on this device — waiting to send ({n})"
    assert "{n}" in strings["login"] and "Log in again" in strings["login"]
    assert "style=" not in dashboard_html


def test_the_log_in_page_registers_the_worker_but_shows_no_queue(db):
    html = Client().get("/account/login/").content.decode()
    assert "/static/wcn/offline.js" in html
    assert 'id="offline-queue"' not in html


def test_the_new_routes_are_public_and_marked(db):
    for view in (offline.service_worker, offline.manifest, offline.offline_page):
        assert view.wcn_permission == ("public",)
    assert Client().post("/sw.js").status_code == 405


@pytest.mark.two_factor
def test_the_app_shell_loads_before_the_second_factor(world, client_for):
    c = client_for(world.users["carer"])  # signed in, not yet verified with a second factor
    assert c.get("/residents/").status_code == 302  # resident data waits for the second factor
    for path in ("/sw.js", "/manifest.webmanifest", "/offline/"):
        assert c.get(path).status_code == 200, path
