"""Duties after an incident: the duty of candour, safeguarding, and telling relatives and the GP.

``on_reported`` / ``on_changed`` (called by ``incidents.lifecycle`` inside the reporting transaction)
work out the steps the facts require: the candour steps of the home's nation (``rules.candour``), the
safeguarding steps when abuse is alleged (referral time per nation: ``models.duties.SAFEGUARDING_LAW``),
and telling a relative and the GP when a resident is affected and harmed. Missing steps are added; a
step no longer required is marked so with the reason; a step done is never touched.

Recording a step (``record_step``), closing one that cannot be done (``decline_step``) and recording a
person told (``record_informed``) each run in one transaction with the audit record and the domain
event. A step without its required details is refused with field messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.incidents.events_duties import (
    DutyStepClosed,
    DutyStepDone,
    DutyStepsRequired,
    PersonInformed,
    SafeguardingOutcome,
    SafeguardingReferred,
    SafeguardingStarted,
)
from writecarenotes.incidents.models import (
    SAFEGUARDING_LAW,
    AddressedAs,
    DutyKind,
    DutyStep,
    Incident,
    IncidentStatus,
    InformedEntry,
    InformedMethod,
    InformedParty,
    SafeguardingRecord,
    StepStatus,
)
from writecarenotes.incidents.queries_duties import (  # noqa: F401  (the reads, kept here by name for the callers)
    candour_decision,
    incident_url,
    open_step_counts,
    open_steps,
    overdue_steps,
    steps_of,
)
from writecarenotes.incidents.rules import candour
from writecarenotes.incidents.rules.facts import Facts, facts_of
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.audit.versions import save_version
from writecarenotes.platform.events.api import publish

CLOCK_SLACK = timedelta(minutes=5)
#: Candour steps said to someone: the record says to whom (reg 20(7) "relevant person")
ADDRESSED_STEPS = frozenset({"notify_in_person", "true_account", "apology", "written_notification", "meeting"})
#: Telling a relative and the GP: good practice (the home's policy), due within a day
INFORMED_WITHIN = timedelta(hours=24)
INFORMED_SOURCE = (
    "Good practice (home policy): tell the family or representative and the GP when a resident is harmed. "
    "Where the duty of candour applies, the relevant person must be told as regulation 20 (or the nation's "
    "equivalent) sets out."
)
PROTECTION_WITHIN = timedelta(hours=1)


class StepNotFound(LookupError):
    pass


@dataclass(frozen=True)
class StepSpec:
    kind: str
    key: str
    title: str
    detail: str
    source: str
    statutory: bool
    due_at: datetime | None
    due_basis: str
    needs_sent_on: bool = False


def _harmed(facts: Facts) -> bool:
    return facts.resident_affected and facts.severity != "no_harm"


def required_steps(
    incident: Incident, facts: Facts, aware: datetime | None = None
) -> tuple[list[StepSpec], candour.CandourDecision, dict[str, str]]:
    """The steps the facts require now (due times counted from ``aware``: when the home became aware of
    the facts that require them; default the report), the candour decision, and why a group is not required."""
    aware = aware or incident.reported_at
    specs: list[StepSpec] = []
    why_not: dict[str, str] = {}
    decision = candour.candour_for(facts)
    if decision.applies:
        for c in decision.steps:
            source = f"{decision.law}: {c.source}"
            due = candour.due_at(c, aware)
            specs.append(
                StepSpec(DutyKind.CANDOUR, c.key, c.title, c.detail, source, decision.statutory, due, c.due_basis,
                         c.needs_sent_on)
            )  # fmt: skip
    else:
        why_not[DutyKind.CANDOUR] = " ".join(decision.reasons) or _("The duty of candour does not apply.")
    law = SAFEGUARDING_LAW.get(facts.nation)
    if facts.abuse_alleged and law is not None:
        # (key, title, what it asks, source, due, basis): the referral time is the nation's data
        for key, title, detail, source, due, basis in (
            ("protection", _("Protect the person now"),
             _("The immediate actions to keep the person (and others) safe."), law.source,
             aware + PROTECTION_WITHIN, "policy"),
            ("referral", _("Refer to %(authority)s") % {"authority": law.authority},
             _("The date, the authority's name and its reference."), f"{law.law}. {law.source}",
             aware + law.refer_within, law.refer_basis),
            ("outcome", _("Record the outcome of the enquiry"),
             _("What the local authority's enquiry found and decided."), law.law, None, ""),
        ):  # fmt: skip
            specs.append(StepSpec(DutyKind.SAFEGUARDING, key, title, detail, source, True, due, basis))
    else:
        why_not[DutyKind.SAFEGUARDING] = _("No longer recorded as an allegation of abuse.")
    if _harmed(facts):
        for key, title, detail in (
            ("relative", _("Tell a relative or representative"),
             _("Who, when, how and what was said; or why not (the person asked that no one be told).")),
            ("gp", _("Tell the GP"), _("The practice, who was told, when and how.")),
        ):  # fmt: skip
            specs.append(
                StepSpec(
                    DutyKind.INFORMED, key, title, detail, INFORMED_SOURCE, False, aware + INFORMED_WITHIN, "policy"
                )
            )
    else:
        why_not[DutyKind.INFORMED] = (
            _("No resident is recorded as affected.")
            if not facts.resident_affected
            else _("No harm recorded: telling relatives and the GP is not a required step.")
        )
    return specs, decision, why_not


def _ensure_safeguarding(incident: Incident, facts: Facts, by) -> SafeguardingRecord | None:
    if not facts.abuse_alleged or facts.nation not in SAFEGUARDING_LAW:
        return None
    record = SafeguardingRecord.objects.filter(incident=incident).first()
    if record is not None:
        return record
    record = SafeguardingRecord.objects.create(
        home_id=incident.home_id,
        incident=incident,
        nation=facts.nation,
        concern=incident.what_happened,
        opened_by=by,
    )
    save_version(record, reason=_("Safeguarding concern raised"), action="incidents.safeguarding.started")
    publish(
        SafeguardingStarted(incident_id=incident.pk, record_id=record.pk, nation=facts.nation), home=incident.home_id
    )
    return record


def sync_duties(incident: Incident, by, *, aware: datetime | None = None) -> dict:
    """Work out the steps again (idempotent). Runs in the caller's transaction. A step added or reopened
    is due from ``aware`` (the report; for a correction, the time the new facts became known)."""
    facts = facts_of(incident)
    specs, decision, why_not = required_steps(incident, facts, aware)
    _ensure_safeguarding(incident, facts, by)
    existing = {(s.kind, s.key): s for s in DutyStep.objects.filter(incident=incident)}
    wanted = {(s.kind, s.key) for s in specs}
    created, reopened, closed = [], [], []
    for spec in specs:
        step = existing.get((spec.kind, spec.key))
        if step is None:
            created.append(
                DutyStep(
                    organisation_id=incident.organisation_id,
                    home_id=incident.home_id,
                    incident=incident,
                    kind=spec.kind,
                    key=spec.key,
                    title=spec.title[:200],
                    detail=spec.detail,
                    source=spec.source[:300],
                    statutory=spec.statutory,
                    due_at=spec.due_at,
                    due_basis=spec.due_basis,
                    needs_sent_on=spec.needs_sent_on,
                )
            )
        elif step.status == StepStatus.NOT_REQUIRED:
            step.status, step.status_reason, step.due_at = StepStatus.OPEN, "", spec.due_at
            reopened.append(step)
    for key, step in existing.items():
        if step.status == StepStatus.OPEN and key not in wanted:
            step.status = StepStatus.NOT_REQUIRED
            step.status_reason = why_not.get(step.kind) or _("No longer required by the facts of the incident.")
            closed.append(step)
    if not (created or reopened or closed):
        return {"created": [], "reopened": [], "closed": [], "decision": decision}
    DutyStep.objects.bulk_create(created)
    for step in reopened + closed:
        step.save(update_fields=["status", "status_reason", "due_at"])
    record_change(
        "incidents.duties.set",
        target=incident,
        before=None,
        after={
            "created": [f"{s.kind}:{s.key}" for s in created],
            "reopened": [f"{s.kind}:{s.key}" for s in reopened],
            "not_required": [f"{s.kind}:{s.key}" for s in closed],
            "candour": {"applies": decision.applies, "statutory": decision.statutory, "law": decision.law},
        },
        reason=_("Duties worked out from the facts of the incident"),
    )
    added = created + reopened
    if added:
        publish(
            DutyStepsRequired(
                incident_id=incident.pk,
                reference=incident.reference,
                kinds=sorted({s.kind for s in added}),
                keys=[s.key for s in added],
                candour_statutory=decision.statutory if any(s.kind == DutyKind.CANDOUR for s in added) else None,
            ),
            home=incident.home_id,
        )
    for step in closed:
        publish(
            DutyStepClosed(
                incident_id=incident.pk,
                step_id=step.pk,
                kind=step.kind,
                key=step.key,
                status=step.status,
                reason=step.status_reason,
            ),
            home=incident.home_id,
        )
    return {"created": created, "reopened": reopened, "closed": closed, "decision": decision}


def on_reported(incident: Incident, by) -> None:
    sync_duties(incident, by)


def on_changed(incident: Incident, by, changed: list[str]) -> None:
    sync_duties(incident, by, aware=timezone.now())


# --- recording ----------------------------------------------------------------------------------


def _text(values: dict, name: str, errors: dict, *, required: bool, message: str = "", max_length: int = 5000) -> str:
    value = values.get(name)
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if "\x00" in text:
        errors[name] = [_("Remove the invisible control characters.")]
    elif required and not text:
        errors[name] = [message or _("This field is required.")]
    elif len(text) > max_length:
        errors[name] = [_("Keep it to %(n)s characters.") % {"n": max_length}]
    return text


def _when(values: dict, name: str, incident: Incident, errors: dict, *, required: bool = False) -> datetime | None:
    value = values.get(name)
    if value in (None, ""):
        if required:
            errors[name] = [_("Enter the date and time.")]
        return None
    if not isinstance(value, datetime):
        errors[name] = [_("Enter a valid date and time.")]
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > timezone.now() + CLOCK_SLACK:
        errors[name] = [_("The time cannot be in the future.")]
    elif value < incident.occurred_at:
        errors[name] = [_("The time cannot be before the incident.")]
    return value


def _day(values: dict, name: str, incident: Incident, errors: dict) -> date | None:
    value = values.get(name)
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        errors[name] = [_("Enter the date the letter was sent.")]
        return None
    if value > timezone.localdate():
        errors[name] = [_("The date cannot be in the future.")]
    elif value < timezone.localdate(incident.occurred_at):
        errors[name] = [_("The date cannot be before the incident.")]
    return value


def _locked_step(step_id: int) -> tuple[DutyStep, Incident]:
    step = DutyStep.objects.select_for_update().filter(pk=step_id).first()
    if step is None:
        raise StepNotFound(step_id)
    incident = Incident.objects.select_related("home").get(pk=step.incident_id)
    return step, incident


def _refuse_unless_open(step: DutyStep, incident: Incident) -> None:
    if incident.status != IncidentStatus.OPEN:
        raise ValidationError(_("The incident is closed."))
    if step.status != StepStatus.OPEN:
        raise ValidationError(_("This step is already recorded (%(s)s).") % {"s": step.get_status_display()})


def _clean_candour(step: DutyStep, incident: Incident, values: dict, errors: dict) -> dict:
    out: dict = {"notes": _text(values, "notes", errors, required=True, message=_("Write what was said or done."))}
    if step.key in ADDRESSED_STEPS:
        out["addressed_to"] = _text(
            values, "addressed_to", errors, required=True, max_length=200, message=_("Write the name of who was told.")
        )
        addressed_as = values.get("addressed_as") or ""
        if addressed_as not in AddressedAs.values:
            errors["addressed_as"] = [_("Say who they are: the person, or their representative and why.")]
        elif addressed_as == AddressedAs.SELF and incident.severity == "death":
            errors["addressed_as"] = [_("The person has died: the steps are addressed to their representative.")]
        out["addressed_as"] = addressed_as
    elif step.key == "health_professional_opinion":
        out["addressed_to"] = _text(
            values,
            "addressed_to",
            errors,
            required=True,
            max_length=200,
            message=_("Name the registered health professional (not involved in the incident)."),
        )
    if step.needs_sent_on:
        out["sent_on"] = _day(values, "sent_on", incident, errors)
    return out


def _apply_safeguarding(step: DutyStep, incident: Incident, values: dict, when: datetime, errors: dict):
    record = SafeguardingRecord.objects.select_for_update().filter(incident=incident).first()
    if record is None:
        raise ValidationError(_("There is no safeguarding record for this incident."))
    notes = ""
    if step.key == "protection":
        record.immediate_protection = notes = _text(
            values, "immediate_protection", errors, required=True, message=_("Write what was done to keep them safe.")
        )
        record.protection_at = when
    elif step.key == "referral":
        record.authority_name = _text(
            values, "authority_name", errors, required=True, max_length=200, message=_("Name the local authority.")
        )
        record.referral_reference = _text(
            values,
            "referral_reference",
            errors,
            required=True,
            max_length=100,
            message=_("Write the authority's reference (or the name of who took the referral)."),
        )
        record.referred_at = when
        notes = _("Referred to %(a)s, reference %(r)s.") % {"a": record.authority_name, "r": record.referral_reference}
    elif step.key == "outcome":
        record.outcome = notes = _text(values, "outcome", errors, required=True, message=_("Write the outcome."))
        record.outcome_at = when
    return record, notes


def record_step(step_id: int, *, user, values: dict) -> DutyStep:
    """Record a candour or safeguarding step done. ``values`` by step: ``done_at`` (default now), and
    candour: notes, addressed_to, addressed_as, sent_on (the written follow-up); safeguarding:
    immediate_protection / authority_name, referral_reference / outcome. Relatives and the GP are
    recorded with ``record_informed``."""
    with transaction.atomic():
        step, incident = _locked_step(step_id)
        _refuse_unless_open(step, incident)
        if step.kind == DutyKind.INFORMED:
            raise ValidationError(_("Record who was told, when and how (the relatives and GP form)."))
        errors: dict[str, list[str]] = {}
        when = _when(values, "done_at", incident, errors) or timezone.now()
        record = None
        if step.kind == DutyKind.CANDOUR:
            cleaned = _clean_candour(step, incident, values, errors)
        else:
            record, notes = _apply_safeguarding(step, incident, values, when, errors)
            cleaned = {"notes": notes}
        if errors:
            raise ValidationError(errors)
        for key, value in cleaned.items():
            setattr(step, key, value)
        step.status, step.done_at, step.done_by = StepStatus.DONE, when, user
        step.save()
        record_change(
            f"incidents.{step.kind}.step_done",
            target=step,
            subject=incident,
            before={"status": StepStatus.OPEN},
            after={"status": StepStatus.DONE, "key": step.key, "done_at": when.isoformat(), **_json(cleaned)},
        )
        publish(
            DutyStepDone(
                incident_id=incident.pk,
                step_id=step.pk,
                kind=step.kind,
                key=step.key,
                done_at=when,
                addressed_as=step.addressed_as,
            ),
            home=incident.home_id,
        )
        if record is not None:
            _save_safeguarding(record, step, incident, user)
    return step


def _json(values: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, date | datetime) else v) for k, v in values.items()}


def _save_safeguarding(record: SafeguardingRecord, step: DutyStep, incident: Incident, user) -> None:
    record.version += 1
    record.updated_at = timezone.now()
    record.save()
    reasons = {"protection": _("Immediate protection recorded"), "referral": _("Referral recorded")}
    save_version(record, reason=reasons.get(step.key, _("Outcome of the enquiry recorded")))
    if step.key == "referral":
        publish(
            SafeguardingReferred(
                incident_id=incident.pk,
                record_id=record.pk,
                referred_at=record.referred_at,
                authority_name=record.authority_name,
                reference=record.referral_reference,
            ),
            home=incident.home_id,
        )
    elif step.key == "outcome":
        publish(
            SafeguardingOutcome(incident_id=incident.pk, record_id=record.pk, outcome_at=record.outcome_at),
            home=incident.home_id,
        )


def decline_step(step_id: int, *, user, reason: str) -> DutyStep:
    """Close a candour or informing step that cannot be done, with the reason (the person declined,
    could not be contacted, asked that no one be told). Safeguarding steps cannot be skipped."""
    errors: dict = {}
    reason = _text({"reason": reason}, "reason", errors, required=True, message=_("Give the reason."), max_length=2000)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        step, incident = _locked_step(step_id)
        _refuse_unless_open(step, incident)
        if step.kind == DutyKind.SAFEGUARDING:
            raise ValidationError(
                _(
                    "A safeguarding step cannot be skipped. If the local authority decides not to make an "
                    "enquiry, record that as the outcome."
                )
            )
        step.status, step.status_reason, step.done_by = StepStatus.DECLINED, reason, user
        step.done_at = timezone.now()
        step.save()
        record_change(
            f"incidents.{step.kind}.step_declined",
            target=step,
            subject=incident,
            before={"status": StepStatus.OPEN},
            after={"status": StepStatus.DECLINED, "key": step.key},
            reason=reason,
        )
        publish(
            DutyStepClosed(
                incident_id=incident.pk,
                step_id=step.pk,
                kind=step.kind,
                key=step.key,
                status=step.status,
                reason=reason,
            ),
            home=incident.home_id,
        )
    return step


def _step_for_party(party: str) -> str:
    return "gp" if party == InformedParty.GP else "relative" if party in ("relative", "representative") else ""


def record_informed(incident_id: int, *, user, values: dict) -> InformedEntry:
    """A relative, representative or GP told: party, name, relationship (or GP practice), informed_at,
    method, what_said. Marks the matching required step done."""
    with transaction.atomic():
        incident = Incident.objects.select_for_update().filter(pk=incident_id).first()
        if incident is None:
            raise StepNotFound(incident_id)
        if incident.status != IncidentStatus.OPEN:
            raise ValidationError(_("The incident is closed."))
        errors: dict[str, list[str]] = {}
        party = values.get("party") or ""
        if party not in InformedParty.values:
            errors["party"] = [_("Choose who was told.")]
        name = _text(values, "name", errors, required=True, max_length=200, message=_("Write their name."))
        relationship = _text(
            values,
            "relationship",
            errors,
            required=True,
            max_length=200,
            message=_("Write the relationship, or the GP practice."),
        )
        method = values.get("method") or ""
        if method not in InformedMethod.values:
            errors["method"] = [_("Choose how they were told.")]
        what_said = _text(values, "what_said", errors, required=True, message=_("Write what was said."))
        when = _when(values, "informed_at", incident, errors, required=True)
        if errors:
            raise ValidationError(errors)
        entry = InformedEntry.objects.create(
            home_id=incident.home_id,
            incident=incident,
            party=party,
            name=name,
            relationship=relationship,
            informed_at=when,
            method=method,
            what_said=what_said,
            informed_by=user,
        )
        record_change(
            "incidents.informed.recorded",
            target=entry,
            subject=incident,
            before=None,
            after={"party": party, "relationship": relationship, "method": method, "informed_at": when.isoformat()},
        )
        publish(
            PersonInformed(incident_id=incident.pk, entry_id=entry.pk, party=party, informed_at=when),
            home=incident.home_id,
        )
        key = _step_for_party(party)
        step = (
            DutyStep.objects.select_for_update()
            .filter(incident=incident, kind=DutyKind.INFORMED, key=key, status=StepStatus.OPEN)
            .first()
            if key
            else None
        )
        if step is not None:
            step.status, step.done_at, step.done_by = StepStatus.DONE, when, user
            step.addressed_to, step.notes = name, what_said
            step.save()
            record_change(
                "incidents.informed.step_done",
                target=step,
                subject=incident,
                before={"status": StepStatus.OPEN},
                after={"status": StepStatus.DONE, "key": key, "entry": entry.pk},
            )
            publish(
                DutyStepDone(incident_id=incident.pk, step_id=step.pk, kind=step.kind, key=key, done_at=when),
                home=incident.home_id,
            )
    return entry
