"""The landing dashboard of every role, on the demo organisation: true facts, no invented numbers."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from writecarenotes.demo import data
from writecarenotes.demo.admin import create_provider_admin
from writecarenotes.demo.build import ensure_demo
from writecarenotes.platform.identity.capabilities import ROLES, role_can
from writecarenotes.platform.identity.models import User
from writecarenotes.platform.tenancy.models import CareHome, Room, Unit
from writecarenotes.platform.tenancy.scope import acting_for
from writecarenotes.residents.models import Resident


@pytest.fixture
def demo(db, monkeypatch):
    """The demo's people, homes and log-ins; its weeks of history (daily records, assessments, care
    plans, pathways, incidents) are built only by test_demo.py's ``full_demo`` test: they cost tens of
    seconds a build, and the dashboard's facts do not depend on them."""
    from writecarenotes.demo import build

    monkeypatch.setattr(build, "DEMO_SEEDS", [])
    monkeypatch.setattr(build, "CARE_RECORD_DAYS", 2)
    org = ensure_demo(quiet=True)
    homes = {h.nation: h for h in CareHome.objects.filter(organisation=org)}
    return {"org": org, "oak": homes["england"], "celyn": homes["wales"]}


@pytest.fixture
def as_user(client_for):
    def make(local: str, home: str | None = None):
        c = client_for(User.objects.get(email=f"{local}@{data.EMAIL_DOMAIN}"))
        if home is not None:
            assert c.post("/home/switch/", {"home": home, "next": "/"}).status_code == 302
        return c

    return make


