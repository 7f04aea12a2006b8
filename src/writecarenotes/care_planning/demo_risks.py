"""Demo risk registers and Mental Capacity Act records, written through the services (versions,
audit records, events), like every other demo history.

``seed(home, residents, users, rng, now=None) -> dict`` is called by the demo builder inside
``acting_for([...])`` and ``acting_as_system(...)``, after the residents exist. For each current
resident of ``home``: one to three risks from a realistic pool (falls for most, then pressure damage,
malnutrition, dehydration, choking, medication, infection, bed rails, absconding, scalds), rated on
the NPSA matrix before and after their controls; about one in six was raised weeks ago with a review
date that has now passed (the overdue lists have items); about one in four has been reviewed since
(a second version with its reason). About one in three residents (the frailer) has a capacity
assessment about living in the home that found they lack capacity, a best-interest decision with who
was consulted, and a liberty record under the home's framework: in England and Wales a standard DoLS
authorisation granted with conditions, the first of them ending within 28 days (it shows in the
expiring list), one application waiting for the supervisory body and one urgent authorisation. Every
fourth resident also has an assessment that found capacity (managing their own medicines).
``users`` are the staff who record (nurses and seniors); when empty, the home's nurses, seniors and
deputy managers. Returns counts by record kind.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from writecarenotes.care_planning import capacity_rules as rules
from writecarenotes.care_planning.services_capacity import record_best_interest_decision, record_capacity_assessment
from writecarenotes.care_planning.services_capacity_liberty import framework_of_home, grant_liberty, record_liberty
from writecarenotes.care_planning.services_risks import change_risk, raise_risk
from writecarenotes.residents.public import CURRENT_STATUSES

#: kind -> (description, controls, (likelihood, impact), (residual likelihood, residual impact))
RISKS = {
    "falls": (
        "Unsteady on standing, walks with a frame; has fallen twice at night going to the toilet.",
        "Sensor mat by the bed, night light, frame within reach, toilet offered at 22:00 and 02:00, non-slip socks.",
        (4, 3),
        (2, 3),
    ),
    "pressure_damage": (
        "Spends most of the day in her chair; Waterlow high risk; red heels that blanch.",
        "Pressure-relieving cushion and mattress, repositioning every 3 hours, heels off-loaded, skin checks daily.",
        (4, 4),
        (2, 4),
    ),
    "malnutrition": (
        "Eats half of meals, MUST 2; weight down 3 kg in three months.",
        "Fortified diet, snacks twice a day, food chart, weighed weekly, dietitian referral made.",
        (3, 4),
        (2, 3),
    ),
    "dehydration": (
        "Forgets to drink and declines water; dark urine on hot days.",
        "Drinks she likes offered every 2 hours (tea, squash), target 1500 ml charted, jelly pots.",
        (4, 3),
        (2, 3),
    ),
    "choking": (
        "Coughs when drinking thin fluids; SALT advised mildly thick fluids.",
        "IDDSI level 2 fluids and level 6 soft diet, sits upright for meals and 30 minutes after, supervised.",
        (3, 5),
        (2, 5),
    ),
    "medication": (
        "Takes warfarin; bruises easily; INR varies.",
        "INR monitored by the anticoagulation clinic, dose chart checked by two staff, bleeding signs handed over.",
        (3, 4),
        (2, 3),
    ),
    "infection": (
        "Recurrent urinary infections, last one three weeks ago.",
        "Fluid target charted, continence care with each change, urine signs reported, no dipstick diagnosis.",
        (3, 3),
        (2, 3),
    ),
    "bed_rails": (
        "Restless at night and climbs; bed rails would add the risk of entrapment.",
        "Low bed with crash mat instead of rails, checked hourly at night.",
        (3, 4),
        (1, 4),
    ),
    "absconding": (
        "Tries the front door in the late afternoon, looking for her children.",
        "Keypad door, walks in the garden after lunch, staff know her 'going home' times and what reassures her.",
        (4, 4),
        (2, 4),
    ),
    "scalds_burns": (
        "Makes her own tea in the lounge kitchenette; tremor in the right hand.",
        "Kettle tipper, lidded mug, staff nearby when she makes drinks.",
        (3, 3),
        (2, 2),
    ),
}
COMMON = ["falls", "falls", "pressure_damage", "malnutrition", "dehydration", "infection", "medication"]
LESS_COMMON = ["choking", "bed_rails", "absconding", "scalds_burns"]
CONDITIONS = [
    "Supported trips out to the town centre at least once a week.",
    "The home to review the use of the door keypad with her family every month.",
    "Visits from her church minister whenever she asks.",
]


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


def _lacks(assessor, today, decision: str) -> dict:
    return {
        "decision": decision,
        "impairment": True,
        "impairment_evidence": "Diagnosis of dementia (memory clinic letter on file); disorientated to time and place.",
        "understand": False,
        "understand_evidence": "Believed she was staying for a few days and that her house is still hers.",
        "retain": False,
        "retain_evidence": "Could not recall the conversation ten minutes later, on two days.",
        "use_weigh": False,
        "use_weigh_evidence": "Could not weigh her falls at home against going back there alone.",
        "communicate": True,
        "communicate_evidence": "Expressed herself clearly in conversation.",
        "because_of_impairment": True,
        "practicable_steps": "Talked in her room in the morning, with photos, her daughter present; "
        "tried again the next day.",
        "outcome": rules.LACKS_CAPACITY,
        "assessor_id": assessor.pk,
        "assessed_on": today,
        "review_on": today + timedelta(days=180),
    }


def _has(assessor, today) -> dict:
    return {
        "decision": "Whether to manage her own inhalers",
        "impairment": False,
        "impairment_evidence": "No impairment of the mind or brain known or observed.",
        "understand": True,
        "understand_evidence": "Explained when and why she uses each inhaler.",
        "retain": True,
        "retain_evidence": "Remembered the plan the next morning.",
        "use_weigh": True,
        "use_weigh_evidence": "Weighed keeping them herself against the risk of running out.",
        "communicate": True,
        "communicate_evidence": "Told the nurse her decision clearly.",
        "because_of_impairment": None,
        "practicable_steps": "",
        "outcome": rules.HAS_CAPACITY,
        "assessor_id": assessor.pk,
        "assessed_on": today,
        "review_on": today + timedelta(days=365),
    }


def _liberty(resident, framework: str, staff: list, today, n: int, counts: dict) -> None:
    """A liberty record of the home's framework: DoLS granted (the first ending within 28 days), requested, urgent."""
    user = staff[0]
    if framework == rules.DOLS:
        if n == 0 or n % 3 == 1:
            record = record_liberty(
                resident.pk,
                user=user,
                values={
                    "kind": "dols_standard",
                    "body": "The local authority (supervisory body)",
                    "requested_on": today - timedelta(days=60 if n == 0 else 200),
                },
            )
            start = today - timedelta(days=30 if n == 0 else 150)
            end = today + timedelta(days=20) if n == 0 else start + timedelta(days=365)
            grant_liberty(
                record.pk,
                user=user,
                decided_on=start,
                start_on=start,
                end_on=end,
                conditions=CONDITIONS[: 1 + n % 3],
                reference=f"DOLS-{resident.pk:04d}",
            )
            counts["dols_granted"] = counts.get("dols_granted", 0) + 1
        elif n % 3 == 2:
            record_liberty(
                resident.pk,
                user=user,
                values={
                    "kind": "dols_standard",
                    "requested_on": today - timedelta(days=10),
                    "body": "The local authority (supervisory body)",
                },
            )
            counts["dols_requested"] = counts.get("dols_requested", 0) + 1
        else:
            record_liberty(
                resident.pk,
                user=user,
                values={
                    "kind": "dols_urgent",
                    "start_on": today - timedelta(days=2),
                    "end_on": today + timedelta(days=5),
                    "body": "The local authority (told, standard requested)",
                },
            )
            counts["dols_urgent"] = counts.get("dols_urgent", 0) + 1
        return
    kind = {rules.AWI: "awi_s47", rules.MCA_NI: "ni_interim", rules.ADM: "adm_co_decision"}[framework]
    values = {"kind": kind, "person_appointed": "Her daughter"}
    if rules.KINDS[kind].requested:
        values["requested_on"] = today - timedelta(days=7)
    else:
        values.update(start_on=today - timedelta(days=20), end_on=today + timedelta(days=20 if n == 0 else 300))
    record_liberty(resident.pk, user=user, values=values)
    counts[kind] = counts.get(kind, 0) + 1


