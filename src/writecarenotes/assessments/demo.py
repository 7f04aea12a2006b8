"""Demo history of assessments, recorded through the services (every answer, audit, events).

``seed(home, residents, users, rng)`` is called by the demo builder inside ``acting_for([...])`` and
``acting_as_system(...)``, after the residents exist. For each current resident of ``home`` it records
a few months of results with Braden, Waterlow, MUST, Morse and the Barthel Index (each at its review interval, so the
trends have several points), from a frailty level that stays steady for most residents and worsens
for about one in five (so "band worsened" and rising trends show). About one in six residents has
their latest Braden and MUST results more than 30 days old, so the due lists have overdue items.
``users`` are the staff who assess (nurses and seniors); when empty, the home's nurses and seniors.

The results are entered with the time they would have been written (``record_assessment(now=...)``),
as an assessor on the day; nothing is typed in that the engine would compute.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from writecarenotes.assessments.services import record_assessment
from writecarenotes.residents.public import CURRENT_STATUSES

#: how far back the history goes, and the interval between assessments with each tool
HISTORY_DAYS = 120
INTERVAL_DAYS = 30


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _braden(f: float, rng: random.Random) -> dict:
    """Braden subscales from frailty ``f`` (0 = independent, 1 = very frail)."""
    out = {}
    for key in ("sensory_perception", "moisture", "activity", "mobility", "nutrition"):
        out[key] = str(_clamp(4 - 3 * f + rng.uniform(-0.6, 0.6), 1, 4))
    out["friction_shear"] = str(_clamp(3 - 2 * f + rng.uniform(-0.5, 0.5), 1, 3))
    return out


def _age_band(born: date, on: date) -> str:
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    if age >= 81:
        return "81_plus"
    if age >= 75:
        return "75_80"
    if age >= 65:
        return "65_74"
    return "50_64" if age >= 50 else "14_49"


def _waterlow(f: float, rng: random.Random, born: date, on: date, sex: str) -> dict:
    skin = ["healthy"] if f < 0.3 else (["dry"] if f < 0.6 else ["tissue_paper", "dry"])
    if f > 0.8 and rng.random() < 0.5:
        skin = ["discoloured"]
    mobility = ["fully", "restless", "restricted", "chairbound", "bedbound"][
        _clamp(f * 4 + rng.uniform(-0.4, 0.4), 0, 4)
    ]
    continence = ["complete", "urine", "urine_faecal"][_clamp(f * 2 + rng.uniform(-0.4, 0.4), 0, 2)]
    return {
        "build": rng.choice(["average", "average", "above_average", "below_average" if f > 0.5 else "average"]),
        "skin": skin,
        "sex": sex,
        "age": _age_band(born, on),
        "mst_weight_loss": "no" if f < 0.6 else rng.choice(["no", "unsure", "yes_0_5_to_5"]),
        "mst_eating_poorly": "yes" if f > 0.7 and rng.random() < 0.6 else "no",
        "continence": continence,
        "mobility": mobility,
        "tissue_malnutrition": ["anaemia"] if f > 0.7 and rng.random() < 0.3 else [],
        "neurological_deficit": "none",
        "surgery_orthopaedic": "no",
        "surgery_table_time": "none",
        "medication": [],
    }


def _must(weight: Decimal, previous: Decimal, height_cm, f: float, rng: random.Random) -> dict:
    out = {
        "weight_kg": str(weight),
        "previous_weight_kg": str(previous),
        "acute_disease": "yes" if f > 0.9 and rng.random() < 0.3 else "no",
    }
    if height_cm:
        out["height_m"] = str((Decimal(str(height_cm)) / 100).quantize(Decimal("0.01")))
    else:
        out["bmi_entered"] = str(Decimal(rng.randint(180, 280)) / 10)
    return out


def _morse(f: float, rng: random.Random, fell: bool, diagnoses: bool) -> dict:
    return {
        "history_of_falling": "yes" if fell else "no",
        "secondary_diagnosis": "yes" if diagnoses else "no",
        "ambulatory_aid": ["none", "aid", "furniture"][_clamp(f * 2 + rng.uniform(-0.5, 0.5), 0, 2)],
        "iv_access": "no",
        "gait": ["normal", "weak", "impaired"][_clamp(f * 2 + rng.uniform(-0.5, 0.5), 0, 2)],
        "mental_status": "forgets" if rng.random() < 0.4 + f * 0.3 else "oriented",
    }


def _barthel(f: float, rng: random.Random) -> dict:
    """Barthel Index (0-20) items from frailty ``f``: each item's level falls as frailty rises."""
    tops = {
        "bowels": 2,
        "bladder": 2,
        "grooming": 1,
        "toilet_use": 2,
        "feeding": 2,
        "transfer": 3,
        "mobility": 3,
        "dressing": 2,
        "stairs": 2,
        "bathing": 1,
    }
    return {k: str(_clamp(top * (1 - f) + rng.uniform(-0.5, 0.5), 0, top)) for k, top in tops.items()}


