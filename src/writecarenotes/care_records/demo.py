"""Demo history of daily care records: several weeks of notes and charts for a home's residents.

``generate(home, residents, days, rng)`` is called by the demo builder inside
``acting_for([home])``. Rows are bulk-inserted as seed data: no per-row audit records or events
(nothing happened to anyone; the audit trail records what real people do). What it sets up, so the
dashboards have something true to show:

- every current resident: notes, food and fluid, continence, sleep checks at night, weekly weights;
  about a quarter on a repositioning schedule (2-4 h), some diabetic residents on glucose checks,
  a few with ABC behaviour charts;
- some residents (about one in eight) drink little today, and are checked at 11:00 (at risk of
  dehydration): they are below target once the check time has passed;
- one resident on a repositioning schedule is overdue now;
- one resident has a deteriorating NEWS2 (R3's ``services_vitals.demo_history``); the others get
  daily vital signs from the same helper when it is present.
"""

from __future__ import annotations

import importlib.util
import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from writecarenotes.care_records.models import (
    BehaviourEntry,
    BloodGlucoseEntry,
    CareNote,
    ChartSettings,
    ContinenceEntry,
    FoodFluidEntry,
    RepositioningEntry,
    SleepCheck,
    WeightEntry,
)
from writecarenotes.residents.public import CURRENT_STATUSES

NOTES = {
    "personal_care": [
        "Assisted with a full wash and dressing; skin intact, cream applied to heels.",
        "Showered with the support of two staff; enjoyed it and chose her own clothes.",
        "Oral care given, dentures cleaned and soaked overnight.",
        "Shaved and hair combed; asked for aftershave, which was applied.",
    ],
    "nutrition": [
        "Ate well at lunch and asked for a second pudding.",
        "Needed encouragement with breakfast; managed half of the porridge.",
        "Fortified milkshake offered mid-morning and finished.",
    ],
    "mobility": [
        "Walked to the dining room with the frame and one member of staff.",
        "Transferred bed to chair with the stand aid; no concerns.",
        "Sat out in the garden for half an hour after lunch.",
    ],
    "mood": [
        "Bright and chatty this morning, talked about her garden.",
        "A little low after lunch; spent time with her in her room and she brightened.",
        "Anxious before tea, reassured and settled with music.",
    ],
    "social": [
        "Joined the singing group in the lounge and sang along.",
        "Played dominoes with two other residents.",
        "Watched the afternoon film in the lounge.",
    ],
    "night_check": [
        "Checked hourly; slept well.",
        "Awake at 03:00, given a warm drink, settled again.",
        "Pad changed at 02:00, repositioned, comfortable.",
    ],
    "visitor": [
        "Daughter visited for the afternoon; they looked through photographs.",
        "Son phoned and spoke with her for ten minutes.",
    ],
    "professional_visit": [
        "District nurse visited to review the leg dressing.",
        "GP reviewed medication; no changes.",
        "Chiropodist visited; nails cut.",
    ],
}
DRINKS = ["Tea", "Coffee", "Water", "Orange juice", "Blackcurrant squash", "Milk", "Hot chocolate"]
MEALS = {
    "breakfast": (time(8, 15), ["Porridge", "Toast and marmalade", "Cornflakes", "Scrambled egg on toast"]),
    "lunch": (time(12, 30), ["Shepherd's pie", "Fish pie", "Roast chicken dinner", "Cottage pie", "Soup and sandwich"]),
    "tea": (time(17, 0), ["Sandwiches and cake", "Jacket potato", "Cheese on toast", "Soup and a roll"]),
}
DRINK_TIMES = [time(7, 30), time(10, 0), time(12, 30), time(15, 0), time(17, 30), time(19, 30), time(21, 0)]
EATEN = ["all", "all", "all", "three_quarters", "three_quarters", "half", "quarter"]


def _staff(home) -> list:
    from writecarenotes.platform.identity.models import Membership

    users = [
        m.user
        for m in Membership.objects.filter(home=home, role__in=["carer", "senior_carer", "nurse"])
        .select_related("user")
        .order_by("pk")
    ]
    if not users:
        users = [m.user for m in Membership.objects.filter(organisation_id=home.organisation_id).select_related("user")]
    return users


