"""Services of capacity assessments and best-interest decisions (Mental Capacity Act 2005).

- ``record_capacity_assessment``: a decision-specific assessment with the two-stage test. The
  outcome given must be the one the answers lead to (``capacity_rules.outcome_from``): "lacks
  capacity" needs stage 1 yes, at least one functional item failed and the inability being
  because of the impairment (s.2(1), s.3(1)); "lacks capacity" also needs the practicable steps
  taken to support the person to decide (s.1(3)). Anything inconsistent is refused, by field.
- ``correct_capacity_assessment``: strike through and replace, with the reason.
- ``record_best_interest_decision``: only on a current assessment that found the person lacks
  capacity (s.1(5)); who was consulted with their relationship and views (s.4(7)), the person's
  wishes, feelings, beliefs and values (s.4(6)), the least restrictive option (s.1(6)).

Each runs in one transaction with its audit record (subject: the resident) and its event.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.care_planning import capacity_rules as rules
from writecarenotes.care_planning.events_capacity import BestInterestDecisionRecorded, CapacityAssessed
from writecarenotes.care_planning.models.capacity import BestInterestDecision, CapacityAssessment, CapacityOutcome
from writecarenotes.care_planning.services_risks import clean_text, eligible_owners, resident_for_change
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.audit.versions import snapshot
from writecarenotes.platform.events.api import publish
from writecarenotes.residents.public import ResidentNotFound, get_resident

#: Records are dated: no later than today, no earlier than this long ago (a late record is still allowed).
OLDEST = timedelta(days=366)
MAX_REVIEW_AHEAD = timedelta(days=366 * 2)
TEXT_MAX = 5000
ASSESSMENT_FIELDS = (
    "decision",
    "impairment",
    "impairment_evidence",
    *[name for k in rules.FUNCTIONAL for name in (k, f"{k}_evidence")],
    "because_of_impairment",
    "practicable_steps",
    "outcome",
    "assessor_id",
    "assessed_on",
    "review_on",
)
DECISION_FIELDS = (
    "capacity_assessment_id",
    "decision",
    "options_considered",
    "consulted",
    "wishes_feelings_beliefs",
    "least_restrictive",
    "decision_maker",
    "decision_maker_role",
    "decided_on",
)


class CapacityRecordNotFound(LookupError):
    pass


def check_day(
    value, field: str, errors: dict, *, today: date, past_only=True, required=True, max_ahead=MAX_REVIEW_AHEAD
):
    """A date for ``field``; adds a message to ``errors`` and returns None when it is not acceptable."""
    if isinstance(value, datetime):
        value = value.date()
    if value is None or value == "":
        if required:
            errors[field] = [_("Enter the date.")]
        return None
    if not isinstance(value, date):
        errors[field] = [_("Enter a valid date.")]
        return None
    if past_only and value > today:
        errors[field] = [_("This date cannot be in the future.")]
    elif value < today - OLDEST * 5:
        errors[field] = [_("This date is too long ago.")]
    elif value > today + max_ahead:
        errors[field] = [_("This date is too far ahead.")]
    return value


def _texts(out: dict, specs, errors: dict) -> None:
    for name, required, max_length, message in specs:
        try:
            out[name] = clean_text(out.get(name), required=required, max_length=max_length, message=message)
        except ValueError as exc:
            errors[name] = [str(exc)]


def _yes_no(value, field: str, errors: dict, *, allow_none: bool = False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool):
        return value
    if value in ("yes", "true", "1", "on"):
        return True
    if value in ("no", "false", "0"):
        return False
    errors[field] = [_("Answer yes or no.")]
    return None


def clean_assessment(values: dict, *, home_id: int, today: date) -> dict:
    """Validated values of an assessment; ValidationError by field (the outcome rules included)."""
    unknown = set(values) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise ValueError(f"cannot set {sorted(unknown)}")
    errors: dict[str, list[str]] = {}
    out = dict(values)
    _texts(
        out,
        [
            ("decision", True, 300, _("Say which decision the assessment is about.")),
            ("impairment_evidence", True, TEXT_MAX, _("Give the evidence for your answer to stage 1.")),
            *[
                (f"{k}_evidence", True, TEXT_MAX, _("Give the evidence for this answer (what they said or did)."))
                for k in rules.FUNCTIONAL
            ],
            ("practicable_steps", False, TEXT_MAX, ""),
        ],
        errors,
    )
    out["impairment"] = _yes_no(out.get("impairment"), "impairment", errors)
    able = {k: _yes_no(out.get(k), k, errors) for k in rules.FUNCTIONAL}
    out.update(able)
    out["because_of_impairment"] = _yes_no(
        out.get("because_of_impairment"), "because_of_impairment", errors, allow_none=True
    )
    outcome = out.get("outcome")
    if outcome not in CapacityOutcome.values:
        errors["outcome"] = [_("Choose the outcome of the assessment.")]
    elif not errors:
        failed = [k for k in rules.FUNCTIONAL if able[k] is False]
        if out["impairment"] and failed and out["because_of_impairment"] is None:
            errors["because_of_impairment"] = [
                _("Say whether they are unable to decide because of the impairment or disturbance.")
            ]
        derived = rules.outcome_from(out["impairment"], able, out["because_of_impairment"])
        if outcome == rules.LACKS_CAPACITY and derived != rules.LACKS_CAPACITY:
            if not out["impairment"]:
                errors["outcome"] = [
                    _(
                        "A person cannot be found to lack capacity without an impairment of, or disturbance in the "
                        "functioning of, the mind or brain (stage 1)."
                    )
                ]
            elif not failed:
                errors["outcome"] = [
                    _(
                        "The answers show they can understand, retain, use or weigh and communicate: they have "
                        "capacity for this decision."
                    )
                ]
            elif "because_of_impairment" not in errors:
                errors["outcome"] = [
                    _("They lack capacity only if they are unable to decide because of the impairment (s.2(1)).")
                ]
        elif outcome == rules.HAS_CAPACITY and derived == rules.LACKS_CAPACITY:
            errors["outcome"] = [
                _(
                    "The answers show they are unable to make this decision because of the impairment: the outcome "
                    "is that they lack capacity for this decision."
                )
            ]
        if outcome == rules.LACKS_CAPACITY and not out.get("practicable_steps"):
            errors["practicable_steps"] = [
                _(
                    "Say what was done to help them decide: nobody is treated as unable to decide until all "
                    "practicable steps to help have failed."
                )
            ]
    if out.get("assessor_id") in (None, ""):
        errors["assessor_id"] = [_("Choose the assessor.")]
    else:
        try:
            out["assessor_id"] = int(out["assessor_id"])
        except (TypeError, ValueError):
            errors["assessor_id"] = [_("Choose the assessor.")]
        else:
            if not eligible_owners(home_id).filter(pk=out["assessor_id"]).exists():
                errors["assessor_id"] = [_("The assessor must be a member of staff of this home.")]
    out["assessed_on"] = check_day(out.get("assessed_on"), "assessed_on", errors, today=today)
    out["review_on"] = check_day(
        out.get("review_on"), "review_on", errors, today=today, past_only=False, required=False
    )
    if out["review_on"] and out["assessed_on"] and out["review_on"] <= out["assessed_on"]:
        errors["review_on"] = [_("The review date must be after the assessment.")]
    if errors:
        raise ValidationError(errors)
    return out


def _audit(action: str, record, ref, before=None, reason: str = "") -> None:
    record_change(
        action,
        target=record,
        before=before,
        after=snapshot(record),
        reason=reason,
        reason_required=bool(before),
        subject=("residents.resident", ref.id),
        subject_label=ref.display_name,
    )


def record_capacity_assessment(resident_id: int, *, user, values: dict) -> CapacityAssessment:
    with transaction.atomic():
        ref = resident_for_change(resident_id)
        cleaned = clean_assessment(values, home_id=ref.home_id, today=timezone.localdate())
        assessment = CapacityAssessment.objects.create(
            home_id=ref.home_id, resident_id=ref.id, recorded_by=user, **cleaned
        )
        _audit("care_planning.capacity_assessment.recorded", assessment, ref)
        publish(
            CapacityAssessed(
                assessment_id=assessment.pk,
                resident_id=ref.id,
                outcome=assessment.outcome,
                assessed_on=assessment.assessed_on,
            ),
            home=ref.home_id,
        )
    return assessment


def _locked(model, pk: int):
    record = model.objects.select_for_update().filter(pk=pk).first()
    if record is None:
        raise CapacityRecordNotFound(pk)
    try:
        ref = get_resident(record.resident_id)
    except ResidentNotFound:
        raise CapacityRecordNotFound(pk) from None
    return record, ref


def correct_capacity_assessment(assessment_id: int, *, user, reason: str, values: dict) -> CapacityAssessment:
    """Strike the assessment through and record its corrected replacement, with the reason."""
    try:
        reason = clean_text(reason, required=True, max_length=1000, message=_("Give the reason for the correction."))
    except ValueError as exc:
        raise ValidationError({"reason": [str(exc)]}) from None
    with transaction.atomic():
        original, ref = _locked(CapacityAssessment, assessment_id)
        if original.is_struck:
            raise ValidationError(_("This assessment has already been corrected."))
        cleaned = clean_assessment(values, home_id=ref.home_id, today=timezone.localdate())
        replacement = CapacityAssessment.objects.create(
            home_id=ref.home_id, resident_id=ref.id, recorded_by=user, **cleaned
        )
        before = snapshot(original)
        CapacityAssessment.objects.filter(pk=original.pk).update(
            struck_at=timezone.now(), struck_by=user, struck_reason=reason, replaced_by=replacement
        )
        original.refresh_from_db()
        _audit("care_planning.capacity_assessment.corrected", original, ref, before=before, reason=reason)
        publish(
            CapacityAssessed(
                assessment_id=replacement.pk,
                resident_id=ref.id,
                outcome=replacement.outcome,
                assessed_on=replacement.assessed_on,
                replaces_id=original.pk,
            ),
            home=ref.home_id,
        )
    return replacement


def _clean_consulted(value, errors: dict) -> list[dict]:
    people = []
    if not isinstance(value, list):
        errors["consulted"] = [_("List who was consulted.")]
        return people
    for i, person in enumerate(value):
        if not isinstance(person, dict):
            errors["consulted"] = [_("List who was consulted.")]
            return people
        row = {}
        for key, max_length in (("name", 200), ("relationship", 120), ("views", TEXT_MAX)):
            try:
                row[key] = clean_text(person.get(key), max_length=max_length)
            except ValueError as exc:
                errors[f"consulted.{i}.{key}"] = [str(exc)]
        if not any(row.values()):
            continue
        for key, message in (
            ("name", _("Give the name of the person consulted.")),
            ("relationship", _("Give their relationship to the resident (or role, e.g. IMCA).")),
            ("views", _("Record what they said.")),
        ):
            if not row.get(key) and f"consulted.{i}.{key}" not in errors:
                errors[f"consulted.{i}.{key}"] = [message]
        people.append(row)
    if not people and "consulted" not in errors:
        errors["consulted"] = [
            _("Record who was consulted (family, carers, attorney or deputy; an IMCA when there is nobody).")
        ]
    return people


def clean_decision(values: dict, *, resident_id: int, today: date) -> dict:
    unknown = set(values) - set(DECISION_FIELDS)
    if unknown:
        raise ValueError(f"cannot set {sorted(unknown)}")
    errors: dict[str, list[str]] = {}
    out = dict(values)
    _texts(
        out,
        [
            ("decision", True, TEXT_MAX, _("Say what was decided.")),
            ("options_considered", True, TEXT_MAX, _("List the options that were considered.")),
            ("wishes_feelings_beliefs", True, TEXT_MAX, _("Record the person's wishes, feelings, beliefs and values.")),
            ("least_restrictive", True, TEXT_MAX, _("Say why this is the least restrictive option.")),
            ("decision_maker", True, 200, _("Name the decision maker.")),
            ("decision_maker_role", True, 120, _("Give the decision maker's role.")),
        ],
        errors,
    )
    out["consulted"] = _clean_consulted(out.get("consulted"), errors)
    out["decided_on"] = check_day(out.get("decided_on"), "decided_on", errors, today=today)
    assessment_id = out.get("capacity_assessment_id")
    assessment = None
    try:
        assessment = CapacityAssessment.objects.filter(pk=int(assessment_id), resident_id=resident_id).first()
    except (TypeError, ValueError):
        pass
    if assessment is None:
        errors["capacity_assessment_id"] = [_("Choose the capacity assessment this decision follows.")]
    elif assessment.is_struck:
        errors["capacity_assessment_id"] = [_("That assessment was corrected: choose its replacement.")]
    elif not assessment.lacks_capacity:
        errors["capacity_assessment_id"] = [
            _("A best-interest decision is made only for a person who lacks capacity for that decision.")
        ]
    elif out["decided_on"] and out["decided_on"] < assessment.assessed_on:
        errors["decided_on"] = [_("The decision cannot be dated before the capacity assessment.")]
    if errors:
        raise ValidationError(errors)
    out["capacity_assessment_id"] = assessment.pk
    return out


def record_best_interest_decision(resident_id: int, *, user, values: dict) -> BestInterestDecision:
    with transaction.atomic():
        ref = resident_for_change(resident_id)
        cleaned = clean_decision(values, resident_id=ref.id, today=timezone.localdate())
        decision = BestInterestDecision.objects.create(
            home_id=ref.home_id, resident_id=ref.id, recorded_by=user, **cleaned
        )
        _audit("care_planning.best_interest_decision.recorded", decision, ref)
        publish(
            BestInterestDecisionRecorded(
                decision_id=decision.pk,
                resident_id=ref.id,
                capacity_assessment_id=decision.capacity_assessment_id,
                decided_on=decision.decided_on,
            ),
            home=ref.home_id,
        )
    return decision


# --- reads ----------------------------------------------------------------------------------------


def assessments_of(resident_id: int):
    return CapacityAssessment.objects.filter(resident_id=resident_id).select_related("assessor")


def decisions_of(resident_id: int):
    return BestInterestDecision.objects.filter(resident_id=resident_id).select_related("capacity_assessment")
