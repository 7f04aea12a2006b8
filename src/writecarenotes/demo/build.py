"""The demo organisation: ``writecarenotes demo [--reset]`` and ``make run`` on an empty database.

"Bryn & Oak Care Group" runs a nursing home in England (CQC) and a residential home in Wales
(CIW), with one user for every role and 60 synthetic residents. The build is deterministic (a
seeded random generator): the same people, rooms and NHS numbers every time, except that
admission dates are counted back from today so they stay within the last four years.

This module is system code: it enters the tenant scope with ``acting_for`` to build, and uses
``Model.unscoped`` (the listed escape hatch) to delete the demo organisation's rows on ``--reset``.
"""

from __future__ import annotations

import importlib.util
import random
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

from writecarenotes.demo import data, profiles
from writecarenotes.platform.audit.context import acting_as_system
from writecarenotes.platform.identity.capabilities import ROLES
from writecarenotes.platform.identity.models import Membership, User
from writecarenotes.platform.tenancy.models import CareHome, Organisation, Room, TenantModel, Unit
from writecarenotes.platform.tenancy.scope import acting_for
from writecarenotes.residents import nhs_number, services
from writecarenotes.residents.models import ResidentStatus

#: The one password of every demo user. Published on purpose (printed with the log-ins and in
#: the README): demo users only, never a real account. It passes Django's password validators.
DEMO_PASSWORD = "demo-only-Bryn-Oak-24"  # noqa: S105
SEED = 20240601


class DemoError(RuntimeError):
    """The demo organisation cannot be built or reset (the message says why)."""


def database_is_empty() -> bool:
    """True when no organisation and no user exist yet (a fresh install)."""
    return not Organisation.objects.exists() and not User.objects.exists()


def demo_organisation() -> Organisation | None:
    return Organisation.objects.filter(slug=data.ORGANISATION["slug"]).first()


def ensure_demo(reset: bool = False, quiet: bool = False) -> Organisation | None:
    """Build the demo organisation if it is missing (or rebuild it with ``reset``).

    If it exists and ``reset`` is false nothing changes. Refused in production: the demo
    password is public.
    """
    say = (lambda *a: None) if quiet else print
    if getattr(settings, "PRODUCTION", False):
        say(
            "The demo organisation is never loaded in production (its password is public). "
            "Create your organisation with `writecarenotes createadmin`."
        )
        return None
    with transaction.atomic():
        org = demo_organisation()
        if org is not None and not reset:
            say("The demo organisation is already there (use `writecarenotes demo --reset` to rebuild it).")
            if not quiet:
                print_logins()
            return org
        if org is not None:
            _delete_demo(org)
        # Demo accounts left without their organisation would block the e-mail addresses.
        User.objects.filter(email__iendswith="@" + data.EMAIL_DOMAIN).delete()
        org = _build(random.Random(SEED))
    if not quiet:
        print(f"Built the demo organisation {org.name}.")
        print_logins()
    return org


def _tenant_models() -> list:
    return [m for m in apps.get_models() if issubclass(m, TenantModel)]


def _delete_demo(org: Organisation) -> None:
    """Delete every row of the demo organisation, whatever service owns it."""
    pending = _tenant_models()
    # Tenant tables protect each other (a resident protects its room): delete in passes until
    # every table is empty for the organisation, or no pass makes progress.
    for _ in range(len(pending) + 1):
        blocked = []
        for model in pending:
            try:
                with transaction.atomic():
                    model.unscoped.filter(organisation=org).delete()
            except (ProtectedError, RestrictedError):
                blocked.append(model)
        if not blocked or len(blocked) == len(pending):
            pending = blocked
            break
        pending = blocked
    if pending:
        names = ", ".join(sorted(m._meta.label for m in pending))
        raise DemoError(f"Cannot delete the demo organisation's rows of {names}: other rows still refer to them.")
    Membership.objects.filter(organisation=org).delete()
    User.objects.filter(email__iendswith="@" + data.EMAIL_DOMAIN).delete()
    try:
        CareHome.objects.filter(organisation=org).delete()
        org.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise DemoError(f"Cannot delete the demo organisation: {exc}") from exc


