"""Offline at the point of care, in a real browser on a phone-sized screen.

The Wi-Fi drops; the carer records entries; the header says they are waiting; the connection
returns; each entry reaches the server exactly once and in order. Most tests run against a tiny
test form (this module is also the URL configuration they use), so the queue is proven on its
own; the last test drives the real quick-note page of care records.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.contrib.sessions.models import Session
from django.http import HttpResponse, HttpResponseRedirect
from django.template import engines
from django.urls import include, path
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.test_journey_platform import csp_violations, log_in
from writecarenotes.platform.identity.permissions import signed_in
from writecarenotes.platform.tenancy.models import Unit
from writecarenotes.platform.tenancy.scope import acting_for
from writecarenotes.platform.tenancy.services import create_unit
from writecarenotes.platform.web.idempotent_forms import idempotent_form

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
FORM_URL = "/offline-test/entries/new/"

_FORM = engines["django"].from_string(
    """{% extends "web/base.html" %}{% block content %}
<h1>Test entry</h1>
{% if error %}<ul class="errorlist"><li>{{ error }}</li></ul>{% endif %}
<form method="post" action="/offline-test/entries/new/" data-offline="care-entry" novalidate>{% csrf_token %}
  <label for="id_category">Category</label>
  <select id="id_category" name="category">
    <option value="mood">Mood</option><option value="social">Social</option>
  </select>
  <label for="id_text">Note</label><textarea id="id_text" name="text"></textarea>
  <label for="id_occurred_at">Time of care</label>
  <input type="datetime-local" id="id_occurred_at" name="occurred_at" value="{{ now }}">
  <input type="hidden" name="idempotency_key" value="{{ key }}">
  <button type="submit">Save note</button>
