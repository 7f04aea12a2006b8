"""Shift handover per unit: a generated summary of the last shift, items staff add, a sign-off.

Shifts are 08:00-20:00 and 20:00-08:00 local time (``rules.SHIFT_STARTS``); the handover page
shows the last completed shift. Reading the page writes nothing: the summary is computed live.
The first item added (or the sign-off) stores the handover row with the summary at that moment;
at sign-off the summary is generated one final time and frozen, and the handover becomes
read-only. Adding items needs ``care_records:record``; signing off needs ``care_records:manage``
(nurses and managers; senior carers and carers record but do not sign off).
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.care_records import rules
from writecarenotes.care_records.alerts import alerts_for, settings_by_resident
from writecarenotes.care_records.events import HandoverSignedOff
from writecarenotes.care_records.models import CareNote, Handover, HandoverItem, MovementKind, ResidentMovement
from writecarenotes.care_records.services_charts import CHARTS
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.events.api import publish
from writecarenotes.platform.tenancy.models import Unit
from writecarenotes.residents.public import ResidentNotFound, ResidentRef, current_residents, get_resident


def _when(dt: datetime) -> str:
    return timezone.localtime(dt).strftime("%d %b %H:%M")


def generate_summary(unit_id: int, start: datetime, end: datetime, now: datetime | None = None) -> dict:
    """The handover summary (JSON-friendly) of ``unit_id`` for the shift [start, end)."""
    from django.db.models import Sum

    from writecarenotes.care_records.models import FoodFluidEntry

    now = now or timezone.now()
    residents = current_residents(unit_id)
    by_id = {r.id: r for r in residents}
    ids = list(by_id)

    def who(rid: int) -> dict:
        r = by_id[rid]
        return {"resident_id": rid, "resident_name": r.display_name, "room": r.room}

    in_shift = {"resident_id__in": ids, "occurred_at__gte": start, "occurred_at__lt": end}
    refused = [
        {**who(e.resident_id), "at": _when(e.occurred_at), "text": e.item}
        for e in FoodFluidEntry.objects.current().filter(amount_eaten="refused", **in_shift).order_by("occurred_at")
    ]
    falls = [
        {**who(n.resident_id), "at": _when(n.occurred_at), "text": n.text}
        for n in CareNote.objects.current().filter(fall=True, **in_shift).order_by("occurred_at")
    ]
    # low fluids: the fluid day that the shift ends in, judged at the end of the shift
    local_end = timezone.localtime(min(end, now))
    day_start, day_end = rules.fluid_day_bounds(local_end)
    totals = {
        r["resident_id"]: r["total"] or 0
        for r in FoodFluidEntry.objects.current()
        .filter(resident_id__in=ids, occurred_at__gte=day_start, occurred_at__lt=min(end, now))
        .values("resident_id")
        .annotate(total=Sum("fluid_ml"))
    }
    settings = settings_by_resident(ids)
    low_fluids = []
    for rid in ids:
        s = settings[rid]
        if not s.monitor_fluids:
            continue
        expected = rules.expected_fluid_ml(
            s.fluid_target_ml, local_end.time(), s.fluid_check_time, s.fluid_check_percent
        )
        if expected and totals.get(rid, 0) < expected:
            low_fluids.append({**who(rid), "text": f"{totals.get(rid, 0)} / {s.fluid_target_ml} ml"})
    corrections = []
    for model in [CareNote, *CHARTS.values()]:
        for e in model.objects.filter(resident_id__in=ids, struck_at__gte=start, struck_at__lt=end).order_by(
            "struck_at"
        ):
            corrections.append(
                {
                    **who(e.resident_id),
                    "at": _when(e.struck_at),
                    "text": f"{model._meta.verbose_name}: {e.struck_reason}",
                }
            )
    movements = shift_movements(unit_id, start, end, by_id)
    new_residents = [m for m in movements if m["kind"] == MovementKind.ADMITTED]
    alerts = [a.as_dict() for a in alerts_for(unit_id, now)]
    return {
        "generated_at": now.isoformat(),
        "alerts": alerts,
        "refused_meals": refused,
        "low_fluids": low_fluids,
        "falls": falls,
        "corrections": corrections,
        "new_residents": new_residents,
        "movements": movements,
        "notes_count": CareNote.objects.current().filter(**in_shift).count(),
    }


def shift_movements(unit_id: int, start: datetime, end: datetime, known: dict[int, ResidentRef]) -> list[dict]:
    """Admissions, absences, returns, discharges, deaths and room changes into the unit in [start, end),
    from the ResidentMovement read model (fed by residents' events, see subscribers.py)."""
    rows = list(ResidentMovement.objects.filter(unit_id=unit_id, at__gte=start, at__lt=end).order_by("at", "pk"))
    refs = dict(known)
    for rid in {m.resident_id for m in rows} - set(refs):
        try:
            refs[rid] = get_resident(rid)
        except ResidentNotFound:
            pass
    out = []
    for m in rows:
        r = refs.get(m.resident_id)
        out.append(
            {
                "resident_id": m.resident_id,
                "resident_name": r.display_name if r else _("Resident %(id)s") % {"id": m.resident_id},
                "room": r.room if r else "",
                "kind": m.kind,
                "label": m.get_kind_display(),
                "at": _when(m.at),
                "text": m.detail,
            }
        )
    return out


def last_shift(now: datetime | None = None) -> tuple[datetime, datetime]:
    return rules.previous_shift_bounds(timezone.localtime(now or timezone.now()))


def find_handover(unit_id: int, start: datetime) -> Handover | None:
    return Handover.objects.filter(unit_id=unit_id, shift_start=start).prefetch_related("items").first()


def _open(unit_id: int, start: datetime, end: datetime) -> Handover:
    unit = Unit.objects.get(pk=unit_id)
    row = Handover.objects.select_for_update().filter(unit_id=unit.pk, shift_start=start).first()
    if row is None:
        row = Handover(home_id=unit.home_id, unit_id=unit.pk, shift_start=start, shift_end=end)
        row.summary = generate_summary(unit.pk, start, end)
        row.save()
    return row


def add_handover_item(
    *, unit_id: int, start: datetime, end: datetime, user, text: str, resident_id=None
) -> HandoverItem:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the handover note.")})
    with transaction.atomic():
        handover = _open(unit_id, start, end)
        if handover.is_signed_off:
            raise ValidationError(_("This handover has been signed off and can no longer be changed."))
        if resident_id is not None and resident_id not in {r.id for r in current_residents(unit_id)}:
            raise ValidationError({"resident": _("Choose a resident of this unit.")})
        item = HandoverItem.objects.create(
            home_id=handover.home_id, handover=handover, resident_id=resident_id, text=text, added_by=user
        )
        record_change(
            "care_records.handover.item_added",
            target=item,
            before=None,
            after={"handover": handover.pk, "text": text, "resident_id": resident_id},
            subject=("residents.resident", resident_id) if resident_id else handover,
        )
    return item


def sign_off_handover(*, unit_id: int, start: datetime, end: datetime, user) -> Handover:
    if end > timezone.now():
        raise ValidationError(_("A shift can be signed off once it has ended."))
    with transaction.atomic():
        handover = _open(unit_id, start, end)
        if handover.is_signed_off:
            raise ValidationError(_("This handover has already been signed off."))
        handover.summary = generate_summary(unit_id, start, end)
        handover.signed_off_at = timezone.now()
        handover.signed_off_by = user
        handover.save(update_fields=["summary", "signed_off_at", "signed_off_by"])
        record_change(
            "care_records.handover.signed_off",
            target=handover,
            before=None,
            after={"shift_start": start.isoformat(), "shift_end": end.isoformat(), "items": handover.items.count()},
        )
        publish(
            HandoverSignedOff(handover_id=handover.pk, unit_id=unit_id, shift_start=start, shift_end=end),
            home=handover.home_id,
        )
    return handover
