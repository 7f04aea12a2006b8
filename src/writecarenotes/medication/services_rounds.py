"""Recording the medication round (eMAR): a dose given, refused or not given, its correction, a PRN dose's effect.

``record_administration`` is one transaction: the checks, the record and its first version (audit), the
safety overrides, the controlled drugs register and stock (``lifecycle.after_administration``), the
consecutive-days alert and the domain event. Anything refused raises a ``ValidationError`` whose messages
say why in plain words (the form puts them next to its fields, the API answers 422 with them); nothing is
half-written.

Rules (sources):
- a regular dose is recorded against one of its scheduled slots, never before the slot's window opens
  (no pre-recording) and marked late when recorded after it closes (``schedule.window``; NICE SC1 1.14);
- a dose not given needs a reason code, and free text for "other" (NICE SC1 1.14: record the reason a
  medicine was not given; codes in ``reason_codes``);
- a dose given must be within the prescribed dose or range, and pass ``safety.check_dose``; a finding is
  refused unless the person may override it and gives a reason, which is kept (``SafetyOverride``) and
  reported (``SafetyCheckOverridden``);
- a medicine kept in the controlled drugs register needs a second person's own credential as witness
  (Misuse of Drugs Regulations 2001, reg. 19 and Schedule 6 register; NICE SC1 1.13; ``witness``);
- one record per scheduled slot (service check and database constraint ``med_one_record_per_slot``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.medication import lifecycle, reason_codes, safety, schedule
from writecarenotes.medication import witness as witness_check
from writecarenotes.medication.events_rounds import (
    DoseGiven,
    DoseOmitted,
    DoseRefused,
    PrnEffectRecorded,
    SafetyCheckOverridden,
)
from writecarenotes.medication.models import (
    Administration,
    AdministrationMode,
    MedicationOrder,
    OrderStatus,
    Outcome,
    PrnEffect,
    SafetyOverride,
)
from writecarenotes.platform.api.concurrency import check_if_match, etag_for
from writecarenotes.platform.audit.versions import save_version
from writecarenotes.platform.events.api import publish
from writecarenotes.residents.public import is_current

__all__ = [
    "CLOCK_SLACK",
    "GIVEN_OUTCOMES",
    "AdministrationNotFound",
    "OrderNotFound",
    "SafetyRefused",
    "correct_administration",
    "record_administration",
    "record_prn_effect",
]

#: a time a little ahead of the server's clock is accepted (tablets' clocks drift)
CLOCK_SLACK = timedelta(minutes=5)
GIVEN_OUTCOMES = (Outcome.GIVEN.value, Outcome.SELF_ADMINISTERED.value)
#: what a PRN ("when required") record may say: given, self-administered, or offered and refused
PRN_OUTCOMES = (*GIVEN_OUTCOMES, Outcome.REFUSED.value)


class OrderNotFound(LookupError):
    pass


class AdministrationNotFound(LookupError):
    pass


class SafetyRefused(ValidationError):
    """The safety checks stopped the dose; ``findings`` and ``may_override`` tell the page what to offer."""

    def __init__(self, messages: dict, *, findings, may_override: bool):
        super().__init__(messages)
        self.findings = list(findings)
        self.may_override = may_override

    def problem_extra(self) -> dict:
        """Members of the API's 422 problem: each finding and whether this user may override them all."""
        return {
            "findings": [
                {"rule": f.rule, "message": f.message, "overridable": f.overridable, "source": f.source}
                for f in self.findings
            ],
            "can_override": self.may_override,
        }


def _hm(value: datetime) -> str:
    return timezone.localtime(value).strftime("%H:%M")


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({"dose": [_("Enter the dose as a number.")]}) from None
    if not d.is_finite():
        raise ValidationError({"dose": [_("Enter the dose as a number.")]})
    return d


