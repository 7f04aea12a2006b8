"""Services of liberty records: deprivation of liberty authorisations and decision support
arrangements, kept under the framework of the home's nation (``capacity_rules``; only that
nation's framework is offered and accepted).

Life of a record: recorded (``requested`` when it is asked of a supervisory body, panel, court or
service; ``in_force`` when the home gives it, as an urgent DoLS authorisation, or it is already in
place) -> granted (in force, with its dates and conditions) or refused -> extended (urgent DoLS once
by up to 7 days; NI panel authorisations 6 months then a year) -> ended early (with the reason) or
expired (the daily job, ``jobs_capacity``). Every step is a new version with a reason
(``audit.save_version``) and publishes ``dols.changed``; the job publishes ``dols.expiring`` 28
days before the end and ``dols.expired`` after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.care_planning import capacity_rules as rules
from writecarenotes.care_planning.events_capacity import (
    LibertyAuthorisationChanged,
    LibertyAuthorisationExpired,
    LibertyAuthorisationExpiring,
)
from writecarenotes.care_planning.models.capacity import LibertyRecord, LibertyStatus
from writecarenotes.care_planning.services_capacity import TEXT_MAX, check_day
from writecarenotes.care_planning.services_risks import clean_text, resident_for_change
from writecarenotes.platform.api.concurrency import check_if_match, etag_for
from writecarenotes.platform.audit.versions import save_version
from writecarenotes.platform.events.api import publish
from writecarenotes.platform.tenancy.models import CareHome
from writecarenotes.residents.public import ResidentNotFound, ResidentRef, current_residents, get_resident

RECORD_FIELDS = (
    "kind",
    "body",
    "reference",
    "person_appointed",
    "requested_on",
    "start_on",
    "end_on",
    "prescribed_condition",
    "conditions",
    "notes",
)
MAX_CONDITIONS = 30
#: End dates are accepted up to this far ahead (orders may run for years; most have a statutory maximum).
FAR_AHEAD = timedelta(days=366 * 10)


class LibertyRecordNotFound(LookupError):
    pass


def framework_of_home(home_id: int) -> str:
    return rules.framework_for(CareHome.objects.values_list("nation", flat=True).get(pk=home_id))


def _clean_conditions(value, errors: dict) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list) or len(value) > MAX_CONDITIONS:
        errors["conditions"] = [_("List the conditions, one per line (at most %(n)s).") % {"n": MAX_CONDITIONS}]
        return []
    out = []
    for item in value:
        try:
            text = clean_text(item if isinstance(item, str) else None, max_length=1000)
        except ValueError as exc:
            errors["conditions"] = [str(exc)]
            return []
        if text:
            out.append(text)
    return out


def _check_period(kind: str, start, end, errors: dict, *, prescribed: bool = False) -> None:
    rule = rules.KINDS[kind]
    if start is None:
        errors.setdefault("start_on", [_("Enter the date it starts.")])
        return
    if end is None:
        if rule.needs_end:
            errors.setdefault("end_on", [_("Enter the date it ends.")])
        return
    if end < start:
        errors["end_on"] = [_("It cannot end before it starts.")]
        return
    latest = rules.max_end(kind, start, prescribed_condition=prescribed)
    if latest is not None and end > latest:
        errors["end_on"] = [
            _("%(kind)s can last until %(latest)s at the latest (%(source)s).")
            % {"kind": rule.label, "latest": latest.strftime("%-d %b %Y"), "source": rule.source}
        ]


def _publish(record: LibertyRecord, change: str) -> None:
    publish(
        LibertyAuthorisationChanged(
            record_id=record.pk,
            resident_id=record.resident_id,
            framework=record.framework,
            kind=record.kind,
            change=change,
            status=record.status,
            end_on=record.end_on,
        ),
        home=record.home_id,
    )


def record_liberty(resident_id: int, *, user, values: dict) -> LibertyRecord:
    """Record an application, an urgent authorisation, a certificate, an order or an arrangement."""
    unknown = set(values) - set(RECORD_FIELDS)
    if unknown:
        raise ValueError(f"cannot set {sorted(unknown)}")
    today = timezone.localdate()
    with transaction.atomic():
        ref = resident_for_change(resident_id)
        framework = framework_of_home(ref.home_id)
        errors: dict[str, list[str]] = {}
        out = dict(values)
        kind = out.get("kind")
        rule = rules.KINDS.get(kind) if isinstance(kind, str) else None
        if rule is None or rule.framework != framework:
            allowed = ", ".join(str(k.label) for k in rules.kinds_for(framework))
            errors["kind"] = [
                _("In this home's nation the records are kept under %(framework)s: choose one of %(allowed)s.")
                % {"framework": rules.FRAMEWORK_LABELS[framework], "allowed": allowed}
            ]
            raise ValidationError(errors)
        for name, max_length in (("body", 200), ("reference", 60), ("person_appointed", 200), ("notes", TEXT_MAX)):
            try:
                out[name] = clean_text(out.get(name), max_length=max_length)
            except ValueError as exc:
                errors[name] = [str(exc)]
        if framework == rules.ADM and not out.get("person_appointed"):
            errors["person_appointed"] = [_("Name the person appointed.")]
        out["prescribed_condition"] = bool(out.get("prescribed_condition")) and kind == "awi_s47"
        out["conditions"] = _clean_conditions(out.get("conditions"), errors)
        if rule.requested:
            out["requested_on"] = check_day(out.get("requested_on"), "requested_on", errors, today=today)
            if out.get("start_on") or out.get("end_on"):
                errors["start_on"] = [_("Record the dates when it is granted.")]
            out["start_on"] = out["end_on"] = None
            status = LibertyStatus.REQUESTED
        else:
            out["requested_on"] = check_day(
                out.get("requested_on"), "requested_on", errors, today=today, required=False
            )
            out["start_on"] = check_day(out.get("start_on"), "start_on", errors, today=today)
            out["end_on"] = check_day(
                out.get("end_on"), "end_on", errors, today=today, past_only=False, required=False, max_ahead=FAR_AHEAD
            )
            if "start_on" not in errors and "end_on" not in errors:
                _check_period(kind, out["start_on"], out["end_on"], errors, prescribed=out["prescribed_condition"])
            if out["end_on"] and out["end_on"] < today and "end_on" not in errors:
                errors["end_on"] = [_("It has already ended: record only what is in force.")]
            status = LibertyStatus.IN_FORCE
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        record = LibertyRecord(
            home_id=ref.home_id,
            resident_id=ref.id,
            framework=framework,
            status=status,
            recorded_by=user,
            recorded_at=now,
            updated_at=now,
            **out,
        )
        record.save()
        save_version(record, action="care_planning.liberty.recorded")
        _publish(record, "recorded")
    return record


def _locked(record_id: int, if_match: str | None) -> LibertyRecord:
    record = LibertyRecord.objects.select_for_update().filter(pk=record_id).first()
    if record is None:
        raise LibertyRecordNotFound(record_id)
    try:
        get_resident(record.resident_id)
    except ResidentNotFound:
        raise LibertyRecordNotFound(record_id) from None
    check_if_match(if_match, etag_for(record))
    return record


def _reason(reason, message) -> str:
    try:
        return clean_text(reason, required=True, max_length=1000, message=message)
    except ValueError as exc:
        raise ValidationError({"reason": [str(exc)]}) from None


def _save(record: LibertyRecord, reason: str, change: str) -> LibertyRecord:
    record.version += 1
    record.updated_at = timezone.now()
    record.save()
    save_version(record, reason=reason, action=f"care_planning.liberty.{change}")
    _publish(record, change)
    return record


def grant_liberty(
    record_id: int, *, user, decided_on, start_on, end_on, conditions=(), reference: str = "", if_match=None
) -> LibertyRecord:
    """The supervisory body, panel, court or service granted what was applied for."""
    today = timezone.localdate()
    with transaction.atomic():
        record = _locked(record_id, if_match)
        if record.status != LibertyStatus.REQUESTED:
            raise ValidationError(_("Only an application that is waiting for a decision can be granted."))
        errors: dict[str, list[str]] = {}
        decided_on = check_day(decided_on, "decided_on", errors, today=today)
        start_on = check_day(start_on, "start_on", errors, today=today, past_only=False)
        end_on = check_day(end_on, "end_on", errors, today=today, past_only=False, required=False, max_ahead=FAR_AHEAD)
        cleaned_conditions = _clean_conditions(list(conditions or []), errors)
        try:
            reference = clean_text(reference, max_length=60)
        except ValueError as exc:
            errors["reference"] = [str(exc)]
        if not errors:
            _check_period(record.kind, start_on, end_on, errors)
        if decided_on and record.requested_on and decided_on < record.requested_on and "decided_on" not in errors:
            errors["decided_on"] = [_("The decision cannot be dated before the application.")]
        if end_on and end_on < today and "end_on" not in errors:
            errors["end_on"] = [_("It has already ended: check the dates.")]
        if errors:
            raise ValidationError(errors)
        record.status = LibertyStatus.IN_FORCE
        record.decided_on, record.start_on, record.end_on = decided_on, start_on, end_on
        record.conditions = cleaned_conditions
        record.reference = reference or record.reference
        return _save(record, _("Granted"), "granted")


def refuse_liberty(record_id: int, *, user, decided_on, reason: str, if_match=None) -> LibertyRecord:
    reason = _reason(reason, _("Give the reason the application was refused."))
    with transaction.atomic():
        record = _locked(record_id, if_match)
        if record.status != LibertyStatus.REQUESTED:
            raise ValidationError(_("Only an application that is waiting for a decision can be refused."))
        errors: dict[str, list[str]] = {}
        decided_on = check_day(decided_on, "decided_on", errors, today=timezone.localdate())
        if errors:
            raise ValidationError(errors)
        record.status, record.decided_on, record.outcome_reason = LibertyStatus.REFUSED, decided_on, reason
        return _save(record, reason, "refused")


def extend_liberty(record_id: int, *, user, new_end_on, decided_on, reason: str, if_match=None) -> LibertyRecord:
    """Extend an authorisation in force: an urgent DoLS authorisation once, by at most 7 days (Sch. A1
    paras 77, 84-85); an NI panel authorisation by 6 months, then by a year at a time."""
    reason = _reason(reason, _("Give the reason for the extension."))
    today = timezone.localdate()
    with transaction.atomic():
        record = _locked(record_id, if_match)
        if record.status != LibertyStatus.IN_FORCE or record.end_on is None:
            raise ValidationError(_("Only an authorisation in force with an end date can be extended."))
        if record.end_on < today:
            raise ValidationError(_("It has already ended; it can no longer be extended."))
        latest = rules.max_extended_end(record.kind, record.end_on, record.extensions)
        if latest is None:
            if record.kind == "dols_urgent":
                raise ValidationError(
                    {"new_end_on": [_("An urgent authorisation can be extended only once (Sch. A1 para 77(4)).")]}
                )
            raise ValidationError(
                {"new_end_on": [_("%(kind)s cannot be extended: apply for a new one.") % {"kind": record.rule.label}]}
            )
        errors: dict[str, list[str]] = {}
        decided_on = check_day(decided_on, "decided_on", errors, today=today)
        new_end_on = check_day(new_end_on, "new_end_on", errors, today=today, past_only=False, max_ahead=FAR_AHEAD)
        if new_end_on and "new_end_on" not in errors:
            if new_end_on <= record.end_on:
                errors["new_end_on"] = [_("The new end date must be after the current one.")]
            elif new_end_on > latest:
                errors["new_end_on"] = [
                    _("It can be extended to %(latest)s at the latest (%(source)s).")
                    % {"latest": latest.strftime("%-d %b %Y"), "source": record.rule.source}
                ]
        if errors:
            raise ValidationError(errors)
        record.end_on = new_end_on
        record.extensions += 1
        record.decided_on = decided_on
        return _save(record, reason, "extended")


def change_conditions(record_id: int, *, user, conditions, reason: str, if_match=None) -> LibertyRecord:
    """The conditions attached were varied (for example after a review by the supervisory body)."""
    reason = _reason(reason, _("Give the reason the conditions changed."))
    with transaction.atomic():
        record = _locked(record_id, if_match)
        if record.status != LibertyStatus.IN_FORCE:
            raise ValidationError(_("Conditions can be changed only on an authorisation in force."))
        errors: dict[str, list[str]] = {}
        record.conditions = _clean_conditions(list(conditions or []), errors)
        if errors:
            raise ValidationError(errors)
        return _save(record, reason, "conditions_changed")


def end_liberty(record_id: int, *, user, ended_on, reason: str, if_match=None) -> LibertyRecord:
    """Ended before its end date (no longer needed, the person left, withdrawn, revoked) with the reason."""
    reason = _reason(reason, _("Give the reason it ended."))
    with transaction.atomic():
        record = _locked(record_id, if_match)
        if record.status not in (LibertyStatus.IN_FORCE, LibertyStatus.REQUESTED):
            raise ValidationError(_("Only an application or an authorisation in force can be ended."))
        errors: dict[str, list[str]] = {}
        ended_on = check_day(ended_on, "ended_on", errors, today=timezone.localdate())
        if ended_on and record.start_on and ended_on < record.start_on and "ended_on" not in errors:
            errors["ended_on"] = [_("It cannot end before it started.")]
        if errors:
            raise ValidationError(errors)
        record.status, record.ended_on, record.outcome_reason = LibertyStatus.ENDED, ended_on, reason
        return _save(record, reason, "ended")


# --- expiry (the daily job) -------------------------------------------------------------------------


def notify_expiring(today: date | None = None) -> int:
    """Publish ``dols.expiring`` once per end date for authorisations in force ending within 28 days (scoped)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        rows = list(
            LibertyRecord.objects.select_for_update()
            .filter(
                status=LibertyStatus.IN_FORCE,
                end_on__gte=today,
                end_on__lte=today + timedelta(days=rules.EXPIRY_ALERT_DAYS),
            )
            .filter(Q(expiry_alerted_for__isnull=True) | ~Q(expiry_alerted_for=F("end_on")))
            .order_by("home_id", "end_on", "pk")
        )
        for row in rows:
            publish(
                LibertyAuthorisationExpiring(
                    record_id=row.pk,
                    resident_id=row.resident_id,
                    framework=row.framework,
                    kind=row.kind,
                    end_on=row.end_on,
                    days_left=(row.end_on - today).days,
                ),
                home=row.home_id,
            )
            row.expiry_alerted_for = row.end_on
        LibertyRecord.objects.bulk_update(rows, ["expiry_alerted_for"])
    return len(rows)


