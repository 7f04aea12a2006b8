"""Demo incidents, reported through ``services_report`` (versions, audit records, events, and the other
sub-domains' reactions through the lifecycle, as in real use).

``seed(home, residents, users, rng, now=None) -> dict`` is called by the demo builder inside
``acting_for([...])`` and ``acting_as_system(...)``, after the residents exist. For the current residents
of ``home`` (three are needed; fewer: fewer incidents) it reports, relative to ``now``:

- an unwitnessed fall at night with a head injury (found on the floor; bump on the back of the head;
  nurse and GP involved; moderate harm), 2 to 6 days ago, by a carer, with the night carer as witness
  of the finding; then corrected by a nurse when A&E found a fractured wrist (a serious injury: the
  regulator's notification becomes due);
- a skin tear on the forearm during a hoist transfer (low harm, witnessed), 1 to 4 days ago;
- a near miss in the medicines round (the wrong resident's pot picked up, caught at the second check),
  earlier today or yesterday.

Deterministic for a given ``rng`` and ``now``. ``users``: staff who report (carers, seniors, nurses);
when empty, the home's. Returns counts by kind.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from writecarenotes.incidents.services_report import change_incident, report_incident
from writecarenotes.residents.public import CURRENT_STATUSES


def _staff(home, users) -> list:
    if users:
        return list(users)
    from writecarenotes.platform.identity.models import Membership

    return [
        m.user
        for m in Membership.objects.filter(home=home, role__in=["carer", "senior_carer", "nurse"])
        .select_related("user")
        .order_by("pk")
    ]


def _at(now: datetime, days: int, hour: int, minute: int) -> datetime:
    """A local time ``days`` before ``now`` at ``hour:minute``, never later than ``now``."""
    local = timezone.localtime(now) - timedelta(days=days)
    at = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return min(at, now - timedelta(minutes=5))


def seed(home, residents, users, rng: random.Random, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    staff = _staff(home, users)
    current = [r for r in residents if r.home_id == home.pk and r.status in CURRENT_STATUSES]
    counts: dict[str, int] = {}
    if not staff or not current:
        return counts
    picked = rng.sample(current, k=min(3, len(current)))

    def room(r) -> str:
        return f"Room {r.room.number}" if getattr(r, "room_id", None) else "Bedroom"

    def report(resident, at, values, people=(), injuries=()):
        incident = report_incident(
            user=rng.choice(staff),
            home_id=home.pk,
            now=min(at + timedelta(minutes=rng.randint(10, 40)), now),
            values={"occurred_at": at, "unit_id": resident.unit_id, **values},
            people=[{"role": "affected", "kind": "resident", "resident_id": resident.pk}, *people],
            injuries=list(injuries),
        )
        counts[incident.kind] = counts.get(incident.kind, 0) + 1
        return incident

    faller = picked[0]
    fall = report(
        faller,
        _at(now, rng.randint(2, 6), 2, rng.randint(5, 50)),
        {
            "kind": "fall",
            "location": f"{room(faller)}, on the floor between the bed and the en-suite door",
            "what_happened": (
                "Found on the floor at the 2-hourly check, lying on her side, the call bell out of reach. "
                "Said she was going to the toilet. Nobody saw her fall."
            ),
            "immediate_actions": (
                "Not moved until the nurse checked her. Bump on the back of the head: head injury observations "
                "started (GCS 15). Hoisted back to bed. GP called in the morning; family told."
            ),
            "severity": "moderate",
            "witnessed": False,
            "head_struck": True,
            "medical_attention": "nurse_gp",
        },
        people=[
            {
                "role": "witness",
                "kind": "staff",
                "name": "Night carer",
                "statement": "I heard a bang and found her on the floor at 02:10.",
            }
        ],
        injuries=[{"body_location": "head_back", "kind": "head_injury", "description": "Swelling 3 cm, no bleeding"}],
    )
    # the next morning the wrist hurt: A&E found a fracture, so the facts are corrected (a new version)
    # and the regulator's serious-injury notification becomes due (CQC regulation 18, CIW in Wales)
    change_incident(
        fall.pk,
        user=rng.choice(staff),
        reason="A&E the next morning: X-ray showed a fractured left wrist (GP referral).",
        values={"medical_attention": "hospital", "serious_injury_tests": ["body_structure"], "severity": "moderate"},
    )
    if len(picked) > 1:
        torn = picked[1]
        report(
            torn,
            _at(now, rng.randint(1, 4), 10, rng.randint(0, 55)),
            {
                "kind": "skin_tear_injury",
                "location": f"{room(torn)}, during a hoist transfer from bed to chair",
                "what_happened": "Her left forearm caught on the hoist's spreader bar as she was lowered.",
                "immediate_actions": "Skin flap laid back, Steri-Strips and a non-adherent dressing, wound chart.",
                "severity": "low",
                "witnessed": True,
                "medical_attention": "first_aid",
            },
            injuries=[
                {"body_location": "left_arm_front", "kind": "skin_tear", "description": "4 cm flap, category 2a"}
            ],
        )
    if len(picked) > 2:
        near = picked[2]
        report(
            near,
            _at(now, rng.randint(0, 1), 8, rng.randint(10, 40)),
            {
                "kind": "near_miss",
                "location": "Medicines trolley, first-floor corridor",
                "what_happened": (
                    "The morning pot of another resident was picked up for her; the second check against the "
                    "MAR photo caught it before anything was given."
                ),
                "immediate_actions": "Pot returned, correct medicines given, nurse in charge told.",
                "severity": "no_harm",
                "witnessed": True,
            },
        )
    return counts
