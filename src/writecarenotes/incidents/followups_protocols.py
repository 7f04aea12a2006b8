"""The post-fall protocol as data: the nurse's tasks after a fall, with their times and sources.

Sources
  * NICE CG161 "Falls in older people: assessing risk and prevention" (2013) and NICE quality standard
    QS86 "Falls in older people" (2015, statement on checks after an inpatient fall: check for signs or
    symptoms of fracture and potential spinal injury before the person is moved, and a medical
    examination). CG161 was replaced by NICE NG249 (2025) "Falls: assessment and prevention in older
    people and in people 50 and over at higher risk" (unverified: publication date and numbering).
  * NICE NG232 "Head injury: assessment and early management" (2023), section 1.8 (observations): the
    minimum documented neurological observations are GCS, pupil size and reactivity, limb movements,
    respiratory rate, heart rate, blood pressure, temperature and oxygen saturation; half-hourly until
    GCS 15, then for a person with GCS 15: half-hourly for 2 hours, then hourly for 4 hours, then
    2-hourly; a deterioration returns to half-hourly. NG232 writes this for people observed in hospital;
    care homes' post-fall protocols (e.g. NHS community post-falls guidance for care homes) apply the
    same schedule for 24 hours after an unwitnessed fall or a head strike, with ACVPU (NEWS2, Royal
    College of Physicians 2017) where GCS is not practicable. The 24-hour span is the home's policy.
  * NICE NG232 (1.4, CT head scan for people on anticoagulant treatment): anticoagulant status changes
    what a head injury needs (unverified: recommendation number), hence the prompt to check it.
  * Local authority post-fall guidance for care homes (e.g. Bristol City Council, "Eight things you
    must do if someone falls": check for bruising and skin damage 24 and 48 hours after the fall).

Times are minutes after the protocol starts (the report, or the correction that added it).
"""

from __future__ import annotations

from dataclasses import dataclass

NG232 = "NICE NG232 Head injury: assessment and early management (2023), 1.8 observations"
QS86 = "NICE QS86 Falls in older people (2015); NICE CG161 (2013)"
LOCAL = "Care home post-fall guidance (e.g. Bristol City Council: checks 24 and 48 hours after a fall)"


@dataclass(frozen=True)
class TaskSpec:
    key: str
    title: str
    instructions: str
    source: str
    due_minutes: int
    neuro: bool = False
    sequence: int = 0


#: Every fall of a resident
POST_FALL: tuple[TaskSpec, ...] = (
    TaskSpec(
        "assessment",
        "Post-fall assessment",
        "Before moving the person: check for signs of fracture (pain, shortening, rotation) and of spinal or "
        "head injury. Then vital signs (NEWS2), skin, pain, new confusion, how they are mobilising. Call 999 "
        "for a suspected fracture, head injury with warning signs, or a NEWS2 of 7 or more.",
        QS86,
        60,
        sequence=0,
    ),
    TaskSpec(
        "review_24h",
        "Review 24 hours after the fall",
        "Look for pain, bruising, swelling or skin damage, new confusion, and any change in mobility or in "
        "eating and drinking. Record the vital signs.",
        LOCAL,
        24 * 60,
        sequence=50,
    ),
    TaskSpec(
        "review_48h",
        "Review 48 hours after the fall",
        "The same checks as at 24 hours; a fracture can show late (pain on weight bearing).",
        LOCAL,
        48 * 60,
        sequence=60,
    ),
)

#: Intervals of the neurological observations after a head strike or an unwitnessed fall (minutes from
#: the start): a baseline, half-hourly for 2 hours, hourly for 4 hours, then 2-hourly to 24 hours.
NEURO_SCHEDULE_MINUTES: tuple[int, ...] = (
    0,
    30,
    60,
    90,
    120,
    *range(180, 360 + 1, 60),
    *range(480, 24 * 60 + 1, 120),
)

_NEURO_INSTRUCTIONS = (
    "GCS (or ACVPU when GCS cannot be scored), pupil size and reaction, limb movements, respiratory rate, "
    "heart rate, blood pressure, temperature, oxygen saturation. Call 999 at once for a drop in GCS (or a new "
    "C, V, P or U), unequal or unreactive pupils, new weakness, vomiting, a seizure, or worsening headache; "
    "after any deterioration observe half-hourly again."
)


def _neuro_label(minutes: int) -> str:
    if minutes == 0:
        return "baseline"
    hours, mins = divmod(minutes, 60)
    if not hours:
        return f"{mins} min"
    return f"{hours} h {mins:02d}" if mins else f"{hours} h"


HEAD_INJURY: tuple[TaskSpec, ...] = (
    TaskSpec(
        "anticoagulant",
        "Check anticoagulant and antiplatelet medicines",
        "Does the person take an anticoagulant (warfarin, apixaban, rivaroxaban, edoxaban, dabigatran) or an "
        "antiplatelet? After a head injury on an anticoagulant, seek medical advice now (NHS 111 / GP / 999): "
        "a CT head scan may be needed.",
        "NICE NG232 (2023), people on anticoagulant treatment",
        30,
        sequence=1,
    ),
    *(
        TaskSpec(
            f"neuro_{i:02d}",
            f"Neurological observations ({_neuro_label(m)})",
            _NEURO_INSTRUCTIONS,
            NG232,
            m,
            neuro=True,
            sequence=10 + i,
        )
        for i, m in enumerate(NEURO_SCHEDULE_MINUTES)
    ),
)

PROTOCOLS: dict[str, tuple[TaskSpec, ...]] = {"post_fall": POST_FALL, "head_injury": HEAD_INJURY}


def needs_head_injury_protocol(*, witnessed: bool | None, head_struck: bool | None) -> bool:
    """Unwitnessed (or not known to be witnessed) falls and head strikes get the head-injury observations."""
    return head_struck is True or witnessed is not True


def protocols_for(*, kind: str, witnessed: bool | None, head_struck: bool | None) -> tuple[str, ...]:
    if kind != "fall":
        return ()
    if needs_head_injury_protocol(witnessed=witnessed, head_struck=head_struck):
        return ("post_fall", "head_injury")
    return ("post_fall",)