def _text(value, field: str, max_length: int, errors: dict) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if "\x00" in text:
        errors[field] = [_("Remove the invisible control characters.")]
    elif len(text) > max_length:
        errors[field] = [_("Keep it to %(n)s characters.") % {"n": max_length}]
    return text


def already_recorded_message(existing: Administration) -> str:
    who = existing.recorded_by.display_name if existing.recorded_by_id else ""
    return _("This dose was already recorded at %(time)s by %(who)s (%(outcome)s).") % {
        "time": _hm(existing.recorded_at),
        "who": who,
        "outcome": existing.get_outcome_display(),
    }


def _validate_outcome(order, *, outcome, reason_code, note, dose, errors: dict) -> tuple[str, str, Decimal | None]:
    """Outcome-specific checks; returns the cleaned (reason_code, note, dose)."""
    reason_code = (reason_code or "").strip()
    if outcome not in Outcome.values:
        errors["outcome"] = [_("Choose what happened.")]
        return reason_code, note, None
    if order.is_prn and outcome not in PRN_OUTCOMES:
        errors["outcome"] = [_("A when-required dose is recorded as given, self-administered or refused.")]
    if outcome == Outcome.SELF_ADMINISTERED and order.mode != "self":
        errors["outcome"] = [_("This medicine is not on a self-administration plan: record who gave it.")]
    if outcome in GIVEN_OUTCOMES:
        if dose is None:
            errors["dose"] = [_("Enter the dose given.")]
        else:
            low, high = order.dose, order.dose_max if order.dose_max is not None else order.dose
            if not (low <= dose <= high):
                errors["dose"] = [
                    _("The prescribed dose is %(dose)s: record what the prescription says.") % {"dose": order.dose_text}
                ]
        return "", note, dose
    if dose is not None:
        errors["dose"] = [_("A dose not given has no amount: leave the dose empty.")]
    if not reason_code:
        errors["reason_code"] = [_("Choose the reason the dose was not given.")]
    elif not reason_codes.valid_for(reason_code, outcome):
        errors["reason_code"] = [_("Choose a reason that fits the outcome.")]
    elif reason_codes.needs_note(reason_code) and not note:
        errors["note"] = [_("Say why the dose was not given.")]
    return reason_code, note, None


def _check_time(order, *, due_at, at, now, errors: dict) -> bool:
    """The slot and the time; returns ``late``."""
    if at > now + CLOCK_SLACK:
        errors["at"] = [_("The time cannot be in the future: record a dose once it has happened.")]
        return False
    if order.is_prn:
        if due_at is not None:
            errors["due_at"] = [_("A when-required dose has no scheduled time.")]
        day = timezone.localtime(at).date()
        if day < order.start_date or (order.stop_date and day > order.stop_date):
            errors[NON_FIELD_ERRORS] = [
                _("This prescription does not cover %(day)s.") % {"day": day.strftime("%d/%m/%Y")}
            ]
        return False
    if due_at is None:
        errors["due_at"] = [_("Choose the scheduled time of the dose.")]
        return False
    due_local = timezone.localtime(due_at)
    if due_local not in schedule.slots_on(order, due_local.date()):
        errors["due_at"] = [
            _("%(medicine)s is not due at %(time)s on %(day)s.")
            % {
                "medicine": order.medicine.name,
                "time": due_local.strftime("%H:%M"),
                "day": due_local.strftime("%d/%m/%Y"),
            }
        ]
        return False
    opens, closes = schedule.window(order, due_at)
    if now < opens or at < opens:
        errors["due_at"] = [
            _("The %(time)s dose cannot be recorded before %(opens)s: doses are never recorded in advance.")
            % {"time": due_local.strftime("%H:%M"), "opens": _hm(opens)}
        ]
        return False
    return now > closes


