"""When assessments are due, the organisation's tool settings, and the daily overdue notices.

- ``schedule_after_result``: after a result (inside its transaction) the next review is due
  ``review_days`` after the day of the assessment (the organisation's interval, else the tool's
  default); a tool without a review interval is due again only when something triggers it.
- ``mark_due``: something happened (admission, fall, weight loss, a worse band on another tool) or
  someone asked: the tool is due on ``due_on``. A trigger never postpones an earlier due date, and
  changes nothing when the tool was already assessed after what triggered it (so a redelivered
  event changes nothing). ``manual`` sets the date asked for.
- ``set_tool_settings``: a manager switches a tool on or off, chooses its band set and review interval.
- ``notify_overdue``: publishes ``assessment.overdue`` once per due date that has passed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.assessments import engine
from writecarenotes.assessments.config import ToolConfig, config_for, configs
from writecarenotes.assessments.events import AssessmentDueChanged, AssessmentOverdue, ToolSettingsChanged
from writecarenotes.assessments.models import AssessmentDue, AssessmentResult, DueReason, ToolSettings
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.events.api import publish
from writecarenotes.platform.tenancy.scope import require_scope
from writecarenotes.residents.public import current_residents, get_resident, is_current

#: Longest review interval a manager may set (two years).
MAX_REVIEW_DAYS = 730


def _snapshot(row: AssessmentDue | None) -> dict | None:
    if row is None or row.pk is None:
        return None
    return {
        "tool": row.tool,
        "due_on": row.due_on.isoformat() if row.due_on else None,
        "reason": row.reason,
        "requested_at": row.requested_at.isoformat() if row.requested_at else None,
        "last_result_id": row.last_result_id,
    }


def _minute(at: datetime) -> datetime:
    """Times of assessment are entered to the minute: an assessment in the same minute as what
    made it due counts as done after it."""
    return at.replace(second=0, microsecond=0)


def _changed(row: AssessmentDue) -> None:
    publish(
        AssessmentDueChanged(resident_id=row.resident_id, tool=row.tool, due_on=row.due_on, reason=row.reason),
        home=row.home_id,
    )


def _locked_row(home_id: int, resident_id: int, tool: str) -> tuple[AssessmentDue, bool]:
    """The resident's due row for the tool, locked for this transaction (created when missing);
    True when this call created it. Two transactions creating it at once: one waits for the other."""
    qs = (
        AssessmentDue.objects.select_for_update(of=("self",))
        .select_related("last_result")
        .filter(resident_id=resident_id, tool=tool)
    )
    row = qs.first()
    if row is not None:
        return row, False
    try:
        with transaction.atomic():
            AssessmentDue.objects.create(home_id=home_id, resident_id=resident_id, tool=tool)
    except IntegrityError:
        return qs.get(), False  # created by another transaction meanwhile
    return qs.get(), True


def schedule_after_result(result: AssessmentResult, conf: ToolConfig) -> AssessmentDue | None:
    """Set the resident's next due date for the tool after ``result`` (call inside its transaction).

    An older assessment written late does not move the schedule of a newer one; a trigger that
    happened after the assessment (a fall after it) stays due.
    """
    row, _created = _locked_row(result.home_id, result.resident_id, result.tool)
    last = row.last_result
    if last is not None and last.pk != result.pk and last.struck_at is None and last.assessed_at > result.assessed_at:
        return row
    due_on = timezone.localdate(result.assessed_at) + timedelta(days=conf.review_days) if conf.review_days else None
    reason, requested_at = (DueReason.REVIEW if due_on else ""), None
    if (
        row.due_on is not None
        and row.reason not in ("", DueReason.REVIEW)
        and row.requested_at is not None
        and _minute(row.requested_at) > result.assessed_at
    ):
        due_on, reason, requested_at = row.due_on, row.reason, row.requested_at
    before = (row.due_on, row.reason)
    row.due_on, row.reason, row.requested_at, row.last_result = due_on, reason, requested_at, result
    row.save()
    if before != (row.due_on, row.reason):
        _changed(row)
    return row


def mark_due(
    resident_id: int, tool_slug: str, reason: str, due_on: date, *, requested_at: datetime | None = None
) -> AssessmentDue | None:
    """Make the tool due for the resident on ``due_on`` because of ``reason`` (a DueReason value).

    Returns the row (unchanged when an earlier date is already due, or when the tool was assessed
    after ``requested_at``), or None for a tool not in use. Raises ValidationError for a resident
    who is not current, an unknown tool or reason, or a missing date.
    """
    if reason not in DueReason.values:
        raise ValidationError({"reason": _("Choose why the assessment is due.")})
    if not isinstance(due_on, date) or isinstance(due_on, datetime):
        raise ValidationError({"due_on": _("Enter the date the assessment is due.")})
    try:
        conf = config_for(tool_slug)
    except engine.UnknownTool:
        raise ValidationError(
            {"tool": _("There is no assessment tool called “%(slug)s”.") % {"slug": tool_slug}}
        ) from None
    if not conf.enabled:
        if reason == DueReason.MANUAL:
            raise ValidationError({"tool": _("This tool is not in use in this organisation.")})
        return None
    ref = get_resident(resident_id)
    if not is_current(ref.id):
        raise ValidationError(_("Assessments are only due for a resident who is in residence or temporarily away."))
    requested_at = requested_at or timezone.now()
    with transaction.atomic():
        row, created = _locked_row(ref.home_id, ref.id, conf.slug)
        if reason != DueReason.MANUAL:
            last = row.last_result
            if last is not None and last.struck_at is None and last.assessed_at >= _minute(requested_at):
                return row  # already assessed since it happened
            if row.due_on is not None and row.due_on <= due_on:
                return row  # already due as soon or sooner
        before = None if created else _snapshot(row)
        row.due_on, row.reason, row.requested_at = due_on, reason, requested_at
        row.save()
        record_change(
            "assessments.due.marked",
            target=row,
            before=before,
            after=_snapshot(row),
            subject=("residents.resident", ref.id),
            subject_label=ref.display_name,
        )
        _changed(row)
    return row


def set_tool_settings(
    tool_slug: str,
    *,
    enabled: bool,
    band_set: str = "",
    review_days: int | None = None,
    user=None,
    reason: str = "",
) -> ToolSettings:
    """Create or change the organisation's settings of one tool (audited, ``assessment.tool_settings_changed``)."""
    try:
        tool = engine.get_tool(tool_slug)
    except engine.UnknownTool:
        raise ValidationError(
            {"tool": _("There is no assessment tool called “%(slug)s”.") % {"slug": tool_slug}}
        ) from None
    errors = {}
    band_set = (band_set or "").strip()
    if band_set and band_set not in tool.band_sets:
        errors["band_set"] = _("Choose one of the band sets of this tool.")
    if review_days is not None and not (isinstance(review_days, int) and 1 <= review_days <= MAX_REVIEW_DAYS):
        errors["review_days"] = _("Enter a number of days between 1 and %(max)s, or leave it empty.") % {
            "max": MAX_REVIEW_DAYS
        }
    if errors:
        raise ValidationError(errors)
    scope = require_scope()
    with transaction.atomic():
        row = ToolSettings.objects.select_for_update().filter(tool=tool.slug).first()
        before = _settings_snapshot(row)
        if row is None:
            row = ToolSettings(organisation_id=scope.organisation_id, tool=tool.slug)
        row.enabled, row.band_set, row.review_days = bool(enabled), band_set, review_days
        row.updated_by_id = getattr(user, "pk", user)
        row.save()
        record_change(
            "assessments.tool_settings.changed",
            target=row,
            before=before,
            after=_settings_snapshot(row),
            reason=reason,
        )
        home = scope.active_home_id or min(scope.home_ids, default=None)
        if home is not None:  # an event belongs to a home: the one the manager acts for
            publish(
                ToolSettingsChanged(
                    tool=tool.slug, enabled=row.enabled, band_set=row.band_set, review_days=row.review_days
                ),
                home=home,
            )
    return row


def _settings_snapshot(row: ToolSettings | None) -> dict | None:
    if row is None:
        return None
    return {"tool": row.tool, "enabled": row.enabled, "band_set": row.band_set, "review_days": row.review_days}


def notify_overdue(today: date | None = None) -> int:
    """Publish ``assessment.overdue`` for every due date before ``today`` not yet notified (scoped)."""
    today = today or timezone.localdate()
    in_use = {slug for slug, c in configs().items() if c.enabled}
    current = {r.id for r in current_residents()}
    with transaction.atomic():
        rows = list(
            AssessmentDue.objects.select_for_update()
            .filter(due_on__lt=today, resident_id__in=current, tool__in=in_use)
            .exclude(overdue_notified_for=F("due_on"))
            .order_by("home_id", "due_on", "pk")
        )
        for row in rows:
            publish(
                AssessmentOverdue(resident_id=row.resident_id, tool=row.tool, due_on=row.due_on, reason=row.reason),
                home=row.home_id,
            )
            row.overdue_notified_for = row.due_on
        AssessmentDue.objects.bulk_update(rows, ["overdue_notified_for"])
    return len(rows)
