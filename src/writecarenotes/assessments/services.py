"""Recording and correcting assessments.

Each function runs in one ``transaction.atomic()``: the result with one answer row per item of the
tool, the resident's next due date, the audit record (subject = the resident) and the domain events
commit together or not at all. Scores are computed here by the engine (``engine.clean_answers`` /
``engine.score``) from the answers, never typed in; invalid answers are refused with a message per
item (``ValidationError`` keyed ``answers.<item key>``: field errors on forms, 422 on the API).

Due dates, tool settings and the overdue notices are in ``services_due``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.assessments import engine
from writecarenotes.assessments.config import ToolConfig, config_for
from writecarenotes.assessments.events import AssessmentBandWorsened, AssessmentCorrected, AssessmentRecorded
from writecarenotes.assessments.models import LATE_ENTRY_AFTER, AssessmentAnswer, AssessmentResult
from writecarenotes.assessments.services_due import schedule_after_result
from writecarenotes.platform.audit.context import current_actor
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.events.api import publish
from writecarenotes.residents.public import ResidentNotFound, ResidentRef, get_resident, is_current

#: Clocks on phones drift: a time of assessment up to this far in the future is accepted.
FUTURE_TOLERANCE = timedelta(minutes=5)
#: An assessment may be written down (and is marked late) up to this long after it was done.
OLDEST_ENTRY = timedelta(days=7)
NOTES_MAX = 5000

__all__ = ["answer_field", "correct_assessment", "previous_result", "record_assessment"]


def subject_of(resident_id: int) -> tuple[str, int]:
    return ("residents.resident", resident_id)


def answer_field(item_key: str) -> str:
    """The key of an item's message in a ValidationError (forms map it back to the item's field)."""
    return f"answers.{item_key}"


def decimal_text(value: Decimal) -> str:
    """An exact decimal as text without trailing zeros of a whole number: 3.00 -> "3", 7.50 -> "7.50"."""
    return f"{(value.normalize() if value == value.to_integral_value() else value):f}"


def _plain(value: Any) -> Any:
    """A JSON-safe copy of an answer or derived value: Decimals as exact strings."""
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _tool_config(tool_slug: str) -> ToolConfig:
    try:
        return config_for(tool_slug)
    except engine.UnknownTool:
        raise ValidationError(
            {"tool": _("There is no assessment tool called “%(slug)s”.") % {"slug": tool_slug}}
        ) from None


def _assessable_resident(resident_id: int) -> ResidentRef:
    """The resident (in scope) if they can be assessed; ResidentNotFound (404) or ValidationError."""
    ref = get_resident(resident_id)
    if not is_current(ref.id):
        raise ValidationError(
            _("Assessments can only be recorded for a resident who is in residence or temporarily away.")
        )
    return ref


def _check_assessed_at(assessed_at, now: datetime) -> str | None:
    if assessed_at is None:
        return _("Enter the time of the assessment.")
    if not isinstance(assessed_at, datetime) or timezone.is_naive(assessed_at):
        return _("Enter a valid time of assessment.")
    if assessed_at > now + FUTURE_TOLERANCE:
        return _("The time of the assessment cannot be in the future.")
    if assessed_at < now - OLDEST_ENTRY:
        return _("The assessment was more than 7 days ago; ask a manager.")
    return None


def _score(tool: engine.Tool, answers, band_set: str | None) -> tuple[dict, engine.Score]:
    """Clean and score; every problem becomes a field message (never a partial result)."""
    if not isinstance(answers, dict):
        raise ValidationError({"answers": _("Give the answers as item: answer pairs.")})
    try:
        cleaned = engine.clean_answers(tool, answers)
        return cleaned, engine.score(tool, cleaned, band_set or None)
    except engine.AnswerError as exc:
        errors = {}
        for key, message in exc.errors.items():
            if key == "band_set":
                errors["band_set"] = message
            elif key == "__all__":
                errors["answers"] = message
            else:
                errors[answer_field(key)] = message
        raise ValidationError(errors) from None


def _band_of(result: AssessmentResult | None) -> engine.Band | None:
    """The stored band of a result as an engine Band (for engine.band_worsened)."""
    if result is None or result.band_rank is None:
        return None
    return engine.Band(key=result.band_key, label=result.band_label, low=Decimal(0), high=None, rank=result.band_rank)


def previous_result(result: AssessmentResult, *, exclude: tuple[int, ...] = ()) -> AssessmentResult | None:
    """The resident's latest current result with the same tool assessed before ``result``."""
    qs = (
        AssessmentResult.objects.current()
        .filter(resident_id=result.resident_id, tool=result.tool)
        .exclude(pk__in=[p for p in (result.pk, *exclude) if p])
        .filter(assessed_at__lte=result.assessed_at)
        .order_by("-assessed_at", "-pk")
    )
    return qs.first()


