"""Services of vital signs (NEWS2), SBARD escalations and each resident's SpO2 scale.

One ``transaction.atomic()`` each: the row, its audit record (subject = the resident) and its
domain events commit together or not at all. NEWS2 is computed by ``news2.py`` (in the model's
``clean()``, which ``create_entry`` and ``correct_entry`` both run), never typed in.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.care_records import news2
from writecarenotes.care_records.events import News2EscalationNeeded, SbardRecorded, VitalSignsRecorded
from writecarenotes.care_records.models import SbardEscalation, Spo2Scale, VitalSigns, VitalSignsPlan
from writecarenotes.care_records.services_notes import create_entry, recordable_resident, subject_of
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.events.api import publish
from writecarenotes.residents.public import get_resident

#: What a carer may type for a set of vital signs (the NEWS2 fields are computed).
VITALS_FIELDS = (
    "respiration_rate",
    "spo2",
    "on_oxygen",
    "systolic_bp",
    "diastolic_bp",
    "pulse",
    "consciousness",
    "temperature",
    "soft_signs",
    "comment",
)
SBARD_FIELDS = (
    "situation",
    "background",
    "assessment",
    "recommendation",
    "decision",
    "contacted",
    "contacted_name",
    "outcome",
)


def spo2_scale_for(resident_id: int) -> int:
    """The resident's SpO2 scale (1 unless a nurse or manager has set Scale 2)."""
    plan = VitalSignsPlan.objects.filter(resident_id=resident_id).first()
    return plan.spo2_scale if plan else Spo2Scale.SCALE_1


