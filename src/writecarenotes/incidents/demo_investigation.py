"""Demo investigations, written through the services (versions, audit records, events) like every
other demo history.

``seed(home, residents, users, rng) -> dict`` is called by the demo builder inside ``acting_for`` and
``acting_as_system``, after the reporting demo created the home's incidents (read here from the
database). For up to two incidents of the home (those the home's policy sent to investigation first,
else the most harmful): an investigator assigned, three to five whys, contributory factors, one
action done and one open; the first investigation is completed with its findings and a lesson
shared with all staff, read by some of them. ``users`` is not needed (the home's staff are found
from their roles). Returns counts by record kind.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from writecarenotes.incidents import services_investigation as svc
from writecarenotes.incidents import services_lessons as lessons
from writecarenotes.incidents.models import Incident, Investigation

#: (why, because) chains by incident type; the generic chain for the others
WHYS = {
    "fall": [
        ("Why did the resident fall?", "She stood up from bed at night and walked to the toilet without her frame."),
        ("Why was she without her frame?", "The frame had been moved to the door during the evening wash."),
        ("Why was it moved?", "Staff move it to make room for the hoist and there is no prompt to put it back."),
        ("Why is there no prompt?", "The evening routine card does not mention walking aids."),
        ("Why does the card not mention them?", "It was written before residents with frames moved to this unit."),
    ],
    "medication_error": [
        ("Why was the wrong dose given?", "Two look-alike boxes were next to each other in the trolley."),
        ("Why were they together?", "The trolley is stocked alphabetically, not by resident."),
        ("Why alphabetically?", "That is how the pharmacy delivery list is printed."),
    ],
}
GENERIC_WHYS = [
    ("Why did it happen?", "The risk was known but the plan to manage it was not followed on that shift."),
    ("Why was it not followed?", "Agency staff on the shift had not been shown the care plan."),
    ("Why had they not been shown it?", "The agency induction checklist does not include the residents' risks."),
]
FACTORS = [
    ("task", "No prompt in the evening routine to put walking aids back within reach."),
    ("communication", "The change in mobility was not passed on at handover."),
    ("working_conditions", "Two staff on the unit at night for eleven residents."),
    ("education", "Night staff not yet trained in the post-fall protocol."),
]


def _staff(home):
    managers = list(svc.staff_of_home(home.pk, context_action="manage"))
    recorders = list(svc.staff_of_home(home.pk, context_action="record"))
    return managers, recorders


def _pick_incidents(home) -> list[Incident]:
    with_inv = list(Incident.objects.filter(home=home, investigation__isnull=False).order_by("occurred_at", "pk")[:2])
    if with_inv:
        return with_inv
    severity_rank = {"death": 0, "severe": 1, "moderate": 2, "low": 3, "no_harm": 4}
    rows = sorted(Incident.objects.filter(home=home), key=lambda i: (severity_rank.get(i.severity, 9), i.pk))
    return rows[:2]


def seed(home, residents, users, rng: random.Random, now=None) -> dict:
    counts = {"investigations": 0, "whys": 0, "factors": 0, "actions": 0, "lessons": 0, "reads": 0}
    managers, recorders = _staff(home)
    if not managers or not recorders:
        return counts
    manager = managers[0]
    investigators = [u for u in recorders if u.pk != manager.pk] or recorders
    today = timezone.localdate(now or timezone.now())
    for n, incident in enumerate(_pick_incidents(home)):
        inv = Investigation.objects.filter(incident=incident).first()
        if inv is None:
            inv = svc.open_investigation(incident.pk, user=manager, reason="Chosen for review at the quality meeting")
        if inv.is_completed:
            continue
        counts["investigations"] += 1
        investigator = rng.choice(investigators)
        inv = svc.update_investigation(
            inv.pk, user=manager, values={"investigator_id": investigator.pk}, reason="Investigator assigned"
        )
        chain = WHYS.get(incident.kind, GENERIC_WHYS)
        for why, because in chain[: rng.randint(3, len(chain))]:
            svc.add_why(inv.pk, user=investigator, why=why, because=because)
            counts["whys"] += 1
        for category, detail in rng.sample(FACTORS, 2):
            svc.add_factor(inv.pk, user=investigator, category=category, detail=detail)
            counts["factors"] += 1
        done = lessons.add_action(
            inv.pk,
            user=investigator,
            description="Add walking aids and call bells to the evening routine card",
            owner_id=investigator.pk,
            due_on=today + timedelta(days=7),
        )
        lessons.complete_action(done.pk, user=investigator, note="Card reprinted and on every unit")
        lessons.add_action(
            inv.pk,
            user=investigator,
            description="Cover walking aids and the post-fall protocol at the next night staff meeting",
            owner_id=manager.pk,
            due_on=today + timedelta(days=rng.randint(10, 21)),
        )
        counts["actions"] += 2
        if n == 0:
            svc.update_investigation(
                inv.pk,
                user=investigator,
                values={
                    "findings": "The walking frame was routinely moved away from the bed during the evening "
                    "routine and nothing prompted staff to put it back.",
                    "conclusion": "Avoidable with a change to the routine; the change is in place.",
                },
                reason="Findings written",
            )
            svc.complete_investigation(inv.pk, user=manager)
            lesson = lessons.share_lesson(
                inv.pk,
                user=manager,
                title="Walking aids back within reach",
                text="After personal care, put the resident's frame and call bell back within reach before you "
                "leave the room. A resident fell at night reaching for a frame left by the door.",
                audience="all",
            )
            counts["lessons"] += 1
            audience = list(lessons.audience_of(lesson))
            for reader in rng.sample(audience, k=max(1, len(audience) // 2)):
                lessons.mark_read(lesson.pk, user=reader)
                counts["reads"] += 1
    return counts
