"""Demo records of the specialist pathways, written through the services (audit, versions, events).

``seed(home, residents, users, rng, now=None) -> dict`` is called by the demo builder inside
``acting_for([...])`` and ``acting_as_system(...)``, after the residents (and their assessments) exist.
Of the current residents of ``home``: about one in five is on the end-of-life pathway (advance care
plan, anticipatory medicines, three days of symptom observations every four hours, a last-days plan
for the frailest, an advance decision for one), about one in three on the dementia pathway ("This is
me", a distress plan, a walking-about and missing-person profile for some), about one in six on
rehabilitation (a goal on the Barthel Index when they have a Barthel result, otherwise metres walked,
two weeks of sessions, equipment with one service overdue), and about one in eight on the mental
health pathway (plans, a team contact, a week of mood entries). ``users`` are the staff who record
(nurses and seniors); when empty, the home's nurses, seniors and deputy managers.

Timed entries are written as on the day (``now=`` of the services); returns counts by record kind.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from writecarenotes.assessments.public import latest_results
from writecarenotes.care_planning import services_pathways as base
from writecarenotes.care_planning import services_pathways_mental as mental
from writecarenotes.care_planning import services_pathways_palliative as palliative
from writecarenotes.care_planning import services_pathways_rehab as rehab
from writecarenotes.residents.public import CURRENT_STATUSES

ANTICIPATORY = (
    ("Morphine sulfate", "2.5 mg to 5 mg", "subcutaneous", "every 2 hours if needed", "pain"),
    ("Midazolam", "2.5 mg to 5 mg", "subcutaneous", "every 2 hours if needed", "agitation"),
    ("Levomepromazine", "2.5 mg to 5 mg", "subcutaneous", "every 4 hours if needed", "nausea_vomiting"),
    ("Hyoscine butylbromide", "20 mg", "subcutaneous", "every 4 hours if needed", "secretions"),
)
INTERESTS = (
    "gardening and the allotment",
    "brass bands",
    "rugby on the radio",
    "knitting for the grandchildren",
    "ballroom dancing",
    "chapel choir",
    "crosswords",
    "the cats she always had",
)
WORK = ("a nurse at the Royal Infirmary", "a miner", "a school cook", "a bus driver", "a seamstress", "a postman")
THERAPISTS = (("Lee Jones", "physiotherapy"), ("Priya Shah", "occupational_therapy"))
ACTIVITIES = {
    "physiotherapy": ("Sit to stand practice", "Walking with a frame in the corridor", "Seated exercises"),
    "occupational_therapy": ("Dressing practice", "Kitchen practice: making tea", "Bathroom transfers"),
}


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


def _name(resident) -> str:
    return getattr(resident, "preferred_name", "") or str(getattr(resident, "legal_given_names", "")).split(" ")[0]


def _palliative(r, staff, rng, now, counts, frailest: bool, with_adrt: bool) -> None:
    nurse = rng.choice(staff)
    base.start_pathway(resident_id=r.pk, pathway="palliative", user=nurse, started_on=(now - timedelta(days=20)).date())
    base.save_document(
        resident_id=r.pk,
        kind="advance_care_plan",
        user=nurse,
        values={
            "what_matters": "Being comfortable, and having my family near.",
            "wishes": "No more hospital admissions unless my pain cannot be eased here.",
            "preferred_place_of_care": "this_home",
            "preferred_place_of_death": rng.choice(["this_home", "this_home", "hospice"]),
            "people_to_involve": "My daughter first, then my son. Both may be called at any time.",
            "spiritual": rng.choice(["", "Chapel minister to visit", "Catholic: the priest for the last rites"]),
            "involvement": rng.choice(["themselves", "with_support"]),
            "discussed_with": "Daughter, GP and the nurse in charge",
            "shared_with_gp": True,
        },
        review_on=(now + timedelta(days=rng.randint(5, 60))).date(),
    )
    counts["documents"] += 1
    for drug, dose, route, frequency, indication in ANTICIPATORY:
        palliative.record_anticipatory_medicine(
            resident_id=r.pk,
            user=nurse,
            drug=drug,
            dose=dose,
            route=route,
            frequency=frequency,
            indication=indication,
            prescribed_on=(now - timedelta(days=10)).date(),
            prescriber="Dr Shah (GP)",
            supply_note="Kept in the CD cupboard",
        )
        counts["medicines"] += 1
    if with_adrt:
        palliative.record_advance_decision(
            resident_id=r.pk,
            user=nurse,
            made_on=(now - timedelta(days=400)).date(),
            treatments_refused="Cardiopulmonary resuscitation and artificial ventilation",
            circumstances="If my heart or breathing stops",
            document_location="Red folder in the nurses' office",
            copy_on_file=True,
            refuses_life_sustaining=True,
            life_at_risk_statement=True,
            in_writing=True,
            signed=True,
            witnessed=True,
            checked_on=(now - timedelta(days=19)).date(),
            checked_by=nurse.full_name or "Nurse",
        )
        counts["advance_decisions"] += 1
    level = 2 if frailest else 1
    start = now - timedelta(days=3)
    for i in range(18):  # every four hours for three days
        at = start + timedelta(hours=4 * i, minutes=rng.randint(0, 20))
        if at > now - timedelta(minutes=10):
            break
        scores = {
            "pain": max(0, min(4, level + rng.choice([-1, 0, 0, 1]))),
            "shortness_of_breath": max(0, min(4, level - 1 + rng.choice([0, 0, 1]))),
            "nausea": rng.choice([0, 0, 1]),
            "vomiting": 0,
            "sore_or_dry_mouth": rng.choice([0, 1, 1, 2]),
            "agitation": rng.choice([0, 1, level]),
            "respiratory_secretions": rng.choice([0, 0, level - 1]) if frailest else 0,
        }
        severe = any(v >= 3 for v in scores.values())
        palliative.record_symptoms(
            resident_id=r.pk,
            user=rng.choice(staff),
            occurred_at=at,
            scores=scores,
            rated_by="staff" if frailest else rng.choice(["resident", "staff"]),
            actions="Morphine 2.5 mg SC given; family told." if severe else "Repositioned; mouth care given.",
            now=min(at + timedelta(minutes=rng.randint(5, 30)), now),
        )
        counts["symptom_observations"] += 1
    if frailest:
        base.save_document(
            resident_id=r.pk,
            kind="last_days",
            user=nurse,
            values={
                "recognised_on": (now - timedelta(days=2)).date().isoformat(),
                "recognised_by": "Dr Shah and the nurse in charge",
                "told": "Her daughter was told by the GP on the phone, and by the nurse when she visited.",
                "comfort": "Turn 4-hourly if comfortable; air mattress; morphine as prescribed for pain.",
                "mouth_care": "Moisten mouth and lips every hour; soft toothbrush twice a day.",
                "hydration": "Offer sips while she can swallow safely; no drip (agreed with the family).",
                "observe_every": "2h",
                "family_presence": "Daughter wants to be called at any time, day or night; may stay overnight.",
                "personal_wishes": "Radio Cymru quietly; the window a little open.",
            },
        )
        counts["documents"] += 1


def _dementia(r, staff, rng, counts, walker: bool) -> None:
    nurse = rng.choice(staff)
    base.start_pathway(resident_id=r.pk, pathway="dementia", user=nurse)
    name = _name(r) or "Peggy"
    base.save_document(
        resident_id=r.pk,
        kind="this_is_me",
        user=nurse,
        values={
            "name_i_like": name,
            "where_i_live": "Grew up in Splott; lived in the same street for 50 years.",
            "person_who_knows_me_best": "My daughter",
            "i_would_like_you_to_know": "I was " + rng.choice(WORK) + ".",
            "interests": "I love " + rng.choice(INTERESTS) + ".",
            "routines": "Up at 7 with a cup of tea (milk, two sugars); a rest after lunch.",
            "worries": "Loud voices, and not knowing where my handbag is.",
            "feel_better": "Sit with me, hold my hand, talk about my family.",
            "hearing_eyesight": "Glasses for reading; hearing aid in the left ear.",
            "communication": "Speak slowly, one question at a time.",
            "personal_care": "I prefer a bath to a shower, in the evening.",
            "eating_drinking": "Small portions; no fish.",
            "completed_by": f"{name} with her daughter and {nurse.full_name or 'the nurse'}",
        },
    )
    base.save_document(
        resident_id=r.pk,
        kind="distress_plan",
        user=nurse,
        values={
            "what_distress_looks_like": "Calls out for her mother, tries to leave the lounge, pushes hands away.",
            "triggers": "Late afternoon; pain in her hip; personal care by someone she does not know.",
            "early_signs": "Pacing, fiddling with her cardigan, asking for her handbag.",
            "primary": "Pain relief before personal care; a familiar carer; a quiet lounge after 4 pm.",
            "secondary": "Offer a walk and a cup of tea; look at her photo album together.",
            "reactive": "Give space, keep others safe, one carer speaks calmly; try again in 10 minutes.",
            "avoid": "Arguing or correcting her; more than one person talking to her.",
            "after": "Reassure her; record what happened before, during and after on the behaviour chart.",
        },
    )
    counts["documents"] += 2
    if walker:
        base.save_document(
            resident_id=r.pk,
            kind="wandering",
            user=nurse,
            values={
                "risk_level": rng.choice(["medium", "high"]),
                "pattern": "Tries the front door in the late afternoon, saying she must fetch the children.",
                "reasons": "Looking for her children coming home from school.",
                "safety_measures": ["door_sensors", "photo", "handover", "herbert"],
                "height": "5 ft 3 in",
                "build": "Slim",
                "hair": "White, short",
                "eyes_glasses": "Blue; glasses",
                "usual_clothing": "Cardigan and a brown handbag",
                "places": "Her old house on Clive Street; St Alban's church; the park by the lake",
                "medical": "Diabetes: needs insulin at 8 am and 6 pm",
                "approach": "Call her by name; walk with her and talk about her children.",
                "photo_on_file": True,
                "consent": "representative",
            },
        )
        counts["documents"] += 1


def _rehab(r, staff, rng, now, counts, overdue: bool) -> None:
    nurse = rng.choice(staff)
    base.start_pathway(
        resident_id=r.pk, pathway="rehabilitation", user=nurse, started_on=(now - timedelta(days=15)).date()
    )
    barthel = next((x for x in latest_results(r.pk) if x.tool == "barthel"), None)
    if barthel is not None and Decimal(barthel.total) <= 16:
        target = min(Decimal(20), Decimal(barthel.total) + 3)
        goal = rehab.add_goal(
            resident_id=r.pk,
            user=nurse,
            description="Do more of my own personal care",
            discipline="occupational_therapy",
            measure="barthel",
            target_value=target,
            target_on=(now + timedelta(days=42)).date(),
        )
    else:
        goal = rehab.add_goal(
            resident_id=r.pk,
            user=nurse,
            description="Walk to the dining room and back with my frame",
            discipline="physiotherapy",
            measure="other",
            measure_label="metres walked",
            unit="m",
            baseline_value=Decimal(rng.choice([5, 8, 10])),
            baseline_on=(now - timedelta(days=14)).date(),
            target_value=Decimal(40),
            target_on=(now + timedelta(days=28)).date(),
        )
    counts["goals"] += 1
    value = goal.baseline_value
    for day in (12, 9, 6, 3, 1):
        at = (now - timedelta(days=day)).replace(hour=rng.randint(10, 15), minute=rng.choice([0, 15, 30]))
        therapist, discipline = THERAPISTS[0] if goal.discipline == "physiotherapy" else THERAPISTS[1]
        rehab.record_session(
            resident_id=r.pk,
            user=rng.choice(staff),
            occurred_at=at,
            therapist=therapist,
            discipline=discipline,
            duration_minutes=rng.choice([20, 30, 45]),
            activity=rng.choice(ACTIVITIES[discipline]),
            progress_rating=rng.choice([2, 3, 3, 4]),
            goal_id=goal.pk,
            now=min(at + timedelta(minutes=50), now),
        )
        counts["sessions"] += 1
        if goal.measure == "other" and day in (9, 3):
            value = min(goal.target_value, value + Decimal(rng.choice([4, 6, 8])))
            rehab.measure_goal(goal, user=nurse, value=value, occurred_at=at, now=min(at + timedelta(minutes=55), now))
            counts["measurements"] += 1
    today = now.date()
    rehab.issue_equipment(
        resident_id=r.pk,
        user=nurse,
        item="Walking frame with wheels",
        serial_number=f"WF-{rng.randint(1000, 9999)}",
        supplier="Community equipment service",
        issued_on=today - timedelta(days=15),
        next_service_due=today + timedelta(days=rng.randint(20, 170)),
    )
    counts["equipment"] += 1
    if overdue:
        rehab.issue_equipment(
            resident_id=r.pk,
            user=nurse,
            item="Hoist sling, medium",
            serial_number=f"SL-{rng.randint(100, 999)}",
            supplier="Community equipment service",
            issued_on=today - timedelta(days=300),
            last_serviced_on=today - timedelta(days=190),
            next_service_due=today - timedelta(days=8),
        )
        counts["equipment"] += 1


def _mental(r, staff, rng, now, counts) -> None:
    nurse = rng.choice(staff)
    base.start_pathway(resident_id=r.pk, pathway="mental_health", user=nurse)
    base.save_document(
        resident_id=r.pk,
        kind="mh_support",
        user=nurse,
        values={
            "in_my_words": "When my mood drops I stop wanting to see anyone.",
            "triggers": "Anniversaries of my husband's death; being rushed.",
            "early_warning_signs": "Staying in my room, not eating breakfast, not wanting my hair done.",
            "what_helps": "A quiet chat, a walk in the garden, a phone call with my sister.",
            "avoid": "Telling me to cheer up.",
        },
    )
    base.save_document(
        resident_id=r.pk,
        kind="mh_crisis",
        user=nurse,
        values={
            "relapse_signs": "Not sleeping for two nights, hearing my husband's voice, refusing medicines.",
            "what_staff_do": "Tell the nurse in charge the same day; stay with me; remove nothing without asking.",
            "crisis_steps": "1. Nurse in charge assesses. 2. Call the CMHT duty worker. 3. Out of hours: crisis team.",
            "who_to_call": "CMHT North duty line; crisis team out of hours; GP; 999 if in danger.",
        },
    )
    counts["documents"] += 2
    mental.add_contact(
        resident_id=r.pk,
        user=nurse,
        team="Older people's community mental health team (North)",
        worker_name="Sam Patel",
        role="Care coordinator",
        phone="01632 960001",
        out_of_hours_phone="01632 960999",
    )
    counts["contacts"] += 1
    for day in range(6, -1, -1):
        at = (now - timedelta(days=day)).replace(hour=rng.choice([10, 15, 20]), minute=0)
        if at > now - timedelta(minutes=10):
            continue
        score = rng.choice([2, 3, 3, 4])
        mental.record_mood(
            resident_id=r.pk,
            user=rng.choice(staff),
            occurred_at=at,
            mood_score=score,
            observations=["withdrawn"] if score <= 2 else [],
            behaviour="" if score > 2 else "Stayed in her room.",
            now=min(at + timedelta(minutes=20), now),
        )
        counts["mood_entries"] += 1


def seed(home, residents, users, rng: random.Random, now: datetime | None = None) -> dict:
    staff = _staff(home, users)
    now = now or timezone.now()
    counts = dict.fromkeys(
        (
            "documents",
            "medicines",
            "advance_decisions",
            "symptom_observations",
            "goals",
            "sessions",
            "measurements",
            "equipment",
            "contacts",
            "mood_entries",
        ),
        0,
    )
    if not staff:
        return counts
    current = [r for r in residents if r.home_id == home.pk and r.status in CURRENT_STATUSES]
    for i, r in enumerate(current):
        if i % 5 == 2:
            _palliative(r, staff, rng, now, counts, frailest=i % 10 == 2, with_adrt=i % 15 == 2)
        if i % 3 == 0:
            _dementia(r, staff, rng, counts, walker=i % 6 == 0)
        if i % 6 == 1:
            _rehab(r, staff, rng, now, counts, overdue=i % 12 == 1)
        if i % 8 == 3:
            _mental(r, staff, rng, now, counts)
    return counts