def _check_mode(order, *, outcome: str, on) -> None:
    """Covert and self-administration need their paperwork in force (``services_special``): a covert dose
    without a current authorisation, or a dose the resident takes themselves without a current risk
    assessment, is refused with the reason (NICE SC1; QS85 statements 3 and 6)."""
    from writecarenotes.medication import services_special

    refusal = None
    if outcome == Outcome.GIVEN and order.mode == AdministrationMode.COVERT:
        refusal = services_special.covert_refusal(order, on=on)
    elif outcome == Outcome.SELF_ADMINISTERED:
        refusal = services_special.self_administration_refusal(order.resident_id, order.medicine_id, on=on)
    if refusal:
        raise ValidationError({NON_FIELD_ERRORS: [refusal]})


def record_administration(
    order_id: int,
    *,
    user,
    access,
    outcome: str,
    reason_code: str = "",
    note: str = "",
    dose=None,
    due_at: datetime | None = None,
    at: datetime | None = None,
    override_reason: str = "",
    witness: dict | None = None,
    request=None,
) -> Administration:
    """Record what happened to a dose (module documentation). ``witness`` is {"email", "password"} of the
    second person for a controlled drug. Raises ValidationError (SafetyRefused for safety findings) or
    OrderNotFound."""
    now = timezone.now()
    at = at or now
    errors: dict = {}
    note = _text(note, "note", 500, errors)
    override_reason = _text(override_reason, "override_reason", 500, errors)
    try:
        dose = _decimal(dose)
    except ValidationError as exc:
        errors.update(exc.error_dict)
        dose = None
    with transaction.atomic():
        order = MedicationOrder.objects.select_for_update().select_related("medicine").filter(pk=order_id).first()
        if order is None:
            raise OrderNotFound(order_id)
        if order.status != OrderStatus.ACTIVE:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: [
                        _("This prescription is %(status)s: nothing can be recorded against it.")
                        % {"status": order.get_status_display().lower()}
                    ]
                }
            )
        if not is_current(order.resident_id):
            raise ValidationError({NON_FIELD_ERRORS: [_("The resident is no longer living in the home.")]})
        reason_code, note, dose = _validate_outcome(
            order, outcome=outcome, reason_code=reason_code, note=note, dose=dose, errors=errors
        )
        late = _check_time(order, due_at=due_at, at=at, now=now, errors=errors)
        if errors:
            raise ValidationError(errors)
        if due_at is not None:
            existing = _existing_record(order, due_at)
            if existing is not None:
                raise ValidationError({NON_FIELD_ERRORS: [already_recorded_message(existing)]})
        _check_mode(order, outcome=outcome, on=timezone.localdate(at))
        findings = []
        if outcome in GIVEN_OUTCOMES:
            findings = _safety_findings(order, dose=dose, at=at, due_at=due_at, access=access, override=override_reason)
        witness_user = None
        if outcome in GIVEN_OUTCOMES and order.medicine.cd_register:
            w = witness or {}
            witness_user = witness_check.verify_witness(
                request,
                home_id=order.home_id,
                email=w.get("email", ""),
                password=w.get("password", ""),
                not_user_id=user.pk,
            )
        adm = Administration(
            home_id=order.home_id,
            order=order,
            resident_id=order.resident_id,
            due_at=due_at,
            outcome=outcome,
            reason_code=reason_code,
            note=note,
            dose=dose,
            administered_at=at,
            recorded_at=now,
            recorded_by=user,
            late=late,
            witness=witness_user,
        )
        if order.is_prn and outcome in GIVEN_OUTCOMES and order.prn_effect_check_minutes:
            adm.effect_due_at = at + timedelta(minutes=order.prn_effect_check_minutes)
        try:
            with transaction.atomic():
                adm.save()
        except IntegrityError:
            existing = Administration.objects.select_related("recorded_by").filter(order=order, due_at=due_at).first()
            message = already_recorded_message(existing) if existing else _("This dose was already recorded.")
            raise ValidationError({NON_FIELD_ERRORS: [message]}) from None
        save_version(adm, action="medication.administration.recorded")
        if findings:
            _keep_overrides(adm, findings, reason=override_reason, user=user, now=now)
        lifecycle.after_administration(adm, user, witness_user)
        _publish_dose(adm, order)
        if outcome not in GIVEN_OUTCOMES and not order.is_prn:
            from writecarenotes.medication.services_rounds_alerts import note_not_given

            note_not_given(adm, order)
    return adm