def temperature_value(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        raise ValidationError({"temperature": _("Enter the temperature as a number, for example 37.2.")}) from None


def record_vital_signs(*, resident_id: int, user, occurred_at, values: dict) -> VitalSigns:
    """Record a set of vital signs; NEWS2 is computed when all seven parameters are present.

    Publishes ``care_records.vital_signs_recorded``; when NEWS2 is 5 or more or any parameter
    scores 3, also ``care_records.news2_escalation_needed``.
    """
    unknown = set(values) - set(VITALS_FIELDS)
    if unknown:
        raise ValueError(f"cannot set {sorted(unknown)}")
    values = {k: v for k, v in values.items()}
    values["temperature"] = temperature_value(values.get("temperature"))
    values["consciousness"] = values.get("consciousness") or ""
    values["soft_signs"] = list(values.get("soft_signs") or [])
    values["comment"] = (values.get("comment") or "").strip()
    with transaction.atomic():
        values["spo2_scale"] = spo2_scale_for(resident_id)
        vs = create_entry(VitalSigns, resident_id=resident_id, user=user, occurred_at=occurred_at, values=values)
        _publish_recorded(vs)
    return vs


def _publish_recorded(vs: VitalSigns) -> None:
    publish(
        VitalSignsRecorded(
            vital_signs_id=vs.pk,
            resident_id=vs.resident_id,
            occurred_at=vs.occurred_at,
            news2_total=vs.news2_total,
            band=vs.news2_band,
            red_score=vs.news2_red,
            soft_signs=list(vs.soft_signs),
        ),
        home=vs.home_id,
    )
    if vs.needs_escalation:
        publish(
            News2EscalationNeeded(
                vital_signs_id=vs.pk,
                resident_id=vs.resident_id,
                occurred_at=vs.occurred_at,
                news2_total=vs.news2_total,
                band=vs.news2_band,
                red_score=vs.news2_red,
            ),
            home=vs.home_id,
        )


def record_sbard(*, resident_id: int, user, occurred_at, values: dict, vital_signs_id: int | None = None):
    """Record an SBARD escalation (who was contacted, when, the decision), optionally linked to
    the vital signs that triggered it (which must be the same resident's)."""
    unknown = set(values) - set(SBARD_FIELDS)
    if unknown:
        raise ValueError(f"cannot set {sorted(unknown)}")
    values = {k: (v or "").strip() if isinstance(v, str) or v is None else v for k, v in values.items()}
    errors = {}
    for name, message in (
        ("situation", _("Say what is happening now.")),
        ("background", _("Give the background: history, medicines, what is normal for them.")),
        ("assessment", _("Give your assessment: observations, NEWS2, soft signs.")),
        ("recommendation", _("Say what you are asking for.")),
        ("contacted", _("Choose who you contacted.")),
    ):
        if not values.get(name):
            errors[name] = message
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if vital_signs_id is not None:
            linked = VitalSigns.objects.filter(pk=vital_signs_id, resident_id=resident_id).first()
            if linked is None:
                raise ValidationError({"vital_signs_id": _("These vital signs are not this resident's.")})
        escalation = create_entry(
            SbardEscalation,
            resident_id=resident_id,
            user=user,
            occurred_at=occurred_at,
            values={**values, "vital_signs_id": vital_signs_id},
        )
        publish(
            SbardRecorded(
                escalation_id=escalation.pk,
                resident_id=escalation.resident_id,
                vital_signs_id=vital_signs_id,
                contacted=escalation.contacted,
                occurred_at=escalation.occurred_at,
            ),
            home=escalation.home_id,
        )
    return escalation


def set_spo2_scale(*, resident_id: int, user, spo2_scale: int, reason: str) -> VitalSignsPlan:
    """Set which SpO2 scale a resident's NEWS2 uses (nurse or manager: ``care_records:manage``).

    Scale 2 is for a prescribed target of 88-92% (hypercapnic respiratory failure); the reason
    (e.g. "COPD, target 88-92% prescribed by Dr Patel 3/11") is required and audited.
    """
    reason = (reason or "").strip()
    errors = {}
    if spo2_scale not in Spo2Scale.values:
        errors["spo2_scale"] = _("Choose Scale 1 or Scale 2.")
    if not reason:
        errors["reason"] = _("Give the reason, for example who prescribed the 88-92% target.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        ref = get_resident(resident_id)
        plan = VitalSignsPlan.objects.select_for_update().filter(resident_id=ref.id).first()
        before = {"spo2_scale": plan.spo2_scale, "reason": plan.reason} if plan else None
        if plan is None:
            plan = VitalSignsPlan(home_id=ref.home_id, resident_id=ref.id)
        plan.spo2_scale = spo2_scale
        plan.reason = reason
        plan.set_by = user
        plan.set_at = timezone.now()
        plan.save()
        record_change(
            "care_records.spo2_scale.set",
            target=plan,
            before=before,
            after={"spo2_scale": plan.spo2_scale, "reason": plan.reason},
            reason=reason,
            reason_required=True,
            subject=subject_of(ref.id),
            subject_label=ref.display_name,
        )
    return plan


def latest_vital_signs(resident_id: int) -> VitalSigns | None:
    return VitalSigns.objects.current().filter(resident_id=resident_id).order_by("-occurred_at", "-pk").first()


def next_due_at(vs: VitalSigns | None):
    """When the next observations are due, per the NEWS2 minimum monitoring frequency (None: no
    score, or continuous monitoring is due now, which we report as the reading's own time)."""
    if vs is None or not vs.is_complete:
        return None
    hours = news2.monitoring_hours_for(vs.news2_total, vs.news2_band)
    return vs.occurred_at if hours is None else vs.occurred_at + timedelta(hours=hours)


# --- the "who needs what now" list (care_records.alerts) --------------------------------------


def news2_alerts(residents, now) -> list:
    """Alerts from each resident's latest (not struck) vital signs: NEWS2 7+ (high), 5-6 or a 3 in
    one parameter (medium: escalate now), or observations due by the NEWS2 monitoring frequency.

    "Due" is raised only when the latest score is 1 or more (aggregate 0 is routine 12-hourly
    monitoring in hospital; in a care home RESTORE2 asks for observations when soft signs appear,
    so a well resident is not flagged twice a day).
    """
    from django.urls import reverse

    from writecarenotes.care_records.alerts import Alert

    ids = [r.id for r in residents]
    if not ids:
        return []
    latest: dict[int, VitalSigns] = {}
    since = now - timedelta(days=7)
    for vs in (
        VitalSigns.objects.current()
        .filter(resident_id__in=ids, occurred_at__gte=since, news2_total__isnull=False)
        .order_by("occurred_at", "pk")
        .only("id", "resident_id", "occurred_at", "news2_total", "news2_band", "news2_red")
    ):
        latest[vs.resident_id] = vs
    out = []
    for ref in residents:
        vs = latest.get(ref.id)
        if vs is None:
            continue
        at = timezone.localtime(vs.occurred_at).strftime("%H:%M")
        url = reverse("care_records:vitals_result", args=[ref.id, vs.pk])
        common = dict(
            resident_id=ref.id, resident_name=ref.display_name, room=ref.room, unit_name=ref.unit_name, kind="news2"
        )
        if vs.news2_band == news2.HIGH:
            message = _("NEWS2 %(total)s at %(time)s: call 999 now") % {"total": vs.news2_total, "time": at}
            out.append(Alert(**common, severity="high", message=message, url=url, detail={"total": vs.news2_total}))
        elif vs.needs_escalation:
            message = _("NEWS2 %(total)s at %(time)s: urgent review (GP, NHS 111)") % {
                "total": vs.news2_total,
                "time": at,
            }
            out.append(Alert(**common, severity="high", message=message, url=url, detail={"total": vs.news2_total}))
        due = next_due_at(vs)
        if vs.news2_total and due is not None and due < now and vs.news2_band != news2.HIGH:
            message = _("Observations due since %(time)s (last NEWS2 %(total)s)") % {
                "time": timezone.localtime(due).strftime("%H:%M"),
                "total": vs.news2_total,
            }
            out.append(Alert(**common, severity="medium", message=message, url=url, detail={"due": due.isoformat()}))
    return out


def _register_alerts() -> None:
    from writecarenotes.care_records.alerts import register_alert_source

    register_alert_source(news2_alerts)


_register_alerts()


# --- demo data --------------------------------------------------------------------------------


def _demo_values(rng: random.Random, worse: float) -> dict:
    """One plausible set for an older person; ``worse`` 0..1 moves it towards a chest infection."""
    return {
        "respiration_rate": int(round(rng.gauss(16, 1.5) + 8 * worse)),
        "spo2": max(85, min(99, int(round(rng.gauss(96, 1) - 5 * worse)))),
        "on_oxygen": False,
        "systolic_bp": int(round(rng.gauss(132, 10) - 25 * worse)),
        "diastolic_bp": int(round(rng.gauss(76, 6) - 10 * worse)),
        "pulse": int(round(rng.gauss(74, 7) + 30 * worse)),
        "consciousness": "A",
        "temperature": Decimal(str(round(rng.gauss(36.7, 0.25) + 1.6 * worse, 1))),
    }


def demo_history(resident, days: int, rng: random.Random, deteriorating: bool = False, user=None) -> list[VitalSigns]:
    """Demo data: daily vital signs for ``days`` days up to now (call inside acting_for([home])).

    ``resident`` is a Resident or a ResidentRef. With ``deteriorating``, the last two days rise
    to a medium NEWS2 (5-6: a chest-infection picture with new soft signs). The rows are bulk
    inserted as seed data (no audit records or events: nothing happened to anyone); NEWS2 is
    computed exactly as for real entries. ``user`` defaults to a nurse or carer of the home.
    """
    resident_id = getattr(resident, "id", None) or resident.pk
    ref = get_resident(resident_id)
    if user is None:
        from writecarenotes.platform.identity.models import Membership

        member = (
            Membership.objects.filter(home_id=ref.home_id, role__in=["nurse", "senior_carer", "carer"])
            .order_by("role", "pk")
            .first()
        )
        if member is None:
            return []
        user = member.user
    from writecarenotes.platform.tenancy.models import CareHome

    organisation_id = CareHome.objects.values_list("organisation_id", flat=True).get(pk=ref.home_id)
    now = timezone.now().replace(second=0, microsecond=0)
    scale = spo2_scale_for(ref.id)
    rows = []
    for day in range(days, -1, -1):
        at = now - timedelta(days=day, hours=rng.randint(0, 3))
        worse = 0.0
        if deteriorating and day <= 2:
            worse = {2: 0.35, 1: 0.6, 0: 0.75}[day]
        values = _demo_values(rng, worse)
        vs = VitalSigns(
            organisation_id=organisation_id,
            home_id=ref.home_id,
            resident_id=ref.id,
            recorded_by=user,
            occurred_at=at,
            recorded_at=at + timedelta(minutes=rng.randint(1, 20)),
            spo2_scale=scale,
            soft_signs=["not_drinking", "drowsy"] if worse >= 0.6 else [],
            **values,
        )
        if deteriorating and day == 0:
            # A fixed, hand-checked medium reading: RR 22 (2), SpO2 94 (1), air, SBP 104 (1),
            # pulse 102 (1), Alert, 38.2 (1) = 6 -> medium (scale 1).
            vs.respiration_rate, vs.spo2, vs.systolic_bp, vs.diastolic_bp = 22, 94 if scale == 1 else 89, 104, 64
            vs.pulse, vs.temperature = 102, Decimal("38.2")
        vs.full_clean(exclude=["organisation", "home", "resident", "recorded_by"])
        vs.mark_late()
        rows.append(vs)
    with transaction.atomic():
        return VitalSigns.objects.bulk_create(rows)


__all__ = [
    "SBARD_FIELDS",
    "VITALS_FIELDS",
    "demo_history",
    "latest_vital_signs",
    "news2_alerts",
    "next_due_at",
    "record_sbard",
    "record_vital_signs",
    "recordable_resident",
    "set_spo2_scale",
    "spo2_scale_for",
]
