"""check_dose at the exact boundaries of each rule: PRN interval and rolling 24 hours, the ingredient
total across products (paracetamol 4 g; 60 mg/kg under 50 kg), the order, the dose, the slot, the window."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from tests.medication.conftest import in_home, order
from writecarenotes.care_records.models import WeightEntry
from writecarenotes.medication import safety
from writecarenotes.medication.models import Administration
from writecarenotes.platform.identity.access import build_access

pytestmark = pytest.mark.django_db
H, M = timedelta(hours=1), timedelta(minutes=1)


def at_now() -> datetime:
    return timezone.now().replace(second=0, microsecond=0) - M


def give(world, o, at, dose="1", outcome="given", due_at=None, by="nurse"):
    with in_home(world.home):
        return Administration.objects.create(
            home=world.home,
            order=o,
            resident=o.resident,
            outcome=outcome,
            dose=Decimal(dose),
            administered_at=at,
            recorded_at=at,
            recorded_by=world.users[by],
            due_at=due_at,
        )


def check(world, o, **kw):
    kw["dose"] = Decimal(str(kw.get("dose", "1")))
    with in_home(world.home):
        return safety.check_dose(o, **kw)


def rules(findings) -> list[str]:
    return [f.rule for f in findings]


def weigh(world, kg, days_ago=3):
    with in_home(world.home):
        t = timezone.now() - timedelta(days=days_ago)
        WeightEntry.objects.create(
            home=world.home,
            resident=world.resident,
            occurred_at=t,
            recorded_at=t,
            recorded_by=world.users["carer"],
            weight_kg=Decimal(kg),
        )


# --- 1. PRN minimum interval ------------------------------------------------------------------------


def test_prn_dose_exactly_at_the_interval_is_allowed_one_minute_earlier_refused(world, meds):
    o = order(world, meds.paracetamol, is_prn=True, dose=1, dose_max=2, prn_min_interval_minutes=240)
    at = at_now()
    give(world, o, at - 4 * H)
    assert check(world, o, dose=2, at=at) == []
    later = order(world, meds.ibuprofen, is_prn=True, prn_min_interval_minutes=240)
    give(world, later, at - 4 * H + M)
    [f] = check(world, later, at=at)
    assert f.rule == "prn_interval" and f.overridable
    next_at = (at - 4 * H + M + 4 * H).astimezone(ZoneInfo(settings.TIME_ZONE)).strftime("%H:%M")
    assert "Last dose 3 h 59 min before this one" in f.message
    assert "at least 4 hours between doses: next dose from " + next_at in f.message


def test_prn_interval_counts_refused_doses_not_and_other_orders_of_the_same_medicine(world, meds):
    o = order(world, meds.paracetamol, is_prn=True, prn_min_interval_minutes=240)
    old = order(world, meds.paracetamol, is_prn=True, status="stopped")
    at = at_now()
    give(world, o, at - H, outcome="refused")
    assert "prn_interval" not in rules(check(world, o, at=at))
    give(world, old, at - H)  # a dose of the same medicine under an earlier order still counts
    assert "prn_interval" in rules(check(world, o, at=at))


# --- 2. PRN most in a rolling 24 hours -----------------------------------------------------------------


def test_prn_max_doses_rolling_window_edge(world, meds):
    o = order(world, meds.paracetamol, is_prn=True, prn_max_doses_24h=3)
    at = at_now()
    give(world, o, at - 24 * H)  # exactly 24 hours ago: rolled off
    give(world, o, at - 10 * H)
    give(world, o, at - 5 * H)
    assert check(world, o, at=at) == []  # the third in the window: allowed
    give(world, o, at - 24 * H + M)  # inside the window by one minute
    [f] = check(world, o, at=at)
    assert f.rule == "prn_max_24h" and f.overridable
    assert "3 doses in the 24 hours to" in f.message and "the most is 3 in any 24 hours" in f.message
    assert "next dose from " + (at + M).astimezone(ZoneInfo(settings.TIME_ZONE)).strftime("%H:%M") in f.message


def test_prn_not_the_calendar_day(world, meds):
    """Two doses late yesterday evening count today: the window rolls, it does not reset at midnight."""
    o = order(world, meds.paracetamol, is_prn=True, prn_max_doses_24h=2)
    at = at_now()
    give(world, o, at - 20 * H)
    give(world, o, at - 19 * H)
    assert rules(check(world, o, at=at)) == ["prn_max_24h"]


def test_prn_max_amount(world, meds):
    o = order(world, meds.paracetamol_liquid, is_prn=True, dose=5, dose_max=10, prn_max_amount_24h=20)
    at = at_now()
    give(world, o, at - 8 * H, dose="10")
    assert check(world, o, at=at, dose=10) == []  # 20 ml: exactly the most
    give(world, o, at - 6 * H, dose="5")
    assert check(world, o, at=at, dose=5) == []  # 20 ml again: allowed
    [f] = check(world, o, at=at, dose=10)
    assert f.rule == "prn_max_24h"
    assert "15 ml in the 24 hours to" in f.message and "10 ml now make 25 ml" in f.message
    assert "the most is 20 ml in any 24 hours" in f.message


def test_a_dose_recorded_after_the_event_is_checked_against_later_doses(world, meds):
    o = order(world, meds.paracetamol, is_prn=True, prn_min_interval_minutes=240, prn_max_doses_24h=2)
    at = at_now()
    give(world, o, at - H)
    give(world, o, at - 30 * M)
    found = check(world, o, at=at - 3 * H)  # entered now, given 3 hours ago
    assert rules(found) == ["prn_interval", "prn_max_24h"]
    assert "A dose is already recorded at" in found[0].message


# --- 3. the same ingredient across products -----------------------------------------------------------


def test_paracetamol_across_two_products_exactly_4_g_allowed_more_refused(world, meds):
    plain = order(world, meds.paracetamol, is_prn=True, dose=1, dose_max=2)
    coco = order(world, meds.cocodamol, is_prn=True, dose=1, dose_max=2)
    at = at_now()
    give(world, plain, at - 20 * H, dose="2")
    give(world, coco, at - 14 * H, dose="2")
    give(world, plain, at - 8 * H, dose="2", outcome="self_administered")
    give(world, plain, at - 6 * H, dose="2", outcome="refused")  # not taken: not counted
    assert "ingredient_max_24h" not in rules(check(world, coco, dose=2, at=at))  # 3 g + 1 g = 4 g
    found = [f for f in check(world, coco, dose=2, at=at + 0 * M) if f.rule != "duplicate_therapy"]
    assert found == []
    give(world, coco, at - 5 * H, dose="1")  # 3.5 g in the window
    [f] = [f for f in check(world, coco, dose=2, at=at) if f.rule == "ingredient_max_24h"]
    assert not f.overridable and "BNF" in f.source
    assert "Paracetamol: 3.5 g in the 24 hours to" in f.message and "1 g now make 4.5 g" in f.message
    assert "Co-codamol 30/500 tablets" in f.message and "Paracetamol 500 mg tablets" in f.message
    assert "the most for an adult is 4 g in any 24 hours" in f.message
    assert "No weight recorded" in f.message
    assert "ingredient_max_24h" not in rules(check(world, coco, dose=1, at=at))  # 4 g exactly


def test_ingredient_window_edge_24_hours(world, meds):
    plain = order(world, meds.paracetamol, is_prn=True, dose=2)
    at = at_now()
    for hours in (24, 18, 12, 6):
        give(world, plain, at - hours * H, dose="2")  # the one exactly 24 h ago has rolled off: 3 g
    assert "ingredient_max_24h" not in rules(check(world, plain, dose=2, at=at))
    give(world, plain, at - 24 * H + M, dose="2")  # now 4 g inside the window
    assert "ingredient_max_24h" in rules(check(world, plain, dose=2, at=at))


def test_under_50_kg_60_mg_per_kg_overridable(world, meds):
    weigh(world, "45")  # 45 kg x 60 mg = 2.7 g
    liquid = order(world, meds.paracetamol_liquid, is_prn=True, dose=1, dose_max=50)
    plain = order(world, meds.paracetamol, is_prn=True, dose=1)
    at = at_now()
    give(world, liquid, at - 5 * H, dose="44")  # 2.2 g
    assert "ingredient_max_24h" not in rules(check(world, plain, at=at))  # 2.7 g exactly
    give(world, liquid, at - 4 * H, dose="1")  # 2.25 g
    [f] = [f for f in check(world, plain, at=at) if f.rule == "ingredient_max_24h"]
    assert f.overridable and "45 kg (under 50 kg)" in f.message and "the most is 2.7 g" in f.message
    assert "60 mg/kg" in f.source


def test_50_kg_is_not_under_50_kg(world, meds):
    weigh(world, "50")
    plain = order(world, meds.paracetamol, is_prn=True, dose=2)
    at = at_now()
    give(world, plain, at - 6 * H, dose="2")
    give(world, plain, at - 12 * H, dose="2")
    give(world, plain, at - 18 * H, dose="2")
    found = check(world, plain, dose=2, at=at)
    assert "ingredient_max_24h" not in rules(found)  # 4 g: the adult limit applies


# --- 7. the order, the dose, the slot, the window -----------------------------------------------------


def _yesterday_8(world):
    zone = ZoneInfo(settings.TIME_ZONE)
    day = timezone.localdate() - timedelta(days=1)
    return datetime(day.year, day.month, day.day, 8, 0, tzinfo=zone)


def test_window_opens_exactly_an_hour_before(world, meds):
    o = order(world, meds.lactulose, dose=10)
    due = _yesterday_8(world)
    assert check(world, o, dose=10, at=due - 60 * M, due_at=due) == []
    [f] = check(world, o, dose=10, at=due - 61 * M, due_at=due)
    assert f.rule == "window_not_open" and not f.overridable and "opens at 07:00 yesterday" in f.message


def test_time_critical_window_is_30_minutes(world, meds):
    o = order(world, meds.cocareldopa)
    due = _yesterday_8(world)
    assert check(world, o, at=due - 30 * M, due_at=due) == []
    assert rules(check(world, o, at=due - 31 * M, due_at=due)) == ["window_not_open"]


def test_future_time_refused(world, meds):
    o = order(world, meds.paracetamol, is_prn=True)
    [f] = check(world, o, at=timezone.now() + 10 * M)
    assert f.rule == "window_not_open" and "in the future" in f.message


def test_slot_already_recorded_says_when_and_by_whom(world, meds):
    o = order(world, meds.lactulose, dose=10)
    due = _yesterday_8(world)
    first = give(world, o, due + 3 * M, dose="10", due_at=due)
    [f] = check(world, o, dose=10, at=due + 5 * M, due_at=due)
    assert f.rule == "slot_recorded" and not f.overridable
    assert "Already recorded as given at 08:03 yesterday by Nurse User" in f.message
    assert check(world, o, dose=10, at=due + 5 * M, due_at=due, exclude_administration_id=first.pk) == []


def test_order_not_active(world, meds):
    at = at_now()
    stopped = order(world, meds.lactulose, is_prn=True, dose=10, status="stopped", status_reason="GP stopped it")
    [f] = check(world, stopped, dose=10, at=at)
    assert (f.rule, f.overridable) == ("order_not_active", False) and "stopped (GP stopped it)" in f.message
    ended = order(world, meds.lactulose, is_prn=True, dose=10, stop_date=timezone.localdate() - timedelta(days=1))
    assert rules(check(world, ended, dose=10, at=at))[0] == "order_not_active"
    today = order(world, meds.lactulose, is_prn=True, dose=10, stop_date=timezone.localdate())
    assert "order_not_active" not in rules(check(world, today, dose=10, at=at))  # the last day is included
    later = order(world, meds.lactulose, is_prn=True, dose=10, start_date=timezone.localdate() + timedelta(days=1))
    assert rules(check(world, later, dose=10, at=at))[0] == "order_not_active"


def test_dose_outside_the_range(world, meds):
    o = order(world, meds.paracetamol, is_prn=True, dose=1, dose_max=2)
    at = at_now()
    assert check(world, o, dose=1, at=at) == [] and check(world, o, dose=2, at=at) == []
    [f] = check(world, o, dose="2.5", at=at)
    assert (f.rule, f.overridable) == ("dose_outside_order", False)
    assert f.message == "2.5 tablet(s) is not the prescribed dose: the order says 1 to 2 tablet(s)."
    assert rules(check(world, o, dose="0.5", at=at)) == ["dose_outside_order"]
    assert rules(check(world, o, dose="0", at=at)) == ["dose_outside_order"]


# --- overrides and queries ---------------------------------------------------------------------------


def test_only_manage_roles_override_and_only_overridable_findings(world, meds):
    o = order(world, meds.paracetamol, is_prn=True, prn_min_interval_minutes=240)
    at = at_now()
    give(world, o, at - H)
    found = check(world, o, at=at)
    nurse = build_access(world.users["nurse"], world.home.pk)
    senior = build_access(world.users["senior_carer"], world.home.pk)
    manager = build_access(world.users["registered_manager"], world.home.pk)
    assert safety.can_override(nurse, found) and safety.can_override(manager, found)
    assert not safety.can_override(senior, found)
    blocked = found + check(world, o, at=at, dose=3)
    assert not safety.can_override(nurse, blocked)


def test_check_dose_queries_are_bounded_with_a_year_of_history(world, meds, django_assert_max_num_queries):
    weigh(world, "62")
    regular = order(
        world,
        meds.paracetamol,
        dose=2,
        times=["08:00", "12:00", "18:00"],
        start_date=timezone.localdate() - timedelta(days=366),
    )
    others = [order(world, m) for m in (meds.warfarin, meds.lactulose, meds.cocareldopa, meds.amoxicillin)]
    start = timezone.now() - timedelta(days=365)
    with in_home(world.home):
        rows = []
        for d in range(365):
            for h in (8, 12, 18):
                t = (start + timedelta(days=d)).replace(hour=h, minute=2)
                rows.append(
                    Administration(
                        home=world.home,
                        organisation_id=world.home.organisation_id,
                        order=regular,
                        resident=world.resident,
                        outcome="given",
                        dose=Decimal(2),
                        administered_at=t,
                        recorded_at=t,
                        recorded_by=world.users["nurse"],
                    )
                )
            for o in others:
                t = (start + timedelta(days=d)).replace(hour=8, minute=5)
                rows.append(
                    Administration(
                        home=world.home,
                        organisation_id=world.home.organisation_id,
                        order=o,
                        resident=world.resident,
                        outcome="given",
                        dose=Decimal(1),
                        administered_at=t,
                        recorded_at=t,
                        recorded_by=world.users["nurse"],
                    )
                )
        Administration.objects.bulk_create(rows)
    due = _yesterday_8(world) + timedelta(days=1)
    at = min(at_now(), due + 30 * M)
    with in_home(world.home):
        o = type(regular).objects.select_related("medicine").get(pk=regular.pk)
        with django_assert_max_num_queries(8):
            safety.check_dose(o, dose=Decimal(2), at=at, due_at=due if at >= due - H else None)