def _worsened(previous: AssessmentResult | None, result: AssessmentResult) -> bool:
    """Worse than the previous result of the same tool, compared within the same band set only."""
    if previous is None or previous.band_set != result.band_set:
        return False
    return engine.band_worsened(_band_of(previous), _band_of(result))


def _build(
    tool: engine.Tool, cleaned: dict, score: engine.Score, *, ref: ResidentRef, assessed_at, user_id, notes, now
) -> AssessmentResult:
    """Save one result and its answer rows (inside the caller's transaction)."""
    band = score.band
    result = AssessmentResult(
        home_id=ref.home_id,
        resident_id=ref.id,
        tool=tool.slug,
        tool_version=tool.version,
        band_set=score.band_set,
        total=score.total,
        band_key=band.key if band else "",
        band_label=str(band.label) if band else "",
        band_rank=band.rank if band else None,
        band_action=str(band.action) if band else "",
        summary=str(score.summary)[:300],
        derived=_plain(dict(score.derived)),
        derived_points=_plain(dict(score.derived_points)),
        findings=[str(n) for n in score.notes],
        assessed_at=assessed_at,
        assessed_by_id=user_id,
        notes=notes,
    )
    result.recorded_at = now
    result.is_late = now - assessed_at > LATE_ENTRY_AFTER
    result.save()
    AssessmentAnswer.objects.bulk_create(
        [
            AssessmentAnswer(
                organisation_id=result.organisation_id,
                home_id=result.home_id,
                result=result,
                item_key=item.key,
                value=_plain(cleaned.get(item.key)),
                points=score.item_points.get(item.key, Decimal(0)),
            )
            for item in tool.items
        ]
    )
    return result


def _audit_after(result: AssessmentResult) -> dict:
    return {
        **result.snapshot(),
        "answers": {a.item_key: {"value": a.value, "points": decimal_text(a.points)} for a in result.answers.all()},
    }


def _user_id(user) -> int:
    if user is None:
        actor = current_actor()
        if actor.user_id is None:
            raise ValueError("an assessment needs the user who made it")
        return actor.user_id
    return getattr(user, "pk", user)


def record_assessment(
    resident_id: int,
    tool_slug: str,
    answers: dict,
    assessed_at: datetime,
    user,
    notes: str = "",
    *,
    band_set: str | None = None,
    now: datetime | None = None,
) -> AssessmentResult:
    """Score ``answers`` with the tool, store the result with every answer, schedule the next review.

    ``band_set`` overrides the organisation's choice for this result. ``now`` is the time of entry
    (default: now); the demo builder passes the time of a past entry. Publishes ``assessment.recorded``
    and, when the band is worse than the previous result with the tool, ``assessment.band_worsened``.
    """
    now = now or timezone.now()
    conf = _tool_config(tool_slug)
    tool = conf.tool
    ref = _assessable_resident(resident_id)
    errors: dict[str, Any] = {}
    if not conf.enabled:
        errors["tool"] = _("%(tool)s is not in use in this organisation (see the assessment settings).") % {
            "tool": tool.name
        }
    problem = _check_assessed_at(assessed_at, now)
    if problem:
        errors["assessed_at"] = problem
    notes = (notes or "").strip()
    if len(notes) > NOTES_MAX:
        errors["notes"] = _("Keep the notes under %(n)s characters.") % {"n": NOTES_MAX}
    try:
        cleaned, score = _score(tool, answers, band_set or conf.band_set)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    user_id = _user_id(user)
    with transaction.atomic():
        result = _build(tool, cleaned, score, ref=ref, assessed_at=assessed_at, user_id=user_id, notes=notes, now=now)
        previous = previous_result(result)
        due = schedule_after_result(result, conf)
        if due is not None and due.last_result_id == result.pk:
            result.next_due_on = due.due_on
            AssessmentResult.objects.filter(pk=result.pk).update(next_due_on=due.due_on)
        record_change(
            "assessments.result.recorded",
            target=result,
            before=None,
            after=_audit_after(result),
            subject=subject_of(ref.id),
            subject_label=ref.display_name,
        )
        publish(
            AssessmentRecorded(
                result_id=result.pk,
                resident_id=ref.id,
                tool=tool.slug,
                tool_version=tool.version,
                total=decimal_text(result.total),
                band=result.band_key,
                band_rank=result.band_rank,
                assessed_at=result.assessed_at,
                next_due_on=result.next_due_on,
            ),
            home=result.home_id,
        )
        if _worsened(previous, result):
            publish(
                AssessmentBandWorsened(
                    result_id=result.pk,
                    previous_result_id=previous.pk,
                    resident_id=ref.id,
                    tool=tool.slug,
                    previous_band=previous.band_key,
                    band=result.band_key,
                ),
                home=result.home_id,
            )
    return result


