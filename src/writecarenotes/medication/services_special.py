"""Homely remedies, self-administration and covert administration (see ``models/special.py`` for the
sources). Each change is one transaction with its version, audit record and event.

The round calls ``covert_refusal(order)`` and ``self_administration_refusal(resident_id, medicine_id)``
before it lets a dose be recorded in those modes: a covert dose is refused without a current
authorisation (capacity assessment that found the resident lacks capacity, a best-interests decision on
it, the pharmacist's advice on how to give the medicine, and a review date not passed).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from writecarenotes.care_planning.public import best_interest_decisions, capacity_assessments
from writecarenotes.medication import services_orders
from writecarenotes.medication.events_orders import CovertAdministrationAuthorised
from writecarenotes.medication.models import (
    AdministrationMode,
    AuthoriserRole,
    CovertAuthorisation,
    HomelyRemedy,
    MedicationOrder,
    Medicine,
    OrderSource,
    OrderStatus,
    SelfAdministrationAssessment,
    SelfAdministrationLevel,
)
from writecarenotes.medication.services_orders import _date, _decimal, _int
from writecarenotes.platform.api.concurrency import check_if_match, etag_for
from writecarenotes.platform.audit.versions import save_version
from writecarenotes.platform.events.api import publish
from writecarenotes.platform.tenancy.scope import current_scope
from writecarenotes.residents.public import ResidentNotFound, get_resident


class NotFound(LookupError):
    pass


def _today() -> date:
    return timezone.localdate()


def _text(values: dict, field: str, e: dict, *, required: bool, limit: int, message: str = "") -> str:
    value = str(values.get(field) or "").strip()[:limit]
    if required and not value:
        e.setdefault(field, []).append(message or _("This is required."))
    return value


def active_home_id(home_id: int | None = None) -> int:
    scope = current_scope()
    if home_id not in (None, ""):
        home_id = int(home_id)
        if scope is not None and not scope.allows(home_id):
            raise ValidationError({"home_id": [_("Choose one of your homes.")]})
        return home_id
    if scope is not None and scope.active_home_id:
        return scope.active_home_id
    if scope is not None and len(scope.home_ids) == 1:
        return next(iter(scope.home_ids))
    raise ValidationError({"home_id": [_("Switch to one home first.")]})


# --- homely remedies ------------------------------------------------------------------------------


def clean_remedy(values: dict) -> dict:
    e: dict[str, list[str]] = {}
    out: dict = {}
    out["indication"] = _text(values, "indication", e, required=True, limit=200, message=_("Say what it is for."))
    dose = _decimal(values.get("dose"), "dose", e)
    if dose is None and "dose" not in e:
        e["dose"] = [_("Enter the dose.")]
    elif dose is not None and dose <= 0:
        e.setdefault("dose", []).append(_("The dose must be more than 0."))
    dose_max = _decimal(values.get("dose_max"), "dose_max", e)
    if dose is not None and dose_max is not None and dose_max < dose:
        e.setdefault("dose_max", []).append(_("The top of the range cannot be less than the dose."))
    out["dose"], out["dose_max"] = dose, dose_max
    for field, low, high, missing in (
        ("min_interval_minutes", 1, 60 * 24 * 7, _("Enter the minimum time between doses.")),
        ("max_doses_24h", 1, 100, _("Enter the most doses in any 24 hours.")),
        ("max_days", 1, 90, _("Enter how many days it may be given before the GP is asked.")),
    ):
        n = _int(values.get(field), field, e, low=low, high=high)
        if n is None and field not in e:
            e[field] = [missing]
        out[field] = n
    out["expected_effect"] = _text(
        values, "expected_effect", e, required=True, limit=200, message=_("Say what effect to look for.")
    )
    out["cautions"] = _text(values, "cautions", e, required=False, limit=300)
    out["authorised_by"] = _text(
        values, "authorised_by", e, required=True, limit=120, message=_("Name the GP or pharmacist who authorised it.")
    )
    role = str(values.get("authoriser_role") or "")
    if role not in AuthoriserRole.values:
        e.setdefault("authoriser_role", []).append(_("A homely remedy is authorised by a GP or a pharmacist."))
    out["authoriser_role"] = role
    on = _date(values.get("authorised_on"), "authorised_on", e)
    if on is None and "authorised_on" not in e:
        e["authorised_on"] = [_("Enter the date it was authorised.")]
    elif on and on > _today():
        e.setdefault("authorised_on", []).append(_("The date cannot be in the future."))
    review = _date(values.get("review_date"), "review_date", e)
    if review is None and "review_date" not in e:
        e["review_date"] = [_("Enter the review date.")]
    elif review and on and review <= on:
        e.setdefault("review_date", []).append(_("The review date must be after the date it was authorised."))
    out["authorised_on"], out["review_date"] = on, review
    if e:
        raise ValidationError(e)
    return out


def add_remedy(*, user, medicine_id: int, values: dict, home_id: int | None = None) -> HomelyRemedy:
    with transaction.atomic():
        home = active_home_id(home_id)
        medicine = Medicine.objects.filter(pk=medicine_id, home_id=home, active=True).first() if medicine_id else None
        if medicine is None:
            raise ValidationError({"medicine_id": [_("Choose an active medicine from the home's list.")]})
        cleaned = clean_remedy(values)
        remedy = HomelyRemedy.objects.create(
            home_id=home, medicine=medicine, created_by=user, created_at=timezone.now(), **cleaned
        )
        save_version(remedy, action="medication.homely_remedy.added")
        return remedy


def change_remedy(remedy_id: int, *, user, values: dict, reason: str, if_match: str | None = None) -> HomelyRemedy:
    """Correct or review a protocol (a new version with the reason); ``active`` False takes it off the list."""
    with transaction.atomic():
        remedy = HomelyRemedy.objects.select_for_update().filter(pk=remedy_id).first()
        if remedy is None:
            raise NotFound(remedy_id)
        if if_match is not None:
            check_if_match(if_match, etag_for(remedy))
        reason = services_orders._reason(reason)
        current = {f: getattr(remedy, f) for f in _REMEDY_FIELDS}
        cleaned = clean_remedy({**current, **{k: v for k, v in values.items() if k in _REMEDY_FIELDS}})
        active = bool(values.get("active", remedy.active))
        if all(getattr(remedy, k) == v for k, v in cleaned.items()) and active == remedy.active:
            raise ValidationError({"__all__": [_("Nothing changed.")]})
        for k, v in cleaned.items():
            setattr(remedy, k, v)
        remedy.active = active
        remedy.version += 1
        remedy.save()
        save_version(remedy, reason=reason, action="medication.homely_remedy.changed")
        return remedy


_REMEDY_FIELDS = (
    "indication",
    "dose",
    "dose_max",
    "min_interval_minutes",
    "max_doses_24h",
    "max_days",
    "expected_effect",
    "cautions",
    "authorised_by",
    "authoriser_role",
    "authorised_on",
    "review_date",
)


def authorise_remedy(remedy_id: int, *, user, resident_id: int, acknowledgement: str = "") -> MedicationOrder:
    """Give a resident a homely remedy under the protocol: a PRN order (source "homely_remedy") for at
    most ``max_days`` days, so that every dose goes through the round and all its safety checks (a homely
    paracetamol counts towards the daily paracetamol limit with prescribed co-codamol)."""
    with transaction.atomic():
        remedy = HomelyRemedy.objects.select_related("medicine").filter(pk=remedy_id).first()
        if remedy is None:
            raise NotFound(remedy_id)
        if not remedy.active:
            raise ValidationError({"__all__": [_("This homely remedy is no longer on the home's list.")]})
        today = _today()
        if remedy.review_date < today:
            raise ValidationError(
                {
                    "__all__": [
                        _("The homely remedy protocol was due for review on %(d)s: it cannot be used until reviewed.")
                        % {"d": date_format(remedy.review_date)}
                    ]
                }
            )
        stop = today + timedelta(days=remedy.max_days - 1)
        role = AuthoriserRole(remedy.authoriser_role).label
        values = {
            "source": OrderSource.HOMELY_REMEDY,
            "prescriber": f"{remedy.authorised_by} ({role})"[:120],
            "prescribed_on": remedy.authorised_on,
            "indication": remedy.indication,
            "dose": remedy.dose,
            "dose_max": remedy.dose_max,
            "is_prn": True,
            "start_date": today,
            "stop_date": stop,
            "instructions": (
                _("Homely remedy: ask the GP if still needed after %(n)s day(s).") % {"n": remedy.max_days}
                + (f" {remedy.cautions}" if remedy.cautions else "")
            )[:300],
            "prn_indication": remedy.indication,
            "prn_min_interval_minutes": remedy.min_interval_minutes,
            "prn_max_doses_24h": remedy.max_doses_24h,
            "prn_expected_effect": remedy.expected_effect,
            "prn_review_date": stop,
        }
        return services_orders.start_order(
            user=user,
            resident_id=resident_id,
            medicine_id=remedy.medicine_id,
            values=values,
            acknowledgement=acknowledgement,
        )


# --- self-administration --------------------------------------------------------------------------

_ABILITIES = ("knows_purpose", "knows_dose_and_times", "can_open_packaging", "will_report_problems")


def current_self_assessment(resident_id: int, medicine_id: int) -> SelfAdministrationAssessment | None:
    return (
        SelfAdministrationAssessment.objects.filter(
            resident_id=resident_id, medicine_id=medicine_id, withdrawn_at__isnull=True
        )
        .order_by("-assessed_on", "-pk")
        .first()
    )


def self_administration_refusal(resident_id: int, medicine_id: int, on: date | None = None) -> str | None:
    """Why the resident may not take this medicine themselves now, or None (NICE QS85 statement 3)."""
    a = current_self_assessment(resident_id, medicine_id)
    if a is None:
        return _("Self-administration needs a risk assessment for this medicine first.")
    if a.review_date < (on or _today()):
        return _("The self-administration risk assessment was due for review on %(d)s: review it first.") % {
            "d": date_format(a.review_date)
        }
    return None


def record_self_assessment(*, user, resident_id: int, medicine_id: int, values: dict) -> SelfAdministrationAssessment:
    with transaction.atomic():
        try:
            resident = get_resident(resident_id)
        except ResidentNotFound:
            raise NotFound(resident_id) from None
        e: dict[str, list[str]] = {}
        medicine = Medicine.objects.filter(pk=medicine_id, home_id=resident.home_id).first() if medicine_id else None
        if medicine is None:
            e["medicine_id"] = [_("Choose a medicine from the home's list.")]
        level = str(values.get("level") or "")
        if level not in SelfAdministrationLevel.values:
            e["level"] = [_("Choose the support needed.")]
        abilities = {k: bool(values.get(k)) for k in _ABILITIES}
        if level == SelfAdministrationLevel.FULL and not all(abilities.values()):
            # home policy (NICE SC1 individual risk assessment): full self-administration only when all four hold
            e.setdefault("level", []).append(
                _(
                    "Taking it without help needs all four: knows what it is for, the dose and times, "
                    "can open it, will report problems."
                )
            )
        storage = _text(values, "storage", e, required=True, limit=200, message=_("Say where it is kept."))
        lockable = bool(values.get("lockable"))
        if not lockable:
            e.setdefault("lockable", []).append(
                _("Medicines a resident looks after are kept in a lockable place (NICE SC1).")
            )
        agreed = _text(values, "agreed_by", e, required=True, limit=200, message=_("Say who agreed it."))
        assessed = _date(values.get("assessed_on"), "assessed_on", e) or (None if "assessed_on" in e else _today())
        if assessed and assessed > _today():
            e.setdefault("assessed_on", []).append(_("The date cannot be in the future."))
        review = _date(values.get("review_date"), "review_date", e)
        if review is None and "review_date" not in e:
            e["review_date"] = [_("Enter the review date.")]
        elif review and assessed and review <= assessed:
            e.setdefault("review_date", []).append(_("The review date must be after the assessment."))
        if e:
            raise ValidationError(e)
        row = SelfAdministrationAssessment.objects.create(
            home_id=resident.home_id,
            resident_id=resident.id,
            medicine=medicine,
            level=level,
            storage=storage,
            lockable=lockable,
            agreed_by=agreed,
            assessed_by=user,
            assessed_on=assessed,
            review_date=review,
            **abilities,
        )
        save_version(row, action="medication.self_administration.assessed")
        return row


# --- covert administration ------------------------------------------------------------------------


def current_covert(order: MedicationOrder) -> CovertAuthorisation | None:
    return CovertAuthorisation.objects.filter(order=order, withdrawn_at__isnull=True).order_by("-recorded_at").first()


def _paperwork_refusal(resident_id: int, capacity_id: int | None, decision_id: int | None, on: date) -> dict:
    """Field messages for the capacity assessment and best-interests decision (care_planning.public)."""
    e: dict[str, list[str]] = {}
    capacity = next((c for c in capacity_assessments(resident_id) if c.id == capacity_id), None)
    if capacity is None:
        e["capacity_assessment_id"] = [_("Choose the resident's capacity assessment about taking medicines.")]
    elif not capacity.lacks_capacity:
        e["capacity_assessment_id"] = [
            _("The capacity assessment found the resident has capacity: medicines cannot be given covertly.")
        ]
    decision = next((b for b in best_interest_decisions(resident_id) if b.id == decision_id), None)
    if decision is None:
        e["best_interest_decision_id"] = [_("Choose the best-interests decision to give medicines covertly.")]
    elif capacity is not None and decision.capacity_assessment_id != capacity.id:
        e["best_interest_decision_id"] = [_("The best-interests decision must rest on that capacity assessment.")]
    return e


def covert_refusal(order: MedicationOrder, on: date | None = None) -> str | None:
    """Why this order may not be given covertly now, or None (NICE SC1, QS85 statement 6)."""
    on = on or _today()
    auth = current_covert(order)
    if auth is None:
        return _(
            "Covert administration needs a capacity assessment, a best-interests decision, the pharmacist's "
            "advice on how to give this medicine and a review date."
        )
    if auth.review_date < on:
        return _("The covert administration authorisation was due for review on %(d)s: review it first.") % {
            "d": date_format(auth.review_date)
        }
    problems = _paperwork_refusal(order.resident_id, auth.capacity_assessment_id, auth.best_interest_decision_id, on)
    if problems:
        return " ".join(m for msgs in problems.values() for m in msgs)
    return None


def authorise_covert(order_id: int, *, user, values: dict) -> CovertAuthorisation:
    """Record the covert paperwork for an order and set the order's mode to covert (one transaction)."""
    with transaction.atomic():
        order = MedicationOrder.objects.select_for_update().filter(pk=order_id).first()
        if order is None:
            raise NotFound(order_id)
        if order.status == OrderStatus.STOPPED:
            raise ValidationError({"__all__": [_("This order is stopped.")]})
        today = _today()
        e: dict[str, list[str]] = {}
        cap = services_orders._int(values.get("capacity_assessment_id"), "capacity_assessment_id", e, low=1, high=2**31)
        bid = services_orders._int(
            values.get("best_interest_decision_id"), "best_interest_decision_id", e, low=1, high=2**31
        )
        e.update({k: v for k, v in _paperwork_refusal(order.resident_id, cap, bid, today).items() if k not in e})
        pharmacist = _text(values, "pharmacist_name", e, required=True, limit=120, message=_("Name the pharmacist."))
        advised = _date(values.get("pharmacist_advised_on"), "pharmacist_advised_on", e)
        if advised is None and "pharmacist_advised_on" not in e:
            e["pharmacist_advised_on"] = [_("Enter the date of the pharmacist's advice.")]
        elif advised and advised > today:
            e.setdefault("pharmacist_advised_on", []).append(_("The date cannot be in the future."))
        how = _text(
            values,
            "how_to_give",
            e,
            required=True,
            limit=500,
            message=_("Write the pharmacist's advice on how to give this medicine (crushing, food or drink)."),
        )
        review = _date(values.get("review_date"), "review_date", e)
        if review is None and "review_date" not in e:
            e["review_date"] = [_("Enter the review date.")]
        elif review and review < today:
            e.setdefault("review_date", []).append(_("The review date has passed."))
        if e:
            raise ValidationError(e)
        for old in CovertAuthorisation.objects.filter(order=order, withdrawn_at__isnull=True):
            old.withdrawn_at, old.withdrawn_reason = timezone.now(), _("Replaced by a new authorisation.")
            old.version += 1
            old.save()
            save_version(old, reason=old.withdrawn_reason, action="medication.covert.replaced")
        auth = CovertAuthorisation.objects.create(
            home_id=order.home_id,
            order=order,
            resident_id=order.resident_id,
            capacity_assessment_id=cap,
            best_interest_decision_id=bid,
            pharmacist_name=pharmacist,
            pharmacist_advised_on=advised,
            how_to_give=how,
            review_date=review,
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        save_version(auth, action="medication.covert.authorised")
        if order.mode != AdministrationMode.COVERT:
            services_orders.set_mode(
                order.pk, mode=AdministrationMode.COVERT, user=user, reason=_("Covert administration authorised.")
            )
        publish(
            CovertAdministrationAuthorised(authorisation_id=auth.pk, order_id=order.pk, resident_id=order.resident_id),
            home=order.home_id,
        )
        return auth


def daily_amount(remedy: HomelyRemedy) -> Decimal:
    """The most a resident can be given in 24 hours under the protocol (dose units)."""
    return (remedy.dose_max or remedy.dose) * remedy.max_doses_24h