def generate(home, residents: list, days: int, rng: random.Random) -> dict:
    """Bulk-insert ``days`` days of records (up to now) for the current ones of ``residents``."""
    staff = _staff(home)
    if not staff:
        return {}
    current = [r for r in residents if getattr(r, "status", "in_residence") in CURRENT_STATUSES]
    if not current:
        return {}
    now = timezone.now()
    local_now = timezone.localtime(now)
    today = local_now.date()
    org_id = home.organisation_id
    rows: dict[type, list] = {}

    def add(model, resident, at: datetime, **values):
        if at > now:
            return
        rows.setdefault(model, []).append(
            model(
                organisation_id=org_id,
                home_id=home.pk,
                resident_id=resident.pk,
                occurred_at=at,
                recorded_at=at + timedelta(minutes=rng.randint(1, 25)),
                recorded_by=rng.choice(staff),
                **values,
            )
        )

    def local(day, t: time, jitter: int = 20) -> datetime:
        base = timezone.make_aware(datetime.combine(day, t))
        return base + timedelta(minutes=rng.randint(-jitter, jitter))

    on_schedule = [r for r in current if rng.random() < 0.25] or current[:1]
    overdue = on_schedule[0]
    low_fluids = [r for r in current if r is not overdue and rng.random() < 0.125] or [current[-1]]
    diabetic = {r.pk for r in current if rng.random() < 0.12}
    behaviour = {r.pk for r in current if rng.random() < 0.12}
    declining = {r.pk for r in current if rng.random() < 0.1}

    settings = []
    for r in current:
        settings.append(
            ChartSettings(
                organisation_id=org_id,
                home_id=home.pk,
                resident_id=r.pk,
                fluid_target_ml=rng.choice([1200, 1500, 1500, 1600, 1800]),
                fluid_check_time=time(11, 0) if r in low_fluids else time(14, 0),
                fluid_check_percent=50,
                repositioning_interval_hours=rng.choice([2, 3, 4]) if r in on_schedule else None,
                bowel_alert_days=3,
            )
        )
    ChartSettings.objects.bulk_create(settings)
    interval = {s.resident_id: s.repositioning_interval_hours for s in settings}

    for r in current:
        weight = Decimal(rng.randint(480, 820)) / 10
        last_bowels = -1
        for back in range(days, -1, -1):
            day = today - timedelta(days=back)
            is_today = back == 0
            # notes: 3 to 5 a day
            for _ in range(rng.randint(3, 5)):
                cat = rng.choice(list(NOTES))
                hour = rng.randint(23, 29) % 24 if cat == "night_check" else rng.randint(8, 20)
                add(
                    CareNote,
                    r,
                    local(day, time(hour, rng.randint(0, 59)), 0),
                    category=cat,
                    text=rng.choice(NOTES[cat]),
                )
            # food and fluid
            drinks = DRINK_TIMES[:1] if (is_today and r in low_fluids) else DRINK_TIMES
            for t in drinks:
                ml = rng.choice([100, 150, 150, 200, 200, 250])
                add(FoodFluidEntry, r, local(day, t), meal="drink", item=rng.choice(DRINKS), fluid_ml=ml)
            for meal, (t, dishes) in MEALS.items():
                eaten = "refused" if rng.random() < 0.04 else rng.choice(EATEN)
                add(
                    FoodFluidEntry, r, local(day, t), meal=meal, item=rng.choice(dishes), fluid_ml=0, amount_eaten=eaten
                )
            # continence and bowels: bowels every 1-2 days
            add(ContinenceEntry, r, local(day, time(7, 0)), urine_passed=True, pad_changed=True)
            add(ContinenceEntry, r, local(day, time(14, 0)), urine_passed=True, pad_changed=rng.random() < 0.6)
            if last_bowels < 0 or last_bowels - back >= 2 or rng.random() < 0.55:
                stool = rng.choice([3, 4, 4, 4, 5, 2, 6])
                add(
                    ContinenceEntry,
                    r,
                    local(day, time(10, 30), 90),
                    bowels_opened=True,
                    stool_type=stool,
                    pad_changed=True,
                )
                last_bowels = back
            # sleep checks through the night (the night after this day)
            for t in (time(22, 0), time(23, 59)):
                add(SleepCheck, r, local(day, t, 10), state=rng.choice(["asleep", "asleep", "asleep", "awake"]))
            for t in (time(2, 0), time(5, 0)):
                add(SleepCheck, r, local(day, t, 10), state=rng.choice(["asleep", "asleep", "awake", "out_of_bed"]))
            # repositioning
            hours = interval.get(r.pk)
            if hours:
                at = local(day, time(0, 5), 0)
                stop = now - timedelta(hours=hours + 1, minutes=30) if (r is overdue) else now
                while at.date() == day and at <= stop:
                    add(
                        RepositioningEntry,
                        r,
                        at,
                        position=rng.choice(["left", "right", "back", "semi_recumbent", "chair"]),
                        skin_check=rng.choice(["intact", "intact", "intact", "blanching"]),
                    )
                    at += timedelta(hours=hours)
            # weekly weight, slowly falling for some
            if back % 7 == 0:
                if r.pk in declining:
                    weight -= Decimal("0.6")
                weight += Decimal(rng.randint(-3, 3)) / 10
                add(WeightEntry, r, local(day, time(9, 30)), weight_kg=weight)
            if r.pk in diabetic:
                for t in (time(7, 45), time(16, 45)):
                    value = Decimal(rng.randint(48, 120)) / 10
                    add(BloodGlucoseEntry, r, local(day, t, 10), mmol_per_l=value, timing="before_meal")
            if r.pk in behaviour and rng.random() < 0.3:
                add(
                    BehaviourEntry,
                    r,
                    local(day, time(rng.randint(15, 19), 0), 30),
                    antecedent=rng.choice(
                        ["Busy lounge before tea", "Personal care in the morning", "Visitor leaving"]
                    ),
                    behaviour=rng.choice(
                        ["Shouting and calling for her mother", "Pushing staff away", "Walking and trying exits"]
                    ),
                    consequence=rng.choice(
                        ["Calmed with a walk and a cup of tea", "Care stopped and offered again later"]
                    ),
                    duration_minutes=rng.randint(5, 30),
                    intensity=rng.choice([1, 1, 2, 2, 3]),
                )
    counts = {}
    for model, items in rows.items():
        model.objects.bulk_create(items, batch_size=500)
        counts[model.__name__] = len(items)

    if importlib.util.find_spec("writecarenotes.care_records.services_vitals") is not None:
        from writecarenotes.care_records import services_vitals

        helper = getattr(services_vitals, "demo_history", None)
        if helper is not None:
            deteriorating = next((r for r in current if r is not overdue and r not in low_fluids), current[0])
            for r in current:
                helper(r, days, rng, deteriorating=r is deteriorating)
    return counts
