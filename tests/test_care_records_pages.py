"""Pages: the quick note form per the offline contract, chart entry forms, the resident's care
page, corrections with visible history, settings, permissions and scoping."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from writecarenotes.care_records.models import CareNote, FoodFluidEntry
from writecarenotes.care_records.services_notes import record_note
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.django_db


def _now_field():
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def test_quick_note_form_follows_the_offline_contract(world, client_for):
    c = client_for(world.users["carer"])
    page = c.get(f"/care/residents/{world.resident.pk}/notes/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-offline="care-entry"' in html
    assert re.search(r'<select name="category"', html)
    assert re.search(r'<textarea name="text"', html)
    assert re.search(r'<input type="datetime-local" name="occurred_at" value="\d{4}-\d\d-\d\dT\d\d:\d\d"', html)
    key = re.search(r'name="idempotency_key" value="([0-9a-f-]{36})"', html)
    assert key and uuid.UUID(key.group(1)).version == 4
    assert '<label for="id_text">' in html


def test_carer_records_a_note_once_even_when_posted_twice(world, client_for):
    c = client_for(world.users["carer"])
    data = {
        "category": "nutrition",
        "text": "Ate all of lunch, asked for seconds.",
        "occurred_at": _now_field(),
        "idempotency_key": str(uuid.uuid4()),
    }
    url = f"/care/residents/{world.resident.pk}/notes/new/"
    first = c.post(url, data)
    assert first.status_code == 303 and first["Location"] == f"/care/residents/{world.resident.pk}/"
    again = c.post(url, data)
    assert again.status_code == 303
    with acting_for([world.home]):
        assert CareNote.objects.count() == 1
    care = c.get(f"/care/residents/{world.resident.pk}/")
    assert "Ate all of lunch, asked for seconds." in care.content.decode()


def test_note_form_shows_field_messages(world, client_for):
    c = client_for(world.users["carer"])
    page = c.post(
        f"/care/residents/{world.resident.pk}/notes/new/", {"category": "", "text": "", "occurred_at": "soon"}
    )
    assert page.status_code == 422
    html = page.content.decode()
    assert 'id="id_text_errors"' in html and 'id="id_category_errors"' in html and 'id="id_occurred_at_errors"' in html
    future = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    page = c.post(
        f"/care/residents/{world.resident.pk}/notes/new/",
        {"category": "mood", "text": "Cheerful", "occurred_at": future},
    )
    assert page.status_code == 422
    assert "cannot be in the future" in page.content.decode()


def test_fluid_entry_updates_the_running_total(world, client_for):
    c = client_for(world.users["carer"])
    form = c.get(f"/care/residents/{world.resident.pk}/charts/food-fluid/new/")
    assert form.status_code == 200 and 'data-offline="care-entry"' in form.content.decode()
    for ml in (200, 150):
        r = c.post(
            f"/care/residents/{world.resident.pk}/charts/food-fluid/new/",
            {
                "meal": "drink",
                "item": "Tea",
                "fluid_ml": ml,
                "occurred_at": _now_field(),
                "idempotency_key": str(uuid.uuid4()),
            },
        )
        assert r.status_code == 303
    care = c.get(f"/care/residents/{world.resident.pk}/").content.decode()
    assert "350 / 1500 ml" in care


@pytest.mark.parametrize(
    ("chart", "data"),
    [
        ("repositioning", {"position": "left", "skin_check": "intact"}),
        ("continence", {"bowels_opened": "on", "stool_type": "4", "pad_changed": "on"}),
        ("weight", {"weight_kg": "58.4"}),
        ("blood-glucose", {"mmol_per_l": "6.2", "timing": "before_meal"}),
        (
            "behaviour",
            {
                "antecedent": "Noise at tea",
                "behaviour": "Shouting",
                "consequence": "Calmed in lounge",
                "duration_minutes": "10",
                "intensity": "2",
            },
        ),
        ("sleep", {"state": "asleep"}),
    ],
)
def test_each_chart_records_from_its_page(world, client_for, chart, data):
    c = client_for(world.users["carer"])
    r = c.post(
        f"/care/residents/{world.resident.pk}/charts/{chart}/new/",
        {**data, "occurred_at": _now_field(), "idempotency_key": str(uuid.uuid4())},
    )
    assert r.status_code == 303, r.content.decode()[:2000]
    listing = c.get(f"/care/residents/{world.resident.pk}/{chart}/")
    assert listing.status_code == 200 and '<li class="entry">' in listing.content.decode()


def test_correction_page_strikes_through_and_shows_history(world, client_for):
    with acting_as_system("test"), acting_for([world.home]):
        note = record_note(
            resident_id=world.resident.pk,
            user=world.users["carer"],
            category="mood",
            text="Low in mood all morning.",
            occurred_at=timezone.now(),
        )
    c = client_for(world.users["senior_carer"])
    url = f"/care/residents/{world.resident.pk}/notes/{note.pk}/correct/"
    page = c.get(url)
    assert page.status_code == 200
    r = c.post(
        url,
        {
            "category": "mood",
            "text": "Low in mood until 10:00, then brighter.",
            "occurred_at": _now_field(),
            "reason": "Incomplete",
        },
    )
    assert r.status_code == 303
    detail = c.get(r["Location"]).content.decode()
    assert "<del>Low in mood all morning.</del>" in detail and "Incomplete" in detail
    care = c.get(f"/care/residents/{world.resident.pk}/").content.decode()
    assert "<del>Low in mood all morning.</del>" in care


def test_correction_needs_a_reason(world, client_for):
    with acting_as_system("test"), acting_for([world.home]):
        note = record_note(
            resident_id=world.resident.pk,
            user=world.users["carer"],
            category="mood",
            text="x",
            occurred_at=timezone.now(),
        )
    c = client_for(world.users["carer"])
    r = c.post(
        f"/care/residents/{world.resident.pk}/notes/{note.pk}/correct/",
        {"category": "mood", "text": "y", "occurred_at": _now_field(), "reason": ""},
    )
    assert r.status_code == 422 and 'id="id_reason_errors"' in r.content.decode()


def test_late_entry_is_marked_on_the_page(world, client_for):
    c = client_for(world.users["carer"])
    earlier = (timezone.localtime() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    c.post(
        f"/care/residents/{world.resident.pk}/notes/new/",
        {"category": "night_check", "text": "Settled", "occurred_at": earlier},
    )
    listing = c.get(f"/care/residents/{world.resident.pk}/notes/").content.decode()
    assert "Late entry, written" in listing


def test_permissions(world, client_for):
    url = f"/care/residents/{world.resident.pk}/notes/new/"
    assert client_for(world.users["kitchen"]).get(url).status_code == 403
    assert client_for(world.users["inspector"]).get(f"/care/residents/{world.resident.pk}/").status_code == 200
    assert client_for(world.users["inspector"]).get(url).status_code == 403
    assert client_for(world.users["carer"]).get(f"/care/residents/{world.resident.pk}/settings/").status_code == 403
    nurse = client_for(world.users["nurse"])
    r = nurse.post(
        f"/care/residents/{world.resident.pk}/settings/",
        {
            "monitor_fluids": "on",
            "fluid_target_ml": "1800",
            "fluid_check_time": "14:00",
            "fluid_check_percent": "50",
            "repositioning_interval_hours": "3",
            "bowel_alert_days": "3",
        },
    )
    assert r.status_code == 303
    assert "/ 1800 ml" in nurse.get(f"/care/residents/{world.resident.pk}/").content.decode()


def test_another_homes_resident_is_404(world, client_for):
    c = client_for(world.users["carer"])
    for url in (
        f"/care/residents/{world.other_home_resident.pk}/",
        f"/care/residents/{world.other_home_resident.pk}/notes/new/",
        f"/care/residents/{world.foreign_resident.pk}/notes/",
    ):
        assert c.get(url).status_code == 404, url
    r = c.post(
        f"/care/residents/{world.foreign_resident.pk}/notes/new/",
        {"category": "mood", "text": "x", "occurred_at": _now_field()},
    )
    assert r.status_code == 404
    with acting_for([world.foreign_home]):
        assert CareNote.objects.count() == 0


def test_care_page_query_count_does_not_grow_with_entries(world, client_for, django_assert_max_num_queries):
    c = client_for(world.users["carer"])
    url = f"/care/residents/{world.resident.pk}/"
    c.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        c.get(url)
    with acting_as_system("test"), acting_for([world.home]):
        for i in range(10):
            record_note(
                resident_id=world.resident.pk,
                user=world.users["carer"],
                category="social",
                text=f"Note {i}",
                occurred_at=timezone.now(),
            )
        for _ in range(5):
            from writecarenotes.care_records.services_charts import record_chart_entry

            record_chart_entry(
                "food-fluid",
                resident_id=world.resident.pk,
                user=world.users["carer"],
                occurred_at=timezone.now(),
                values={"item": "Water", "fluid_ml": 100},
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = c.get(url)
    assert "Note 9" in page.content.decode() and "500 / 1500 ml" in page.content.decode()
    with acting_for([world.home]):
        assert FoodFluidEntry.objects.count() == 5


def test_care_page_shows_the_newest_of_a_busy_day_and_links_to_the_rest(world, client_for, monkeypatch):
    from writecarenotes.care_records import public

    monkeypatch.setattr(public, "TODAY_LIMIT", 5)
    now = timezone.now()
    with acting_as_system("test"), acting_for([world.home]):
        for i in range(7):
            record_note(
                resident_id=world.resident.pk,
                user=world.users["carer"],
                category="social",
                text=f"Busy note {i}",
                occurred_at=now - timedelta(seconds=10 - i),
            )
    html = client_for(world.users["carer"]).get(f"/care/residents/{world.resident.pk}/").content.decode()
    shown = re.findall(r"Busy note (\d)", html)
    assert sorted(shown) == ["2", "3", "4", "5", "6"]  # the newest five
    assert "Showing the latest 5 entries of today." in html
    assert f"/residents/{world.resident.pk}/journey/?date_from=" in html
