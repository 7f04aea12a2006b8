"""The overrides a nurse recorded against a safety check, and the manager's review of each.

An override is written with the dose it allowed (``services_rounds``: the finding, the reason, who,
when) and published as ``medication.safety_overridden``. A person who may manage medicines (nurse,
deputy, registered manager) reviews it here with a note: never their own override (someone else looks
at it), and once (a review is not edited; nothing is deleted). The review is audited and published as
``medication.safety_override_reviewed``. NICE SC1 (2014) 1.5 asks homes to review medicines-related
safety incidents and learn from them (UNVERIFIED paragraph number).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.medication.events_safety import SafetyOverrideReviewed
from writecarenotes.medication.models import SafetyOverride
from writecarenotes.medication.safety_rules.findings import RULES
from writecarenotes.platform.api.problems import Conflict
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.events.api import publish
from writecarenotes.residents import public as residents

__all__ = [
    "NOTE_MAX",
    "AlreadyReviewed",
    "OverrideNotFound",
    "OverrideRow",
    "override_queryset",
    "override_row",
    "override_rows",
    "rows_of",
    "review_override",
    "unreviewed_count",
]

NOTE_MAX = 300


class OverrideNotFound(LookupError):
    """No such override in the active scope."""


class AlreadyReviewed(Conflict):
    kind = "already-reviewed"
    title = "Already reviewed"


@dataclass(frozen=True)
class OverrideRow:
    override: SafetyOverride
    resident_id: int
    resident_name: str
    medicine: str
    dose_text: str
    given_at: datetime
    outcome: str

    @property
    def rule_label(self) -> str:
        return RULES.get(self.override.rule, self.override.rule)


def override_queryset(reviewed: bool | None = None):
    """The overrides in the homes in scope, newest first; ``reviewed`` None for all."""
    qs = SafetyOverride.objects.select_related("administration__order__medicine", "by", "reviewed_by").order_by(
        "-at", "-pk"
    )
    if reviewed is not None:
        qs = qs.filter(reviewed_at__isnull=not reviewed)
    return qs


def _names(resident_ids: set[int]) -> dict[int, str]:
    """Resident names in two queries at most (current residents, then any who have left one by one: rare)."""
    names = {r.id: r.display_name for r in residents.current_residents() if r.id in resident_ids}
    for pk in resident_ids - set(names):
        try:
            names[pk] = residents.get_resident(pk).display_name
        except residents.ResidentNotFound:
            names[pk] = ""
    return names


def rows_of(overrides: list[SafetyOverride]) -> list[OverrideRow]:
    names = _names({o.administration.resident_id for o in overrides})
    rows = []
    for o in overrides:
        adm = o.administration
        medicine = adm.order.medicine
        dose = f"{adm.dose.normalize():f} {medicine.get_dose_unit_display()}" if adm.dose is not None else ""
        rows.append(
            OverrideRow(
                override=o,
                resident_id=adm.resident_id,
                resident_name=names.get(adm.resident_id, ""),
                medicine=medicine.name,
                dose_text=dose,
                given_at=adm.administered_at,
                outcome=adm.get_outcome_display(),
            )
        )
    return rows


def override_rows(*, reviewed: bool | None = None, limit: int | None = None, offset: int = 0) -> tuple[list, int]:
    """([OverrideRow], total) in the homes in scope, newest first; ``reviewed`` None for all."""
    qs = override_queryset(reviewed)
    total = qs.count()
    page = list(qs[offset : offset + limit] if limit is not None else qs)
    return rows_of(page), total


def override_row(override_id: int) -> OverrideRow:
    o = override_queryset().filter(pk=override_id).first()
    if o is None:
        raise OverrideNotFound(override_id)
    return rows_of([o])[0]


def unreviewed_count() -> int:
    return SafetyOverride.objects.filter(reviewed_at__isnull=True).count()


def review_override(override_id: int, *, user, note: str) -> SafetyOverride:
    """Record the review of an override (one transaction: the review, its audit record and its event)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"review_note": [_("Say what you found and what, if anything, was done.")]})
    if len(note) > NOTE_MAX:
        raise ValidationError({"review_note": [_("At most %(n)d characters.") % {"n": NOTE_MAX}]})
    with transaction.atomic():
        o = (
            # lock the override row only: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join
            SafetyOverride.objects.select_for_update(of=("self",))
            .select_related("administration", "reviewed_by")
            .filter(pk=override_id)
            .first()
        )
        if o is None:
            raise OverrideNotFound(override_id)
        if o.reviewed_at is not None:
            raise AlreadyReviewed(
                _("Already reviewed by %(who)s on %(when)s.")
                % {
                    "who": o.reviewed_by.display_name if o.reviewed_by_id else "?",
                    "when": timezone.localtime(o.reviewed_at).strftime("%d %b %Y %H:%M"),
                }
            )
        if o.by_id == user.pk:
            raise ValidationError(
                {"review_note": [_("This is your own override: another nurse or manager reviews it.")]}
            )
        o.reviewed_by = user
        o.reviewed_at = timezone.now()
        o.review_note = note
        o.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
        record_change(
            "medication.safety_override.review",
            target=o,
            before={"reviewed_at": None, "reviewed_by": None, "review_note": ""},
            after={"reviewed_at": o.reviewed_at.isoformat(), "reviewed_by": user.pk, "review_note": note},
            subject=("residents.resident", o.administration.resident_id),
        )
        publish(
            SafetyOverrideReviewed(
                override_id=o.pk,
                administration_id=o.administration_id,
                resident_id=o.administration.resident_id,
                rule=o.rule,
                reviewed_by_id=user.pk,
            ),
            home=o.home_id,
        )
    return o
