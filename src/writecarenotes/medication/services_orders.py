"""Medication orders: start, change (a new version with the reason), suspend, resume, stop.

Each change is one transaction with its version (``audit.save_version``, so the audit record), its
domain event and, when the prescribing checks found something, the nurse's acknowledgement. Bad input is
refused with field messages (``ValidationError``); an order the checks refuse is refused with the reason.

Prescribing checks: ``safety.check_order`` (allergy, duplicate therapy, interaction; the safety
sub-domain names each rule's source). A finding that may be overridden must be acknowledged with a
reason before the order is saved (NICE SC1: the prescriber is told and the decision recorded; section
number UNVERIFIED); a finding that may not be overridden refuses the order.

A "when required" (PRN) order needs its protocol: what it is for, the minimum interval, the most in any
24 hours (doses or amount), the effect to look for, and a review date (NICE SC1, "when required"
medicines: the care home medicines policy covers the protocol; NICE QS85 statement 4 asks prescribers for
instructions for using and monitoring new medicines).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.medication.events_orders import (
    OrderChanged,
    OrderResumed,
    OrderStarted,
    OrderStopped,
    OrderSuspended,
)
from writecarenotes.medication.models import (
    AdministrationMode,
    Food,
    MedicationOrder,
    Medicine,
    OrderSource,
    OrderStatus,
    PrescribingAcknowledgement,
    Route,
)
from writecarenotes.platform.api.concurrency import check_if_match, etag_for
from writecarenotes.platform.api.problems import Problem
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.audit.versions import save_version
from writecarenotes.platform.events.api import publish
from writecarenotes.residents.public import ResidentNotFound, get_resident

TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
#: the fields a prescriber's order sets (start and change)
ORDER_FIELDS = (
    "source",
    "prescriber",
    "prescribed_on",
    "indication",
    "route",
    "dose",
    "dose_max",
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
    "prn_max_amount_24h",
    "prn_expected_effect",
    "prn_effect_check_minutes",
    "prn_review_date",
)
PRN_FIELDS = tuple(f for f in ORDER_FIELDS if f.startswith("prn_"))


class OrderNotFound(LookupError):
    pass


class OrderRefused(Problem):
    """A prescribing check that may not be overridden found a problem: the order is not saved."""

    status = 422
    kind = "order-refused"
    title = "Order refused by a safety check"

    def __init__(self, findings: list):
        self.findings = findings
        super().__init__(" ".join(f.message for f in findings), findings=[finding_dict(f) for f in findings])


class AcknowledgementRequired(Problem):
    """The prescribing checks found something: acknowledge it with a reason, then save again."""

    status = 409
    kind = "acknowledgement-required"
    title = "Safety findings to acknowledge"

    def __init__(self, findings: list):
        self.findings = findings
        super().__init__(
            _("Read the safety findings and give your reason to go ahead: %(m)s")
            % {"m": " ".join(f.message for f in findings)},
            findings=[finding_dict(f) for f in findings],
        )


def finding_dict(f) -> dict:
    return {
        "rule": str(getattr(f, "rule", "")),
        "message": str(getattr(f, "message", "")),
        "overridable": bool(getattr(f, "overridable", True)),
        "source": str(getattr(f, "source", "") or ""),
    }


# --- validation -----------------------------------------------------------------------------------


def _decimal(value, field: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append(_("Enter a number."))
        return None
    if not d.is_finite() or abs(d) >= Decimal("10000000"):
        errors.setdefault(field, []).append(_("Enter a number."))
        return None
    return d


def _date(value, field: str, errors: dict) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.setdefault(field, []).append(_("Enter a date as YYYY-MM-DD."))
        return None


def _int(value, field: str, errors: dict, *, low: int = 0, high: int = 100000) -> int | None:
    if value in (None, ""):
        return None
    try:
        n = int(value)
    except (TypeError, ValueError):
        errors.setdefault(field, []).append(_("Enter a whole number."))
        return None
    if not low <= n <= high:
        errors.setdefault(field, []).append(_("Enter a number from %(a)s to %(b)s.") % {"a": low, "b": high})
        return None
    return n


def _choice(value, choices, field: str, errors: dict, default: str = "") -> str:
    value = default if value in (None,) else str(value)
    if value not in {c for c, _label in choices}:
        errors.setdefault(field, []).append(_("Choose one of the options."))
    return value


def _times(value, errors: dict) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [t for t in re.split(r"[,\s]+", value) if t]
    out = []
    for t in value:
        t = str(t).strip()
        if not TIME_RE.match(t):
            errors.setdefault("times", []).append(_("%(t)s is not a time of day as HH:MM (00:00 to 23:59).") % {"t": t})
            continue
        if t in out:
            errors.setdefault("times", []).append(_("%(t)s is listed twice.") % {"t": t})
            continue
        out.append(t)
    return sorted(out)


def _days(value, errors: dict) -> list[int]:
    if value in (None, ""):
        return []
    out = []
    for d in value:
        try:
            n = int(d)
        except (TypeError, ValueError):
            n = -1
        if not 0 <= n <= 6:
            errors.setdefault("days_of_week", []).append(_("Days of the week are 0 (Monday) to 6 (Sunday)."))
            continue
        if n not in out:
            out.append(n)
    return sorted(out)


def clean_order(values: dict, *, medicine: Medicine) -> dict:
    """Check an order's fields (the whole order: on a change, the current values merged with the new).
    Returns the cleaned values or raises ValidationError with one message list per field."""
    e: dict[str, list[str]] = {}
    v = {k: values.get(k) for k in ORDER_FIELDS}
    out: dict = {}
    out["source"] = _choice(v["source"], OrderSource.choices, "source", e, OrderSource.GP)
    out["prescriber"] = str(v["prescriber"] or "").strip()[:120]
    if not out["prescriber"]:
        e.setdefault("prescriber", []).append(_("Name the prescriber (or who authorised it)."))
    out["prescribed_on"] = _date(v["prescribed_on"], "prescribed_on", e)
    out["indication"] = str(v["indication"] or "").strip()[:200]
    out["route"] = _choice(v["route"], Route.choices, "route", e, Route.ORAL)
    dose = _decimal(v["dose"], "dose", e)
    if dose is None and "dose" not in e:
        e["dose"] = [_("Enter the dose.")]
    elif dose is not None and dose <= 0:
        e.setdefault("dose", []).append(_("The dose must be more than 0."))
    dose_max = _decimal(v["dose_max"], "dose_max", e)
    if dose is not None and dose_max is not None and dose_max < dose:
        e.setdefault("dose_max", []).append(_("The top of the range cannot be less than the dose."))
    out["dose"], out["dose_max"] = dose, dose_max
    is_prn = bool(v["is_prn"])
    out["is_prn"] = is_prn
    out["times"] = _times(v["times"], e)
    out["days_of_week"] = _days(v["days_of_week"], e)
    every = _int(v["every_n_days"] if v["every_n_days"] not in (None, "") else 1, "every_n_days", e, low=1, high=365)
    out["every_n_days"] = every or 1
    out["food"] = _choice(v["food"] or "", Food.choices, "food", e)
    start = _date(v["start_date"], "start_date", e)
    if start is None and "start_date" not in e:
        e["start_date"] = [_("Enter the start date.")]
    stop = _date(v["stop_date"], "stop_date", e)
    if start and stop and stop < start:
        e.setdefault("stop_date", []).append(_("The stop date cannot be before the start date."))
    out["start_date"], out["stop_date"] = start, stop
    out["instructions"] = str(v["instructions"] or "").strip()[:300]
    # a time-critical medicine stays time-critical on every order of it
    out["time_critical"] = bool(v["time_critical"]) or medicine.time_critical
    out["mode"] = _choice(v["mode"] or AdministrationMode.STAFF, AdministrationMode.choices, "mode", e)
    if not is_prn and not out["times"] and "times" not in e:
        e["times"] = [_("A regular order needs at least one time of day.")]
    if is_prn:
        if out["times"]:
            e.setdefault("times", []).append(_("A when-required order has no set times: leave the times empty."))
        out["prn_indication"] = str(v["prn_indication"] or "").strip()[:200]
        if not out["prn_indication"]:
            e.setdefault("prn_indication", []).append(_("Say when to give it (the PRN protocol's indication)."))
        out["prn_dose_rule"] = str(v["prn_dose_rule"] or "").strip()[:200]
        interval = _int(v["prn_min_interval_minutes"], "prn_min_interval_minutes", e, low=1, high=60 * 24 * 7)
        if interval is None and "prn_min_interval_minutes" not in e:
            e["prn_min_interval_minutes"] = [_("Enter the minimum time between doses.")]
        out["prn_min_interval_minutes"] = interval
        max_doses = _int(v["prn_max_doses_24h"], "prn_max_doses_24h", e, low=1, high=100)
        max_amount = _decimal(v["prn_max_amount_24h"], "prn_max_amount_24h", e)
        if max_amount is not None and max_amount <= 0:
            e.setdefault("prn_max_amount_24h", []).append(_("The most in 24 hours must be more than 0."))
        if max_doses is None and max_amount is None and not {"prn_max_doses_24h", "prn_max_amount_24h"} & set(e):
            e["prn_max_doses_24h"] = [_("Enter the most in any 24 hours (as doses or as an amount).")]
        top = dose_max if dose_max is not None else dose
        if max_amount is not None and top is not None and top > max_amount:
            e.setdefault("prn_max_amount_24h", []).append(_("One dose cannot be more than the most in 24 hours."))
        out["prn_max_doses_24h"], out["prn_max_amount_24h"] = max_doses, max_amount
        out["prn_expected_effect"] = str(v["prn_expected_effect"] or "").strip()[:200]
        if not out["prn_expected_effect"]:
            e.setdefault("prn_expected_effect", []).append(_("Say what effect to look for."))
        out["prn_effect_check_minutes"] = _int(
            v["prn_effect_check_minutes"], "prn_effect_check_minutes", e, low=1, high=60 * 24
        )
        review = _date(v["prn_review_date"], "prn_review_date", e)
        if review is None and "prn_review_date" not in e:
            e["prn_review_date"] = [_("Enter the date the PRN protocol is reviewed.")]
        elif review and start and review < start:
            e.setdefault("prn_review_date", []).append(_("The review date cannot be before the start date."))
        out["prn_review_date"] = review
    else:
        for f in PRN_FIELDS:
            out[f] = "" if MedicationOrder._meta.get_field(f).get_internal_type() == "CharField" else None
    if e:
        raise ValidationError(e)
    return out


def _check_mode(mode: str, *, resident_id: int, medicine: Medicine, order: MedicationOrder | None) -> None:
    """Self-administration needs a current risk assessment; covert needs a current authorisation."""
    from writecarenotes.medication import services_special

    if mode == AdministrationMode.SELF:
        refusal = services_special.self_administration_refusal(resident_id, medicine.pk)
        if refusal:
            raise ValidationError({"mode": [refusal]})
    elif mode == AdministrationMode.COVERT:
        if order is None:
            raise ValidationError(
                {"mode": [_("Start the order as given by staff, then record the covert administration authorisation.")]}
            )
        refusal = services_special.covert_refusal(order)
        if refusal:
            raise ValidationError({"mode": [refusal]})


def prescribing_findings(*, resident_id: int, medicine: Medicine, exclude_order_id: int | None = None) -> list:
    """The safety sub-domain's prescribing checks (allergy, duplicate therapy, interaction)."""
    from writecarenotes.medication import safety

    return list(safety.check_order(resident_id=resident_id, medicine=medicine, exclude_order_id=exclude_order_id))


