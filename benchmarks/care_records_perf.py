"""Performance of residents and daily care records (issue 4), on SQLite. Prints JSON lines.

    python benchmarks/care_records_perf.py [--residents 60] [--days 730] [--db PATH] [--quick]

1. machine facts; 2. seeding (60 residents through the residents services, ~1.3 million care
records bulk-inserted over ``--days`` days); 3. page latency (median, p90, max; target 150 ms
median) of the care journey, the unit alert list and the resident's care page, through Django's
test Client with a signed-in nurse; 4. recording throughput of quick notes through the API (with
Idempotency-Key, audit record and event), one per request and ``--batch-size`` per request
(``POST /entries/batch``), and through the service function (target 300 per second;
``recording.py``); 5. with ``--http``, the same through a real server (``http_load.py``).

The database is its own file (a temporary folder unless ``--db``); nothing touches var/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time as clock
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 150
TARGET_PER_SECOND = 300
BATCH = 5000
MARK = "Benchmark note"  # the text of every note the measurements write (not part of the seeded history)


def emit(**fields) -> None:
    print(json.dumps(fields), flush=True)


def setup_django(db_path: Path) -> None:
    """Environment BEFORE django.setup(): settings read it at import."""
    os.environ["WCN_DATA_DIR"] = str(db_path.parent)
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["WCN_ENV"] = "test"
    os.environ["WCN_TWO_FACTOR"] = "off"
    os.environ.setdefault("WCN_LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "writecarenotes.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


# --- seeding ------------------------------------------------------------------------------------


def build_home(n_residents: int, days: int, rng: random.Random):
    """Organisation, home, one unit with rooms, a nurse, carers and residents (through the services)."""
    from django.contrib.auth.hashers import make_password

    from writecarenotes.demo import profiles
    from writecarenotes.platform.audit.context import acting_as_system
    from writecarenotes.platform.identity.models import Membership, User
    from writecarenotes.platform.tenancy.models import CareHome, Organisation, Room, Unit
    from writecarenotes.platform.tenancy.scope import acting_for
    from writecarenotes.residents import nhs_number, services

    org = Organisation.objects.create(name="Benchmark Care", slug=f"bench-{uuid.uuid4().hex[:8]}")
    home = CareHome.objects.create(
        organisation=org,
        name="Benchmark House",
        nation="england",
        regulator="cqc",
        registration_number="1-000000001",
        care_type="nursing",
        registered_beds=n_residents,
    )
    hashed = make_password(None)
    staff = []
    for i, role in enumerate(["nurse", "senior_carer", "carer", "carer", "carer"]):
        u = User.objects.create(email=f"{role}{i}@bench.example", full_name=f"Bench {role} {i}", password=hashed)
        Membership.objects.create(user=u, organisation=org, home=home, role=role)
        staff.append(u)
    used: set[str] = set()
    residents = []
    today = date.today()
    with acting_for([home], reason="benchmark"), acting_as_system("benchmark seed"):
        unit = Unit.objects.create(home=home, name="Ground floor")
        rooms = [Room.objects.create(home=home, unit=unit, number=str(i + 1)) for i in range(n_residents)]
        for i, room in enumerate(rooms):
            while True:
                first_nine = f"999{rng.randrange(1_000_000):06d}"
                check = nhs_number.check_digit(first_nine)
                if check is not None and f"{first_nine}{check}" not in used:
                    number = f"{first_nine}{check}"
                    used.add(number)
                    break
            admitted_on = today - timedelta(days=days + rng.randrange(14, 200))
            r = services.create_enquiry(
                home=home,
                legal_given_names=rng.choice(["Margaret", "Dorothy", "Joan", "Arthur", "Harold", "Edith"]),
                legal_family_name=f"Resident{i + 1:02d}",
                date_of_birth=date(1925 + rng.randrange(25), rng.randrange(1, 13), rng.randrange(1, 28)),
                nhs_number=number,
                enquiry_on=admitted_on - timedelta(days=rng.randrange(15, 40)),
            )
            r = profiles.admit_through_lifecycle(r, room, admitted_on, rng)
            profiles.fill_profile(r, rng, r.legal_family_name)
            residents.append(r)
    return org, home, unit, staff, residents


def seed_records(home, residents, staff, days: int, rng: random.Random) -> dict[str, int]:
    """~30 records per resident per day, bulk-inserted in batches of BATCH (no audit rows or events:
    seed data, as care_records.demo does)."""
    from django.utils import timezone

    from writecarenotes.care_records import demo as care_demo
    from writecarenotes.care_records.models import (
        BehaviourEntry,
        BloodGlucoseEntry,
        CareNote,
        ChartSettings,
        ContinenceEntry,
        FoodFluidEntry,
        RepositioningEntry,
        SleepCheck,
        VitalSigns,
        WeightEntry,
    )
    from writecarenotes.platform.tenancy.scope import acting_for

    now = timezone.now()
    today = timezone.localdate()
    org_id = home.organisation_id
    counts: dict[str, int] = {}
    pending: dict[type, list] = {}

    def flush(model) -> None:
        items = pending.pop(model, [])
        if items:
            model.objects.bulk_create(items, batch_size=BATCH)
            counts[model.__name__] = counts.get(model.__name__, 0) + len(items)

    def add(model, resident, at: datetime, **values):
        if at > now:
            return None
        entry = model(
            organisation_id=org_id,
            home_id=home.pk,
            resident_id=resident.pk,
            occurred_at=at,
            recorded_at=at + timedelta(minutes=rng.randint(1, 25)),
            recorded_by=rng.choice(staff),
            **values,
        )
        items = pending.setdefault(model, [])
        items.append(entry)
        if len(items) >= BATCH:
            flush(model)
        return entry

    def local(day, t: time, jitter: int = 20) -> datetime:
        return timezone.make_aware(datetime.combine(day, t)) + timedelta(minutes=rng.randint(-jitter, jitter))

    with acting_for([home], reason="benchmark"):
        settings = [
            ChartSettings(
                organisation_id=org_id,
                home_id=home.pk,
                resident_id=r.pk,
                fluid_target_ml=rng.choice([1200, 1500, 1600, 1800]),
                fluid_check_time=time(14, 0),
                fluid_check_percent=50,
                repositioning_interval_hours=rng.choice([2, 3, 4]) if i % 2 == 0 else None,
                bowel_alert_days=3,
            )
            for i, r in enumerate(residents)
        ]
        ChartSettings.objects.bulk_create(settings)
        interval = {s.resident_id: s.repositioning_interval_hours for s in settings}
        for r in residents:
            weight = Decimal(rng.randint(480, 820)) / 10
            diabetic = rng.random() < 0.12
            for back in range(days, -1, -1):
                day = today - timedelta(days=back)
                for _ in range(rng.randint(6, 8)):
                    cat = rng.choice(list(care_demo.NOTES))
                    hour = rng.randint(23, 29) % 24 if cat == "night_check" else rng.randint(8, 20)
                    add(
                        CareNote,
                        r,
                        local(day, time(hour, rng.randint(0, 59)), 0),
                        category=cat,
                        text=rng.choice(care_demo.NOTES[cat]),
                    )
                for t in care_demo.DRINK_TIMES:
                    ml = rng.choice([100, 150, 200, 250])
                    add(FoodFluidEntry, r, local(day, t), meal="drink", item=rng.choice(care_demo.DRINKS), fluid_ml=ml)
                for meal, (t, dishes) in care_demo.MEALS.items():
                    add(
                        FoodFluidEntry,
                        r,
                        local(day, t),
                        meal=meal,
                        item=rng.choice(dishes),
                        amount_eaten=rng.choice(care_demo.EATEN),
                    )
                add(ContinenceEntry, r, local(day, time(7, 0)), urine_passed=True, pad_changed=True)
                add(ContinenceEntry, r, local(day, time(14, 0)), urine_passed=True, pad_changed=True)
                if rng.random() < 0.6:
                    add(
                        ContinenceEntry,
                        r,
                        local(day, time(10, 30), 90),
                        bowels_opened=True,
                        stool_type=rng.choice([3, 4, 5]),
                    )
                for t in (time(22, 0), time(23, 59), time(2, 0), time(5, 0)):
                    add(SleepCheck, r, local(day, t, 10), state=rng.choice(["asleep", "asleep", "awake"]))
                hours = interval.get(r.pk)
                if hours:
                    at = local(day, time(0, 5), 0)
                    while at.date() == day:
                        add(
                            RepositioningEntry,
                            r,
                            at,
                            position=rng.choice(["left", "right", "back"]),
                            skin_check="intact",
                        )
                        at += timedelta(hours=hours)
                if back % 7 == 0:
                    weight += Decimal(rng.randint(-3, 3)) / 10
                    add(WeightEntry, r, local(day, time(9, 30)), weight_kg=weight)
                if diabetic:
                    for t in (time(7, 45), time(16, 45)):
                        add(BloodGlucoseEntry, r, local(day, t, 10), mmol_per_l=Decimal(rng.randint(48, 120)) / 10)
                if rng.random() < 0.02:
                    add(
                        BehaviourEntry,
                        r,
                        local(day, time(17, 0), 30),
                        antecedent="Busy lounge before tea",
                        behaviour="Calling out",
                        consequence="Settled with a walk",
                        duration_minutes=10,
                        intensity=1,
                    )
                vs = add(
                    VitalSigns,
                    r,
                    local(day, time(9, 0), 60),
                    respiration_rate=rng.randint(14, 20),
                    spo2=rng.randint(94, 99),
                    on_oxygen=False,
                    systolic_bp=rng.randint(110, 150),
                    diastolic_bp=rng.randint(60, 85),
                    pulse=rng.randint(60, 95),
                    consciousness="A",
                    temperature=Decimal(rng.randint(360, 375)) / 10,
                )
                if vs is not None:
                    vs.compute_news2()
        for model in list(pending):
            flush(model)
    return counts


# --- measuring ----------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p * (len(ordered) - 1))))
    return ordered[k]


def measure_page(client, metric: str, url: str, n: int) -> dict:
    response = client.get(url)  # warm-up (templates, caches)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    times = []
    for _ in range(n):
        start = clock.perf_counter()
        response = client.get(url)
        times.append((clock.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)  # noqa: S101
    median = statistics.median(times)
    line = {
        "metric": metric,
        "url": url,
        "median_ms": round(median, 1),
        "p90_ms": round(percentile(times, 0.9), 1),
        "max_ms": round(max(times), 1),
        "n": n,
        "target_ms": TARGET_MS,
        "met": median < TARGET_MS,
    }
    emit(**line)
    return line


def measure_queries(client, metric: str, url: str) -> None:
    """One request with the query log on: number of queries, total and slowest query time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    timed = sorted(ctx.captured_queries, key=lambda q: float(q["time"]), reverse=True)
    emit(
        metric=f"{metric}_queries",
        queries=len(timed),
        query_ms=round(sum(float(q["time"]) for q in timed) * 1000, 1),
        slowest=[{"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:300]} for q in timed[:3]],
    )


def _written(home) -> tuple[int, int]:
    from writecarenotes.platform.audit.models import AuditRecord
    from writecarenotes.platform.events.models import OutboxEvent
    from writecarenotes.platform.tenancy.scope import acting_for

    with acting_for([home], reason="benchmark"):
        return AuditRecord.objects.count(), OutboxEvent.objects.count()


def existing_home():
    """The benchmark home of a seeded database (``--reuse``)."""
    from writecarenotes.platform.identity.models import Membership
    from writecarenotes.platform.tenancy.models import CareHome, Unit
    from writecarenotes.platform.tenancy.scope import acting_for
    from writecarenotes.residents.models import Resident

    home = CareHome.objects.filter(name="Benchmark House").order_by("-pk").first()
    if home is None:
        raise SystemExit("--reuse: no benchmark home in this database")
    staff = [m.user for m in Membership.objects.filter(home=home).select_related("user").order_by("pk")]
    with acting_for([home], reason="benchmark"):
        unit = Unit.objects.get(home=home)
        residents = list(Resident.objects.filter(home=home))
    return home, unit, staff, residents


def profile_page(client, metric: str, url: str, top: int = 12) -> None:
    """One request under cProfile."""
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url)
    profiler.disable()
    emit_profile(profiler, metric, top)


def profile_service(home, user, resident_id: int, n: int = 50, top: int = 12) -> None:
    """``n`` notes through services_notes.record_note under cProfile."""
    import cProfile

    from django.utils import timezone

    from writecarenotes.care_records.services_notes import record_note
    from writecarenotes.platform.audit.context import acting_as_system
    from writecarenotes.platform.tenancy.scope import acting_for

    profiler = cProfile.Profile()
    with acting_for([home], reason="benchmark"), acting_as_system("benchmark"):
        profiler.enable()
        for _ in range(n):
            record_note(
                resident_id=resident_id, user=user, category="mood", text=f"{MARK} profiled", occurred_at=timezone.now()
            )
        profiler.disable()
    emit_profile(profiler, f"service_record_note_x{n}", top)


def profile_api(client, resident_id: int, n: int = 50, top: int = 12) -> None:
    """``n`` notes through the API under cProfile."""
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(n):
        client.post(
            f"/api/v1/care_records/residents/{resident_id}/notes",
            data={"category": "mood", "text": f"{MARK} profiled through the API {i}."},
            content_type="application/json",
            headers={"Idempotency-Key": uuid.uuid4().hex},
        )
    profiler.disable()
    emit_profile(profiler, f"api_record_note_x{n}", top)


def emit_profile(profiler, metric: str, top: int) -> None:
    """The project functions with the most cumulative time and the functions with the most own time."""
    import pstats

    stats = pstats.Stats(profiler)
    rows = []
    for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():
        rows.append((cumtime, tottime, calls, f"{Path(filename).name}:{line}({name})", filename))
    rows.sort(reverse=True)
    ours = [r for r in rows if "/writecarenotes/" in r[4]]
    by_self = sorted(rows, key=lambda r: r[1], reverse=True)
    emit(
        metric=f"{metric}_profile",
        total_ms=round(stats.total_tt * 1000, 1),
        top_cumulative_project=[{"ms": round(c * 1000, 1), "calls": n, "fn": f} for c, _t, n, f, _p in ours[:top]],
        top_self=[{"ms": round(t * 1000, 1), "calls": n, "fn": f} for _c, t, n, f, _p in by_self[:top]],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=60)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--db", type=Path, help="SQLite file to use (default: a new temporary folder)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 5 residents, 14 days, few requests")
    parser.add_argument("--requests", type=int, default=50, help="requests per page measurement")
    parser.add_argument("--seconds", type=float, default=10.0, help="time box of each throughput measurement")
    parser.add_argument("--reuse", action="store_true", help="measure an already seeded --db (no seeding)")
    parser.add_argument("--http", action="store_true", help="also measure recording through a real server")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers for --http")
    parser.add_argument("--clients", type=int, default=6, help="concurrent clients for --http")
    parser.add_argument("--batch-size", type=int, default=25, help="entries per request of the batched runs")
    parser.add_argument("--profile", action="store_true", help="also cProfile one request of each page")
    args = parser.parse_args()
    if args.quick:
        args.residents, args.days, args.requests, args.seconds = 5, 14, 5, 2.0
    db_path = (args.db or Path(tempfile.mkdtemp(prefix="wcn-bench-")) / "db.sqlite3").resolve()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    if args.reuse and not db_path.exists():
        raise SystemExit(f"--reuse: {db_path} does not exist")
    if db_path.exists() and not args.reuse:
        raise SystemExit(f"{db_path} exists: give a new --db path")
    setup_django(db_path)

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
        processor=platform.processor() or platform.machine(),
        db=str(db_path),
    )

    if args.reuse:
        home, unit, staff, residents = existing_home()
    else:
        start = clock.perf_counter()
        call_command("migrate", verbosity=0)
        migrate_s = clock.perf_counter() - start
        rng = random.Random(20241130)  # noqa: S311 - seed data, not security
        start = clock.perf_counter()
        _org, home, unit, staff, residents = build_home(args.residents, args.days, rng)
        residents_s = clock.perf_counter() - start
        start = clock.perf_counter()
        counts = seed_records(home, residents, staff, args.days, rng)
        seed_s = clock.perf_counter() - start
        emit(
            metric="seed",
            residents=len(residents),
            residents_via="residents.services (create_enquiry, pre-admission, admit, profile)",
            days=args.days,
            rows=sum(counts.values()),
            rows_by_model=counts,
            migrate_s=round(migrate_s, 1),
            residents_s=round(residents_s, 1),
            records_s=round(seed_s, 1),
            db_mb=round(db_path.stat().st_size / 1e6, 1),
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    from writecarenotes.care_records.models import CareNote
    from writecarenotes.platform.tenancy.scope import acting_for

    with acting_for([home], reason="benchmark"):
        # pages are measured for the resident with the most seeded notes; the throughput runs write to
        # another resident, so that a later --reuse run measures the same pages again
        seeded = {
            r.pk: CareNote.objects.filter(resident_id=r.pk).exclude(text__startswith=MARK).count() for r in residents
        }
    busiest = max(seeded, key=lambda pk: (seeded[pk], -pk))
    writer = min(seeded, key=lambda pk: (seeded[pk], pk))
    nurse = staff[0]
    client = Client()
    client.force_login(nurse)
    pages = [
        ("resident_journey_page", f"/residents/{busiest}/journey/"),
        ("unit_alert_list", f"/care/units/{unit.pk}/alerts/"),
        ("resident_care_page", f"/care/residents/{busiest}/"),
    ]
    for metric, url in pages:
        measure_page(client, metric, url, args.requests)
    for metric, url in pages:
        measure_queries(client, metric, url)
    from recording import measure_api, measure_api_batch, measure_service  # benchmarks/recording.py

    measure_api(client, home, writer, args.seconds, 2000)
    measure_api_batch(client, home, writer, args.seconds, 20000, args.batch_size)
    measure_service(home, nurse, writer, args.seconds, 2000)
    if args.http:
        from http_load import measure_http  # benchmarks/http_load.py, beside this script

        measure_http(home, nurse, writer, args.seconds, args.workers, args.clients, db_path, args.batch_size)
    if args.profile:
        for metric, url in pages:
            profile_page(client, metric, url)
        profile_service(home, nurse, writer)
        profile_api(client, writer)


if __name__ == "__main__":
    main()
