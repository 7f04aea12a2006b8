"""Demo medicines for a home: the formulary, each resident's medicines reconciled on admission, a week
of the eMAR, a controlled drug in its register, stock for the cycle, the fridge log, homely remedies.

``seed(home, residents, users, rng, now=None) -> dict`` is called by the demo builder inside
``acting_for([...])`` and ``acting_as_system(...)``, after the residents exist (and after their
allergies are recorded: a medicine a resident is allergic to is never prescribed).

Through the services (so each has its audit record and events): the formulary, the reconciliations
that start the orders (with the acknowledgement of any duplicate the prescribing check finds), the
homely remedy list, the register page and its receipt (witnessed), stock settings and receipts, the
fridge and its readings (one out of range, with the action taken), today's PRN doses (one overridden
with a reason, for the manager to review) and a reported error. The week of rounds before today is
bulk-inserted (seed history, as the care records demo does: no audit rows or events), with a few
refusals, and two days of refusals for one resident raise the follow-up alert. Today's slots before the
current one are recorded; the current round is left for the user to run.

Deterministic for a given ``rng`` and ``now``.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from writecarenotes.medication import (
    services_controlled,
    services_errors,
    services_formulary,
    services_reconciliation,
    services_rounds,
    services_special,
    services_stock,
    services_stock_fridges,
)
from writecarenotes.medication.models import Administration, MedicationOrder, Medicine, Outcome
from writecarenotes.medication.schedule import slots_between, window

__all__ = ["seed"]

T, C, L = "tablet", "capsule", "liquid"

#: (name, form, dose unit, strength, [(ingredient, mg per dose unit, [classes])], extra fields)
FORMULARY = [
    ("Paracetamol 500 mg tablets", T, "tablet", "500 mg", [("paracetamol", 500, ["analgesic"])], {}),
    ("Amlodipine 5 mg tablets", T, "tablet", "5 mg", [("amlodipine", 5, ["calcium channel blocker"])], {}),
    ("Atorvastatin 20 mg tablets", T, "tablet", "20 mg", [("atorvastatin", 20, ["statin"])], {}),
    ("Bisoprolol 2.5 mg tablets", T, "tablet", "2.5 mg", [("bisoprolol", 2.5, ["beta blocker"])], {}),
    ("Donepezil 10 mg tablets", T, "tablet", "10 mg", [("donepezil", 10, ["acetylcholinesterase inhibitor"])], {}),
    ("Furosemide 40 mg tablets", T, "tablet", "40 mg", [("furosemide", 40, ["loop diuretic"])], {}),
    ("Lansoprazole 15 mg capsules", C, "capsule", "15 mg", [("lansoprazole", 15, ["proton pump inhibitor"])], {}),
    ("Levothyroxine 50 microgram tablets", T, "tablet", "50 micrograms", [("levothyroxine", 0.05, ["thyroid"])], {}),
    ("Metformin 500 mg tablets", T, "tablet", "500 mg", [("metformin", 500, ["biguanide"])], {}),
    ("Sertraline 50 mg tablets", T, "tablet", "50 mg", [("sertraline", 50, ["ssri"])], {}),
    ("Senna 7.5 mg tablets", T, "tablet", "7.5 mg", [("sennosides", 7.5, ["stimulant laxative"])], {}),
    (
        "Calcium carbonate and colecalciferol chewable tablets",
        T,
        "tablet",
        "1.5 g/400 units",
        [("calcium carbonate", 1500, []), ("colecalciferol", 0.01, [])],
        {},
    ),
    ("Lactulose 3.3 g/5 ml oral solution", L, "ml", "3.3 g/5 ml", [("lactulose", 660, ["osmotic laxative"])], {}),
    (
        "Co-careldopa 25 mg/100 mg tablets",
        T,
        "tablet",
        "25 mg/100 mg",
        [("carbidopa", 25, ["dopa decarboxylase inhibitor"]), ("levodopa", 100, ["dopaminergic"])],
        {"time_critical": True},
    ),
    (
        "Morphine sulfate 10 mg/5 ml oral solution",
        L,
        "ml",
        "10 mg/5 ml",
        [("morphine sulfate", 2, ["opioid"])],
        {"controlled_schedule": "2", "cd_register": True},
    ),
    (
        "Insulin glargine 100 units/ml pre-filled pen",
        "injection",
        "unit",
        "100 units/ml",
        [("insulin glargine", None, ["insulin"])],
        {"time_critical": True, "needs_fridge": True},
    ),
    (
        "Gaviscon Advance oral suspension",
        L,
        "ml",
        "",
        [("sodium alginate", 100, ["alginate"]), ("potassium bicarbonate", 20, [])],
        {},
    ),
]

#: regular medicines a resident may take: (medicine, dose, times, food, indication)
REGULAR = [
    ("Amlodipine 5 mg tablets", "1", ["08:00"], "", "High blood pressure"),
    ("Atorvastatin 20 mg tablets", "1", ["20:00"], "", "Cholesterol"),
    ("Bisoprolol 2.5 mg tablets", "1", ["08:00"], "", "Heart rate"),
    ("Donepezil 10 mg tablets", "1", ["20:00"], "", "Alzheimer's disease"),
    ("Furosemide 40 mg tablets", "1", ["08:00"], "", "Heart failure (fluid)"),
    ("Lansoprazole 15 mg capsules", "1", ["08:00"], "before", "Stomach protection"),
    ("Levothyroxine 50 microgram tablets", "1", ["08:00"], "empty", "Underactive thyroid"),
    ("Metformin 500 mg tablets", "1", ["08:00", "17:00"], "with", "Type 2 diabetes"),
    ("Sertraline 50 mg tablets", "1", ["08:00"], "", "Low mood"),
    ("Senna 7.5 mg tablets", "2", ["20:00"], "", "Constipation"),
    ("Calcium carbonate and colecalciferol chewable tablets", "1", ["08:00", "17:00"], "", "Bone health"),
]
PARKINSON = ("Co-careldopa 25 mg/100 mg tablets", "1", ["07:00", "11:00", "15:00", "19:00"], "", "Parkinson's disease")
PRN_PARACETAMOL = {
    "dose": "1",
    "dose_max": "2",
    "prn_indication": "Pain (ask; use the Abbey Pain Scale if she cannot say)",
    "prn_dose_rule": "1 or 2 tablets",
    "prn_min_interval_minutes": 240,
    "prn_max_doses_24h": 4,
    "prn_max_amount_24h": "8",
    "prn_expected_effect": "Pain eased, settled",
    "prn_effect_check_minutes": 60,
}
PRN_LACTULOSE = {
    "dose": "10",
    "dose_max": "15",
    "prn_indication": "No bowel movement for 3 days",
    "prn_min_interval_minutes": 720,
    "prn_max_doses_24h": 2,
    "prn_expected_effect": "Bowels open within 2 days",
}
PRN_MORPHINE = {
    "dose": "2.5",
    "dose_max": "5",
    "prn_indication": "Breakthrough pain or breathlessness",
    "prn_min_interval_minutes": 120,
    "prn_max_doses_24h": 6,
    "prn_expected_effect": "Comfortable, breathing easier",
    "prn_effect_check_minutes": 30,
}


def _staff(home) -> dict[str, list]:
    from writecarenotes.platform.identity.models import Membership

    out: dict[str, list] = {}
    for m in Membership.objects.filter(home=home).select_related("user").order_by("pk"):
        out.setdefault(m.role, []).append(m.user)
    return out


def _allergic_to(resident) -> set[str]:
    from writecarenotes.residents.public import allergies

    return {a.substance.lower() for a in allergies(resident.pk).allergies}


def _formulary(home) -> dict[str, Medicine]:
    out = {}
    for name, form, unit, strength, ingredients, extra in FORMULARY:
        out[name] = services_formulary.add_medicine(
            values={"name": name, "form": form, "dose_unit": unit, "strength": strength, **extra},
            ingredients=[
                {"ingredient": i, "amount_mg": str(mg) if mg is not None else None, "classes": classes}
                for i, mg, classes in ingredients
            ],
            home_id=home.pk,
        )
    return out


def _reconcile(resident, meds, lines, *, nurse, checker, start: date, prescriber: str) -> list[MedicationOrder]:
    """The admission reconciliation that starts the resident's medicines (GP list against what came in)."""
    recon = services_reconciliation.start(
        user=nurse,
        resident_id=resident.pk,
        occasion="admission",
        sources_checked=["gp_record", "brought_in"],
        notes="Checked against the GP summary and the medicines brought in.",
    )
    for medicine, values in lines:
        services_reconciliation.add_line(
            recon.pk,
            user=nurse,
            medicine_id=meds[medicine].pk,
            decision="new",
            reason="On the GP's list and brought in by the family",
            sources={"gp_record": medicine, "brought_in": medicine},
            order_values={"prescriber": prescriber, "start_date": start, **values},
            acknowledgement="Reviewed with the GP at admission: both intended, the total is counted",
        )
    done = services_reconciliation.complete(recon.pk, user=nurse, second_checker=checker)
    ids = [ln.result_order_id for ln in done.lines.all() if ln.result_order_id]
    return list(MedicationOrder.objects.filter(pk__in=ids).select_related("medicine"))