def _existing_record(order, due_at) -> Administration | None:
    return Administration.objects.select_related("recorded_by").filter(order=order, due_at=due_at).first()


def _safety_findings(order, *, dose, at, due_at, access, override: str, exclude_id: int | None = None) -> list:
    findings = list(safety.check_dose(order, dose=dose, at=at, due_at=due_at, exclude_administration_id=exclude_id))
    if not findings:
        return []
    may_override = safety.can_override(access, findings)
    if may_override and override:
        return findings
    messages = [f.message for f in findings]
    if may_override:
        messages.append(_("To give it anyway, say why in the override reason (it is reported to the manager)."))
        errors = {NON_FIELD_ERRORS: messages}
    else:
        errors = {NON_FIELD_ERRORS: messages}
        if override:
            errors["override_reason"] = [_("You may not override this check: ask the nurse in charge.")]
    raise SafetyRefused(errors, findings=findings, may_override=may_override)


def _keep_overrides(adm, findings, *, reason: str, user, now) -> None:
    SafetyOverride.objects.bulk_create(
        [
            SafetyOverride(
                home_id=adm.home_id,
                organisation_id=adm.organisation_id,
                administration=adm,
                rule=str(f.rule)[:40],
                message=str(f.message)[:500],
                reason=reason,
                by=user,
                at=now,
            )
            for f in findings
        ]
    )
    publish(
        SafetyCheckOverridden(
            administration_id=adm.pk, resident_id=adm.resident_id, rules=[str(f.rule) for f in findings]
        ),
        home=adm.home_id,
    )


def _publish_dose(adm: Administration, order: MedicationOrder) -> None:
    common = {
        "administration_id": adm.pk,
        "order_id": order.pk,
        "resident_id": adm.resident_id,
        "medicine": order.medicine.name,
        "due_at": adm.due_at,
        "at": adm.administered_at,
        "late": adm.late,
    }
    if adm.outcome in GIVEN_OUTCOMES:
        event = DoseGiven(
            **common,
            dose=f"{adm.dose.normalize():f}",
            dose_unit=order.medicine.dose_unit,
            is_prn=order.is_prn,
            outcome=adm.outcome,
        )
    elif adm.outcome == Outcome.REFUSED:
        event = DoseRefused(**common, reason_code=adm.reason_code)
    else:
        event = DoseOmitted(
            **common, outcome=adm.outcome, reason_code=adm.reason_code, time_critical=order.time_critical
        )
    publish(event, home=adm.home_id)


def _locked(administration_id: int) -> Administration:
    adm = (
        Administration.objects.select_for_update()
        .select_related("order", "order__medicine")
        .filter(pk=administration_id)
        .first()
    )
    if adm is None:
        raise AdministrationNotFound(administration_id)
    return adm


