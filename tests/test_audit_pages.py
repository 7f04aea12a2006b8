"""The audit page, its CSV export and API: filters, scope, permissions; denied attempts and sign-ins."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories as f
from writecarenotes.platform.audit.models import AuditRecord
from writecarenotes.platform.audit.services import acting_as_system, record_change, record_read, verify


def _read(resident, home, part="profile", label=""):
    with acting_as_system("test fixture"):
        return record_read("residents.resident", resident.pk, home=home, part=part, label=label)


def _main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


@pytest.fixture
def rows(world):
    """A read in Oak Lodge (home), one in Ty Celyn (other home), one in another organisation."""
    _read(world.resident, world.home, part="medication", label="Margaret Evans")
    _read(world.other_home_resident, world.other_home, part="profile", label="Pritchard")
    _read(world.foreign_resident, world.foreign_home, part="profile", label="MacLeod")
    return world


def test_denied_attempt_is_recorded(world, client_for):
    carer = world.users["carer"]
    r = client_for(carer).get("/audit/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="CheapPhone/1.0")
    assert r.status_code == 403
    rec = AuditRecord.objects.get(kind="denied")
    assert rec.action == "denied audit:view"
    assert (rec.actor_id, rec.actor_email, rec.home_id) == (carer.pk, carer.email, world.home.pk)
    assert (rec.ip, rec.user_agent) == ("10.1.2.3", "CheapPhone/1.0")
    assert rec.after == {"path": "/audit/", "method": "GET"}
    assert rec.request_id == r["X-Request-ID"]


def test_manager_sees_only_their_homes_records(rows, client_for):
    c = client_for(rows.users["registered_manager"])
    html = c.get("/audit/").content.decode()
    assert "Margaret Evans" in html and "medication" in html
    assert "Pritchard" not in html and "MacLeod" not in html
    body = c.get("/audit/export.csv").content.decode()
    assert "medication" in body and "Pritchard" not in body and "MacLeod" not in body
    items = c.get("/api/v1/audit/records?kind=read").json()["items"]
    assert {i["home_id"] for i in items} == {rows.home.pk}


def test_provider_admin_sees_every_home_of_the_organisation_only(rows, client_for):
    c = client_for(rows.users["provider_admin"])
    c.post("/home/switch/", {"home": "all", "next": "/"})
    html = c.get("/audit/?kind=read").content.decode()
    assert "Margaret Evans" in html and "Pritchard" in html
    assert "MacLeod" not in html


def test_organisation_level_records_are_hidden_from_home_managers(world, client_for):
    with acting_as_system("test"), transaction.atomic():
        record_change("organisation.rename", target=world.org, before={"name": "Old"}, after={"name": "Meadow Care"})
    rec = AuditRecord.objects.get(action="organisation.rename")
    assert rec.chain == f"org:{world.org.pk}" and rec.home_id is None
    assert "organisation.rename" not in client_for(world.users["registered_manager"]).get("/audit/").content.decode()
    assert "organisation.rename" in client_for(world.users["provider_admin"]).get("/audit/").content.decode()


def test_filters_by_resident_user_date_and_action(rows, client_for):
    w = rows
    # Another read of Oak Lodge by the nurse, through the real request context.
    nurse = client_for(w.users["nurse"])
    nurse.get("/audit/")  # denied: the nurse has no audit:view
    other = f.resident(w.home, family="Hughes", nhs_number="9990000042")
    _read(other, w.home, part="profile", label="Huw Hughes")
    c = client_for(w.users["registered_manager"])

    html = _main(c.get(f"/audit/?resident={w.resident.pk}").content.decode())
    assert "Margaret Evans" in html and "Huw Hughes" not in html
    html = _main(c.get("/audit/?resident=hughes").content.decode())
    assert "Huw Hughes" in html and "Margaret Evans" not in html

    html = _main(c.get("/audit/?user=nurse@").content.decode())
    assert "denied audit:view" in html and "Margaret Evans" not in html

    html = _main(c.get("/audit/?kind=denied").content.decode())
    assert "nurse@example.test" in html and "Huw Hughes" not in html
    html = _main(c.get("/audit/?action=denied").content.decode())
    assert "nurse@example.test" in html

    today = timezone.localdate()
    assert "Huw Hughes" in _main(c.get(f"/audit/?date_from={today}&date_to={today}").content.decode())
    tomorrow = today + timedelta(days=1)
    html = _main(c.get(f"/audit/?date_from={tomorrow}").content.decode())
    assert "No audit records match." in html


def test_bad_filter_shows_a_field_message_not_an_error(world, client_for):
    c = client_for(world.users["registered_manager"])
    r = c.get("/audit/?date_from=2025-02-10&date_to=2025-02-01")
    assert r.status_code == 200
    assert "The end date must be on or after the start date." in r.content.decode()
    r = c.get("/audit/?date_from=not-a-date")
    assert r.status_code == 200 and 'aria-invalid="true"' in r.content.decode()
    api = c.get("/api/v1/audit/records?date_from=2025-02-10&date_to=2025-02-01")
    assert api.status_code == 422
    assert api.json()["errors"][0]["field"] == "date_to"


def test_csv_export_has_the_filtered_rows_and_is_itself_audited(rows, client_for):
    c = client_for(rows.users["registered_manager"])
    r = c.get(f"/audit/export.csv?resident={rows.resident.pk}")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert "attachment" in r["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert [(t["action"], t["part"], t["subject"]) for t in table] == [
        ("residents.resident.read", "medication", f"residents.resident:{rows.resident.pk}")
    ]
    export = AuditRecord.objects.get(part="csv export")
    assert export.actor_email == rows.users["registered_manager"].email
    assert export.home_id == rows.home.pk and "1 rows" in export.subject_label


def test_csv_cells_cannot_run_as_formulas(world, client_for):
    with acting_as_system("test"), transaction.atomic():
        record_change("x.y", target=world.unit, before=None, after=None, reason='=HYPERLINK("http://evil")')
    body = client_for(world.users["registered_manager"]).get("/audit/export.csv").content.decode()
    assert "'=HYPERLINK" in body


def test_inspector_can_read_the_page_but_it_has_no_write_actions(rows, client_for):
    r = client_for(rows.users["inspector"]).get("/audit/")
    assert r.status_code == 200
    main = _main(r.content.decode())
    assert "Margaret Evans" in main
    assert not re.search(r'<form[^>]*method="post"', main, re.I)
    assert re.search(r'<form[^>]*method="get"', main, re.I)


def test_audit_page_is_in_the_menu_for_managers_only(world, client_for):
    assert 'href="/audit/"' in client_for(world.users["deputy_manager"]).get("/").content.decode()
    assert 'href="/audit/"' not in client_for(world.users["senior_carer"]).get("/").content.decode()


def test_page_query_count_does_not_grow_with_rows(world, client_for):
    c = client_for(world.users["registered_manager"])
    for _ in range(3):
        _read(world.resident, world.home)
    c.get("/audit/")  # the first request of a session also writes it
    with CaptureQueriesContext(connection) as few:
        assert c.get("/audit/").status_code == 200
    for _ in range(30):
        _read(world.resident, world.home)
    with CaptureQueriesContext(connection) as many:
        assert c.get("/audit/").status_code == 200
    assert len(many) == len(few)


def test_api_lists_filtered_records(rows, client_for):
    c = client_for(rows.users["deputy_manager"])
    r = c.get(f"/api/v1/audit/records?resident={rows.resident.pk}&limit=10")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["part"], item["subject_id"], item["kind"]) == ("medication", str(rows.resident.pk), "read")
    assert client_for(rows.users["carer"]).get("/api/v1/audit/records").status_code == 403


def test_sign_in_success_failure_and_logout_are_recorded(world, client):
    nurse = world.users["nurse"]
    r = client.post("/account/login/", {"username": nurse.email, "password": "wrong password!"}, REMOTE_ADDR="10.9.9.9")
    assert r.status_code == 200
    r = client.post("/account/login/", {"username": "nobody@example.test", "password": "whatever12345"})
    r = client.post("/account/login/", {"username": nurse.email, "password": f.PASSWORD})
    assert r.status_code == 302
    client.post("/account/logout/")
    got = list(AuditRecord.objects.filter(kind="auth").order_by("id").values_list("action", "actor_email", "home_id"))
    assert got == [
        ("auth.login_failed", nurse.email, world.home.pk),
        ("auth.login_failed", "nobody@example.test", None),
        ("auth.login", nurse.email, world.home.pk),
        ("auth.logout", nurse.email, world.home.pk),
    ]
    failed = AuditRecord.objects.filter(action="auth.login_failed").order_by("id").first()
    assert failed.ip == "10.9.9.9"
    assert "wrong password" not in str(failed.after) and "wrong password" not in failed.hash
    assert AuditRecord.objects.get(actor_email="nobody@example.test").chain == "global"
    assert all(rep.ok for rep in verify())