def mark_expired(today: date | None = None) -> int:
    """Authorisations in force whose end date has passed become expired (a new version) and publish ``dols.expired``."""
    today = today or timezone.localdate()
    count = 0
    with transaction.atomic():
        rows = list(
            LibertyRecord.objects.select_for_update()
            .filter(status=LibertyStatus.IN_FORCE, end_on__lt=today)
            .order_by("home_id", "end_on", "pk")
        )
        for row in rows:
            row.status = LibertyStatus.EXPIRED
            row.version += 1
            row.updated_at = timezone.now()
            row.save()
            save_version(row, reason=_("Reached its end date"), action="care_planning.liberty.expired")
            publish(
                LibertyAuthorisationExpired(
                    record_id=row.pk,
                    resident_id=row.resident_id,
                    framework=row.framework,
                    kind=row.kind,
                    end_on=row.end_on,
                ),
                home=row.home_id,
            )
            count += 1
    return count


# --- reads ------------------------------------------------------------------------------------------


def records_of(resident_id: int):
    return LibertyRecord.objects.filter(resident_id=resident_id).order_by("-recorded_at", "-pk")


@dataclass(frozen=True)
class ExpiryItem:
    record: LibertyRecord
    resident: ResidentRef
    days_left: int
    #: the resident has another application or authorisation under way or in force
    renewal_under_way: bool


