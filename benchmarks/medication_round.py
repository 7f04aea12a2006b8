"""Performance of the medication round (issue 6), on SQLite. Prints JSON lines.

    python benchmarks/medication_round.py [--residents 60] [--days 365] [--db PATH] [--quick]

1. machine facts; 2. seeding: a home of ``--residents`` residents (through the residents services),
each with 8 regular medicines (4 due in the current hour, so the benchmark's round is open whenever
it runs, and 4 at other times) and 2 "when required" ones, and ``--days`` days of administration
history bulk-inserted (every scheduled dose, some refused, PRN doses); 3. the round view of the unit
for the current slot (target: median under 200 ms), and one resident opened on it; 4. recording a
dose with every safety check through ``services_rounds.record_administration`` (target: median under
50 ms server time), each a different resident's dose of the open slot.

The database is its own file (a temporary folder unless ``--db``); nothing touches var/.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time as clock
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from care_records_perf import build_home, emit, measure_queries, percentile, setup_django  # noqa: E402

ROUND_TARGET_MS = 200
RECORD_TARGET_MS = 50
BATCH = 5000

#: (name, form, dose unit, [(ingredient, mg per unit, classes)]) of the seeded formulary
FORMULARY = [
    ("Amlodipine 5 mg tablets", "tablet", "tablet", [("amlodipine", 5, ["calcium channel blocker"])]),
    ("Atorvastatin 20 mg tablets", "tablet", "tablet", [("atorvastatin", 20, ["statin"])]),
    ("Bisoprolol 2.5 mg tablets", "tablet", "tablet", [("bisoprolol", 2.5, ["beta blocker"])]),
    ("Donepezil 10 mg tablets", "tablet", "tablet", [("donepezil", 10, ["acetylcholinesterase inhibitor"])]),
    ("Furosemide 40 mg tablets", "tablet", "tablet", [("furosemide", 40, ["loop diuretic"])]),
    ("Lansoprazole 15 mg capsules", "capsule", "capsule", [("lansoprazole", 15, ["proton pump inhibitor"])]),
    ("Levothyroxine 50 microgram tablets", "tablet", "tablet", [("levothyroxine", 0.05, ["thyroid hormone"])]),
    ("Metformin 500 mg tablets", "tablet", "tablet", [("metformin", 500, ["biguanide"])]),
    ("Sertraline 50 mg tablets", "tablet", "tablet", [("sertraline", 50, ["ssri"])]),
    ("Senna 7.5 mg tablets", "tablet", "tablet", [("sennosides", 7.5, ["stimulant laxative"])]),
    (
        "Calcium and vitamin D3 chewable tablets",
        "tablet",
        "tablet",
        [("calcium carbonate", 1500, []), ("colecalciferol", 0.01, [])],
    ),
    ("Mirtazapine 15 mg tablets", "tablet", "tablet", [("mirtazapine", 15, ["antidepressant"])]),
    ("Paracetamol 500 mg tablets", "tablet", "tablet", [("paracetamol", 500, ["analgesic"])]),
    ("Lactulose 3.3 g/5 ml oral solution", "liquid", "ml", [("lactulose", 660, ["osmotic laxative"])]),
]


def seed_medication(home, residents, staff, days: int, rng: random.Random) -> dict:
    """The formulary, 10 orders per resident, and ``days`` of administration history (bulk, no audit rows
    or events: seed data). Returns counts and the open slot (the current hour)."""
    from django.utils import timezone

    from writecarenotes.medication.models import Administration, MedicationOrder, Medicine, MedicineIngredient
    from writecarenotes.medication.schedule import slots_between
    from writecarenotes.platform.tenancy.scope import acting_for

    now = timezone.localtime()
    open_hour = now.replace(minute=0, second=0, microsecond=0)
    if now.minute >= 30:
        open_hour += timedelta(hours=1)
    slot = f"{open_hour:%H:%M}"
    other = [t for t in ("08:00", "12:00", "17:00", "22:00") if t != slot][:3]
    org_id = home.organisation_id
    counts = {"orders": 0, "administrations": 0}
    with acting_for([home], reason="benchmark"):
        medicines = []
        for name, form, unit, ingredients in FORMULARY:
            m = Medicine.objects.create(home=home, name=name, form=form, dose_unit=unit)
            for ing, mg, classes in ingredients:
                MedicineIngredient.objects.create(
                    home=home, medicine=m, ingredient=ing, amount_mg=Decimal(str(mg)), classes=classes
                )
            medicines.append(m)
        regular, paracetamol, lactulose = medicines[:12], medicines[12], medicines[13]
        start = (now - timedelta(days=days)).date()
        orders = []
        for r in residents:
            chosen = rng.sample(regular, 8)
            for i, m in enumerate(chosen):
                times = [slot] if i < 4 else [other[i % len(other)]]
                orders.append(
                    MedicationOrder(
                        organisation_id=org_id,
                        home_id=home.pk,
                        resident_id=r.pk,
                        medicine=m,
                        prescriber="Dr Bench",
                        dose=Decimal(1),
                        times=times,
                        start_date=start,
                        created_by=staff[0],
                        created_at=now,
                        updated_at=now,
                    )
                )
            orders.append(
                MedicationOrder(
                    organisation_id=org_id,
                    home_id=home.pk,
                    resident_id=r.pk,
                    medicine=paracetamol,
                    prescriber="Dr Bench",
                    dose=Decimal(1),
                    dose_max=Decimal(2),
                    is_prn=True,
                    start_date=start,
                    prn_indication="pain",
                    prn_min_interval_minutes=240,
                    prn_max_amount_24h=Decimal(8),
                    prn_expected_effect="Pain eased",
                    prn_effect_check_minutes=60,
                    created_by=staff[0],
                    created_at=now,
                    updated_at=now,
                )
            )
            orders.append(
                MedicationOrder(
                    organisation_id=org_id,
                    home_id=home.pk,
                    resident_id=r.pk,
                    medicine=lactulose,
                    prescriber="Dr Bench",
                    dose=Decimal(10),
                    is_prn=True,
                    start_date=start,
                    prn_indication="constipation",
                    prn_min_interval_minutes=720,
                    prn_max_doses_24h=2,
                    created_by=staff[0],
                    created_at=now,
                    updated_at=now,
                )
            )
        MedicationOrder.objects.bulk_create(orders, batch_size=BATCH)
        counts["orders"] = len(orders)
        orders = list(MedicationOrder.objects.filter(home=home))
        history_end = timezone.make_aware(datetime.combine(now.date(), time.min))  # today stays open
        history_start = history_end - timedelta(days=days)
        pending = []

        def flush():
            Administration.objects.bulk_create(pending, batch_size=BATCH)
            counts["administrations"] += len(pending)
            pending.clear()

        for o in orders:
            if o.is_prn:
                day = history_start
                while day < history_end:
                    if rng.random() < 0.25:
                        at = day + timedelta(hours=rng.randint(9, 20), minutes=rng.randint(0, 59))
                        pending.append(_row(Administration, o, org_id, home.pk, None, at, "given", o.dose, staff, rng))
                    day += timedelta(days=1)
            else:
                for due in slots_between(o, history_start, history_end):
                    outcome = "refused" if rng.random() < 0.03 else "given"
                    at = due + timedelta(minutes=rng.randint(-20, 40))
                    pending.append(
                        _row(
                            Administration,
                            o,
                            org_id,
                            home.pk,
                            due,
                            at,
                            outcome,
                            o.dose if outcome == "given" else None,
                            staff,
                            rng,
                        )
                    )
            if len(pending) >= BATCH:
                flush()
        flush()
    counts["slot"] = slot
    return counts


def _row(model, o, org_id, home_id, due, at, outcome, dose, staff, rng):
    return model(
        organisation_id=org_id,
        home_id=home_id,
        order_id=o.pk,
        resident_id=o.resident_id,
        due_at=due,
        outcome=outcome,
        reason_code="" if outcome == "given" else "refused",
        dose=dose,
        administered_at=at,
        recorded_at=at,
        recorded_by=rng.choice(staff[:2]),
    )


def measure_round(client, unit, slot: str, n: int) -> None:
    url = f"/medication/round/?unit={unit.pk}&slot={slot}"
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    times = []
    for _ in range(n):
        start = clock.perf_counter()
        response = client.get(url)
        times.append((clock.perf_counter() - start) * 1000)
    median = statistics.median(times)
    emit(
        metric="round_view",
        url=url,
        median_ms=round(median, 1),
        p90_ms=round(percentile(times, 0.9), 1),
        max_ms=round(max(times), 1),
        n=n,
        target_ms=ROUND_TARGET_MS,
        met=median < ROUND_TARGET_MS,
    )
    measure_queries(client, "round_view", url)
    # opening one resident on the round (htmx swaps their medicines in: every dose with its form)
    from writecarenotes.platform.tenancy.scope import acting_for
    from writecarenotes.residents.models import Resident

    with acting_for([unit.home], reason="benchmark"):
        resident = Resident.objects.filter(unit=unit).order_by("pk").first()
    row_url = f"/medication/round/residents/{resident.pk}/?unit={unit.pk}&slot={slot}"
    times = []
    for _ in range(n):
        start = clock.perf_counter()
        client.get(row_url, HTTP_HX_REQUEST="true")
        times.append((clock.perf_counter() - start) * 1000)
    median = statistics.median(times)
    emit(
        metric="round_open_resident",
        url=row_url,
        median_ms=round(median, 1),
        p90_ms=round(percentile(times, 0.9), 1),
        n=n,
        target_ms=ROUND_TARGET_MS,
        met=median < ROUND_TARGET_MS,
    )


def measure_recording(home, nurse, slot: str, n: int) -> None:
    """Record ``n`` doses of the open slot (each its own order), timing the service function."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from writecarenotes.medication import services_rounds
    from writecarenotes.medication.models import Administration, MedicationOrder
    from writecarenotes.medication.schedule import parse_time
    from writecarenotes.platform.audit.context import acting_as_system
    from writecarenotes.platform.identity.access import build_access
    from writecarenotes.platform.tenancy.scope import acting_for

    access = build_access(nurse, home.pk)
    due = timezone.make_aware(datetime.combine(timezone.localdate(), parse_time(slot)))
    with acting_for([home], reason="benchmark"), acting_as_system("benchmark"):
        done = set(Administration.objects.filter(due_at=due).values_list("order_id", flat=True))
        orders = [o for o in MedicationOrder.objects.filter(home=home, is_prn=False, times=[slot]) if o.pk not in done]
    if len(orders) < n:
        raise SystemExit(f"only {len(orders)} open doses left in the {slot} slot: use a new --db")
    times, queries = [], []
    for o in orders[:n]:
        with acting_for([home], reason="benchmark"), CaptureQueriesContext(connection) as ctx:
            start = clock.perf_counter()
            services_rounds.record_administration(
                o.pk, user=nurse, access=access, outcome="given", dose=Decimal(1), due_at=due
            )
            times.append((clock.perf_counter() - start) * 1000)
        queries.append(len(ctx.captured_queries))
    median = statistics.median(times)
    emit(
        metric="record_dose_service",
        median_ms=round(median, 1),
        p90_ms=round(percentile(times, 0.9), 1),
        max_ms=round(max(times), 1),
        queries_median=statistics.median(queries),
        n=n,
        target_ms=RECORD_TARGET_MS,
        met=median < RECORD_TARGET_MS,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=60)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--db", type=Path, help="SQLite file to create (default: a new temporary folder)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 5 residents, 14 days, few requests")
    parser.add_argument("--requests", type=int, default=30, help="requests of the round view")
    parser.add_argument("--doses", type=int, default=100, help="doses recorded")
    args = parser.parse_args()
    if args.quick:
        args.residents, args.days, args.requests, args.doses = 5, 14, 5, 10
    db_path = (args.db or Path(tempfile.mkdtemp(prefix="wcn-bench-med-")) / "db.sqlite3").resolve()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    if db_path.exists():
        raise SystemExit(f"{db_path} exists: give a new --db path")
    setup_django(db_path)

    import os
    import platform

    import django
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()")
        sqlite_version = cursor.fetchone()[0]
    emit(
        metric="machine",
        python=platform.python_version(),
        django=django.get_version(),
        sqlite=sqlite_version,
        cpu_count=os.cpu_count(),
        platform=platform.platform(),
        db=str(db_path),
    )
    call_command("migrate", verbosity=0)
    rng = random.Random(20261201)  # noqa: S311 - seed data, not security
    start = clock.perf_counter()
    _org, home, unit, staff, residents = build_home(args.residents, args.days, rng)
    counts = seed_medication(home, residents, staff, args.days, rng)
    emit(
        metric="seed",
        residents=len(residents),
        days=args.days,
        seconds=round(clock.perf_counter() - start, 1),
        db_mb=round(db_path.stat().st_size / 1e6, 1),
        **counts,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    nurse = staff[0]
    client = Client()
    client.force_login(nurse)
    measure_round(client, unit, counts["slot"], args.requests)
    measure_recording(home, nurse, counts["slot"], min(args.doses, len(residents) * 4))


if __name__ == "__main__":
    main()
