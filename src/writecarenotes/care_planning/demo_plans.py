"""Demo care plans, made through the services (proposal from the residents' assessments, agreement).

``seed(home, residents, users, rng, now=None) -> dict`` is called by the demo builder inside
``acting_for([...])`` and ``acting_as_system(...)``, AFTER the assessments demo (the plans are proposed
from the residents' latest results, exactly as a nurse would). For each current resident of ``home``
it proposes plans from the assessments, writes the person's own words, and agrees most of them: about
one plan in six is left proposed (for a nurse to agree), about one resident in five had their plans
agreed more than a month ago (so reviews are due), and the rest were agreed 1 to 25 days ago (so the
review page has records since). Involvement varies: the resident, or a relative named as representative.
``users`` are the nurses who propose and agree (when empty: the home's nurses and managers).
Returns counts: {"proposed": n, "agreed": n}.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from writecarenotes.care_planning.services_plans import agree_plan, update_plan
from writecarenotes.care_planning.services_proposals import propose_from_assessments
from writecarenotes.residents.public import CURRENT_STATUSES

OWN_WORDS = {
    "skin_integrity": [
        "I don't like being disturbed at night, but I know I need turning. Please be gentle with my heels.",
        "I like to lie on my left side, facing the window.",
    ],
    "nutrition_hydration": [
        "I've never been a big eater. I like a cup of tea with two sugars and a biscuit.",
        "Little and often suits me. I love soup and rice pudding.",
    ],
    "mobility_falls": [
        "I want to keep walking to the dining room on my own, with my frame.",
        "I get dizzy if I stand up too quickly. Give me a minute.",
    ],
    "personal_care": [
        "I like a bath rather than a shower, and my hair done on Fridays.",
        "Let me wash my own face and hands; help me with my back and feet.",
    ],
    "cognition": ["Tell me what day it is and who you are; I forget, and it frightens me."],
    "mental_health": ["Some days I feel low. Talking about my garden helps."],
    "medication": ["Tell me when you think I'm in pain; I don't always say."],
}
RELATIVES = [("Ann Evans", "Daughter"), ("David Jones", "Son"), ("Susan Price", "Niece (LPA health and welfare)")]


def _staff(home, users) -> list:
    if users:
        return list(users)
    from writecarenotes.platform.identity.models import Membership

    return [
        m.user
        for m in Membership.objects.filter(home=home, role__in=["nurse", "deputy_manager", "registered_manager"])
        .select_related("user")
        .order_by("pk")
    ]


def seed(home, residents, users, rng: random.Random, now: datetime | None = None) -> dict:
    """Propose and agree care plans for the current ones of ``residents`` (see the module docs)."""
    staff = _staff(home, users)
    now = now or timezone.now()
    counts = {"proposed": 0, "agreed": 0}
    if not staff:
        return counts
    current = [r for r in residents if r.home_id == home.pk and r.status in CURRENT_STATUSES]
    for i, resident in enumerate(current):
        nurse = rng.choice(staff)
        outcome = propose_from_assessments(resident.pk, user=nurse, now=now)
        long_ago = i % 5 == 2
        for n, plan in enumerate(outcome.created):
            counts["proposed"] += 1
            words = OWN_WORDS.get(plan.domain)
            if words:
                plan = update_plan(plan, values={"in_my_words": rng.choice(words)}, reason="Talked with the resident")
            if (i + n) % 6 == 5:
                continue  # left proposed: a nurse reads and agrees it
            involved = rng.random() < 0.6
            name, relationship = rng.choice(RELATIVES) if not involved or rng.random() < 0.4 else ("", "")
            days = rng.randint(33, 45) if long_ago else rng.randint(1, 25)
            agree_plan(
                plan,
                user=nurse,
                now=now - timedelta(days=days, hours=rng.randint(0, 6)),
                resident_involved=involved,
                representative_name=name,
                representative_relationship=relationship,
                agreement_recorded=True,
                agreement_notes=""
                if involved
                else "Lacks capacity for this decision; agreed in their best interests with the family.",
            )
            counts["agreed"] += 1
    return counts
