"""Who needs what now (per unit, refreshing), shift handover with sign-off, the dashboard panel,
the care-journey timeline, and query counts that do not grow with residents."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories as f
from writecarenotes.care_records import alerts as alert_module
from writecarenotes.care_records import handover as handovers
from writecarenotes.care_records.services_charts import record_chart_entry, set_chart_settings
from writecarenotes.care_records.services_notes import record_note
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _chart(world, chart, values, when=None, resident=None, user="carer"):
    with acting_as_system("test"), acting_for([world.home]):
        return record_chart_entry(
            chart,
            resident_id=(resident or world.resident).pk,
            user=world.users[user],
            occurred_at=when or timezone.now(),
            values=values,
        )


def _alerts(world, now, unit=None):
    with acting_for([world.home]):
        return alert_module.alerts_for(unit, now)


def test_fluid_alert_follows_the_check_time(world):
    day = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=1)
    with acting_for([world.home]):
        from writecarenotes.care_records.models import FoodFluidEntry

        FoodFluidEntry.objects.create(
            home=world.home,
            resident=world.resident,
            recorded_by=world.users["carer"],
            occurred_at=day,
            item="Tea",
            fluid_ml=700,
        )
    at_1359 = day.replace(hour=13, minute=59)
    at_1400 = day.replace(hour=14)
    assert [a.kind for a in _alerts(world, at_1359)] == []
    [alert] = _alerts(world, at_1400)
    assert alert.kind == "fluid" and "700 ml of 1500 ml" in alert.message


def test_repositioning_overdue_bowels_and_hypo(world):
    with acting_as_system("test"), acting_for([world.home]):
        set_chart_settings(
            resident_id=world.resident.pk, values={"repositioning_interval_hours": 2, "monitor_fluids": False}
        )
    now = timezone.now()
    _chart(
        world, "repositioning", {"position": "left", "skin_check": "intact"}, when=now - timedelta(hours=2, minutes=1)
    )
    _chart(world, "continence", {"bowels_opened": True, "stool_type": 4}, when=now - timedelta(days=4))
    _chart(world, "blood-glucose", {"mmol_per_l": Decimal("3.8")}, when=now - timedelta(minutes=5))
    kinds = {a.kind: a for a in _alerts(world, now)}
    assert set(kinds) == {"repositioning", "bowels", "glucose"}
    assert kinds["repositioning"].severity == "high" and "overdue" in kinds["repositioning"].message
    _chart(world, "repositioning", {"position": "right", "skin_check": "intact"})
    _chart(world, "blood-glucose", {"mmol_per_l": Decimal("5.5")})
    assert {a.kind for a in _alerts(world, timezone.now())} == {"bowels"}


def test_latest_entries_older_than_the_recent_window_are_still_found_exactly(world):
    """The "latest entry" queries look at the last 14 days first; older entries must still count."""
    with acting_as_system("test"), acting_for([world.home]):
        set_chart_settings(
            resident_id=world.resident.pk, values={"repositioning_interval_hours": 4, "monitor_fluids": False}
        )
    now = timezone.now()
    old = now - alert_module.RECENT - timedelta(days=6)
    with acting_for([world.home]):  # seeded directly: the services refuse entries over 7 days late
        from writecarenotes.care_records.models import ContinenceEntry, RepositioningEntry

        common = {"home": world.home, "resident": world.resident, "recorded_by": world.users["carer"]}
        RepositioningEntry.objects.create(**common, occurred_at=old, position="left", skin_check="intact")
        ContinenceEntry.objects.create(**common, occurred_at=old, bowels_opened=True, stool_type=4)
    with acting_for([world.home]):
        assert alert_module.last_repositioned([world.resident.pk], now) == {world.resident.pk: old}
        assert alert_module.last_bowel_movement([world.resident.pk], now) == {world.resident.pk: old}
    kinds = {a.kind: a for a in _alerts(world, now)}
    days = (timezone.localtime(now).date() - timezone.localtime(old).date()).days
    assert f"No bowel movement for {days} days" in kinds["bowels"].message
    due = timezone.localtime(old + timedelta(hours=4)).strftime("%H:%M")
    assert f"overdue since {due}" in kinds["repositioning"].message
    # a struck-through recent entry does not count: the older one is the latest current entry
    recent = _chart(world, "continence", {"bowels_opened": True, "stool_type": 4}, when=now - timedelta(hours=1))
    with acting_as_system("test"), acting_for([world.home]):
        from writecarenotes.care_records.services_notes import correct_entry

        correct_entry(recent, reason="Wrong resident", new_values={"bowels_opened": False}, user=world.users["nurse"])
        assert alert_module.last_bowel_movement([world.resident.pk], now) == {world.resident.pk: old}


def test_registered_sources_are_included(world):
    def source(residents, now):
        return [alert_module.make_alert(r, "news2", "high", "NEWS2 7: urgent response") for r in residents]

    alert_module.register_alert_source(source)
    try:
        assert any(a.kind == "news2" for a in _alerts(world, timezone.now()))
    finally:
        alert_module._sources.remove(source)


def test_alert_page_refreshes_with_htmx_in_the_background(world, client_for):
    c = client_for(world.users["carer"])
    page = c.get(f"/care/units/{world.unit.pk}/alerts/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'hx-trigger="every 60s"' in html and "X-WCN-Background" in html
    partial = c.get(f"/care/units/{world.unit.pk}/alerts/", headers={"HX-Request": "true", "X-WCN-Background": "1"})
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    assert c.get("/care/alerts/").status_code == 200


def test_alert_list_queries_do_not_grow_with_residents(world, client_for):
    c = client_for(world.users["nurse"])
    url = f"/care/units/{world.unit.pk}/alerts/"
    c.get(url)
    with CaptureQueriesContext(connection) as one:
        c.get(url)
    for i in range(8):
        r = f.resident(world.home, unit=world.unit, family=f"Extra{i}", nhs_number="9990000018")
        _chart(world, "food-fluid", {"item": "Tea", "fluid_ml": 50}, resident=r)
        _chart(world, "continence", {"bowels_opened": True}, resident=r, when=timezone.now() - timedelta(days=5))
    with CaptureQueriesContext(connection) as many:
        page = c.get(url)
    assert len(many.captured_queries) <= len(one.captured_queries)
    assert "Extra7" in page.content.decode()


def test_handover_summary_add_item_and_sign_off(world, client_for):
    start, end = handovers.last_shift()
    inside = start + timedelta(hours=2)
    with acting_as_system("test"), acting_for([world.home]):
        record_note(
            resident_id=world.resident.pk,
            user=world.users["carer"],
            category="mobility",
            text="Slipped from chair to floor, no injury",
            occurred_at=inside if inside < timezone.now() - timedelta(minutes=1) else timezone.now(),
            fall=True,
        )
        record_chart_entry(
            "food-fluid",
            resident_id=world.resident.pk,
            user=world.users["carer"],
            occurred_at=inside,
            values={"meal": "lunch", "item": "Fish pie", "amount_eaten": "refused"},
        )
    carer = client_for(world.users["carer"])
    page = carer.get(f"/care/units/{world.unit.pk}/handover/").content.decode()
    assert "Fish pie" in page and "Slipped from chair" in page
    assert "Sign off handover" not in page  # carers add, nurses sign off
    shift = timezone.localtime(start).strftime("%Y-%m-%dT%H:%M")
    r = carer.post(
        f"/care/units/{world.unit.pk}/handover/items/", {"shift": shift, "text": "GP to review Mrs Evans' hip tomorrow"}
    )
    assert r.status_code == 303
    assert carer.post(f"/care/units/{world.unit.pk}/handover/sign-off/", {"shift": shift}).status_code == 403
    nurse = client_for(world.users["nurse"])
    r = nurse.post(f"/care/units/{world.unit.pk}/handover/sign-off/", {"shift": shift})
    assert r.status_code == 303
    page = nurse.get(r["Location"]).content.decode()
    assert "Signed off by" in page and "read-only" in page and "GP to review" in page
    assert "Add to handover" not in page
    r = carer.post(f"/care/units/{world.unit.pk}/handover/items/", {"shift": shift, "text": "late"})
    assert r.status_code == 422 and "signed off" in r.content.decode()


def test_current_shift_cannot_be_signed_off(world, client_for):
    start, _end = handovers.last_shift()
    current = timezone.localtime(start + (_end - start) + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    nurse = client_for(world.users["nurse"])
    r = nurse.post(f"/care/units/{world.unit.pk}/handover/sign-off/", {"shift": current})
    assert r.status_code == 303
    assert "once it has ended" in nurse.get(r["Location"]).content.decode()


def test_dashboard_panel_counts_alerts(world, client_for):
    with acting_as_system("test"), acting_for([world.home]):
        set_chart_settings(
            resident_id=world.resident.pk, values={"repositioning_interval_hours": 2, "monitor_fluids": False}
        )
    nurse = client_for(world.users["nurse"])
    page = nurse.get("/").content.decode()
    assert "Who needs what now" in page and "/care/alerts/panel/" in page
    counts = nurse.get("/care/alerts/panel/", headers={"HX-Request": "true"}).content.decode()
    assert '<p class="stat">1</p>' in counts and "Ground floor</a>: 1" in counts
    assert "panel-care-alerts" not in client_for(world.users["maintenance"]).get("/").content.decode()


def test_timeline_provider_lists_notes_and_charts(world, client_for):
    with acting_as_system("test"), acting_for([world.home]):
        record_note(
            resident_id=world.resident.pk,
            user=world.users["carer"],
            category="visitor",
            text="Son visited",
            occurred_at=timezone.now(),
        )
    _chart(world, "weight", {"weight_kg": Decimal("60.0")})
    from writecarenotes.care_records.timeline import care_records_provider

    class R:
        class access:
            @staticmethod
            def can(ctx, action):
                return True

    with acting_for([world.home]):
        items = care_records_provider(R, world.resident.pk, {})
        assert {(i["kind"], i["category"]) for i in items} == {("note", "visitor"), ("chart", "weight")}
        assert [i["kind"] for i in care_records_provider(R, world.resident.pk, {"kind": "chart"})] == ["chart"]
    journey = client_for(world.users["nurse"]).get(f"/residents/{world.resident.pk}/journey/")
    if journey.status_code == 200:
        assert "Son visited" in journey.content.decode()


def test_shift_bounds_respect_local_time():
    from writecarenotes.care_records import rules

    now = datetime(2026, 3, 29, 9, 0, tzinfo=LONDON)  # the morning the clocks go forward
    start, end = rules.previous_shift_bounds(now)
    assert start == datetime(2026, 3, 28, 20, 0, tzinfo=LONDON) and end == datetime(2026, 3, 29, 8, 0, tzinfo=LONDON)
    utc = ZoneInfo("UTC")
    assert end.astimezone(utc) - start.astimezone(utc) == timedelta(hours=11)  # a short night


def test_residents_away_from_the_home_get_no_alerts(world):
    away = f.resident(world.home, unit=world.unit, family="Away", status="temporarily_absent", nhs_number="9990000018")
    with acting_as_system("test"), acting_for([world.home]):
        set_chart_settings(resident_id=away.pk, values={"repositioning_interval_hours": 2})
    assert all(a.resident_id != away.pk for a in _alerts(world, timezone.now()))
