"""Medicines reconciliation (see ``models/reconciliation.py`` for the sources): open one for a resident
and an occasion, record each medicine with what each source says and the decision with its reason, and
complete it. Completion starts, changes and stops the orders through ``services_orders`` in the same
transaction: a refusal on one line (a safety check, an invalid dose) leaves nothing changed.

Rules: every current order of the resident must have a decision before completion (nothing silently
carried over); at least one source must have been checked; a second checker, when named, is a different
person who confirms with their own credential (``witness.verify_witness``, called by the page and API).
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.medication import services_orders
from writecarenotes.medication.events_orders import ReconciliationCompleted
from writecarenotes.medication.models import (
    Decision,
    MedicationOrder,
    Medicine,
    Occasion,
    OrderStatus,
    Reconciliation,
    ReconciliationLine,
    ReconciliationSource,
    ReconciliationStatus,
)
from writecarenotes.platform.api.concurrency import check_if_match, etag_for
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.audit.versions import save_version
from writecarenotes.platform.events.api import publish
from writecarenotes.residents.public import ResidentNotFound, get_resident

NEEDS_ORDER = (Decision.CONTINUE, Decision.CHANGE, Decision.STOP)
OPEN_STATUSES = (ReconciliationStatus.OPEN, ReconciliationStatus.AWAITING_RETURN)


class ReconciliationNotFound(LookupError):
    pass


def _sources(value) -> list[str]:
    value = value or []
    bad = [s for s in value if s not in ReconciliationSource.values]
    if bad:
        raise ValidationError({"sources_checked": [_("Choose the sources from the list.")]})
    return sorted(set(value))


def current_orders(resident_id: int) -> list[MedicationOrder]:
    return list(
        MedicationOrder.objects.filter(
            resident_id=resident_id, status__in=[OrderStatus.ACTIVE, OrderStatus.SUSPENDED]
        ).select_related("medicine")
    )


def start(
    *, user, resident_id: int, occasion: str, occasion_at: datetime | None = None, sources_checked=(), notes: str = ""
) -> Reconciliation:
    """Open a reconciliation; if one is already open for the resident, that one is returned."""
    with transaction.atomic():
        try:
            resident = get_resident(resident_id)
        except ResidentNotFound:
            raise ReconciliationNotFound(resident_id) from None
        if occasion not in Occasion.values:
            raise ValidationError({"occasion": [_("Choose the occasion.")]})
        sources = _sources(sources_checked)
        existing = (
            Reconciliation.objects.select_for_update()
            .filter(resident_id=resident.id, status__in=OPEN_STATUSES)
            .order_by("-started_at")
            .first()
        )
        now = timezone.now()
        if existing is not None:
            existing.status = ReconciliationStatus.OPEN
            existing.occasion = occasion
            existing.sources_checked = sorted(set(existing.sources_checked) | set(sources))
            existing.started_by = existing.started_by or user
            if occasion_at:
                existing.occasion_at = occasion_at
            if notes:
                existing.notes = notes[:500]
            existing.version += 1
            existing.save()
            save_version(existing, reason=_("Opened by a nurse."), action="medication.reconciliation.opened")
            return existing
        recon = Reconciliation.objects.create(
            home_id=resident.home_id,
            resident_id=resident.id,
            occasion=occasion,
            occasion_at=occasion_at or now,
            sources_checked=sources,
            notes=(notes or "")[:500],
            started_by=user,
            started_at=now,
        )
        save_version(recon, action="medication.reconciliation.started")
        return recon


def open_for_event(
    *, home_id: int, resident_id: int, occasion: str, at: datetime, event_id: str, awaiting: bool = False
):
    """Called by the subscribers: a reconciliation is due (admission, back from hospital). Applied once per
    event; an already open reconciliation of the resident is kept."""
    if Reconciliation.objects.filter(event_id=event_id).exists():
        return None
    if Reconciliation.objects.filter(resident_id=resident_id, status__in=OPEN_STATUSES).exists():
        return None
    if (
        not awaiting
        and Reconciliation.objects.filter(
            resident_id=resident_id, status=ReconciliationStatus.COMPLETED, started_at__gte=at
        ).exists()
    ):
        return None  # already reconciled since the transfer (the event arrived after the nurse did it)
    recon = Reconciliation.objects.create(
        home_id=home_id,
        resident_id=resident_id,
        occasion=occasion,
        occasion_at=at,
        status=ReconciliationStatus.AWAITING_RETURN if awaiting else ReconciliationStatus.OPEN,
        event_id=event_id,
        started_at=timezone.now(),
    )
    save_version(recon, action="medication.reconciliation.due")
    return recon


def mark_returned(*, resident_id: int, at: datetime) -> Reconciliation | None:
    recon = (
        Reconciliation.objects.select_for_update()
        .filter(resident_id=resident_id, status=ReconciliationStatus.AWAITING_RETURN)
        .order_by("-started_at")
        .first()
    )
    if recon is None:
        return None
    recon.status, recon.occasion_at = ReconciliationStatus.OPEN, at
    recon.version += 1
    recon.save()
    save_version(recon, reason=_("The resident is back from hospital."), action="medication.reconciliation.due")
    return recon


def _open(recon_id: int) -> Reconciliation:
    recon = Reconciliation.objects.select_for_update().filter(pk=recon_id).first()
    if recon is None:
        raise ReconciliationNotFound(recon_id)
    if recon.status != ReconciliationStatus.OPEN:
        raise ValidationError({"__all__": [_("This reconciliation is not open.")]})
    return recon


def add_line(
    recon_id: int,
    *,
    user,
    medicine_id: int | None,
    decision: str,
    reason: str = "",
    sources: dict | None = None,
    order_id: int | None = None,
    order_values: dict | None = None,
    acknowledgement: str = "",
) -> ReconciliationLine:
    """One medicine: what each source says, the decision and why; for "new" and "change" the order's
    fields (checked now, applied on completion). Raises ValidationError / AcknowledgementRequired."""
    with transaction.atomic():
        recon = _open(recon_id)
        e: dict[str, list[str]] = {}
        if decision not in Decision.values:
            raise ValidationError({"decision": [_("Choose the decision.")]})
        order = None
        if order_id:
            order = (
                MedicationOrder.objects.select_related("medicine")
                .filter(
                    pk=order_id, resident_id=recon.resident_id, status__in=[OrderStatus.ACTIVE, OrderStatus.SUSPENDED]
                )
                .first()
            )
            if order is None:
                raise ValidationError({"order_id": [_("Choose one of the resident's current medicines.")]})
            if recon.lines.filter(order=order, withdrawn_at__isnull=True).exists():
                raise ValidationError({"order_id": [_("This medicine already has a decision here.")]})
            medicine = order.medicine
        else:
            medicine = Medicine.objects.filter(pk=medicine_id, home_id=recon.home_id).first() if medicine_id else None
            if medicine is None:
                raise ValidationError({"medicine_id": [_("Choose a medicine from the home's list.")]})
        if decision in NEEDS_ORDER and order is None:
            e["order_id"] = [_("Choose the resident's current medicine this decision is about.")]
        if decision == Decision.NEW and order is not None:
            e["decision"] = [_("This is a current medicine: continue, change or stop it.")]
        reason = (reason or "").strip()[:300]
        if decision != Decision.CONTINUE and not reason:
            e["reason"] = [_("Give the reason for the decision.")]
        clean_sources = {}
        for key, said in (sources or {}).items():
            if key not in ReconciliationSource.values:
                e.setdefault("sources", []).append(_("Choose the sources from the list."))
                continue
            said = str(said or "").strip()[:200]
            if said:
                clean_sources[key] = said
        if not clean_sources:
            e.setdefault("sources", []).append(_("Write what at least one source says about this medicine."))
        if e:
            raise ValidationError(e)
        values: dict = {}
        ack = ""
        if decision in (Decision.NEW, Decision.CHANGE):
            raw = dict(order_values or {})
            if decision == Decision.CHANGE:
                raw = {**services_orders.current_values(order), **raw}
            raw.setdefault("start_date", timezone.localdate())
            cleaned = services_orders.clean_order(raw, medicine=medicine)
            if decision == Decision.CHANGE and all(getattr(order, k) == v for k, v in cleaned.items()):
                raise ValidationError({"__all__": [_("Say what changes in the order.")]})
            findings = services_orders.prescribing_findings(
                resident_id=recon.resident_id, medicine=medicine, exclude_order_id=order.pk if order else None
            )
            ack = services_orders._screen(findings, acknowledgement)
            values = {
                k: (str(v) if v is not None and not isinstance(v, bool | int | list | str) else v)
                for k, v in cleaned.items()
            }
        line = ReconciliationLine.objects.create(
            home_id=recon.home_id,
            reconciliation=recon,
            medicine=medicine,
            order=order,
            sources=clean_sources,
            decision=decision,
            reason=reason,
            order_values={**values, **({"_acknowledgement": ack} if ack else {})},
            added_by=user,
            added_at=timezone.now(),
        )
        recon.sources_checked = sorted(set(recon.sources_checked) | set(clean_sources))
        recon.version += 1
        recon.save()
        record_change(
            "medication.reconciliation.line_added",
            target=line,
            subject=("residents.resident", recon.resident_id),
            before=None,
            after={"medicine": medicine.name, "decision": decision, "reason": reason, "sources": clean_sources},
        )
        return line


def withdraw_line(line_id: int, *, user, reason: str) -> ReconciliationLine:
    with transaction.atomic():
        line = ReconciliationLine.objects.select_related("reconciliation").filter(pk=line_id).first()
        if line is None:
            raise ReconciliationNotFound(line_id)
        recon = _open(line.reconciliation_id)
        reason = (reason or "").strip()[:300]
        if not reason:
            raise ValidationError({"reason": [_("Give the reason.")]})
        if line.withdrawn_at:
            raise ValidationError({"__all__": [_("This line is already withdrawn.")]})
        line.withdrawn_at, line.withdrawn_reason = timezone.now(), reason
        line.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        recon.version += 1
        recon.save()
        record_change(
            "medication.reconciliation.line_withdrawn",
            target=line,
            subject=("residents.resident", recon.resident_id),
            before={"withdrawn": False},
            after={"withdrawn": True},
            reason=reason,
            reason_required=True,
        )
        return line


def missing_decisions(recon: Reconciliation) -> list[MedicationOrder]:
    decided = set(recon.lines.filter(withdrawn_at__isnull=True, order__isnull=False).values_list("order_id", flat=True))
    return [o for o in current_orders(recon.resident_id) if o.pk not in decided]


def complete(
    recon_id: int, *, user, second_checker=None, notes: str = "", if_match: str | None = None
) -> Reconciliation:
    """Complete: apply every decision to the orders (stops first, then changes, then new orders)."""
    with transaction.atomic():
        recon = _open(recon_id)
        if if_match is not None:
            check_if_match(if_match, etag_for(recon))
        if second_checker is not None and second_checker.pk == user.pk:
            raise ValidationError({"second_checker": [_("The second checker must be a different person.")]})
        missing = missing_decisions(recon)
        if missing:
            raise ValidationError(
                {
                    "__all__": [
                        _("Decide on every current medicine first: %(m)s.")
                        % {"m": ", ".join(o.medicine.name for o in missing)}
                    ]
                }
            )
        if not recon.sources_checked:
            raise ValidationError({"sources_checked": [_("Record which sources you checked.")]})
        lines = list(recon.lines.filter(withdrawn_at__isnull=True).select_related("medicine", "order"))
        rank = {Decision.STOP: 0, Decision.CHANGE: 1, Decision.NEW: 2, Decision.CONTINUE: 3, Decision.QUERY: 4}
        started, changed, stopped = [], [], []
        why = _("Medicines reconciliation (%(o)s): %(r)s")
        for line in sorted(lines, key=lambda ln: (rank[ln.decision], ln.pk)):
            values = {k: v for k, v in line.order_values.items() if not k.startswith("_")}
            ack = line.order_values.get("_acknowledgement", "")
            text = why % {"o": recon.get_occasion_display(), "r": line.reason or line.get_decision_display()}
            try:
                if line.decision == Decision.STOP:
                    result = services_orders.stop_order(line.order_id, user=user, reason=text)
                    stopped.append(result.pk)
                elif line.decision == Decision.CHANGE:
                    result = services_orders.change_order(
                        line.order_id, user=user, values=values, reason=text, acknowledgement=ack
                    )
                    changed.append(result.pk)
                elif line.decision == Decision.NEW:
                    result = services_orders.start_order(
                        user=user,
                        resident_id=recon.resident_id,
                        medicine_id=line.medicine_id,
                        values=values,
                        acknowledgement=ack,
                    )
                    started.append(result.pk)
                else:
                    result = line.order
            except ValidationError as exc:
                msgs = (
                    "; ".join(m for ms in exc.message_dict.values() for m in ms)
                    if hasattr(exc, "error_dict")
                    else "; ".join(exc.messages)
                )
                raise ValidationError({"__all__": [f"{line.medicine.name}: {msgs}"]}) from None
            except services_orders.AcknowledgementRequired as exc:
                raise ValidationError(
                    {
                        "__all__": [
                            _(
                                "%(m)s: new safety findings to acknowledge (withdraw the line and add it again "
                                "with your reason): %(f)s"
                            )
                            % {"m": line.medicine.name, "f": " ".join(f.message for f in exc.findings)}
                        ]
                    }
                ) from None
            if result is not None:
                line.result_order = result
                line.save(update_fields=["result_order"])
        now = timezone.now()
        recon.status = ReconciliationStatus.COMPLETED
        recon.completed_by, recon.completed_at = user, now
        if second_checker is not None:
            recon.second_checker, recon.second_checked_at = second_checker, now
        if notes:
            recon.notes = notes[:500]
        recon.version += 1
        recon.save()
        save_version(recon, reason=_("Completed."), action="medication.reconciliation.completed")
        publish(
            ReconciliationCompleted(
                reconciliation_id=recon.pk,
                resident_id=recon.resident_id,
                occasion=recon.occasion,
                started=started,
                changed=changed,
                stopped=stopped,
                queried=sum(1 for ln in lines if ln.decision == Decision.QUERY),
            ),
            home=recon.home_id,
        )
        return recon
