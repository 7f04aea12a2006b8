"""Investigation sub-domain of incidents: opening an investigation (by the home's policy when an
incident is reported or changed, or by a manager), assigning the investigator, the root-cause
analysis (5 whys, contributory factors), completing it, and the open steps it adds to an incident.
Actions and lessons learned are in ``services_lessons``.

Each state change runs in one transaction with its version or audit record and its domain event
(``investigation.opened``, ``investigation.completed``). Unsafe input is refused with field
messages (``ValidationError``), never half-written.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from writecarenotes.incidents.events_investigation import InvestigationCompleted, InvestigationOpened
from writecarenotes.incidents.models import (
    CONTRIBUTORY_FACTOR_CATEGORIES,
    ActionStatus,
    ContributoryFactor,
    Incident,
    IncidentType,
    Investigation,
    InvestigationAction,
    InvestigationStatus,
    OpenedBecause,
    Severity,
    WhyStep,
)
from writecarenotes.incidents.obligations import OpenStep, count_by_incident
from writecarenotes.platform.api.concurrency import check_if_match, etag_for
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.audit.versions import save_version
from writecarenotes.platform.events.api import publish
from writecarenotes.platform.identity.capabilities import ROLES, role_can
from writecarenotes.platform.tenancy.models import CareHome

#: WHEN AN INCIDENT IS INVESTIGATED. This is the home's own policy, not the law: no regulation sets
#: these thresholds (the regulators expect a provider to investigate and learn, e.g. CQC regulation
#: 17 "good governance" and regulation 12 "safe care and treatment" of the Health and Social Care Act
#: 2008 (Regulated Activities) Regulations 2014). Kept as data so a home can change it later.
#: A manager can open an investigation for ANY incident by hand.
INVESTIGATION_POLICY: dict = {
    #: harm at or above this grade (models.Severity, NRLS/LFPSE grading) is investigated
    "min_severity": Severity.MODERATE,
    #: these types are investigated whatever the harm
    "kinds": (
        IncidentType.ABUSE,
        IncidentType.MISSING_PERSON,
        IncidentType.CHOKING,
        IncidentType.CONTROLLED_DRUG,
    ),
    #: a fall with a serious injury (one of the CQC regulation 18(2)(a) harm tests, or treatment to prevent one)
    "fall_with_serious_injury": True,
    #: days the investigator has to complete it, from the day it is opened
    "due_days": 28,
}

_SEVERITY_RANK = {s: i for i, s in enumerate(Severity.values)}  # no_harm < low < moderate < severe < death
#: the longest an investigation may be given
MAX_DUE_AHEAD = timedelta(days=366)
#: fields ``update_investigation`` may set
CHANGEABLE = ("investigator_id", "due_on", "findings", "conclusion", "status")


class NotFound(LookupError):
    """No such investigation, why, factor, action or lesson in the active scope."""


def clean_text(value, *, required: bool = False, max_length: int | None = None, message: str = "") -> str:
    """Stripped text; ValueError with a message when required and empty, too long, or with NUL characters."""
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if "\x00" in text:
        raise ValueError(_("Remove the invisible control characters."))
    if required and not text:
        raise ValueError(message or _("This field is required."))
    if max_length is not None and len(text) > max_length:
        raise ValueError(_("Keep it to %(n)s characters.") % {"n": max_length})
    return text


def text_or_error(errors: dict, name: str, value, **kw) -> str:
    try:
        return clean_text(value, **kw)
    except ValueError as exc:
        errors[name] = [str(exc)]
        return ""


def date_or_error(errors: dict, name: str, value, *, today: date, message, allow_past=False) -> date | None:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, date):
        errors[name] = [str(message)]
        return None
    if not allow_past and value < today:
        errors[name] = [_("The date cannot be in the past.")]
    elif value > today + MAX_DUE_AHEAD:
        errors[name] = [_("Choose a date within a year.")]
    elif allow_past and value > today:
        errors[name] = [_("The date cannot be in the future.")]
    return value


def end_of_day(day: date) -> datetime:
    """The moment a task due on ``day`` becomes overdue: the start of the next day, local time."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


# --- the home's policy ----------------------------------------------------------------------------