def _build(rng: random.Random) -> Organisation:
    org = Organisation.objects.create(**data.ORGANISATION)
    homes: dict[str, CareHome] = {}
    for spec in data.HOMES:
        homes[spec["key"]] = CareHome.objects.create(
            organisation=org,
            name=spec["name"],
            nation=spec["nation"],
            regulator=spec["regulator"],
            registration_number=spec["registration_number"],
            care_type=spec["care_type"],
            registered_beds=spec["registered_beds"],
            address=spec["address"],
        )
    _build_users(org, homes)
    used_nhs: set[str] = set()
    with acting_for(list(homes.values()), reason="demo"), acting_as_system("demo organisation build"):
        for spec in data.HOMES:
            home = homes[spec["key"]]
            beds = _build_rooms(home, spec)
            placed = _build_residents(home, spec, beds, rng, used_nhs)
            _care_records(home, placed, rng)
            for _label, seed in DEMO_SEEDS:
                seed(home, placed, [], rng)
    return org


def _seed_assessments(home, residents, users, rng):
    from writecarenotes.assessments import demo

    return demo.seed(home, residents, users, rng)


def _seed_care_plans(home, residents, users, rng):
    from writecarenotes.care_planning import demo_plans

    return demo_plans.seed(home, residents, users, rng)


def _seed_risks(home, residents, users, rng):
    from writecarenotes.care_planning import demo_risks

    return demo_risks.seed(home, residents, users, rng)


def _seed_pathways(home, residents, users, rng):
    from writecarenotes.care_planning import demo_pathways

    return demo_pathways.seed(home, residents, users, rng)


#: Demo history from other contexts, in order (each through that context's own services, so every
#: entry has its audit record and events): ``seed(home, residents, users, rng)``. Care plans are
#: proposed from the assessments' results, and rehabilitation goals start from the latest Barthel.
def _seed_medication(home, residents, users, rng):
    from writecarenotes.medication import demo_medication

    return demo_medication.seed(home, residents, users, rng)


def _seed_incidents(home, residents, users, rng):
    from writecarenotes.incidents import demo_incidents

    return demo_incidents.seed(home, residents, users, rng)


def _seed_investigations(home, residents, users, rng):
    from writecarenotes.incidents import demo_investigation

    return demo_investigation.seed(home, residents, users, rng)


DEMO_SEEDS: list = [
    ("assessments", _seed_assessments),
    ("care plans", _seed_care_plans),
    ("risks and mental capacity", _seed_risks),
    ("specialist pathways", _seed_pathways),
    ("medicines", _seed_medication),  # formulary, reconciled orders, a week of rounds, CD register, stock
    ("incidents", _seed_incidents),  # their follow-up tasks, notifications, duties and investigations follow
    ("incident investigations", _seed_investigations),
]


#: days of notes and charts in the demo (the tests of the demo's people use fewer)
CARE_RECORD_DAYS = 28


def _care_records(home: CareHome, residents: list, rng: random.Random) -> None:
    """Several weeks of notes and charts, when the daily care records context provides them."""
    if importlib.util.find_spec("writecarenotes.care_records.demo") is None:
        return
    from writecarenotes.care_records import demo as care_demo

    care_demo.generate(home, residents, days=CARE_RECORD_DAYS, rng=rng)


def _build_users(org: Organisation, homes: dict[str, CareHome]) -> None:
    # Every demo user shares the one published password, so they can share one hash too
    # (Argon2 is slow on purpose; this keeps `make run` quick).
    hashed = make_password(DEMO_PASSWORD)
    for role, full_name, local, home_keys in data.USERS:
        if role not in ROLES:
            raise DemoError(f"unknown role {role!r} in the demo data")
        user = User(email=f"{local}@{data.EMAIL_DOMAIN}", full_name=full_name)
        validate_password(DEMO_PASSWORD, user)
        user.password = hashed
        user.save()
        if home_keys is None:
            Membership.objects.create(user=user, organisation=org, home=None, role=role)
        for key in home_keys or []:
            Membership.objects.create(user=user, organisation=org, home=homes[key], role=role)


def _build_rooms(home: CareHome, spec: dict) -> list[tuple[Unit, Room]]:
    """Units and rooms; returns one (unit, room) entry per bed."""
    beds: list[tuple[Unit, Room]] = []
    for order, (name, description, rooms) in enumerate(spec["units"]):
        unit = Unit.objects.create(home=home, name=name, description=description, sort_order=order)
        for number, bed_count, en_suite in rooms:
            room = Room.objects.create(home=home, unit=unit, number=number, beds=bed_count, en_suite=en_suite)
            beds.extend([(unit, room)] * bed_count)
    if len(beds) != spec["registered_beds"]:
        raise DemoError(f"{home.name}: rooms hold {len(beds)} beds, registered for {spec['registered_beds']}")
    return beds