def _lines_for(resident, rng: random.Random, allergic: set[str], *, parkinson: bool, end_of_life: bool):
    lines = []
    for name, dose, times, food, indication in rng.sample(REGULAR, rng.randint(3, 6)):
        lines.append((name, {"dose": dose, "times": times, "food": food, "indication": indication}))
    if parkinson:
        name, dose, times, food, indication = PARKINSON
        lines.append((name, {"dose": dose, "times": times, "indication": indication, "time_critical": True}))
    if "paracetamol" not in allergic:
        review = timezone.localdate() + timedelta(days=rng.randint(20, 80))
        lines.append(("Paracetamol 500 mg tablets", {"is_prn": True, "prn_review_date": review, **PRN_PARACETAMOL}))
    if rng.random() < 0.35:
        review = timezone.localdate() + timedelta(days=rng.randint(20, 80))
        lines.append(
            ("Lactulose 3.3 g/5 ml oral solution", {"is_prn": True, "prn_review_date": review, **PRN_LACTULOSE})
        )
    if end_of_life and "morphine" not in allergic:
        review = timezone.localdate() + timedelta(days=14)
        lines.append(
            (
                "Morphine sulfate 10 mg/5 ml oral solution",
                {"is_prn": True, "prn_review_date": review, "route": "oral", **PRN_MORPHINE},
            )
        )
    return lines


