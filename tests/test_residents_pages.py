"""Resident pages: overview sections, edit forms with field errors, transitions with
confirmation, the care journey (with other contexts' providers), files behind permissions,
scoping, and query counts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests import factories as f
from writecarenotes.platform.audit.models import AuditRecord
from writecarenotes.platform.tenancy.models import Room
from writecarenotes.platform.tenancy.scope import acting_for
from writecarenotes.residents.models import Resident

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") :]


@pytest.fixture
def manager(world, client_for):
    return client_for(world.users["registered_manager"])


def test_overview_shows_every_section_and_records_the_read(world, client_for):
    c = client_for(world.users["carer"])
    html = main(c.get(f"/residents/{world.resident.pk}/"))
    for heading in (
        "Allergies and resuscitation",
        "Stay",
        "Identity",
        "Health and communication",
        "Next of kin and contacts",
        "About me",
        "Not recorded yet: ask and record",
    ):
        assert heading in html
    # a carer records, but does not manage: no admission/discharge/identity links
    assert "Add an allergy" in html and "Discharge" not in html and "Change identity" not in html
    assert AuditRecord.objects.filter(kind="read", subject_id=str(world.resident.pk), part="profile").exists()


def test_edit_form_shows_field_errors_and_saves_with_reason(world, manager):
    url = f"/residents/{world.resident.pk}/edit/health/"
    page = manager.get(url)
    assert page.status_code == 200 and 'for="id_gp_ods_code"' in page.content.decode()
    r = manager.post(url, {"gp_ods_code": "bad code!", "reason": ""})
    html = r.content.decode()
    assert r.status_code == 422
    assert "This field is required." in html  # reason
    r = manager.post(url, {"gp_ods_code": "bad code!", "reason": "GP letter"})
    assert r.status_code == 422 and "An ODS code is 3 to 8 letters and digits" in r.content.decode()
    r = manager.post(url, {"gp_practice_name": "Oak Surgery", "gp_ods_code": "A81001", "reason": "GP letter"})
    assert r.status_code == 303
    assert "Oak Surgery (A81001)" in main(manager.get(f"/residents/{world.resident.pk}/"))


def test_enquiry_assessment_and_admission_pages(world, manager):
    r = manager.post(
        "/residents/new/",
        {
            "legal_given_names": "Ivy",
            "legal_family_name": "Cole",
            "date_of_birth": "1940-02-03",
            "nhs_number": "943 476 5918",
        },
    )
    assert r.status_code == 422 and "check digit" in r.content.decode()
    r = manager.post(
        "/residents/new/",
        {"legal_given_names": "Ivy", "legal_family_name": "Cole", "date_of_birth": "1940-02-03", "nhs_number": ""},
    )
    assert r.status_code == 303
    with acting_for([world.home]):
        ivy = Resident.objects.get(legal_family_name="Cole")
        free = Room.objects.create(home=world.home, unit=world.unit, number="9", beds=1)
    assert "Ivy Cole" in main(manager.get("/residents/?status=enquiries"))
    r = manager.post(
        f"/residents/{ivy.pk}/pre-admission/",
        {
            "assessed_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "assessed_by": "Ann Lee, RM",
            "summary": "Mobile",
            "outcome": "suitable",
        },
    )
    assert r.status_code == 303
    form = main(manager.get(f"/residents/{ivy.pk}/admit/"))
    assert f'value="{free.pk}"' in form
    assert f'value="{world.room.pk}"' not in form  # the full room is not offered
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    r = manager.post(f"/residents/{ivy.pk}/admit/", {"room": free.pk, "admitted_at": when})
    assert r.status_code == 422 and "This field is required." in r.content.decode()  # confirmation
    r = manager.post(f"/residents/{ivy.pk}/admit/", {"room": free.pk, "admitted_at": when, "confirm": "on"})
    assert r.status_code == 303
    assert "Ivy Cole" in main(manager.get("/residents/"))


def test_death_page_refused_for_an_enquiry_shows_the_reason(world, client_for):
    nurse = client_for(world.users["nurse"])
    with acting_for([world.home]):
        e = f.resident(world.home, status="enquiry", family="Early", nhs_number="")
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    r = nurse.post(
        f"/residents/{e.pk}/death/",
        {
            "died_at": when,
            "verified_by": "RN",
            "verified_role": "Nurse",
            "expected": "yes",
            "place": "Room",
            "confirm": "on",
        },
    )
    assert r.status_code == 422 and "you cannot record a death" in r.content.decode()


def test_journey_merges_other_contexts_and_filters(world, manager, monkeypatch):
    def provider(request, resident_id, filters):
        return [
            {
                "at": timezone.now(),
                "kind": "note",
                "category": "mood",
                "title": "Cheerful at lunch",
                "text": "Sang along",
                "url": "",
                "struck": False,
            },
            {
                "at": timezone.now(),
                "kind": "note",
                "category": "nutrition",
                "title": "Refused breakfast",
                "text": "",
                "url": "",
                "struck": True,
            },
        ]

    config = apps.get_app_config("residents")
    monkeypatch.setattr(config, "wcn_timeline_providers", [*config.wcn_timeline_providers, provider])
    url = f"/residents/{world.resident.pk}/journey/"
    html = main(manager.get(url))
    assert "Cheerful at lunch" in html and "<del>" in html
    html = main(manager.get(url, {"category": "mood"}))
    assert "Cheerful at lunch" in html and "Refused breakfast" not in html
    partial = manager.get(url, {"kind": "note"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<main" not in partial and "Cheerful at lunch" in partial


def test_photo_is_served_only_through_the_permission_checked_view(world, manager, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    r = manager.post(
        f"/residents/{world.resident.pk}/photo/change/",
        {"photo": SimpleUploadedFile("x.jpg", b"GIF89a....", content_type="image/jpeg")},
    )
    assert r.status_code == 422 and "JPEG or PNG" in r.content.decode()
    r = manager.post(
        f"/residents/{world.resident.pk}/photo/change/",
        {"photo": SimpleUploadedFile("x.png", PNG, content_type="image/png")},
    )
    assert r.status_code == 303
    got = manager.get(f"/residents/{world.resident.pk}/photo/")
    assert got.status_code == 200 and got["Content-Type"] == "image/png" and "no-store" in got["Cache-Control"]
    assert client_for(world.users["hr"]).get(f"/residents/{world.resident.pk}/photo/").status_code == 403


def test_other_homes_are_404_on_every_page(world, manager):
    for other in (world.other_home_resident, world.foreign_resident):
        for path in ("", "journey/", "edit/health/", "admit/", "photo/"):
            assert manager.get(f"/residents/{other.pk}/{path}").status_code == 404


def test_list_groups_by_unit_with_badges_and_query_count(world, client_for, django_assert_max_num_queries):
    c = client_for(world.users["nurse"])
    with acting_for([world.home]):
        for n in range(6):
            u, room = f.unit_with_room(world.home, unit_name=f"Wing {n}", room_number=f"W{n}")
            f.resident(world.home, unit=u, room=room, family=f"Wing{n}", nhs_number="")
    with django_assert_max_num_queries(12):
        html = main(c.get("/residents/"))
    assert len(re.findall(r"<h2 id=\"unit-", html)) == 7
    assert html.count('class="badge working"') == 7


def test_live_search_answers_htmx_with_the_results_only(world, client_for):
    c = client_for(world.users["nurse"])
    partial = c.get("/residents/", {"q": "evans"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<main" not in partial and "Margaret Evans" in partial
    page = c.get("/residents/").content.decode()
    assert 'hx-get="/residents/"' in page and 'id="results"' in page


def test_resident_page_links_to_other_contexts_pages_the_user_may_open(world, client_for):
    rid = world.resident.pk
    carer = main(client_for(world.users["carer"]).get(f"/residents/{rid}/"))
    assert f'href="/care/residents/{rid}/"' in carer and "Daily care records" in carer
    # finance staff can see residents (fees) but not their care records: no link
    finance = client_for(world.users["finance"]).get(f"/residents/{rid}/")
    if finance.status_code == 200:
        assert f'href="/care/residents/{rid}/"' not in main(finance)
