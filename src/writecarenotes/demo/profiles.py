"""Believable resident profiles for the demo, written through the residents services (so the
lifecycle events, audit records and versions are real). Every person here is invented."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from writecarenotes.residents import services, services_profile

# fmt: off
DIAGNOSES = [
    ("Alzheimer's disease", "active"), ("Vascular dementia", "active"), ("Mixed dementia", "active"),
    ("COPD", "active"), ("Type 2 diabetes", "active"), ("Parkinson's disease", "active"),
    ("Atrial fibrillation", "active"), ("Heart failure", "active"), ("Hypertension", "active"),
    ("Osteoarthritis", "active"), ("Chronic kidney disease stage 3", "active"), ("Stroke", "history"),
    ("Fractured neck of femur", "history"), ("Depression", "active"), ("Macular degeneration", "active"),
    ("Hypothyroidism", "active"), ("Osteoporosis", "active"), ("Urinary tract infection", "resolved"),
]
ALLERGIES = [
    ("Penicillin", "Rash and swelling", "severe"), ("Amoxicillin", "Hives", "moderate"),
    ("Codeine", "Nausea and vomiting", "mild"), ("Elastoplast", "Skin blistering", "mild"),
    ("Latex", "Itching", "moderate"), ("Peanuts", "Throat swelling", "life_threatening"),
    ("Trimethoprim", "Rash", "moderate"), ("Shellfish", "Vomiting", "moderate"),
]
RELATIONSHIPS = ["Daughter", "Son", "Niece", "Nephew", "Wife", "Husband", "Granddaughter", "Friend"]
GPS = [
    ("Oakbury Medical Practice", "M82001", "01743 100200"), ("Chestnut Surgery", "M82017", "01743 100300"),
    ("Llanfair Health Centre", "W95010", "01686 100400"), ("Severn Valley Practice", "W95023", "01686 100500"),
]
LIFE = [
    "Worked for forty years at the post office and knew everyone in the village. Married for 52 years; "
    "three children. Loves brass band music and the football results on a Saturday.",
    "Grew up on a hill farm and still talks about the sheepdogs. Sang in the chapel choir; enjoys hymns "
    "and a cup of strong tea. Proud of four grandchildren.",
    "Was a primary school teacher and headteacher. Keen gardener (roses) and crossword solver. Likes the "
    "Radio 4 news in the morning and a quiet room in the afternoon.",
    "Served in the merchant navy, then drove buses in Birmingham. Enjoys talking about ships, westerns on "
    "TV and a pint of mild on Sundays.",
    "Ran a hairdressing salon for thirty years. Likes her hair set on Fridays, bright nail varnish and "
    "dancing to Elvis. Gets anxious in the evenings; a hand to hold helps.",
    "Nurse at the county hospital for 35 years. Very independent, likes to be asked before being helped. "
    "Reads detective novels in large print.",
]
PREFERENCES = [
    "Tea, milk, two sugars. Porridge for breakfast. Prefers a shower in the morning. Bed around 9 pm.",
    "Coffee, black. Does not eat pork. Likes to sit by the window. Prefers female carers for personal care.",
    "Small portions, soft diet. Likes the radio on quietly at night. Wears glasses and a hearing aid (left).",
    "Early riser. Likes a newspaper. Prefers to be called by first name. Enjoys the garden in good weather.",
]
# fmt: on


def _at(day: date, hour: int, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, rng.randrange(60))))


def admit_through_lifecycle(resident, room, admitted_on: date, rng: random.Random):
    assessed = admitted_on - timedelta(days=rng.randrange(2, 15))
    services.record_pre_admission(
        resident,
        assessed_on=assessed,
        assessed_by=rng.choice(["Sarah Whitfield, registered manager", "Tom Brennan, deputy manager"]),
        summary="Needs help with personal care and mobility; family visit often. The home can meet the needs.",
        outcome="suitable",
    )
    return services.admit(resident, room=room, admitted_at=_at(admitted_on, rng.randrange(10, 16), rng))


def start_hospital_stay(resident, rng: random.Random):
    return services.start_absence(
        resident,
        kind="hospital",
        started_at=timezone.now() - timedelta(days=rng.randrange(1, 4), hours=rng.randrange(1, 8)),
        expected_return=timezone.localdate() + timedelta(days=rng.randrange(2, 7)),
        reason="Admitted with a chest infection",
    )


def fill_profile(resident, rng: random.Random, family_name: str) -> None:
    """GP, funding, language, height, allergies (or NKA), diagnoses, contacts, DNACPR, LPA, life story."""
    welsh = resident.home.nation == "wales"
    gp = rng.choice(GPS[2:] if welsh else GPS[:2])
    services_profile.update_profile(
        resident,
        section="health",
        values={
            "gp_practice_name": gp[0],
            "gp_ods_code": gp[1],
            "gp_phone": gp[2],
            "funding_type": rng.choice(["self_funded", "local_authority", "nhs_chc", "fnc", "mixed"]),
            "religion": rng.choice(["Church of England", "Methodist", "Roman Catholic", "None", "Church in Wales"]),
            "first_language": "Welsh" if welsh and rng.random() < 0.4 else "English",
            "communication_needs": rng.choice(["", "Hard of hearing: face them and speak clearly.", "Wears glasses."]),
            "height_cm": rng.randrange(148, 182),
        },
        reason="Admission paperwork",
    )
    services_profile.update_profile(
        resident,
        section="about",
        values={"preferences": rng.choice(PREFERENCES), "about_me": rng.choice(LIFE)},
        reason="Written with the family at admission",
    )
    if rng.random() < 0.45:
        services_profile.record_no_known_allergies(resident)
    else:
        for substance, reaction, severity in rng.sample(ALLERGIES, rng.choice([1, 1, 2])):
            services_profile.add_allergy(resident, substance=substance, reaction=reaction, severity=severity)
    for condition, status in rng.sample(DIAGNOSES, rng.randrange(2, 5)):
        services_profile.add_diagnosis(
            resident,
            condition=condition,
            status=status,
            diagnosed_on=date(rng.randrange(1995, 2024), rng.randrange(1, 13), 1),
        )
    relationship = rng.choice(RELATIONSHIPS)
    first = rng.choice(["Susan", "David", "Karen", "Mark", "Gareth", "Sian", "Paul", "Helen"])
    nok = f"{first} {family_name}"
    services_profile.add_contact(
        resident,
        name=nok,
        relationship=relationship,
        phone=f"07700 900{rng.randrange(1000):03d}",
        email=f"{first.lower()}.{family_name.lower()}@example.org",
        next_of_kin=True,
        emergency_contact=True,
        priority=1,
    )
    if rng.random() < 0.6:
        services_profile.add_contact(
            resident,
            name=f"{rng.choice(['Janet', 'Robert', 'Alison', 'Huw'])} {rng.choice(['Hughes', 'Smith', 'Jones'])}",
            relationship=rng.choice(["Friend", "Neighbour", "Nephew", "Niece"]),
            phone=f"01743 {rng.randrange(100000, 999999)}",
            priority=2,
        )
    if rng.random() < 0.5:
        decided = timezone.localdate() - timedelta(days=rng.randrange(30, 700))
        services_profile.update_profile(
            resident,
            section="dnacpr",
            values={
                "dnacpr_status": rng.choice(["dnacpr", "respect"]),
                "dnacpr_decided_on": decided,
                "dnacpr_review_on": decided + timedelta(days=365),
            },
            reason="Decision with the GP and family",
        )
    if rng.random() < 0.35:
        services_profile.add_attorney(
            resident,
            kind="health_welfare",
            attorney_name=nok,
            registered_on=date(rng.randrange(2012, 2024), rng.randrange(1, 13), rng.randrange(1, 28)),
        )
    if rng.random() < 0.3:
        services_profile.add_attorney(resident, kind="property_finance", attorney_name=nok)