def _screen(findings: list, acknowledgement: str) -> str:
    blocking = [f for f in findings if not getattr(f, "overridable", True)]
    if blocking:
        raise OrderRefused(blocking)
    acknowledgement = (acknowledgement or "").strip()
    if findings and not acknowledgement:
        raise AcknowledgementRequired(findings)
    return acknowledgement


def _acknowledge(order: MedicationOrder, findings: list, reason: str, user) -> None:
    if not findings:
        return
    PrescribingAcknowledgement.objects.create(
        home_id=order.home_id,
        order=order,
        order_version=order.version,
        findings=[finding_dict(f) for f in findings],
        reason=reason[:500],
        by=user,
        at=timezone.now(),
    )
    record_change(
        "medication.order.findings_acknowledged",
        target=order,
        subject=("residents.resident", order.resident_id),
        before=None,
        after={"findings": [finding_dict(f) for f in findings], "order_version": order.version},
        reason=reason,
        reason_required=True,
    )


def _medicine(medicine_id) -> Medicine:
    medicine = Medicine.objects.filter(pk=medicine_id).prefetch_related("ingredients").first() if medicine_id else None
    if medicine is None:
        raise ValidationError({"medicine_id": [_("Choose a medicine from the home's list.")]})
    return medicine


def start_order(
    *, user, resident_id: int, medicine_id: int, values: dict, acknowledgement: str = "", home_id: int | None = None
) -> MedicationOrder:
    """Start an order for a resident. Raises ValidationError (fields), OrderRefused, AcknowledgementRequired."""
    with transaction.atomic():
        try:
            resident = get_resident(resident_id)
        except ResidentNotFound:
            raise ValidationError({"resident_id": [_("No such resident.")]}) from None
        if not resident.is_current:
            raise ValidationError({"resident_id": [_("Orders are started only for residents living in the home.")]})
        medicine = _medicine(medicine_id)
        if medicine.home_id != resident.home_id:
            raise ValidationError({"medicine_id": [_("Choose a medicine from the home's list.")]})
        if not medicine.active:
            raise ValidationError({"medicine_id": [_("This medicine is marked inactive in the home's list.")]})
        cleaned = clean_order(values, medicine=medicine)
        _check_mode(cleaned["mode"], resident_id=resident.id, medicine=medicine, order=None)
        findings = prescribing_findings(resident_id=resident.id, medicine=medicine)
        reason = _screen(findings, acknowledgement)
        now = timezone.now()
        order = MedicationOrder.objects.create(
            home_id=resident.home_id,
            resident_id=resident.id,
            medicine=medicine,
            created_by=user,
            created_at=now,
            updated_at=now,
            **cleaned,
        )
        save_version(order, action="medication.order.started")
        _acknowledge(order, findings, reason, user)
        publish(
            OrderStarted(
                order_id=order.pk,
                resident_id=order.resident_id,
                medicine=medicine.name,
                source=order.source,
                is_prn=order.is_prn,
                acknowledged_findings=[str(f.rule) for f in findings],
            ),
            home=order.home_id,
        )
        return order