def _local(day: date, hhmm: str) -> datetime:
    h, m = map(int, hhmm.split(":"))
    return timezone.make_aware(datetime.combine(day, time(h, m)))


def _history(home, orders, staff, rng: random.Random, now: datetime, days: int) -> int:
    """``days`` of rounds before the current slot (bulk: seed history); returns the number of records."""
    start = timezone.make_aware(datetime.combine(timezone.localdate(now) - timedelta(days=days), time.min))
    rows = []
    # one resident has refused a morning medicine on the last two days: the nurse's follow-up alert
    regular = [o for o in orders if not o.is_prn and o.times == ["08:00"]]
    refuser = regular[len(regular) // 2].pk if regular else None
    for o in orders:
        if o.is_prn:
            continue
        for due in slots_between(o, max(start, _local(o.start_date, "00:00")), now):
            if window(o, due)[1] > now:
                continue  # the current round: left for the user
            refused = rng.random() < 0.03 or (
                o.pk == refuser and due.date() >= timezone.localdate(now) - timedelta(days=2)
            )
            at = min(due + timedelta(minutes=rng.randint(-25, 35)), now - timedelta(minutes=5))
            rows.append(
                Administration(
                    organisation_id=home.organisation_id,
                    home_id=home.pk,
                    order=o,
                    resident_id=o.resident_id,
                    due_at=due,
                    outcome=Outcome.REFUSED if refused else Outcome.GIVEN,
                    reason_code="refused" if refused else "",
                    note="Said she did not want it; offered again later, still declined." if refused else "",
                    dose=None if refused else o.dose,
                    administered_at=at,
                    recorded_at=at + timedelta(minutes=rng.randint(0, 4)),
                    recorded_by=rng.choice(staff),
                )
            )
    Administration.objects.bulk_create(rows, batch_size=2000)
    from writecarenotes.medication import services_rounds_alerts

    services_rounds_alerts.scan(start)
    return len(rows)


def _stock(home, orders, nurse, now: datetime) -> int:
    """Stock settings and this cycle's receipts from the pharmacy for every regular medicine."""
    today = timezone.localdate(now)
    cycle_start = today - timedelta(days=today.toordinal() % 28)
    services_stock.save_settings(home.pk, cycle_start=cycle_start, cycle_days=28, order_lead_days=7, by=nurse)
    received = 0
    for o in orders:
        if o.is_prn:
            continue
        per_day = Decimal(len(o.times)) * o.dose
        services_stock.receive(
            home.pk,
            medicine_id=o.medicine_id,
            resident_id=o.resident_id,
            quantity=per_day * 28,
            supplier="High Street Pharmacy",
            by=nurse,
            occurred_at=min(_local(cycle_start, "10:30"), now - timedelta(hours=1)),
            reference="28-day cycle",
        )
        received += 1
    return received


def _fridge(home, nurse, now: datetime) -> None:
    fridge = services_stock_fridges.add_fridge(
        home.pk, name="Treatment room fridge", location="Treatment room", by=nurse
    )
    for back in range(6, 0, -1):
        day = timezone.localdate(now) - timedelta(days=back)
        reading = dict(current_c="4.5", min_c="3.2", max_c="6.1")
        action = ""
        if back == 3:
            reading = dict(current_c="6.8", min_c="3.9", max_c="9.4")
            action = (
                "Door found not fully closed after the pharmacy delivery. Closed it, moved the insulin to the back, "
                "rang the pharmacy: stock usable as the maximum was under 25 minutes above 8 °C. "
                "Re-checked at 10:00: 5.1 °C."
            )
        services_stock_fridges.record_reading(
            fridge.pk, by=nurse, read_at=_local(day, "08:40"), action_taken=action, **reading
        )


def _controlled(home, resident, meds, nurse, witness, now: datetime) -> None:
    """The resident's own morphine in the register: received yesterday from the pharmacy, witnessed."""
    register = services_controlled.open_register(
        home_id=home.pk,
        medicine_id=meds["Morphine sulfate 10 mg/5 ml oral solution"].pk,
        resident_id=resident.pk,
        by=nurse,
    )
    services_controlled.receive(
        register.pk,
        quantity="100",
        supplier_name="High Street Pharmacy",
        supplier_address="12 High Street, Oakbury",
        by=nurse,
        witness=witness,
        occurred_at=min(now - timedelta(days=1), now),
        reference="Rx 44718",
    )


def _today_prn(orders, nurse, access, now: datetime) -> int:
    """Two PRN paracetamol doses this morning for one resident: the second 2 h after the first, overridden
    by the nurse with her reason (the manager's dashboard lists it for review)."""
    prn = [o for o in orders if o.is_prn and o.medicine.name.startswith("Paracetamol")]
    if not prn or now - timedelta(hours=5) < timezone.make_aware(datetime.combine(timezone.localdate(now), time(1, 0))):
        return 0
    o = prn[0]
    first = now - timedelta(hours=4, minutes=30)
    services_rounds.record_administration(o.pk, user=nurse, access=access, outcome="given", dose="1", at=first)
    try:
        services_rounds.record_administration(
            o.pk,
            user=nurse,
            access=access,
            outcome="given",
            dose="1",
            at=first + timedelta(hours=2),
            override_reason="Pain after turning in bed; GP advised by phone that one more tablet now is safe.",
        )
    except ValidationError:
        return 1
    return 2


def seed(home, residents, users, rng: random.Random, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    # how many doses are already due depends on the time of day: draw from a generator of our own (one
    # value taken from the builder's), so the contexts seeded after this one get the same stream whenever
    # the demo is built
    rng = random.Random(rng.random())  # noqa: S311 - demo data, not security
    people = _staff(home)
    nurse = (people.get("nurse") or people.get("senior_carer") or people.get("registered_manager"))[0]
    checker = (people.get("deputy_manager") or people.get("registered_manager") or [None])[0]
    if checker is not None and checker.pk == nurse.pk:
        checker = None
    recorders = (people.get("nurse") or []) + (people.get("senior_carer") or []) or [nurse]
    prescriber = "Dr M Ellis" if home.nation != "wales" else "Dr G Hughes"
    meds = _formulary(home)
    current = [r for r in residents if r.status in ("in_residence", "temporarily_absent")]
    orders: list[MedicationOrder] = []
    parkinson = {r.pk for r in current[2:3]}
    end_of_life = {r.pk for r in current[5:6]}
    for r in current:
        allergic = _allergic_to(r)
        lines = _lines_for(r, rng, allergic, parkinson=r.pk in parkinson, end_of_life=r.pk in end_of_life)
        start = max(r.admitted_on or timezone.localdate(now), timezone.localdate(now) - timedelta(days=60))
        try:
            orders += _reconcile(r, meds, lines, nurse=nurse, checker=checker, start=start, prescriber=prescriber)
        except ValidationError:
            continue  # a combination the checks refuse outright (an allergy): that resident is left to the nurse
    history = _history(home, orders, recorders, rng, now, days=7)
    services_special.add_remedy(
        user=nurse,
        medicine_id=meds["Gaviscon Advance oral suspension"].pk,
        values={
            "dose": "10",
            "dose_max": "20",
            "indication": "Indigestion or heartburn",
            "min_interval_minutes": 240,
            "max_doses_24h": 4,
            "max_days": 2,
            "expected_effect": "Heartburn eased",
            "cautions": "Not with other antacids; ask the nurse if she is on a low-salt diet",
            "authorised_by": prescriber,
            "authoriser_role": "gp",
            "authorised_on": timezone.localdate(now) - timedelta(days=30),
            "review_date": timezone.localdate(now) + timedelta(days=335),
        },
        home_id=home.pk,
    )
    received = _stock(home, orders, nurse, now)
    _fridge(home, nurse, now)
    morphine_resident = next((r for r in current if r.pk in end_of_life), None)
    if morphine_resident is not None and checker is not None:
        _controlled(home, morphine_resident, meds, nurse, checker, now)
    from writecarenotes.platform.identity.access import build_access

    prn_today = _today_prn(orders, nurse, build_access(nurse, home.pk), now)
    if current:
        services_errors.report_error(
            user=nurse,
            values={
                "kind": "omitted",
                "description": "The 20:00 donepezil was not given: the round was interrupted by a fall in the lounge "
                "and the dose was missed until the night check.",
                "occurred_at": now - timedelta(days=4, hours=3),
                "harm": "no_harm",
                "immediate_action": "Resident checked; GP out-of-hours advised to give it at 22:30, given.",
                "gp_informed": True,
            },
            resident_id=current[0].pk,
            now=now - timedelta(days=4, hours=2),
        )
    return {
        "medicines": len(meds),
        "orders": len(orders),
        "administrations": history,
        "stock_receipts": received,
        "prn_today": prn_today,
    }