def policy_reason(incident) -> str:
    """Why the home's policy asks for this incident to be investigated ("" when it does not)."""
    reasons = []
    if _SEVERITY_RANK.get(incident.severity, 0) >= _SEVERITY_RANK[INVESTIGATION_POLICY["min_severity"]]:
        reasons.append(_("harm: %(s)s") % {"s": incident.get_severity_display().lower()})
    if incident.kind in INVESTIGATION_POLICY["kinds"]:
        reasons.append(_("type: %(t)s") % {"t": incident.get_kind_display().lower()})
    if INVESTIGATION_POLICY["fall_with_serious_injury"] and incident.kind == IncidentType.FALL:
        if incident.is_serious_injury:
            reasons.append(_("a fall with a serious injury"))
    return "; ".join(str(r) for r in reasons)


# --- who may do what ------------------------------------------------------------------------------


def staff_of_home(home_id: int, *, context_action: str = "view", roles: list[str] | None = None):
    """Active staff users of the home (a role there, or organisation-wide) holding incidents ``context_action``."""
    home = CareHome.objects.only("organisation_id").get(pk=home_id)
    wanted = [
        code
        for code, role in ROLES.items()
        if role.staff and role_can(code, "incidents", context_action) and (roles is None or code in roles)
    ]
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__role__in=wanted)
        .filter(
            Q(memberships__home_id=home_id)
            | Q(memberships__home__isnull=True, memberships__organisation_id=home.organisation_id)
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def eligible_investigators(home_id: int):
    """Staff of the home who record incidents (nurses, seniors, managers ...)."""
    return staff_of_home(home_id, context_action="record")


def _check_user(errors: dict, name: str, user_id, queryset, message) -> int | None:
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        errors[name] = [str(message)]
        return None
    if not queryset.filter(pk=user_id).exists():
        errors[name] = [str(message)]
    return user_id


# --- reads ----------------------------------------------------------------------------------------


def incident_or_none(incident_id) -> Incident | None:
    try:
        return Incident.objects.filter(pk=int(incident_id)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def investigation_of(incident_id: int) -> Investigation | None:
    return (
        Investigation.objects.filter(incident_id=incident_id)
        .select_related("investigator", "opened_by", "completed_by", "incident")
        .first()
    )


def investigation_url(incident_id: int) -> str:
    return reverse("incidents:investigation_detail", args=[incident_id])


def _locked(investigation_id: int) -> Investigation:
    inv = Investigation.objects.select_for_update().filter(pk=investigation_id).first()
    if inv is None:
        raise NotFound(investigation_id)
    return inv


def _not_completed(inv: Investigation) -> None:
    if inv.is_completed:
        raise ValidationError(_("This investigation is completed; its findings and analysis can no longer change."))


def _touch(inv: Investigation) -> None:
    inv.version += 1
    inv.updated_at = timezone.now()


def _start(inv: Investigation) -> bool:
    """Work has started: an open investigation moves to in progress (True when it moved)."""
    if inv.status == InvestigationStatus.OPEN:
        inv.status = InvestigationStatus.IN_PROGRESS
        return True
    return False


# --- opening --------------------------------------------------------------------------------------


def _open(incident: Incident, *, by_id: int | None, because: str, reason: str, due_on: date, investigator_id=None):
    inv = Investigation.objects.create(
        home_id=incident.home_id,
        incident=incident,
        due_on=due_on,
        investigator_id=investigator_id,
        status=InvestigationStatus.IN_PROGRESS if investigator_id else InvestigationStatus.OPEN,
        opened_because=because,
        opened_reason=reason[:300],
        opened_by_id=by_id,
    )
    save_version(inv, reason=reason, action="incidents.investigation.opened")
    publish(
        InvestigationOpened(
            investigation_id=inv.pk,
            incident_id=incident.pk,
            reference=incident.reference,
            opened_because=because,
            reason=reason,
            due_on=due_on,
            investigator_id=investigator_id,
        ),
        home=incident.home_id,
    )
    return inv


def _open_by_policy(incident, by) -> Investigation | None:
    reason = policy_reason(incident)
    if not reason or Investigation.objects.filter(incident_id=incident.pk).exists():
        return None
    by_id = getattr(by, "pk", None) or incident.reported_by_id
    due_on = timezone.localdate() + timedelta(days=INVESTIGATION_POLICY["due_days"])
    with transaction.atomic():
        return _open(
            incident,
            by_id=by_id,
            because=OpenedBecause.POLICY,
            reason=_("The home's policy: %(why)s") % {"why": reason},
            due_on=due_on,
        )


def on_reported(incident, by) -> None:
    """``lifecycle.after_report``: open the investigation the home's policy asks for."""
    _open_by_policy(incident, by)


def on_changed(incident, by, changed: list[str]) -> None:
    """``lifecycle.after_change``: the facts changed (harm raised, a serious injury found); open the
    investigation if the policy now asks for one. Idempotent; an investigation already opened stays
    (it is completed with its findings, never removed)."""
    _open_by_policy(incident, by)


def open_investigation(incident_id: int, *, user, reason: str = "", due_on=None, investigator_id=None) -> Investigation:
    """A manager opens an investigation of any incident (one per incident)."""
    errors: dict = {}
    today = timezone.localdate()
    reason = text_or_error(errors, "reason", reason, max_length=300)
    if due_on in (None, ""):
        due_on = today + timedelta(days=INVESTIGATION_POLICY["due_days"])
    due_on = date_or_error(errors, "due_on", due_on, today=today, message=_lazy("Enter the date it is due."))
    with transaction.atomic():
        incident = Incident.objects.select_for_update().filter(pk=incident_id).first()
        if incident is None:
            raise NotFound(incident_id)
        if investigator_id not in (None, ""):
            investigator_id = _check_user(
                errors,
                "investigator_id",
                investigator_id,
                eligible_investigators(incident.home_id),
                _lazy("The investigator must be a member of staff of this home who records incidents."),
            )
        else:
            investigator_id = None
        if Investigation.objects.filter(incident_id=incident.pk).exists():
            raise ValidationError(_("This incident already has an investigation."))
        if errors:
            raise ValidationError(errors)
        return _open(
            incident,
            by_id=user.pk,
            because=OpenedBecause.MANAGER,
            reason=reason or _("Opened by a manager"),
            due_on=due_on,
            investigator_id=investigator_id,
        )


# --- changing -------------------------------------------------------------------------------------


def update_investigation(
    investigation_id: int, *, user, values: dict, reason: str = "", if_match: str | None = None
) -> Investigation:
    """Assign the investigator, move the due date, write the findings and conclusion (a new version).
    ``values``: any of investigator_id, due_on, findings, conclusion, status ("open"/"in_progress")."""
    unknown = set(values) - set(CHANGEABLE)
    if unknown:
        raise ValueError(f"cannot set {sorted(unknown)}")
    errors: dict = {}
    reason = text_or_error(errors, "reason", reason, max_length=1000)
    with transaction.atomic():
        inv = _locked(investigation_id)
        check_if_match(if_match, etag_for(inv))
        _not_completed(inv)
        out: dict = {}
        if "investigator_id" in values:
            if values["investigator_id"] in (None, ""):
                errors["investigator_id"] = [_("Choose the investigator.")]
            else:
                out["investigator_id"] = _check_user(
                    errors,
                    "investigator_id",
                    values["investigator_id"],
                    eligible_investigators(inv.home_id),
                    _lazy("The investigator must be a member of staff of this home who records incidents."),
                )
        if "due_on" in values:
            out["due_on"] = date_or_error(
                errors, "due_on", values["due_on"], today=timezone.localdate(), message=_lazy("Enter the due date.")
            )
        for name, limit in (("findings", 20000), ("conclusion", 20000)):
            if name in values:
                out[name] = text_or_error(errors, name, values[name], max_length=limit)
        if "status" in values:
            if values["status"] not in (InvestigationStatus.OPEN, InvestigationStatus.IN_PROGRESS):
                errors["status"] = [_("Choose open or in progress (complete it with its findings instead).")]
            else:
                out["status"] = values["status"]
        if errors:
            raise ValidationError(errors)
        if all(getattr(inv, k) == v for k, v in out.items()):
            return inv
        for k, v in out.items():
            setattr(inv, k, v)
        if "status" not in out and (out.get("investigator_id") or out.get("findings")):
            _start(inv)
        _touch(inv)
        inv.save()
        save_version(inv, reason=reason or _("Investigation updated"), action="incidents.investigation.changed")
    return inv


def add_why(investigation_id: int, *, user, why: str, because: str) -> WhyStep:
    """Add the next step of the 5 whys (the question and the answer found)."""
    errors: dict = {}
    why = text_or_error(errors, "why", why, required=True, max_length=500, message=_("Ask why."))
    because = text_or_error(errors, "because", because, required=True, max_length=5000, message=_("Say why."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        inv = _locked(investigation_id)
        _not_completed(inv)
        last = inv.whys.order_by("-position").values_list("position", flat=True).first() or 0
        step = WhyStep.objects.create(
            home_id=inv.home_id, investigation=inv, position=last + 1, why=why, because=because, added_by=user
        )
        save_version(step, action="incidents.investigation.why_added")
        if _start(inv):
            _touch(inv)
            inv.save()
            save_version(inv, reason=_("Root-cause analysis started"), action="incidents.investigation.changed")
    return step


def change_why(why_id: int, *, user, why: str, because: str, reason: str, if_match: str | None = None) -> WhyStep:
    """Correct a step of the 5 whys: a new version with the reason."""
    errors: dict = {}
    why = text_or_error(errors, "why", why, required=True, max_length=500, message=_("Ask why."))
    because = text_or_error(errors, "because", because, required=True, max_length=5000, message=_("Say why."))
    reason = text_or_error(
        errors, "reason", reason, required=True, max_length=1000, message=_("Give the reason for the correction.")
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        step = WhyStep.objects.select_for_update().filter(pk=why_id).first()
        if step is None:
            raise NotFound(why_id)
        check_if_match(if_match, etag_for(step))
        _not_completed(Investigation.objects.get(pk=step.investigation_id))
        if (step.why, step.because) == (why, because):
            return step
        step.why, step.because = why, because
        step.version += 1
        step.save()
        save_version(step, reason=reason, action="incidents.investigation.why_changed")
    return step


def add_factor(investigation_id: int, *, user, category: str, detail: str) -> ContributoryFactor:
    """File a contributory factor under a category of the NPSA framework."""
    errors: dict = {}
    if category not in CONTRIBUTORY_FACTOR_CATEGORIES:
        errors["category"] = [_("Choose the category of the factor.")]
    detail = text_or_error(errors, "detail", detail, required=True, max_length=5000, message=_("Say what contributed."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        inv = _locked(investigation_id)
        _not_completed(inv)
        factor = ContributoryFactor.objects.create(
            home_id=inv.home_id, investigation=inv, category=category, detail=detail, added_by=user
        )
        record_change(
            "incidents.investigation.factor_added",
            target=factor,
            subject=("incidents.incident", inv.incident_id),
            before=None,
            after={"category": category, "detail": detail},
        )
        if _start(inv):
            _touch(inv)
            inv.save()
            save_version(inv, reason=_("Root-cause analysis started"), action="incidents.investigation.changed")
    return factor


def withdraw_factor(factor_id: int, *, user, reason: str) -> ContributoryFactor:
    """A factor found not to have contributed is withdrawn with the reason (it stays in the record)."""
    try:
        reason = clean_text(reason, required=True, max_length=1000, message=_("Give the reason for withdrawing it."))
    except ValueError as exc:
        raise ValidationError({"reason": [str(exc)]}) from None
    with transaction.atomic():
        factor = ContributoryFactor.objects.select_for_update().filter(pk=factor_id).first()
        if factor is None:
            raise NotFound(factor_id)
        inv = Investigation.objects.get(pk=factor.investigation_id)
        _not_completed(inv)
        if factor.is_withdrawn:
            raise ValidationError(_("This factor is already withdrawn."))
        factor.withdrawn_at = timezone.now()
        factor.withdrawn_reason = reason
        factor.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        record_change(
            "incidents.investigation.factor_withdrawn",
            target=factor,
            subject=("incidents.incident", inv.incident_id),
            before={"withdrawn": False},
            after={"withdrawn": True},
            reason=reason,
        )
    return factor


def complete_investigation(
    investigation_id: int, *, user, findings=None, conclusion=None, if_match: str | None = None
) -> Investigation:
    """Complete the investigation. Refused without an investigator, without findings, or without a
    root-cause analysis entry (a why, or a contributory factor not withdrawn). Open actions go on
    being tracked after it is completed."""
    with transaction.atomic():
        inv = _locked(investigation_id)
        check_if_match(if_match, etag_for(inv))
        _not_completed(inv)
        errors: dict = {}
        if findings is not None:
            inv.findings = text_or_error(errors, "findings", findings, max_length=20000)
        if conclusion is not None:
            inv.conclusion = text_or_error(errors, "conclusion", conclusion, max_length=20000)
        if not errors.get("findings") and not inv.findings.strip():
            errors["findings"] = [_("Write the findings before completing the investigation.")]
        if inv.investigator_id is None:
            errors["investigator_id"] = [_("Assign the investigator before completing the investigation.")]
        has_rca = inv.whys.exists() or inv.factors.filter(withdrawn_at__isnull=True).exists()
        if not has_rca:
            errors["root_cause"] = [
                _("Record the root-cause analysis first: at least one of the 5 whys or a contributory factor.")
            ]
        if errors:
            raise ValidationError(errors)
        inv.status = InvestigationStatus.COMPLETED
        inv.completed_at = timezone.now()
        inv.completed_by = user
        _touch(inv)
        inv.save()
        save_version(inv, reason=_("Investigation completed"), action="incidents.investigation.completed")
        categories = sorted(set(inv.factors.filter(withdrawn_at__isnull=True).values_list("category", flat=True)))
        open_actions = inv.actions.filter(status=ActionStatus.OPEN).count()
        incident = Incident.objects.only("reference").get(pk=inv.incident_id)
        publish(
            InvestigationCompleted(
                investigation_id=inv.pk,
                incident_id=inv.incident_id,
                reference=incident.reference,
                factor_categories=categories,
                open_actions=open_actions,
            ),
            home=inv.home_id,
        )
    return inv


# --- open steps (obligations) ---------------------------------------------------------------------


def _investigation_step(inv: Investigation, reference: str) -> OpenStep:
    who = inv.investigator.display_name if inv.investigator_id else _("no investigator yet")
    return OpenStep(
        incident_id=inv.incident_id,
        reference=reference,
        kind="investigation",
        title=_("Complete the investigation (%(who)s)") % {"who": who},
        due_at=end_of_day(inv.due_on),
        url=investigation_url(inv.incident_id),
    )


def _action_step(action: InvestigationAction, reference: str) -> OpenStep:
    text = action.description if len(action.description) <= 80 else action.description[:79] + "…"
    return OpenStep(
        incident_id=action.incident_id,
        reference=reference,
        kind="action",
        title=_("Action: %(what)s (%(who)s)") % {"what": text, "who": action.owner.display_name},
        due_at=end_of_day(action.due_on),
        url=investigation_url(action.incident_id),
    )


def open_steps(incident) -> list[OpenStep]:
    """An investigation not completed, and each open action, of ``incident``."""
    steps = []
    inv = (
        Investigation.objects.filter(incident_id=incident.pk)
        .exclude(status=InvestigationStatus.COMPLETED)
        .select_related("investigator")
        .first()
    )
    if inv is not None:
        steps.append(_investigation_step(inv, incident.reference))
    actions = InvestigationAction.objects.filter(incident_id=incident.pk, status=ActionStatus.OPEN).select_related(
        "owner"
    )
    steps.extend(_action_step(a, incident.reference) for a in actions)
    return steps


def open_step_counts(incidents) -> dict[int, int]:
    """{incident id: investigation not completed + open actions} for a page of incidents (two queries)."""
    counts = count_by_incident(Investigation.objects.exclude(status=InvestigationStatus.COMPLETED), incidents)
    for pk, n in count_by_incident(InvestigationAction.objects.filter(status=ActionStatus.OPEN), incidents).items():
        counts[pk] = counts.get(pk, 0) + n
    return counts


def overdue_steps(now: datetime) -> list[OpenStep]:
    """Investigations and actions past their due day, across the homes in scope (two queries)."""
    today = timezone.localdate(now)
    invs = (
        Investigation.objects.exclude(status=InvestigationStatus.COMPLETED)
        .filter(due_on__lt=today)
        .select_related("investigator", "incident")
    )
    actions = InvestigationAction.objects.filter(status=ActionStatus.OPEN, due_on__lt=today).select_related(
        "owner", "incident"
    )
    return [_investigation_step(i, i.incident.reference) for i in invs] + [
        _action_step(a, a.incident.reference) for a in actions
    ]
