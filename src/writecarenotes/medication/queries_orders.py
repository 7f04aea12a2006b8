"""Reads of the medicines record shared by the pages and the API: a resident's orders grouped (active
regular, PRN with their protocol, suspended, stopped) with each order's history, in a fixed number of
queries whatever the number of orders."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from writecarenotes.medication.models import (
    AdministrationMode,
    CovertAuthorisation,
    MedicationOrder,
    OrderStatus,
    PrescribingAcknowledgement,
    SelfAdministrationAssessment,
)
from writecarenotes.platform.audit.models import RecordVersion

ORDER_OUT_FIELDS = (
    "id",
    "resident_id",
    "medicine_id",
    "source",
    "prescriber",
    "prescribed_on",
    "indication",
    "route",
    "is_prn",
    "times",
    "days_of_week",
    "every_n_days",
    "food",
    "start_date",
    "stop_date",
    "instructions",
    "time_critical",
    "mode",
    "prn_indication",
    "prn_dose_rule",
    "prn_min_interval_minutes",
    "prn_max_doses_24h",
    "prn_expected_effect",
    "prn_effect_check_minutes",
    "prn_review_date",
    "status",
    "status_reason",
    "version",
    "created_at",
    "updated_at",
)


def _dec(v):
    return None if v is None else f"{v.normalize():f}"


def order_out(o: MedicationOrder) -> dict:
    out = {f: getattr(o, f) for f in ORDER_OUT_FIELDS}
    out.update(
        medicine=o.medicine.name,
        dose_unit=o.medicine.dose_unit,
        dose=_dec(o.dose),
        dose_max=_dec(o.dose_max),
        prn_max_amount_24h=_dec(o.prn_max_amount_24h),
        dose_text=o.dose_text,
    )
    return out


def versions_of(orders: list[MedicationOrder]) -> dict[int, list[RecordVersion]]:
    if not orders:
        return {}
    rows = RecordVersion.objects.filter(
        content_type="medication.medicationorder",
        object_id__in=[str(o.pk) for o in orders],
        home_id__in={o.home_id for o in orders},
    ).order_by("version")
    out: dict[int, list] = defaultdict(list)
    for v in rows:
        out[int(v.object_id)].append(v)
    return out


@dataclass
class Record:
    regular: list = field(default_factory=list)
    prn: list = field(default_factory=list)
    suspended: list = field(default_factory=list)
    stopped: list = field(default_factory=list)
    orders: list = field(default_factory=list)


def medicines_record(resident_id: int, *, with_history: bool = True) -> Record:
    orders = list(
        MedicationOrder.objects.filter(resident_id=resident_id)
        .select_related("medicine")
        .order_by("medicine__name", "-start_date", "pk")
    )
    history = versions_of(orders) if with_history else {}
    acks = defaultdict(list)
    covert = {}
    selfs = {}
    if orders:
        for a in PrescribingAcknowledgement.objects.filter(order_id__in=[o.pk for o in orders]).select_related("by"):
            acks[a.order_id].append(a)
        for c in CovertAuthorisation.objects.filter(
            order_id__in=[o.pk for o in orders if o.mode == AdministrationMode.COVERT], withdrawn_at__isnull=True
        ).order_by("recorded_at"):
            covert[c.order_id] = c
        for s in SelfAdministrationAssessment.objects.filter(
            resident_id=resident_id, withdrawn_at__isnull=True
        ).order_by("assessed_on", "pk"):
            selfs[s.medicine_id] = s
    today = timezone.localdate()
    record = Record(orders=orders)
    for o in orders:
        o.history = history.get(o.pk, [])
        o.acknowledgements = acks.get(o.pk, [])
        o.covert = covert.get(o.pk)
        o.self_assessment = selfs.get(o.medicine_id)
        o.review_overdue = bool(o.is_prn and o.prn_review_date and o.prn_review_date < today)
        o.covert_overdue = bool(o.covert and o.covert.review_date < today)
        o.course_ended = bool(o.stop_date and o.stop_date < today)
        if o.status == OrderStatus.STOPPED:
            record.stopped.append(o)
        elif o.status == OrderStatus.SUSPENDED:
            record.suspended.append(o)
        elif o.is_prn:
            record.prn.append(o)
        else:
            record.regular.append(o)
    return record