def _locked(order_id: int) -> MedicationOrder:
    order = MedicationOrder.objects.select_for_update().select_related("medicine").filter(pk=order_id).first()
    if order is None:
        raise OrderNotFound(order_id)
    return order


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason.")]})
    return reason[:300]


def current_values(order: MedicationOrder) -> dict:
    return {f: getattr(order, f) for f in ORDER_FIELDS}


def change_order(
    order_id: int, *, user, values: dict, reason: str, if_match: str | None = None, acknowledgement: str = ""
) -> MedicationOrder:
    """Change an order (dose, times, PRN protocol ...): a new version with the reason."""
    with transaction.atomic():
        order = _locked(order_id)
        if if_match is not None:
            check_if_match(if_match, etag_for(order))
        reason = _reason(reason)
        if order.status == OrderStatus.STOPPED:
            raise ValidationError({"__all__": [_("This order is stopped: start a new order instead.")]})
        merged = {**current_values(order), **{k: v for k, v in values.items() if k in ORDER_FIELDS}}
        cleaned = clean_order(merged, medicine=order.medicine)
        if cleaned["mode"] != order.mode or cleaned["mode"] == AdministrationMode.SELF:
            _check_mode(cleaned["mode"], resident_id=order.resident_id, medicine=order.medicine, order=order)
        before = current_values(order)
        changed = sorted(k for k, v in cleaned.items() if before.get(k) != v)
        if not changed:
            raise ValidationError({"__all__": [_("Nothing changed.")]})
        findings = prescribing_findings(
            resident_id=order.resident_id, medicine=order.medicine, exclude_order_id=order.pk
        )
        ack = _screen(findings, acknowledgement)
        for k, v in cleaned.items():
            setattr(order, k, v)
        order.version += 1
        order.updated_at = timezone.now()
        order.save()
        save_version(order, reason=reason, action="medication.order.changed")
        _acknowledge(order, findings, ack, user)
        publish(
            OrderChanged(
                order_id=order.pk,
                resident_id=order.resident_id,
                medicine=order.medicine.name,
                changed=changed,
                reason=reason,
                order_version=order.version,
            ),
            home=order.home_id,
        )
        return order


