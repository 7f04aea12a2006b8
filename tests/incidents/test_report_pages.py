"""Reporting pages: the phone form (field errors, nothing written; the resident preselected; a carer and a
kitchen assistant can report, family cannot see incidents), the incident page (facts, people, injuries,
photos, history; reading it is audited), corrections (nurse or manager, with a reason), closing (refused
with the open steps listed), the list (filters, badges, no query per incident), the resident's links and
care journey, and the dashboard panel of incidents to complete."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.incidents.conftest import in_home, report
from writecarenotes.incidents import obligations
from writecarenotes.incidents.models import Incident, IncidentPhoto
from writecarenotes.incidents.obligations import OpenStep
from writecarenotes.platform.audit.models import AuditRecord

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("report_only")]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def form_data(world, **over) -> dict:
    data = {
        "kind": "fall",
        "residents": [str(world.resident.pk)],
        "occurred_at": timezone.localtime(timezone.now() - timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"),
        "unit": str(world.unit.pk),
        "location": "Room 1, by the bed",
        "what_happened": "Found on the floor by the bed.",
        "immediate_actions": "Nurse called, not moved until checked.",
        "severity": "moderate",
        "witnessed": "no",
        "head_struck": "yes",
        "injury_1_location": "head_back",
        "injury_1_kind": "head_injury",
        "injury_1_description": "Bump, 2 cm",
        "person_1_kind": "staff",
        "person_1_role": "witness",
        "person_1_name": "Chris Carer",
        "person_1_statement": "Heard a bang.",
        "medical_attention": "none",
        "unexpected_or_unintended": "on",
    }
    data.update(over)
    return data


@pytest.mark.parametrize("role", ["carer", "kitchen", "nurse"])
def test_staff_report_from_the_form(world, client_for, role):
    client = client_for(world.users[role])
    page = client.get(f"/incidents/report/?resident={world.resident.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "For the manager / nurse" in html and 'data-offline="care-entry"' in html
    assert f'<option value="{world.resident.pk}" selected>' in html
    response = client.post("/incidents/report/", form_data(world))
    assert response.status_code == 303, response.content.decode()[:2000]
    incident = Incident.unscoped.get()
    assert response["Location"] == f"/incidents/{incident.pk}/"
    assert incident.witnessed is False and incident.head_struck is True and incident.reported_by == world.users[role]
    assert incident.unit_id == world.unit.pk
    with in_home(world.home):
        assert [i.body_location for i in incident.injuries.all()] == ["head_back"]
        assert sorted(p.role for p in incident.people.all()) == ["affected", "witness"]


def test_form_errors_are_shown_next_to_the_fields_and_nothing_is_written(world, client_for):
    client = client_for(world.users["carer"])
    future = timezone.localtime(timezone.now() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/incidents/report/",
        form_data(world, residents=[], occurred_at=future, what_happened="", injury_2_kind="bruise"),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Describe what happened." in html or "This field is required." in html
    assert "Give where on the body and the kind of injury." in html
    assert not Incident.unscoped.exists()
    response = client.post("/incidents/report/", form_data(world, residents=[], occurred_at=future))
    html = response.content.decode()
    assert response.status_code == 422
    assert "The time it happened cannot be in the future." in html
    assert "Choose the resident this happened to." in html
    assert not Incident.unscoped.exists()


def test_family_cannot_see_incidents(world, client_for):
    incident = report(world)
    family = client_for(world.users["family"])
    assert family.get("/incidents/").status_code == 403
    assert family.get(f"/incidents/{incident.pk}/").status_code == 403
    assert family.get("/incidents/report/").status_code == 403


def test_the_incident_page_shows_everything_and_reading_it_is_audited(world, client_for):
    incident = report(
        world,
        witnessed=False,
        head_struck=True,
        injuries=[{"body_location": "head_back", "kind": "head_injury", "description": "Bump"}],
        people=[{"role": "witness", "kind": "visitor", "name": "Mrs Evans", "statement": "Heard a thud."}],
    )
    client = client_for(world.users["carer"])
    html = client.get(f"/incidents/{incident.pk}/").content.decode()
    for text in (incident.reference, "Head (back)", "Head injury", "Mrs Evans", "Heard a thud.", "History"):
        assert text in html
    assert "Correct the facts" not in html and "Close the incident" not in html  # a carer does neither
    assert AuditRecord.objects.filter(
        kind="read", subject_id=str(world.resident.pk), part=f"incident {incident.reference}"
    ).exists()
    manager_html = client_for(world.users["registered_manager"]).get(f"/incidents/{incident.pk}/").content.decode()
    assert "Correct the facts" in manager_html and "Close the incident" in manager_html


def test_another_homes_incident_is_not_found(world, client_for):
    elsewhere = report(world, home=world.other_home, resident=world.other_home_resident)
    assert client_for(world.users["nurse"]).get(f"/incidents/{elsewhere.pk}/").status_code == 404


def test_a_nurse_corrects_with_a_reason_and_a_carer_may_not(world, client_for):
    incident = report(world)
    assert client_for(world.users["carer"]).get(f"/incidents/{incident.pk}/correct/").status_code == 403
    nurse = client_for(world.users["nurse"])
    page = nurse.get(f"/incidents/{incident.pk}/correct/")
    assert page.status_code == 200
    data = form_data(world, severity="severe", version="1", reason="")
    data["serious_injury_tests"] = ["body_structure"]
    refused = nurse.post(f"/incidents/{incident.pk}/correct/", data)
    assert refused.status_code == 422 and "This field is required." in refused.content.decode()
    data["reason"] = "X-ray showed a fractured wrist."
    saved = nurse.post(f"/incidents/{incident.pk}/correct/", data)
    assert saved.status_code == 303
    incident = Incident.unscoped.get(pk=incident.pk)
    assert incident.severity == "severe" and incident.serious_injury_tests == ["body_structure"]
    assert incident.version == 2
    html = nurse.get(f"/incidents/{incident.pk}/").content.decode()
    assert "X-ray showed a fractured wrist." in html
    stale = nurse.post(f"/incidents/{incident.pk}/correct/", {**data, "severity": "low"})
    assert stale.status_code == 422 and "Someone changed this incident" in stale.content.decode()


def test_closing_lists_the_open_steps_then_closes(world, client_for, monkeypatch):
    incident = report(world)
    manager = client_for(world.users["registered_manager"])
    step = OpenStep(incident.pk, incident.reference, "candour", "Write to the family", None, "/duties/1/")
    monkeypatch.setattr(obligations, "open_steps", lambda i: [step])
    page = manager.post(f"/incidents/{incident.pk}/close/", {"summary": "All done.", "version": "1"})
    assert page.status_code == 422
    assert "Write to the family" in page.content.decode()
    assert Incident.unscoped.get(pk=incident.pk).is_open
    monkeypatch.setattr(obligations, "open_steps", lambda i: [])
    assert manager.post(f"/incidents/{incident.pk}/close/", {"summary": "All done.", "version": "1"}).status_code == 303
    assert Incident.unscoped.get(pk=incident.pk).status == "closed"
    assert client_for(world.users["nurse"]).get(f"/incidents/{incident.pk}/close/").status_code == 403


def test_people_injuries_and_photos_are_added_on_the_incident_page(world, client_for):
    incident = report(world)
    carer = client_for(world.users["carer"])
    added = carer.post(
        f"/incidents/{incident.pk}/people/new/",
        {"kind": "visitor", "role": "witness", "name": "Mr Evans", "statement": "Saw her trip."},
    )
    assert added.status_code == 303
    with in_home(world.home):
        affected = incident.people.get(role="affected")
    assert (
        carer.post(
            f"/incidents/{incident.pk}/injuries/new/",
            {"person": affected.pk, "body_location": "left_hand", "kind": "bruise"},
        ).status_code
        == 303
    )
    bad = carer.post(f"/incidents/{incident.pk}/photos/new/", {"photo": SimpleUploadedFile("a.png", b"text")})
    assert bad.status_code == 422 and "Choose a JPEG or PNG photo." in bad.content.decode()
    good = carer.post(
        f"/incidents/{incident.pk}/photos/new/", {"photo": SimpleUploadedFile("a.png", PNG), "caption": "Left hand"}
    )
    assert good.status_code == 303
    photo = IncidentPhoto.unscoped.get()
    served = carer.get(f"/incidents/{incident.pk}/photos/{photo.pk}/")
    assert served.status_code == 200 and served["Cache-Control"] == "private, no-store"
    assert client_for(world.users["family"]).get(f"/incidents/{incident.pk}/photos/{photo.pk}/").status_code == 403
    html = carer.get(f"/incidents/{incident.pk}/").content.decode()
    assert "Mr Evans" in html and "Left hand" in html and "Bruise" in html


def test_the_list_filters_and_costs_the_same_for_many_incidents(world, client_for, django_assert_max_num_queries):
    client = client_for(world.users["nurse"])
    for _ in range(3):
        report(world)
    client.get("/incidents/")  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get("/incidents/").status_code == 200
    for _ in range(12):
        report(world, kind="skin_tear_injury", severity="low")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get("/incidents/").content.decode()
    assert html.count('class="entry card"') == 15
    filtered = client.get("/incidents/?kind=fall&status=open").content.decode()
    assert filtered.count('class="entry card"') == 3
    assert "Page 1 of" not in filtered


def test_the_list_pages_and_the_residents_list(world, client_for):
    client = client_for(world.users["carer"])
    for _ in range(27):
        report(world)
    html = client.get("/incidents/").content.decode()
    assert html.count('class="entry card"') == 25 and "Page 1 of 2" in html
    assert client.get("/incidents/?page=2").content.decode().count('class="entry card"') == 2
    assert client.get(f"/incidents/residents/{world.resident.pk}/").status_code == 200
    assert client.get(f"/incidents/residents/{world.other_home_resident.pk}/").status_code == 404
    assert client.get(f"/incidents/residents/{world.resident.pk}/report/").status_code == 200


def test_the_resident_page_links_and_the_care_journey(world, client_for):
    incident = report(world)
    client = client_for(world.users["nurse"])
    html = client.get(f"/residents/{world.resident.pk}/").content.decode()
    assert f"/incidents/residents/{world.resident.pk}/report/" in html
    journey = client.get(f"/residents/{world.resident.pk}/journey/").content.decode()
    assert incident.reference in journey


def test_incidents_raised_from_a_care_note_are_listed_for_nurses(world, client_for):
    from writecarenotes.incidents.subscribers_report import raise_from_fall_note

    with in_home(world.home):
        raised = raise_from_fall_note(note_id=77, resident_id=world.resident.pk, occurred_at=timezone.now())
    client = client_for(world.users["nurse"])
    assert "Incidents to complete" in client.get("/").content.decode()
    listed = client.get("/incidents/?status=needs_details").content.decode()
    assert raised.reference in listed and "Details to complete" in listed
    assert "Raised from a care note: complete the details." in client.get(f"/incidents/{raised.pk}/").content.decode()


def test_the_sub_domains_panels_render_in_order_and_a_missing_one_is_skipped(world, client_for, monkeypatch):
    import sys
    import types

    from writecarenotes.incidents import views_report

    incident = report(world)
    calls = []

    def fake(sub, html):
        module = types.ModuleType(f"writecarenotes.incidents.views_{sub}")

        def incident_panel(request, i):
            calls.append((sub, i.pk))
            return html

        module.incident_panel = incident_panel
        return module

    client = client_for(world.users["nurse"])
    assert client.get("/incidents/").status_code == 200  # the URLs are loaded with the real modules first
    monkeypatch.setattr(views_report, "PANELS", ("followups", "notifications", "duties", "investigation"))
    monkeypatch.setitem(sys.modules, "writecarenotes.incidents.views_followups", fake("followups", "<p>PANEL-F</p>"))
    monkeypatch.setitem(sys.modules, "writecarenotes.incidents.views_notifications", None)  # not written yet
    monkeypatch.setitem(sys.modules, "writecarenotes.incidents.views_duties", fake("duties", None))
    monkeypatch.setitem(
        sys.modules, "writecarenotes.incidents.views_investigation", fake("investigation", "<p>PANEL-I</p>")
    )
    html = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert html.index("PANEL-F") < html.index("PANEL-I")
    assert calls == [("followups", incident.pk), ("duties", incident.pk), ("investigation", incident.pk)]


def test_a_nurse_completes_an_incident_raised_from_a_care_note(world, client_for):
    from writecarenotes.incidents.subscribers_report import raise_from_fall_note

    with in_home(world.home):
        raised = raise_from_fall_note(
            note_id=78, resident_id=world.resident.pk, occurred_at=timezone.now() - timedelta(minutes=7, seconds=13)
        )
    nurse = client_for(world.users["nurse"])
    page = nurse.get(f"/incidents/{raised.pk}/correct/")
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        occurred_at=form.initial["occurred_at"].strftime("%Y-%m-%dT%H:%M"),
        unit=world.unit.pk,
        witnessed="no",
        head_struck="yes",
        what_happened="Found on the floor by the bed; says she slipped getting up.",
        reason="Details completed after talking to her and the night carer.",
        unexpected_or_unintended="on",
    )
    for name in ("treatment_to_prevent_serious_injury", "abuse_alleged", "police_involved", "disruption_hours"):
        data.pop(name, None)
    saved = nurse.post(f"/incidents/{raised.pk}/correct/", data)
    assert saved.status_code == 303, saved.content.decode()[:3000]
    done = Incident.unscoped.get(pk=raised.pk)
    assert not done.needs_details and done.witnessed is False and done.head_struck is True
    assert done.occurred_at == raised.occurred_at  # shown to the minute, not changed by saving