</form>{% endblock %}"""
)
_DONE = engines["django"].from_string(
    """{% extends "web/base.html" %}{% block content %}<h1>Entries</h1>{% endblock %}"""
)


@signed_in
@idempotent_form
def new_entry(request):
    """Saves "<category>: <text>" as a unit name of the active home (a real row, in a real transaction)."""
    error = ""
    if request.method == "POST":
        text = request.POST.get("text", "").strip()
        if text:
            create_unit(home=request.access.active_home, name=f"{request.POST['category']}: {text}")
            response = HttpResponseRedirect("/offline-test/entries/")
            response.status_code = 303
            return response
        error = "Write what happened."
    context = {"now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "key": uuid.uuid4(), "error": error}
    return HttpResponse(_FORM.render(context, request), status=422 if error else 200)


@signed_in
def entries(request):
    return HttpResponse(_DONE.render({}, request))


def __getattr__(name: str):
    """This module is also the URL configuration of its tests: the routes above plus the site's.
    Built lazily, so a service that fails to import fails the tests that need it, not collection."""
    if name == "urlpatterns":
        return [
            path("offline-test/entries/new/", new_entry),
            path("offline-test/entries/", entries),
            path("", include("writecarenotes.urls")),
        ]
    raise AttributeError(name)


class Home:
    def __init__(self):
        org = f.organisation("Meadow Care")
        self.home = f.home(org, name="Oak Lodge", nation="england", care_type="nursing")
        self.unit, self.room = f.unit_with_room(self.home)
        self.resident = f.resident(self.home, unit=self.unit, room=self.room, family="Evans")
        self.carer = f.user("carl.carer@example.test", name="Carl Carer")
        f.member(self.carer, "carer", home=self.home)

    def saved(self) -> list[str]:
        with acting_for([self.home]):
            return [n for n in Unit.objects.order_by("pk").values_list("name", flat=True) if ": " in n]


@pytest.fixture
def oak(transactional_db, settings) -> Home:
    settings.ROOT_URLCONF = __name__
    return Home()


def _record(page, text: str, category: str = "Mood") -> None:
    page.select_option("#id_category", label=category)
    page.fill("#id_text", text)
    page.get_by_role("button", name="Save note").click()


def _queue(page):
    return page.locator("#offline-queue")


def test_entries_made_offline_are_sent_once_and_in_order_when_the_wifi_returns(page_for, oak):
    page = page_for(**PHONE)
    log_in(page, oak.carer.email)
    page.goto(FORM_URL)
    expect(_queue(page)).to_be_hidden()
    first_key = page.locator("input[name=idempotency_key]").input_value()

    page.context.set_offline(True)
    assert page.evaluate("navigator.onLine") is False
    _record(page, "Settled after lunch, chatting with her daughter")
    expect(_queue(page)).to_have_text("Saved on this device — waiting to send (1)")
    expect(page.locator("#id_text")).to_have_value("")  # cleared for the next entry
    assert page.locator("input[name=idempotency_key]").input_value() != first_key  # a new key per entry
    _record(page, "Declined the afternoon walk", category="Social")
    expect(_queue(page)).to_contain_text("waiting to send (2)")
    assert oak.saved() == []  # nothing reached the server
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"horizontal scroll on a phone: {widths}"
    box = page.get_by_role("button", name="Save note").bounding_box()
    assert box["height"] >= 44

    queued = page.evaluate("wcnOffline.entries()")
    assert [e["state"] for e in queued] == ["waiting", "waiting"]
    assert "csrfmiddlewaretoken" not in queued[0]["fields"]

    page.context.set_offline(False)
    expect(_queue(page)).to_have_attribute("data-count", "0")
    expect(_queue(page)).to_have_text("All saved entries have been sent.")
    assert oak.saved() == [
        "mood: Settled after lunch, chatting with her daughter",
        "social: Declined the afternoon walk",
    ]

    # The same queued entry sent again (a retry after a lost answer, a second tab): still once.
    for _ in range(2):
        outcome = page.evaluate(
            """async (entry) => {
                const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
                const r = await wcnOffline.send(entry, token);
                return [r.status, r.headers.get("Idempotent-Replayed"), r.headers.get("X-WCN-Location")];
            }""",
            queued[0],
        )
        assert outcome == [204, "true", "/offline-test/entries/"]
    assert len(oak.saved()) == 2
    assert csp_violations(page) == []


def test_online_the_form_posts_as_usual_and_lands_on_the_saved_page(page_for, oak):
    page = page_for(**PHONE)
    log_in(page, oak.carer.email)
    page.goto(FORM_URL)
    _record(page, "Ate all of her breakfast")
    page.wait_for_url(re.compile(r"/offline-test/entries/$"))
    expect(page.locator("h1")).to_have_text("Entries")
    assert oak.saved() == ["mood: Ate all of her breakfast"]

    page.goto(FORM_URL)
    _record(page, "")  # refused by the server: the page shows its field message as usual
    expect(page.locator(".errorlist")).to_have_text("Write what happened.")
    assert oak.saved() == ["mood: Ate all of her breakfast"]
    assert csp_violations(page) == []


def test_when_the_wifi_says_connected_but_the_request_fails_the_entry_is_kept(page_for, oak):
    page = page_for(**PHONE, service_workers="block")  # the failure is faked with page.route()
    log_in(page, oak.carer.email)
    page.goto(FORM_URL)
    page.route("**/offline-test/entries/new/", lambda route: route.abort("internetdisconnected"))
    assert page.evaluate("navigator.onLine") is True
    _record(page, "Recorded in the room with no signal")
    expect(_queue(page)).to_have_text("Saved on this device — waiting to send (1)")
    assert oak.saved() == []

    page.unroute("**/offline-test/entries/new/")
    page.evaluate("wcnOffline.flush()")
    expect(_queue(page)).to_have_attribute("data-count", "0")
    assert oak.saved() == ["mood: Recorded in the room with no signal"]


def test_a_refused_entry_is_kept_in_a_visible_list_until_dismissed(page_for, oak):
    page = page_for(**PHONE)
    log_in(page, oak.carer.email)
    page.goto(FORM_URL)
    page.context.set_offline(True)
    _record(page, "")  # the server will refuse this one
    _record(page, "Good evening, watched the quiz")
    expect(_queue(page)).to_contain_text("waiting to send (2)")

    page.context.set_offline(False)
    rejected = page.locator("#offline-rejected")
    expect(rejected).to_be_visible()
    expect(rejected).to_contain_text("Could not be sent")
    expect(rejected).to_contain_text("Write what happened.")
    expect(_queue(page)).to_have_attribute("data-count", "0")
    assert oak.saved() == ["mood: Good evening, watched the quiz"]  # the good one still went, once

    page.reload()  # still there after a reload: never dropped silently
    expect(page.locator("#offline-rejected")).to_contain_text("Write what happened.")
    page.locator("#offline-rejected").get_by_role("button", name="Dismiss").click()
    expect(page.locator("#offline-rejected")).to_be_hidden()
    assert page.evaluate("wcnOffline.entries()") == []


def test_when_the_session_ends_offline_entries_wait_for_the_carer_to_log_in_again(page_for, oak):
    page = page_for(**PHONE)
    log_in(page, oak.carer.email)
    page.goto(FORM_URL)
    page.context.set_offline(True)
    _record(page, "Night check: asleep, comfortable")
    expect(_queue(page)).to_contain_text("waiting to send (1)")

    Session.objects.all().delete()  # the session ended while the phone was offline
    page.context.set_offline(False)
    expect(_queue(page)).to_contain_text("Log in again, then your 1 saved entries will be sent.")
    assert oak.saved() == []

    _queue(page).get_by_role("link", name="Log in").click()
    page.fill("input[name=username]", oak.carer.email)
    page.fill("input[name=password]", f.PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator("#offline-queue")).to_have_attribute("data-count", "0")
    assert oak.saved() == ["mood: Night check: asleep, comfortable"]


def test_entries_are_never_sent_under_someone_elses_name(page_for, oak):
    page = page_for(**PHONE)
    log_in(page, oak.carer.email)
    page.goto(FORM_URL)
    page.context.set_offline(True)
    _record(page, "Recorded by Carl")
    expect(_queue(page)).to_contain_text("waiting to send (1)")
    context = page.context
    page.close()  # Carl's shift ends with the phone still offline; his session expires
    Session.objects.all().delete()
    context.set_offline(False)

    colleague = f.user("cora.carer@example.test", name="Cora Carer")
    f.member(colleague, "carer", home=oak.home)
    shared = context.new_page()
    shared.wcn_console = []
    log_in(shared, colleague.email)
    expect(shared.locator("#offline-queue")).to_contain_text("1 entries saved on this device by someone else")
    shared.evaluate("wcnOffline.flush()")
    assert oak.saved() == []  # not sent as Cora

    shared.locator("header").get_by_role("button", name="Log out").click()
    log_in(shared, oak.carer.email)
    expect(shared.locator("#offline-queue")).to_have_attribute("data-count", "0")
    assert oak.saved() == ["mood: Recorded by Carl"]


def test_logging_out_with_entries_still_waiting_asks_first(page_for, oak):
    page = page_for(**PHONE)
    log_in(page, oak.carer.email)
    page.goto(FORM_URL)
    page.context.set_offline(True)
    _record(page, "Recorded at the end of the shift")
    expect(_queue(page)).to_contain_text("waiting to send (1)")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator("header").get_by_role("button", name="Log out").click()
    expect(_queue(page)).to_contain_text("waiting to send (1)")
    assert asked and asked[0].startswith("1 saved entries have not been sent yet.")
    assert page.url.endswith(FORM_URL)  # still signed in, on the form

    page.context.set_offline(False)
    expect(_queue(page)).to_have_attribute("data-count", "0")
    assert oak.saved() == ["mood: Recorded at the end of the shift"]


def test_the_quick_note_page_of_care_records_works_offline(page_for, oak):
    from writecarenotes.care_records.models import CareNote

    page = page_for(**PHONE)
    log_in(page, oak.carer.email)
    page.goto(f"/care/residents/{oak.resident.pk}/notes/new/")
    form = page.locator("form[data-offline=care-entry]")
    expect(form).to_be_visible()
    page.context.set_offline(True)
    for text in ("Helped to wash and dress, in good spirits", "Drank a full cup of tea"):
        form.locator("select[name=category]").select_option("mood")
        form.locator("textarea[name=text]").fill(text)
        form.locator("button[type=submit]").click()
        expect(form.locator("textarea[name=text]")).to_have_value("")
    expect(_queue(page)).to_contain_text("waiting to send (2)")

    page.context.set_offline(False)
    expect(_queue(page)).to_have_attribute("data-count", "0")
    with acting_for([oak.home]):
        texts = list(CareNote.objects.filter(resident_id=oak.resident.pk).order_by("pk").values_list("text", flat=True))
    assert texts == ["Helped to wash and dress, in good spirits", "Drank a full cup of tea"]
    assert csp_violations(page) == []


def test_the_installed_app_shell_works_offline_without_keeping_resident_pages(page_for, oak):
    page = page_for(**PHONE)
    log_in(page, oak.carer.email)
    page.goto(FORM_URL)
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => r.active.scriptURL)").endswith("/sw.js")
    page.reload()  # now controlled by the worker
    assert page.evaluate("Boolean(navigator.serviceWorker.controller)")
    cached = page.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys()) {
                for (const req of await (await caches.open(name)).keys()) urls.push(new URL(req.url).pathname);
            }
            return urls;
        }"""
    )
    assert "/offline/" in cached and "/static/wcn/app.css" in cached
    assert all(u == "/offline/" or u.startswith("/static/") for u in cached), cached  # no resident pages

    page.context.set_offline(True)
    _record(page, "Recorded just before walking down the corridor")
    expect(_queue(page)).to_contain_text("waiting to send (1)")  # what the carer sees before walking on
    page.goto(f"/residents/{oak.resident.pk}/")
    expect(page.locator("h1")).to_have_text("No connection")
    expect(page.locator("main")).not_to_contain_text("Evans")
    expect(page.locator("#offline-queue")).to_have_text("Waiting to send (1)")  # the entry is safe
    page.goto(FORM_URL)  # visited before, but pages are never kept: the offline page again
    expect(page.locator("h1")).to_have_text("No connection")

    page.context.set_offline(False)
    page.goto(FORM_URL)
    expect(_queue(page)).to_have_attribute("data-count", "0")
    assert oak.saved() == ["mood: Recorded just before walking down the corridor"]
    assert csp_violations(page) == []