EXPIRED_SHOWN_FOR = timedelta(days=90)


def expiry_list(today: date | None = None) -> dict[str, list[ExpiryItem]]:
    """Authorisations of current residents ending within 28 days, and those that expired in the last
    90 days, each flagged when something newer is under way. Three queries, however many."""
    today = today or timezone.localdate()
    residents = {r.id: r for r in current_residents()}
    rows = list(
        LibertyRecord.objects.filter(resident_id__in=list(residents), end_on__isnull=False)
        .filter(
            Q(status=LibertyStatus.IN_FORCE, end_on__lte=today + timedelta(days=rules.EXPIRY_ALERT_DAYS))
            | Q(status=LibertyStatus.EXPIRED, end_on__gte=today - EXPIRED_SHOWN_FOR)
        )
        .order_by("end_on", "pk")
    )
    live = set(
        LibertyRecord.objects.filter(resident_id__in={r.resident_id for r in rows})
        .filter(
            Q(status=LibertyStatus.REQUESTED)
            | Q(status=LibertyStatus.IN_FORCE, end_on__gt=today + timedelta(days=rules.EXPIRY_ALERT_DAYS))
            | Q(status=LibertyStatus.IN_FORCE, end_on__isnull=True)
        )
        .values_list("resident_id", "pk")
    )
    out: dict[str, list[ExpiryItem]] = {"expired": [], "expiring": []}
    for row in rows:
        renewal = any(rid == row.resident_id and pk != row.pk for rid, pk in live)
        item = ExpiryItem(row, residents[row.resident_id], (row.end_on - today).days, renewal)
        out["expired" if row.end_on < today else "expiring"].append(item)
    return out


def expiry_counts(today: date | None = None) -> dict:
    lists = expiry_list(today)
    return {"expiring": len(lists["expiring"]), "expired": len(lists["expired"])}