def correct_assessment(
    result: AssessmentResult, reason: str, answers: dict, user, *, notes: str | None = None
) -> AssessmentResult:
    """Strike ``result`` through and record its corrected replacement (re-scored), in one transaction.

    The replacement keeps the tool, band set and time of assessment; ``answers`` are the full
    corrected answers. Nothing of the original is changed but its strike fields.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for the correction.")})
    if len(reason) > 1000:
        raise ValidationError({"reason": _("Keep the reason under 1000 characters.")})
    user_id = _user_id(user)
    now = timezone.now()
    with transaction.atomic():
        original = AssessmentResult.objects.select_for_update().filter(pk=result.pk).first()
        if original is None:
            raise ValidationError(_("This assessment cannot be corrected here."))
        if original.struck_at is not None:
            raise ValidationError(_("This assessment has already been corrected."))
        try:
            ref = get_resident(original.resident_id)
        except ResidentNotFound:
            raise ValidationError(_("This resident's assessments cannot be corrected here.")) from None
        conf = _tool_config(original.tool)
        tool = conf.tool
        band_set = original.band_set if original.band_set in tool.band_sets else conf.band_set
        cleaned, score = _score(tool, answers, band_set)
        new_notes = original.notes if notes is None else (notes or "").strip()
        if len(new_notes) > NOTES_MAX:
            raise ValidationError({"notes": _("Keep the notes under %(n)s characters.") % {"n": NOTES_MAX}})
        before = _audit_after(original)
        previous = previous_result(original)
        replacement = _build(
            tool,
            cleaned,
            score,
            ref=ref,
            assessed_at=original.assessed_at,
            user_id=user_id,
            notes=new_notes,
            now=now,
        )
        AssessmentResult.objects.filter(pk=original.pk).update(
            struck_at=now, struck_by_id=user_id, strike_reason=reason, replaced_by_id=replacement.pk
        )
        original.refresh_from_db()
        due = schedule_after_result(replacement, conf)
        if due is not None and due.last_result_id == replacement.pk:
            replacement.next_due_on = due.due_on
        else:
            replacement.next_due_on = original.next_due_on
        AssessmentResult.objects.filter(pk=replacement.pk).update(next_due_on=replacement.next_due_on)
        record_change(
            "assessments.result.corrected",
            target=original,
            before=before,
            after={"struck": original.snapshot(), "replacement": _audit_after(replacement)},
            reason=reason,
            reason_required=True,
            subject=subject_of(ref.id),
            subject_label=ref.display_name,
        )
        publish(
            AssessmentCorrected(
                result_id=original.pk, replacement_id=replacement.pk, resident_id=ref.id, tool=tool.slug
            ),
            home=original.home_id,
        )
        # a correction that makes the result worse than the one before raises the flag (once)
        if _worsened(previous, replacement) and not _worsened(previous, original):
            publish(
                AssessmentBandWorsened(
                    result_id=replacement.pk,
                    previous_result_id=previous.pk,
                    resident_id=ref.id,
                    tool=tool.slug,
                    previous_band=previous.band_key,
                    band=replacement.band_key,
                ),
                home=replacement.home_id,
            )
    return replacement