def _main(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<main id="main"') : html.index("</main>")]


def _panel(html: str, panel_id: str) -> str:
    start = html.index(f'id="{panel_id}"')
    return html[start : html.index("</section>", start)]


def _fact(html: str, label: str) -> str:
    m = re.search(rf"<dt>{re.escape(label)}</dt><dd[^>]*>([^<]*)</dd>", html)
    assert m, f"no fact {label!r}"
    return m.group(1)


def _truth(home):
    with acting_for([home]):
        residents = Resident.objects.filter(home=home)
        return {
            "occupied": residents.filter(status="in_residence", room__isnull=False).count(),
            "away": residents.filter(status="temporarily_absent").count(),
            "units": Unit.objects.filter(home=home).count(),
            "rooms": Room.objects.filter(home=home).count(),
            "by_unit": {
                u.name: residents.filter(unit=u, status="in_residence").count() for u in Unit.objects.filter(home=home)
            },
        }


def test_a_nurse_sees_the_facts_of_her_home(demo, as_user):
    html = _main(as_user("nurse.oak").get("/"))
    truth = _truth(demo["oak"])
    assert "<h1>Oak Lodge Nursing Home</h1>" in html
    assert _fact(html, "Nation") == "England"
    assert _fact(html, "Regulator") == "Care Quality Commission (CQC)"
    assert _fact(html, "Registration number") == "1-1029384756"
    assert _fact(html, "Care type") == "Nursing"
    assert _fact(html, "Registered beds") == "40"
    assert _fact(html, "Units") == str(truth["units"]) == "2"
    assert _fact(html, "Rooms") == f"{truth['rooms']} (40 beds)"
    assert _fact(html, "Occupied beds") == str(truth["occupied"]) == "36"
    assert _fact(html, "Beds kept for residents away") == str(truth["away"]) == "1"
    residents = _panel(html, "panel-residents")
    assert '<p class="stat">36</p>' in residents
    assert "1 temporarily away" in residents and "1 enquiry" in residents
    for unit, count in truth["by_unit"].items():
        assert re.search(rf"<th scope=\"row\">{re.escape(unit)}</th>\s*<td>{count}</td>", residents), unit
    assert 'href="/residents/"' in residents
    role = _panel(html, "panel-role")
    assert "<strong>Nurse</strong> for Oak Lodge Nursing Home" in role
    assert '<a href="/residents/">Residents</a>' in role
    assert "Rota" in role.split("Planned, not built yet")[1]
    assert '<a href="/medication/round/">Medication</a>' in role.split("Planned, not built yet")[0]
    assert "Payroll" not in role  # not a nurse's business
    assert "Tŷ Celyn" not in html


def test_the_welsh_registered_manager_sees_ty_celyn(demo, as_user):
    html = _main(as_user("rm.celyn").get("/"))
    truth = _truth(demo["celyn"])
    assert "<h1>Tŷ Celyn Residential Home</h1>" in html
    assert _fact(html, "Nation") == "Wales"
    assert _fact(html, "Regulator") == "Care Inspectorate Wales (CIW)"
    assert _fact(html, "Registration number") == "SIN-00012345-CELN"
    assert _fact(html, "Care type") == "Residential (personal care)"
    assert _fact(html, "Registered beds") == "24"
    assert _fact(html, "Occupied beds") == str(truth["occupied"]) == "21"
    assert "Llawr gwaelod / Ground floor" in _panel(html, "panel-residents")
    assert "Oak Lodge" not in html


def test_provider_admin_sees_every_home_in_all_homes_mode(demo, as_user):
    c = as_user("admin")
    assert "<h1>Oak Lodge Nursing Home</h1>" in _main(c.get("/"))  # first home until they choose
    html = _main(as_user("admin", home="all").get("/"))
    assert "<h1>All homes</h1>" in html
    homes = _panel(html, "panel-homes")
    for home in (demo["oak"], demo["celyn"]):
        truth = _truth(home)
        row = homes[homes.index(f'<th scope="row">{home.name}</th>') :].split("</tr>")[0]
        cells = re.findall(r"<td>([^<]*)", row)
        assert home.registration_number in row
        assert cells[3:] == [
            str(home.registered_beds),
            str(truth["units"]),
            str(truth["rooms"]),
            str(truth["occupied"]),
            str(truth["away"]),
        ]
    residents = _panel(html, "panel-residents")
    assert '<p class="stat">57</p>' in residents
    assert "Tŷ Celyn Residential Home" in residents and "Oak Lodge Nursing Home" in residents


def test_the_deputy_switches_between_her_two_homes(demo, as_user):
    c = as_user("deputy")
    assert "<h1>Oak Lodge Nursing Home</h1>" in _main(c.get("/"))
    assert c.post("/home/switch/", {"home": str(demo["celyn"].pk), "next": "/"}).status_code == 302
    html = _main(c.get("/"))
    assert "<h1>Tŷ Celyn Residential Home</h1>" in html
    assert _fact(html, "Regulator") == "Care Inspectorate Wales (CIW)"
    # not "all homes": a home role does not see the organisation at once
    assert c.post("/home/switch/", {"home": "all", "next": "/"}).status_code == 403


def test_a_family_member_is_told_plainly_what_is_planned_and_sees_no_numbers(demo, as_user):
    html = _main(as_user("family.oak").get("/"))
    assert "The family portal is not built yet" in html
    assert 'href="/services/"' in html
    assert 'class="stat"' not in html
    assert "Occupied beds" not in html
    assert "panel-residents" not in html
    assert not re.search(r">\s*\d+\s*<", html), "no figures at all for a family member yet"


@pytest.mark.parametrize("local", [local for _, _, local, _ in data.USERS])
def test_each_role_sees_only_its_panels_and_every_link_works(demo, as_user, local):
    role = next(r for r, _, loc, _ in data.USERS if loc == local)
    c = as_user(local)
    html = _main(c.get("/"))
    assert ("panel-residents" in html) == role_can(role, "residents", "view")
    assert ("panel-home" in html) == role_can(role, "homes", "view")
    panel = _panel(html, "panel-role")
    assert f"<strong>{ROLES[role].label}</strong>" in panel
    now = panel.split("Planned, not built yet")[0]
    for href in re.findall(r'href="([^"]+)"', now):
        assert c.get(href).status_code == 200, (local, href)
    if "Planned, not built yet" in panel:
        assert 'href="/services/"' in panel


def test_dashboard_query_count_does_not_grow_with_the_home(demo, as_user, django_assert_max_num_queries):
    def count(c) -> int:
        c.get("/")
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/").status_code == 200
        return len(ctx.captured_queries)

    nurse, admin = as_user("nurse.oak"), as_user("admin", home="all")
    before = (count(nurse), count(admin))
    for n in range(5):
        unit, room = f.unit_with_room(demo["oak"], unit_name=f"Annexe {n}", room_number=f"A{n}")
        f.resident(demo["oak"], unit=unit, room=room, family=f"Annexe{n}", nhs_number="9434765919")
    assert (count(nurse), count(admin)) == before
    # a nurse's panels include medication's: reconciliations due, alerts and PRN effect checks, fridges
    # (readings out of range, fridges not read today) and stock to count, controlled drug discrepancies
    with django_assert_max_num_queries(19):
        nurse.get("/")
    # the manager's panels include incidents: those to complete (1 query) and every overdue obligation
    # (one query per kind of step: follow-ups, notifications, duties, investigations, actions), and the
    # safety overrides to review
    with django_assert_max_num_queries(22):
        admin.get("/")


def test_a_new_provider_admin_without_homes_gets_a_working_dashboard(db, client_for):
    user = create_provider_admin("owner@newcare.example.org", "Nadia Owner", "New Care Ltd", "a-long-pass-phrase-9")
    html = _main(client_for(user).get("/"))
    assert "not linked to any care home" in html
