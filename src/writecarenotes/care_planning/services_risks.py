"""Services of the risk register: raise, change (a new version with a reason) and close a risk,
and the lists of reviews that are due. Each change runs in one transaction with its version and
audit record (``audit.save_version``) and its domain event (``risk.raised``,
``risk.rating_changed``, ``risk.closed``). Unsafe input is refused with field messages
(``ValidationError``), never half-written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.care_planning import risks_matrix
from writecarenotes.care_planning.events_risks import RiskClosed, RiskRaised, RiskRatingChanged
from writecarenotes.care_planning.models.risks import Risk, RiskKind, RiskStatus
from writecarenotes.platform.api.concurrency import check_if_match, etag_for
from writecarenotes.platform.audit.versions import save_version
from writecarenotes.platform.events.api import publish
from writecarenotes.platform.identity.capabilities import ROLES, role_can
from writecarenotes.platform.tenancy.models import CareHome
from writecarenotes.residents.public import ResidentNotFound, ResidentRef, current_residents, get_resident

#: A review date further ahead than this is refused: a risk is looked at again within a year.
MAX_REVIEW_AHEAD = timedelta(days=366)
#: Fields ``change_risk`` may change (the kind of a risk is fixed: raise another risk instead).
CHANGEABLE = (
    "other_kind",
    "description",
    "likelihood",
    "impact",
    "controls",
    "residual_likelihood",
    "residual_impact",
    "owner_id",
    "review_on",
)
_AXES = ("likelihood", "impact", "residual_likelihood", "residual_impact")


class RiskNotFound(LookupError):
    pass


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


def resident_for_change(resident_id: int, *, must_be_current: bool = True) -> ResidentRef:
    """The resident in scope (ResidentNotFound otherwise); a ValidationError when records cannot be added."""
    ref = get_resident(resident_id)
    if must_be_current and not ref.is_current:
        raise ValidationError(_("Records can only be added for a resident who is in residence or temporarily away."))
    return ref


def eligible_owners(home_id: int):
    """Active users who may own a risk in this home: a role there (or organisation-wide) that records care plans."""
    home = CareHome.objects.only("organisation_id").get(pk=home_id)
    roles = [r for r in ROLES if role_can(r, "care_planning", "record")]
    user_model = get_user_model()
    return (
        user_model.objects.filter(is_active=True, memberships__role__in=roles)
        .filter(
            Q(memberships__home_id=home_id)
            | Q(memberships__home__isnull=True, memberships__organisation_id=home.organisation_id)
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def _check_owner(owner_id, home_id: int, errors: dict) -> None:
    if owner_id in (None, ""):
        errors["owner_id"] = [_("Choose who owns this risk.")]
        return
    try:
        owner_id = int(owner_id)
    except (TypeError, ValueError):
        errors["owner_id"] = [_("Choose who owns this risk.")]
        return
    if not eligible_owners(home_id).filter(pk=owner_id).exists():
        errors["owner_id"] = [_("The owner must be a member of staff of this home who records care plans.")]


def _clean(values: dict, *, home_id: int, today: date, partial_of: Risk | None = None) -> dict:
    """Validated values (every field, or the changed ones of ``partial_of``); ValidationError by field."""
    errors: dict[str, list[str]] = {}
    out = dict(values)
    current = (lambda k: out[k] if k in out else getattr(partial_of, k)) if partial_of else out.get
    if partial_of is None:
        kind = out.get("kind")
        if kind not in RiskKind.values:
            errors["kind"] = [_("Choose the kind of risk.")]
    kind = partial_of.kind if partial_of is not None else out.get("kind")
    for name, required, max_length, message in (
        ("other_kind", kind == RiskKind.OTHER, 120, _("Say what the risk is.")),
        ("description", True, 5000, _("Describe the risk for this person.")),
        ("controls", True, 5000, _("Say what is in place to reduce the risk.")),
    ):
        if name not in out and partial_of is not None:
            continue
        try:
            out[name] = clean_text(out.get(name), required=required, max_length=max_length, message=message)
        except ValueError as exc:
            errors[name] = [str(exc)]
    if kind != RiskKind.OTHER and partial_of is None:
        out["other_kind"] = ""
    for name in _AXES:
        if name not in out and partial_of is not None:
            continue
        value = out.get(name)
        try:
            out[name] = risks_matrix.check_axis(
                int(value) if isinstance(value, str) and value.isdigit() else value, name
            )
        except ValueError:
            errors[name] = [_("Choose a score from 1 to 5.")]
    if not any(k in errors for k in _AXES):
        inherent = risks_matrix.score(current("likelihood"), current("impact"))
        residual = risks_matrix.score(current("residual_likelihood"), current("residual_impact"))
        if residual > inherent:
            errors["residual_likelihood"] = [
                _("With the controls in place the risk cannot score higher (%(r)s) than without them (%(i)s).")
                % {"r": residual, "i": inherent}
            ]
    if partial_of is None or "owner_id" in out:
        _check_owner(out.get("owner_id"), home_id, errors)
    if partial_of is None or "review_on" in out:
        review_on = out.get("review_on")
        if isinstance(review_on, datetime):
            review_on = out["review_on"] = review_on.date()
        if not isinstance(review_on, date):
            errors["review_on"] = [_("Enter the date of the next review.")]
        elif review_on < today:
            errors["review_on"] = [_("The review date cannot be in the past.")]
        elif review_on > today + MAX_REVIEW_AHEAD:
            errors["review_on"] = [_("Review the risk within a year.")]
    if errors:
        raise ValidationError(errors)
    return out


def raise_risk(resident_id: int, *, user, values: dict, now=None) -> Risk:
    """Add a risk to a resident's register. ``values``: kind, other_kind, description, likelihood,
    impact, controls, residual_likelihood, residual_impact, owner_id, review_on. ``now`` (the demo
    builder's history) is when it was raised; the review date is checked against that day."""
    unknown = set(values) - set(CHANGEABLE) - {"kind"}
    if unknown:
        raise ValueError(f"cannot set {sorted(unknown)}")
    with transaction.atomic():
        ref = resident_for_change(resident_id)
        now = min(now or timezone.now(), timezone.now())
        cleaned = _clean(values, home_id=ref.home_id, today=timezone.localdate(now))
        risk = Risk(home_id=ref.home_id, resident_id=ref.id, raised_by=user, raised_at=now, updated_at=now, **cleaned)
        risk.compute_ratings()
        risk.save()
        save_version(risk, reason=_("Risk raised"), action="care_planning.risk.raised")
        publish(
            RiskRaised(
                risk_id=risk.pk,
                resident_id=ref.id,
                kind=risk.kind,
                score=risk.score,
                rating=risk.rating,
                residual_score=risk.residual_score,
                residual_rating=risk.residual_rating,
                review_on=risk.review_on,
            ),
            home=risk.home_id,
        )
    return risk


def _locked(risk_id: int) -> Risk:
    risk = Risk.objects.select_for_update().filter(pk=risk_id).first()
    if risk is None:
        raise RiskNotFound(risk_id)
    try:
        get_resident(risk.resident_id)
    except ResidentNotFound:
        raise RiskNotFound(risk_id) from None
    return risk


def change_risk(risk_id: int, *, user, reason: str, values: dict, if_match: str | None = None) -> Risk:
    """Change a risk (a review, new controls, a new rating): a new version with the reason.
    ``if_match`` (the API's If-Match): 412 when the risk changed since it was read."""
    unknown = set(values) - set(CHANGEABLE)
    if unknown:
        raise ValueError(f"cannot set {sorted(unknown)}")
    try:
        reason = clean_text(reason, required=True, max_length=1000, message=_("Give the reason for the change."))
    except ValueError as exc:
        raise ValidationError({"reason": [str(exc)]}) from None
    with transaction.atomic():
        risk = _locked(risk_id)
        check_if_match(if_match, etag_for(risk))
        if not risk.is_open:
            raise ValidationError(_("This risk is closed; raise a new risk if it applies again."))
        cleaned = _clean(values, home_id=risk.home_id, today=timezone.localdate(), partial_of=risk)
        before = (risk.score, risk.rating, risk.residual_score, risk.residual_rating)
        if all(getattr(risk, key) == value for key, value in cleaned.items()):
            return risk  # nothing changed: no version
        for key, value in cleaned.items():
            setattr(risk, key, value)
        risk.compute_ratings()
        risk.version += 1
        risk.updated_at = timezone.now()
        risk.save()
        save_version(risk, reason=reason, action="care_planning.risk.changed")
        after = (risk.score, risk.rating, risk.residual_score, risk.residual_rating)
        if after != before:
            publish(
                RiskRatingChanged(
                    risk_id=risk.pk,
                    resident_id=risk.resident_id,
                    kind=risk.kind,
                    previous_score=before[0],
                    score=risk.score,
                    previous_rating=before[1],
                    rating=risk.rating,
                    previous_residual_score=before[2],
                    residual_score=risk.residual_score,
                    previous_residual_rating=before[3],
                    residual_rating=risk.residual_rating,
                ),
                home=risk.home_id,
            )
    return risk


def close_risk(risk_id: int, *, user, reason: str, if_match: str | None = None) -> Risk:
    """Close a risk that no longer applies, with the reason (it stays in the register's history)."""
    try:
        reason = clean_text(reason, required=True, max_length=1000, message=_("Give the reason for closing the risk."))
    except ValueError as exc:
        raise ValidationError({"reason": [str(exc)]}) from None
    with transaction.atomic():
        risk = _locked(risk_id)
        check_if_match(if_match, etag_for(risk))
        if not risk.is_open:
            raise ValidationError(_("This risk is already closed."))
        risk.status = RiskStatus.CLOSED
        risk.closed_on = timezone.localdate()
        risk.closed_reason = reason
        risk.version += 1
        risk.updated_at = timezone.now()
        risk.save()
        save_version(risk, reason=reason, action="care_planning.risk.closed")
        publish(
            RiskClosed(
                risk_id=risk.pk, resident_id=risk.resident_id, kind=risk.kind, closed_on=risk.closed_on, reason=reason
            ),
            home=risk.home_id,
        )
    return risk


# --- reads ----------------------------------------------------------------------------------------


def risks_of(resident_id: int, *, include_closed: bool = True):
    qs = Risk.objects.filter(resident_id=resident_id).select_related("owner")
    if not include_closed:
        qs = qs.filter(status=RiskStatus.OPEN)
    return qs.order_by("status", "-residual_score", "review_on", "pk")


@dataclass(frozen=True)
class OverdueReview:
    risk: Risk
    resident: ResidentRef
    days_overdue: int


def overdue_reviews(unit_id: int | None = None, today: date | None = None) -> list[OverdueReview]:
    """Open risks of current residents whose review date has passed (all units of the scope, or one),
    most overdue first. Two queries, however many risks."""
    today = today or timezone.localdate()
    residents = {r.id: r for r in current_residents(unit_id)}
    qs = (
        Risk.objects.filter(status=RiskStatus.OPEN, review_on__lt=today, resident_id__in=list(residents))
        .select_related("owner")
        .order_by("review_on", "-residual_score", "pk")
    )
    return [OverdueReview(risk, residents[risk.resident_id], (today - risk.review_on).days) for risk in qs]


def overdue_counts(today: date | None = None) -> dict:
    """For the dashboard panel: overdue reviews in the scope, and per unit."""
    items = overdue_reviews(None, today)
    units: dict = {}
    for item in items:
        key = (item.resident.unit_id, item.resident.unit_name or _("No unit"))
        units[key] = units.get(key, 0) + 1
    return {
        "overdue": len(items),
        "units": [{"id": uid, "name": name, "overdue": n} for (uid, name), n in sorted(units.items(), key=str)],
    }