def _new_nhs_number(rng: random.Random, used: set[str]) -> str:
    while True:
        first_nine = f"999{rng.randrange(1_000_000):06d}"
        check = nhs_number.check_digit(first_nine)
        if check is None:  # a check digit of 10: no valid number starts like this
            continue
        number = f"{first_nine}{check}"
        if number not in used and nhs_number.is_valid(number):
            used.add(number)
            return number


def _random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _new_name(rng: random.Random, spec: dict, taken: set[tuple[str, str]]) -> tuple[str, str, str]:
    welsh = spec["nation"] == "wales"
    while True:
        # Most Welsh residents have Welsh names; some moved from England, as in life.
        names = data.WELSH_NAMES if welsh and rng.random() < 0.8 else data.ENGLISH_NAMES
        given = rng.choice(names["female"] if rng.random() < 0.68 else names["male"])
        family = rng.choice((data.WELSH_NAMES if welsh else data.ENGLISH_NAMES)["family"])
        if (given, family) in taken:
            continue
        taken.add((given, family))
        legal = f"{given} {rng.choice(names['middle'])}" if rng.random() < 0.5 else given
        preferred = data.PREFERRED.get(given, "") if rng.random() < 0.6 else ""
        return legal, family, preferred


def _build_residents(home: CareHome, spec: dict, beds: list, rng: random.Random, used_nhs: set[str]) -> list:
    """Residents through the lifecycle services (enquiry, assessment, admission, hospital stays),
    with believable profiles; returns the residents in the home (admitted or away)."""
    counts = spec["residents"]
    statuses = (
        [ResidentStatus.IN_RESIDENCE] * counts["in_residence"]
        + [ResidentStatus.TEMPORARILY_ABSENT] * counts["temporarily_absent"]
        + [ResidentStatus.ENQUIRY] * counts["enquiry"]
    )
    free_beds = list(beds)
    rng.shuffle(free_beds)
    today = date.today()
    taken: set[tuple[str, str]] = set()
    out: list = []
    for status in statuses:
        given, family, preferred = _new_name(rng, spec, taken)
        placed = status != ResidentStatus.ENQUIRY
        unit, room = free_beds.pop() if placed else (None, None)
        admitted_on = today - timedelta(days=rng.randrange(14, 4 * 365)) if placed else None
        resident = services.create_enquiry(
            home=home,
            legal_given_names=given,
            legal_family_name=family,
            preferred_name=preferred,
            date_of_birth=_random_date(rng, date(1925, 1, 1), date(1950, 12, 31)),
            nhs_number=_new_nhs_number(rng, used_nhs),
            enquiry_on=(admitted_on - timedelta(days=rng.randrange(15, 40))) if placed else today,
            enquiry_notes="" if placed else "Daughter phoned: her mother is in hospital and cannot go home alone.",
        )
        if not placed:
            continue
        resident = profiles.admit_through_lifecycle(resident, room, admitted_on, rng)
        profiles.fill_profile(resident, rng, family)
        if status == ResidentStatus.TEMPORARILY_ABSENT:
            resident = profiles.start_hospital_stay(resident, rng)
        out.append(resident)
    return out


def _homes_label(memberships: list[Membership]) -> str:
    if any(m.home_id is None for m in memberships):
        return "All homes"
    return ", ".join(m.home.name for m in memberships)


def print_logins() -> None:
    """A table of the demo log-ins (role, name, homes, e-mail), the password and how two-factor works."""
    org = demo_organisation()
    if org is None:
        return
    memberships = list(
        Membership.objects.filter(organisation=org).select_related("user", "home").order_by("user__email", "home__name")
    )
    by_user: dict[int, list[Membership]] = {}
    for m in memberships:
        by_user.setdefault(m.user_id, []).append(m)
    order = list(ROLES)
    rows = []
    for ms in by_user.values():
        user = ms[0].user
        role = ms[0].role
        rows.append((order.index(role), str(ROLES[role].label), user.full_name, _homes_label(ms), user.email))
    rows.sort()
    header = ("Role", "Name", "Home(s)", "E-mail")
    table = [header] + [r[1:] for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    print(f"\nDemo log-ins for {org.name}:\n")
    for i, row in enumerate(table):
        print("  " + "  ".join(cell.ljust(widths[c]) for c, cell in enumerate(row)).rstrip())
        if i == 0:
            print("  " + "  ".join("-" * w for w in widths))
    print(f"\nPassword for every demo user: {DEMO_PASSWORD}")
    print(
        "Two-factor: `make run` sets WCN_TWO_FACTOR=off, so the demo asks only for the e-mail and password\n"
        "(a banner on every page says so). With two-factor on, the first log-in of a user who needs it shows a\n"
        "QR code to enrol an authenticator app; later log-ins ask for its six-digit code."
    )