def _staff(home, users) -> list:
    if users:
        return list(users)
    from writecarenotes.platform.identity.models import Membership

    return [
        m.user
        for m in Membership.objects.filter(home=home, role__in=["nurse", "senior_carer", "deputy_manager"])
        .select_related("user")
        .order_by("pk")
    ]


def seed(home, residents, users, rng: random.Random, now: datetime | None = None) -> dict:
    """Record a few months of assessments for the current ones of ``residents``; return counts per tool."""
    staff = _staff(home, users)
    now = now or timezone.now()
    counts: dict[str, int] = {}
    if not staff:
        return counts
    current = [r for r in residents if r.home_id == home.pk and r.status in CURRENT_STATUSES]

    def add(resident, tool: str, answers: dict, at: datetime) -> None:
        if at > now - timedelta(minutes=5):
            return
        written = at + timedelta(minutes=rng.randint(5, 40))
        record_assessment(resident.pk, tool, answers, at, rng.choice(staff), now=min(written, now))
        counts[tool] = counts.get(tool, 0) + 1

    for i, resident in enumerate(current):
        frailty = rng.uniform(0.05, 0.85)
        worsening = i % 5 == 1  # one in five gets frailer: rising risk, "band worsened"
        overdue = i % 6 == 0  # one in six has reviews overdue
        sex = "female" if rng.random() < 0.68 else "male"
        weight = Decimal(rng.randint(480, 850)) / 10
        admitted = getattr(resident, "admitted_on", None)
        start = max(now - timedelta(days=HISTORY_DAYS), _start_of(admitted, now))
        last = max(now - timedelta(days=rng.randint(35, 50) if overdue else rng.randint(1, 20)), start)
        days = max(0, (last - start).days)
        points = max(1, days // INTERVAL_DAYS + 1)
        when = [last - timedelta(days=INTERVAL_DAYS * i) for i in reversed(range(points))]
        when = [w.replace(hour=rng.randint(9, 16), minute=rng.choice([0, 15, 30, 45])) for w in when]
        fell = rng.random() < 0.3
        diagnoses = rng.random() < 0.7
        previous = weight
        for n, at in enumerate(when):
            f = min(1.0, frailty + (0.12 * n if worsening else rng.uniform(-0.05, 0.05)))
            add(resident, "braden", _braden(f, rng), at)
            add(
                resident,
                "waterlow",
                _waterlow(f, rng, resident.date_of_birth, at.date(), sex),
                at + timedelta(minutes=20),
            )
            current_weight = (
                (previous - Decimal(rng.randint(5, 25)) / 10)
                if worsening
                else (previous + Decimal(rng.randint(-8, 8)) / 10)
            )
            add(
                resident,
                "must",
                _must(current_weight, previous, resident.height_cm, f, rng),
                at + timedelta(minutes=40),
            )
            previous = current_weight
            add(resident, "morse", _morse(f, rng, fell or (worsening and n > 0), diagnoses), at + timedelta(minutes=60))
            add(resident, "barthel", _barthel(f, rng), at + timedelta(minutes=80))
    return counts


def _start_of(admitted, now: datetime) -> datetime:
    if not admitted:
        return now - timedelta(days=HISTORY_DAYS)
    return timezone.make_aware(datetime.combine(admitted, datetime.min.time())) + timedelta(days=1)
