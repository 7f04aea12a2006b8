"""Shared fixtures of the medication tests (written by the lead; every sub-domain may use them).

``meds`` (needs ``world``): a formulary for ``world.home`` created straight in the database, so each
sub-domain's tests do not depend on another's services. Attributes are ``Medicine`` rows:

    meds.paracetamol   Paracetamol 500 mg tablets            (paracetamol 500 mg per tablet)
    meds.cocodamol     Co-codamol 30/500 tablets             (codeine phosphate 30 mg, paracetamol 500 mg)
    meds.paracetamol_liquid  Paracetamol 250 mg/5 ml oral suspension (50 mg per ml)
    meds.ibuprofen     Ibuprofen 200 mg tablets              (class nsaid)
    meds.naproxen      Naproxen 250 mg tablets               (class nsaid)
    meds.warfarin      Warfarin 1 mg tablets                 (class anticoagulant)
    meds.amoxicillin   Amoxicillin 500 mg capsules           (class penicillin)
    meds.morphine      Morphine sulfate 10 mg/5 ml oral solution (Schedule 2, CD register; 2 mg per ml)
    meds.cocareldopa   Co-careldopa 25/100 tablets           (time-critical; Parkinson's)
    meds.lactulose     Lactulose 3.3 g/5 ml oral solution

``order(world, medicine, **fields)`` creates an active ``MedicationOrder`` for ``world.resident`` (or
``resident=``) straight in the database: a regular 08:00 dose of 1 unit from 7 days ago by default;
``is_prn=True`` with ``prn_min_interval_minutes`` etc. for a PRN order.

``in_home(home)`` acts as the system in a home's scope (for reads and writes in tests).

The round's helpers: ``clock`` freezes ``timezone.now`` at today 08:10 local (move it with
``clock.now = ...``); ``nka`` records "no known allergies" for ``world.resident``; ``slot(clock, "08:00",
days=0)`` is a local due time; ``record(world, order, role="senior_carer", **kw)`` records through
``services_rounds.record_administration`` as that role.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import RequestFactory
from django.utils import timezone

from writecarenotes.medication.models import ControlledSchedule, DoseUnit, MedicationOrder, Medicine, MedicineForm
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.identity.access import build_access
from writecarenotes.platform.tenancy.scope import acting_for
from writecarenotes.residents.models import Resident


@contextlib.contextmanager
def in_home(home):
    with acting_as_system("test"), acting_for([home]):
        yield


def medicine(home, name, form, unit, ingredients=(), **fields) -> Medicine:
    """A product with its ingredients: ``ingredients`` = [(name, mg per dose unit or None, [classes])]."""
    with in_home(home):
        m = Medicine.objects.create(home=home, name=name, form=form, dose_unit=unit, **fields)
        for ing, mg, classes in ingredients:
            m.ingredients.create(
                home=home, ingredient=ing, amount_mg=Decimal(str(mg)) if mg is not None else None, classes=list(classes)
            )
    return m


@dataclass
class Formulary:
    paracetamol: Medicine
    cocodamol: Medicine
    paracetamol_liquid: Medicine
    ibuprofen: Medicine
    naproxen: Medicine
    warfarin: Medicine
    amoxicillin: Medicine
    morphine: Medicine
    cocareldopa: Medicine
    lactulose: Medicine


def formulary(home) -> Formulary:
    T, C, L = MedicineForm.TABLET, MedicineForm.CAPSULE, MedicineForm.LIQUID
    tab, cap, ml = DoseUnit.TABLET, DoseUnit.CAPSULE, DoseUnit.ML
    return Formulary(
        paracetamol=medicine(
            home, "Paracetamol 500 mg tablets", T, tab, [("paracetamol", 500, ["analgesic"])], strength="500 mg"
        ),
        cocodamol=medicine(
            home,
            "Co-codamol 30/500 tablets",
            T,
            tab,
            [("codeine phosphate", 30, ["opioid"]), ("paracetamol", 500, ["analgesic"])],
            strength="30 mg/500 mg",
            controlled_schedule=ControlledSchedule.SCHEDULE_5,
        ),
        paracetamol_liquid=medicine(
            home,
            "Paracetamol 250 mg/5 ml oral suspension",
            L,
            ml,
            [("paracetamol", 50, ["analgesic"])],
            strength="250 mg/5 ml",
        ),
        ibuprofen=medicine(
            home, "Ibuprofen 200 mg tablets", T, tab, [("ibuprofen", 200, ["nsaid"])], strength="200 mg"
        ),
        naproxen=medicine(home, "Naproxen 250 mg tablets", T, tab, [("naproxen", 250, ["nsaid"])], strength="250 mg"),
        warfarin=medicine(
            home,
            "Warfarin 1 mg tablets",
            T,
            tab,
            [("warfarin", 1, ["anticoagulant", "vitamin k antagonist"])],
            strength="1 mg",
        ),
        amoxicillin=medicine(
            home, "Amoxicillin 500 mg capsules", C, cap, [("amoxicillin", 500, ["penicillin"])], strength="500 mg"
        ),
        morphine=medicine(
            home,
            "Morphine sulfate 10 mg/5 ml oral solution",
            L,
            ml,
            [("morphine sulfate", 2, ["opioid"])],
            strength="10 mg/5 ml",
            controlled_schedule=ControlledSchedule.SCHEDULE_2,
            cd_register=True,
        ),
        cocareldopa=medicine(
            home,
            "Co-careldopa 25 mg/100 mg tablets",
            T,
            tab,
            [("carbidopa", 25, ["dopa decarboxylase inhibitor"]), ("levodopa", 100, ["dopaminergic"])],
            strength="25 mg/100 mg",
            time_critical=True,
        ),
        lactulose=medicine(
            home,
            "Lactulose 3.3 g/5 ml oral solution",
            L,
            ml,
            [("lactulose", 660, ["osmotic laxative"])],
            strength="3.3 g/5 ml",
        ),
    )


@pytest.fixture
def meds(world) -> Formulary:
    return formulary(world.home)


def order(world, medicine: Medicine, *, resident=None, **fields) -> MedicationOrder:
    resident = resident or world.resident
    now = timezone.now()
    values = {
        "prescriber": "Dr A Patel",
        "indication": "",
        "dose": Decimal("1"),
        "times": [] if fields.get("is_prn") else ["08:00"],
        "start_date": (now - timedelta(days=7)).date(),
        "time_critical": medicine.time_critical,
        "created_by": world.users["nurse"],
        "created_at": now,
        "updated_at": now,
        **fields,
    }
    for key in ("dose", "dose_max", "prn_max_amount_24h"):
        if values.get(key) is not None and not isinstance(values[key], Decimal):
            values[key] = Decimal(str(values[key]))
    with in_home(resident.home):
        return MedicationOrder.objects.create(home=resident.home, resident=resident, medicine=medicine, **values)


LONDON = ZoneInfo("Europe/London")


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """Freeze ``timezone.now`` at today 08:10 (local); move it with ``clock.now = ...``."""
    today = timezone.localdate()
    c = Clock(datetime.combine(today, datetime.min.time(), tzinfo=LONDON).replace(hour=8, minute=10))
    monkeypatch.setattr(timezone, "now", c)
    return c


@pytest.fixture
def nka(world):
    """The resident has "no known allergies" recorded (otherwise every dose carries an allergy finding)."""
    Resident.unscoped.filter(pk=world.resident.pk).update(no_known_allergies=True)


def slot(clock, hhmm="08:00", days=0) -> datetime:
    h, m = map(int, hhmm.split(":"))
    day = clock.now.date() + timedelta(days=days)
    return datetime.combine(day, datetime.min.time(), tzinfo=LONDON).replace(hour=h, minute=m)


def record(world, o, role="senior_carer", **kw):
    user = world.users[role]
    with in_home(world.home):
        from writecarenotes.medication import services_rounds as sr

        return sr.record_administration(
            o.pk, user=user, access=build_access(user, world.home.pk), request=RequestFactory().post("/"), **kw
        )
