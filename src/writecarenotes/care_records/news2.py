"""NEWS2: the National Early Warning Score 2, computed exactly per the Royal College of Physicians chart.

Source: Royal College of Physicians. *National Early Warning Score (NEWS) 2: Standardising the
assessment of acute-illness severity in the NHS.* Updated report of a working party. London: RCP,
December 2017. Chart 1 ("The NEWS scoring system"), Chart 2 ("Observation chart"), Table 2/Chart 3
("NEWS thresholds and triggers") and Chart 4 ("Clinical response to the NEWS trigger thresholds").

Pure functions, no Django. Every threshold of Chart 1, written out::

    parameter              3        2        1        0            1        2        3
    respiration rate /min  <=8               9-11     12-20                 21-24    >=25
    SpO2 Scale 1 (%)       <=91     92-93    94-95    >=96
    SpO2 Scale 2 (%)       <=83     84-85    86-87    88-92        93-94    95-96    >=97
                                                      >=93 on air  on O2    on O2    on O2
    air or oxygen                   oxygen            air
    systolic BP (mmHg)     <=90     91-100   101-110  111-219                        >=220
    pulse (/min)           <=40              41-50    51-90        91-110   111-130  >=131
    consciousness                                     alert                          C, V, P or U
    temperature (C)        <=35.0            35.1-36.0 36.1-38.0   38.1-39.0 >=39.1

Scale 2 is only for people with hypercapnic respiratory failure who have a *prescribed* target
saturation of 88-92% (a clinical decision, recorded by a nurse or manager); everyone else uses
Scale 1. "C" is new confusion (ACVPU), which scores 3 like V, P and U.

Temperatures are recorded to one decimal place and compared with the upper limit of each band
("35.1-36.0" means above 35.0 and up to 36.0), so a value between printed bands, such as 36.05,
still has exactly one score (here 0).

Clinical risk and response (Chart 3 / Chart 4):
- aggregate 0: low; minimum 12-hourly monitoring;
- aggregate 1-4: low; minimum 4-6-hourly; ward-based response (a registered nurse assesses);
- a score of 3 in any single parameter ("red score"), aggregate 4 or less: low-medium; minimum
  1-hourly; urgent ward-based response;
- aggregate 5-6: medium; minimum 1-hourly; urgent response (key threshold);
- aggregate 7 or more: high; continuous monitoring; emergency response.

Escalation advice for a care home follows RESTORE2 (Recognise Early Soft-signs, Take
Observations, Respond, Escalate; West Hampshire CCG and Wessex AHSN), which uses NEWS2 with
soft signs and SBARD communication in care homes. The wording here is ours, kept plain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

# --- parameters --------------------------------------------------------------------------------

PARAMETERS = (
    "respiration_rate",
    "spo2",
    "on_oxygen",
    "systolic_bp",
    "pulse",
    "consciousness",
    "temperature",
)

ALERT = "A"
CONSCIOUSNESS_LEVELS = ("A", "C", "V", "P", "U")  # ACVPU; C = new confusion

LOW = "low"
LOW_MEDIUM = "low_medium"
MEDIUM = "medium"
HIGH = "high"
BANDS = (LOW, LOW_MEDIUM, MEDIUM, HIGH)


def score_respiration_rate(rate: int) -> int:
    """Breaths per minute: <=8 -> 3; 9-11 -> 1; 12-20 -> 0; 21-24 -> 2; >=25 -> 3."""
    if rate <= 8:
        return 3
    if rate <= 11:
        return 1
    if rate <= 20:
        return 0
    if rate <= 24:
        return 2
    return 3


def score_spo2_scale1(spo2: int) -> int:
    """SpO2 % on Scale 1: <=91 -> 3; 92-93 -> 2; 94-95 -> 1; >=96 -> 0 (air or oxygen alike)."""
    if spo2 <= 91:
        return 3
    if spo2 <= 93:
        return 2
    if spo2 <= 95:
        return 1
    return 0


def score_spo2_scale2(spo2: int, on_oxygen: bool) -> int:
    """SpO2 % on Scale 2 (prescribed target 88-92%).

    <=83 -> 3; 84-85 -> 2; 86-87 -> 1; 88-92 -> 0; >=93 on air -> 0;
    on oxygen: 93-94 -> 1; 95-96 -> 2; >=97 -> 3.
    """
    if spo2 <= 83:
        return 3
    if spo2 <= 85:
        return 2
    if spo2 <= 87:
        return 1
    if spo2 <= 92:
        return 0
    if not on_oxygen:
        return 0
    if spo2 <= 94:
        return 1
    if spo2 <= 96:
        return 2
    return 3


def score_air_or_oxygen(on_oxygen: bool) -> int:
    """Supplemental oxygen -> 2; air -> 0."""
    return 2 if on_oxygen else 0


def score_systolic_bp(systolic: int) -> int:
    """mmHg: <=90 -> 3; 91-100 -> 2; 101-110 -> 1; 111-219 -> 0; >=220 -> 3."""
    if systolic <= 90:
        return 3
    if systolic <= 100:
        return 2
    if systolic <= 110:
        return 1
    if systolic <= 219:
        return 0
    return 3


def score_pulse(pulse: int) -> int:
    """Beats per minute: <=40 -> 3; 41-50 -> 1; 51-90 -> 0; 91-110 -> 1; 111-130 -> 2; >=131 -> 3."""
    if pulse <= 40:
        return 3
    if pulse <= 50:
        return 1
    if pulse <= 90:
        return 0
    if pulse <= 110:
        return 1
    if pulse <= 130:
        return 2
    return 3


def score_consciousness(level: str) -> int:
    """ACVPU: Alert -> 0; new Confusion, Voice, Pain or Unresponsive -> 3."""
    if level not in CONSCIOUSNESS_LEVELS:
        raise ValueError(f"consciousness must be one of {CONSCIOUSNESS_LEVELS}")
    return 0 if level == ALERT else 3


def score_temperature(celsius) -> int:
    """Degrees C: <=35.0 -> 3; 35.1-36.0 -> 1; 36.1-38.0 -> 0; 38.1-39.0 -> 1; >=39.1 -> 2."""
    t = Decimal(str(celsius))
    if t <= Decimal("35.0"):
        return 3
    if t <= Decimal("36.0"):
        return 1
    if t <= Decimal("38.0"):
        return 0
    if t <= Decimal("39.0"):
        return 1
    return 2


# --- the whole score ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Observations:
    """One set of observations; any may be None (then NEWS2 is not calculated)."""

    respiration_rate: int | None = None
    spo2: int | None = None
    on_oxygen: bool | None = None
    systolic_bp: int | None = None
    pulse: int | None = None
    consciousness: str | None = None
    temperature: Decimal | float | None = None
    spo2_scale: int = 1

    def missing(self) -> list[str]:
        return [p for p in PARAMETERS if getattr(self, p) is None]


@dataclass(frozen=True)
class News2Result:
    scores: dict[str, int]  # parameter -> 0..3
    total: int
    red_score: bool  # 3 in any single parameter
    band: str  # LOW, LOW_MEDIUM, MEDIUM, HIGH
    monitoring_hours: float | None  # minimum frequency; None = continuous
    spo2_scale: int = 1
    red_parameters: list[str] = field(default_factory=list)


def band_for(total: int, red_score: bool) -> str:
    """Clinical risk (Chart 3): 7+ high; 5-6 medium; a single 3 low-medium; otherwise low."""
    if total >= 7:
        return HIGH
    if total >= 5:
        return MEDIUM
    if red_score:
        return LOW_MEDIUM
    return LOW


def monitoring_hours_for(total: int, band: str) -> float | None:
    """Minimum monitoring frequency (Chart 4), in hours; None for continuous.

    Aggregate 1-4 says "minimum 4-6-hourly": we use the shorter, 4 hours (the safer reading).
    """
    if band == HIGH:
        return None
    if band in (MEDIUM, LOW_MEDIUM):
        return 1
    if total == 0:
        return 12
    return 4


def score(obs: Observations) -> News2Result:
    """Score a complete set of observations. Raises ValueError when a parameter is missing."""
    missing = obs.missing()
    if missing:
        raise ValueError(f"NEWS2 needs all seven parameters; missing: {', '.join(missing)}")
    if obs.spo2_scale not in (1, 2):
        raise ValueError("spo2_scale must be 1 or 2")
    spo2 = score_spo2_scale2(obs.spo2, obs.on_oxygen) if obs.spo2_scale == 2 else score_spo2_scale1(obs.spo2)  # type: ignore[arg-type]
    scores = {
        "respiration_rate": score_respiration_rate(obs.respiration_rate),  # type: ignore[arg-type]
        "spo2": spo2,
        "on_oxygen": score_air_or_oxygen(bool(obs.on_oxygen)),
        "systolic_bp": score_systolic_bp(obs.systolic_bp),  # type: ignore[arg-type]
        "pulse": score_pulse(obs.pulse),  # type: ignore[arg-type]
        "consciousness": score_consciousness(obs.consciousness),  # type: ignore[arg-type]
        "temperature": score_temperature(obs.temperature),
    }
    total = sum(scores.values())
    red = [p for p, s in scores.items() if s == 3]
    band = band_for(total, bool(red))
    return News2Result(
        scores=scores,
        total=total,
        red_score=bool(red),
        band=band,
        monitoring_hours=monitoring_hours_for(total, band),
        spo2_scale=obs.spo2_scale,
        red_parameters=red,
    )


# --- what to do: plain words for a care home (RESTORE2) ----------------------------------------

ESCALATION_SOURCE = (
    "RCP National Early Warning Score (NEWS) 2 (2017); RESTORE2 (West Hampshire CCG and Wessex AHSN) for care homes"
)


@dataclass(frozen=True)
class Advice:
    band: str
    urgency: str  # "routine", "soon", "urgent", "emergency"
    headline: str
    actions: tuple[str, ...]
    call_999: bool = False


def escalation_advice(result: News2Result, *, soft_signs: bool = False, gettext=lambda s: s) -> Advice:
    """What the carer should do now, in plain words, for a care home (no doctor on site).

    ``gettext`` lets callers translate (news2 stays free of Django); pass django's gettext.
    """
    _ = gettext
    if result.band == HIGH:
        return Advice(
            HIGH,
            "emergency",
            _("NEWS2 is 7 or more: call 999 now."),
            (
                _("Call 999 now and say the NEWS2 score."),
                _("Stay with the person and tell the nurse or manager on duty."),
                _("Repeat the observations while you wait and keep this record."),
                _("Use SBARD to hand over to the ambulance crew."),
            ),
            call_999=True,
        )
    if result.band == MEDIUM:
        return Advice(
            MEDIUM,
            "urgent",
            _("NEWS2 is 5 or 6: get an urgent clinical review now."),
            (
                _("Tell the nurse or manager on duty now."),
                _("Contact the GP now (out of hours: NHS 111 or the urgent community response team)."),
                _("Use SBARD when you call and record who you spoke to."),
                _("Repeat the observations at least every hour. Call 999 if the person gets worse."),
            ),
        )
    if result.band == LOW_MEDIUM:
        return Advice(
            LOW_MEDIUM,
            "urgent",
            _("One observation scores 3: get an urgent review."),
            (
                _("Tell the nurse or manager on duty now."),
                _("Contact the GP or NHS 111 for advice today, and say which observation scored 3."),
                _("Use SBARD when you call and record who you spoke to."),
                _("Repeat the observations at least every hour."),
            ),
        )
    if result.total == 0:
        actions = (_("Carry on with usual care. Repeat observations at least every 12 hours, or sooner if worried."),)
        if soft_signs:
            actions = (
                _("Soft signs are present: tell the nurse or manager and consider calling the GP or NHS 111."),
                *actions,
            )
        return Advice(LOW, "routine", _("NEWS2 is 0: low risk."), actions)
    actions = (
        _("Tell the nurse or senior carer on duty."),
        _("Repeat the observations within 4 to 6 hours, or sooner if worried."),
    )
    if soft_signs:
        actions = (*actions, _("Soft signs are present: consider calling the GP or NHS 111 for advice."))
    return Advice(LOW, "soon", _("NEWS2 is 1 to 4: low risk, keep watching."), actions)