def _set_status(order_id: int, *, user, reason: str, to: str, allowed: tuple, event, if_match, refusal: str):
    with transaction.atomic():
        order = _locked(order_id)
        if if_match is not None:
            check_if_match(if_match, etag_for(order))
        reason = _reason(reason)
        if order.status not in allowed:
            raise ValidationError({"__all__": [refusal]})
        order.status, order.status_reason = to, reason
        order.version += 1
        order.updated_at = timezone.now()
        order.save()
        save_version(order, reason=reason, action=f"medication.order.{to}")
        publish(
            event(order_id=order.pk, resident_id=order.resident_id, medicine=order.medicine.name, reason=reason),
            home=order.home_id,
        )
        return order


def suspend_order(order_id: int, *, user, reason: str, if_match: str | None = None) -> MedicationOrder:
    return _set_status(
        order_id,
        user=user,
        reason=reason,
        to=OrderStatus.SUSPENDED,
        allowed=(OrderStatus.ACTIVE,),
        event=OrderSuspended,
        if_match=if_match,
        refusal=_("Only an active order can be suspended."),
    )


def resume_order(order_id: int, *, user, reason: str, if_match: str | None = None) -> MedicationOrder:
    return _set_status(
        order_id,
        user=user,
        reason=reason,
        to=OrderStatus.ACTIVE,
        allowed=(OrderStatus.SUSPENDED,),
        event=OrderResumed,
        if_match=if_match,
        refusal=_("Only a suspended order can be resumed."),
    )


def stop_order(order_id: int, *, user, reason: str, if_match: str | None = None) -> MedicationOrder:
    return _set_status(
        order_id,
        user=user,
        reason=reason,
        to=OrderStatus.STOPPED,
        allowed=(OrderStatus.ACTIVE, OrderStatus.SUSPENDED),
        event=OrderStopped,
        if_match=if_match,
        refusal=_("This order is already stopped."),
    )


def set_mode(order_id: int, *, mode: str, user, reason: str) -> MedicationOrder:
    """Used by ``services_special`` once the covert paperwork is recorded (same transaction)."""
    return change_order(order_id, user=user, values={"mode": mode}, reason=reason, acknowledgement=_ACK_UNCHANGED)


#: a change of mode only does not change what is prescribed: the checks' findings were acknowledged when
#: the order was started or last changed, so they are acknowledged again with this reason
_ACK_UNCHANGED = "Administration mode changed only; medicine and dose unchanged since the findings were acknowledged."