def seed(home, residents, users, rng: random.Random, now: datetime | None = None) -> dict:
    """Record risk registers and capacity records for the current ones of ``residents``; return counts."""
    staff = _staff(home, users)
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts: dict[str, int] = {}
    if not staff:
        return counts
    framework = framework_of_home(home.pk)
    current = [r for r in residents if r.home_id == home.pk and r.status in CURRENT_STATUSES]
    lacking = 0
    for i, resident in enumerate(current):
        kinds = list(dict.fromkeys([rng.choice(COMMON) for _ in range(rng.randint(1, 2))]))
        if rng.random() < 0.3:
            kinds.append(rng.choice(LESS_COMMON))
        for j, kind in enumerate(kinds):
            description, controls, (lk, im), (rlk, rim) = RISKS[kind]
            overdue = i % 6 == 0 and j == 0
            raised = now - timedelta(days=rng.randint(40, 60) if overdue else rng.randint(1, 20))
            review = timezone.localdate(raised) + timedelta(days=28 if overdue else rng.randint(21, 35))
            risk = raise_risk(
                resident.pk,
                user=rng.choice(staff),
                now=raised,
                values={
                    "kind": kind,
                    "description": description,
                    "likelihood": lk,
                    "impact": im,
                    "controls": controls,
                    "residual_likelihood": rlk,
                    "residual_impact": rim,
                    "owner_id": rng.choice(staff).pk,
                    "review_on": review,
                },
            )
            counts["risks"] = counts.get("risks", 0) + 1
            if not overdue and rng.random() < 0.25:
                change_risk(
                    risk.pk,
                    user=rng.choice(staff),
                    reason="Monthly review: a fall on the way to the bathroom, likelihood raised"
                    if kind == "falls"
                    else "Monthly review: controls working, review date moved on",
                    values={"likelihood": min(5, lk + 1)}
                    if kind == "falls"
                    else {"review_on": today + timedelta(days=28)},
                )
                counts["risk_reviews"] = counts.get("risk_reviews", 0) + 1
        if i % 3 == 0:
            assessor = rng.choice(staff)
            assessed_on = today - timedelta(days=rng.randint(20, 70))
            a = record_capacity_assessment(
                resident.pk, user=assessor, values=_lacks(assessor, assessed_on, "Whether to live in this care home")
            )
            record_best_interest_decision(
                resident.pk,
                user=assessor,
                values={
                    "capacity_assessment_id": a.pk,
                    "decision": "To live here, with the front door kept on a keypad and staff support to go out.",
                    "options_considered": "Return home with a care package; live with her daughter; live here.",
                    "consulted": [
                        {
                            "name": "Her daughter",
                            "relationship": "Daughter, health and welfare attorney",
                            "views": "She was not safe at home; wants her to stay here and go out often.",
                        },
                        {"name": "Her GP", "relationship": "GP", "views": "Agrees: falls and getting lost at home."},
                    ],
                    "wishes_feelings_beliefs": "Says she wants to go home; enjoys company and the garden; "
                    "a churchgoer.",
                    "least_restrictive": "She can go out with staff or family whenever she wishes; the keypad only.",
                    "decision_maker": assessor.display_name,
                    "decision_maker_role": "Nurse in charge, with the family",
                    "decided_on": assessed_on + timedelta(days=2),
                },
            )
            counts["capacity_assessments"] = counts.get("capacity_assessments", 0) + 1
            counts["best_interest_decisions"] = counts.get("best_interest_decisions", 0) + 1
            _liberty(resident, framework, staff, today, lacking, counts)
            lacking += 1
        elif i % 4 == 1:
            assessor = rng.choice(staff)
            record_capacity_assessment(resident.pk, user=assessor, values=_has(assessor, today - timedelta(days=10)))
            counts["capacity_assessments"] = counts.get("capacity_assessments", 0) + 1
    return counts