def correct_administration(
    administration_id: int,
    *,
    user,
    access,
    reason: str,
    if_match: str | None = None,
    outcome: str | None = None,
    reason_code: str | None = None,
    note: str | None = None,
    dose=None,
    override_reason: str = "",
) -> Administration:
    """A correction: a new version of the record with the reason (``if_match``: the API's If-Match).

    Changing a dose not given into a dose given, or raising the dose, runs the safety checks again
    (leaving this record out; the same override rules)."""
    errors: dict = {}
    reason = _text(reason, "reason", 300, errors)
    if not reason and "reason" not in errors:
        errors["reason"] = [_("Say why the record is corrected.")]
    override_reason = _text(override_reason, "override_reason", 500, errors)
    with transaction.atomic():
        adm = _locked(administration_id)
        check_if_match(if_match, etag_for(adm))
        order = adm.order
        before = {"outcome": adm.outcome, "reason_code": adm.reason_code, "note": adm.note, "dose": adm.dose}
        new_outcome = adm.outcome if outcome in (None, "") else outcome
        new_note = adm.note if note is None else _text(note, "note", 500, errors)
        new_code = adm.reason_code if reason_code is None else reason_code
        if new_outcome in GIVEN_OUTCOMES:
            try:
                new_dose = adm.dose if dose in (None, "") else _decimal(dose)
            except ValidationError as exc:
                errors.update(exc.error_dict)
                new_dose = adm.dose
        else:
            new_dose = None
        new_code, new_note, new_dose = _validate_outcome(
            order, outcome=new_outcome, reason_code=new_code, note=new_note, dose=new_dose, errors=errors
        )
        was_given = adm.outcome in GIVEN_OUTCOMES
        if errors:
            raise ValidationError(errors)
        findings = []
        if new_outcome in GIVEN_OUTCOMES and (not was_given or new_dose > adm.dose):
            findings = _safety_findings(
                order,
                dose=new_dose,
                at=adm.administered_at,
                due_at=adm.due_at,
                access=access,
                override=override_reason,
                exclude_id=adm.pk,
            )
        if (new_outcome, new_code, new_note, new_dose) == (adm.outcome, adm.reason_code, adm.note, adm.dose):
            raise ValidationError({NON_FIELD_ERRORS: [_("Nothing was changed.")]})
        adm.outcome, adm.reason_code, adm.note, adm.dose = new_outcome, new_code, new_note, new_dose
        adm.version += 1
        adm.save(update_fields=["outcome", "reason_code", "note", "dose", "version"])
        save_version(adm, reason=reason, action="medication.administration.corrected")
        if findings:
            _keep_overrides(adm, findings, reason=override_reason, user=user, now=timezone.now())
        lifecycle.after_correction(adm, user, before)
        if new_outcome not in GIVEN_OUTCOMES and not order.is_prn:
            from writecarenotes.medication.services_rounds_alerts import note_not_given

            note_not_given(adm, order)
    return adm


def record_prn_effect(administration_id: int, *, user, effect: str, note: str = "", at: datetime | None = None):
    """The effect of a PRN dose: effective, partly or not effective (a note is needed unless effective)."""
    now = timezone.now()
    at = at or now
    errors: dict = {}
    note = _text(note, "note", 300, errors)
    if effect not in PrnEffect.values:
        errors["effect"] = [_("Choose whether the dose worked.")]
    elif effect != PrnEffect.EFFECTIVE and not note:
        errors["note"] = [_("Say what you saw, so the nurse and the GP can review the medicine.")]
    if at > now + CLOCK_SLACK:
        errors["at"] = [_("The time cannot be in the future.")]
    with transaction.atomic():
        adm = _locked(administration_id)
        if not adm.order.is_prn or adm.outcome not in GIVEN_OUTCOMES:
            raise ValidationError(
                {NON_FIELD_ERRORS: [_("Only a when-required dose that was given has an effect to check.")]}
            )
        if adm.effect:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: [
                        _("The effect was already recorded at %(t)s.") % {"t": _hm(adm.effect_recorded_at)}
                    ]
                }
            )
        if at < adm.administered_at:
            errors["at"] = [_("The effect is checked after the dose was given.")]
        if errors:
            raise ValidationError(errors)
        adm.effect, adm.effect_note, adm.effect_recorded_at, adm.effect_recorded_by = effect, note, at, user
        adm.version += 1
        adm.save(update_fields=["effect", "effect_note", "effect_recorded_at", "effect_recorded_by", "version"])
        save_version(
            adm, reason=_("Effect of the when-required dose recorded"), action="medication.prn_effect.recorded"
        )
        publish(
            PrnEffectRecorded(administration_id=adm.pk, resident_id=adm.resident_id, effect=effect), home=adm.home_id
        )
    return adm
