"""Palliative and end of life (service 31): symptom observations, anticipatory medicines, advance
decisions to refuse treatment. The advance care plan, last-days plan, care after death and bereavement
support are pathway documents (``services_pathways.save_document``).

Symptoms are rated with the IPOS response levels (0 not at all, 1 slightly, 2 moderately, 3 severely,
4 overwhelmingly; empty = cannot assess) since the last observation. IPOS: Integrated Palliative care
Outcome Scale, Cicely Saunders Institute, King's College London (pos-pal.org). Licence note: POS
measures are copyright and free to use after registration; item wording must not be changed; items
may be added (agitation and respiratory secretions here are added items, not part of IPOS). This chart
uses IPOS symptom items and levels, not IPOS's 3-day recall, and computes no IPOS total or subscale.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.care_planning.events_pathways import (
    AdvanceDecisionRecorded,
    AnticipatoryMedicineChanged,
    SymptomsRecorded,
)
from writecarenotes.care_planning.models.pathways import (
    AdvanceDecision,
    AnticipatoryMedicine,
    SymptomObservation,
)
from writecarenotes.care_planning.models.pathways_entries import SYMPTOMS, RatedBy
from writecarenotes.care_planning.services_pathways import (
    after_correction,
    check_date,
    collect_errors,
    create_entry,
    create_register_row,
    reason_text,
    recordable,
    update_register_row,
)
from writecarenotes.platform.events.api import publish

SYMPTOM_KEYS = tuple(k for k, _label, _ipos in SYMPTOMS)
TEXT_MAX = 5000

MEDICINE_FIELDS = (
    "drug",
    "dose",
    "route",
    "frequency",
    "indication",
    "indication_detail",
    "prescribed_on",
    "prescriber",
    "supply_note",
)
DECISION_FIELDS = (
    "made_on",
    "treatments_refused",
    "circumstances",
    "document_location",
    "copy_on_file",
    "refuses_life_sustaining",
    "life_at_risk_statement",
    "in_writing",
    "signed",
    "witnessed",
    "withdrawn",
    "later_lpa_covers_it",
    "inconsistent_conduct",
    "unanticipated_circumstances",
    "checked_on",
    "checked_by",
    "notes",
)


def _publish_symptoms(obs: SymptomObservation) -> None:
    publish(
        SymptomsRecorded(
            observation_id=obs.pk,
            resident_id=obs.resident_id,
            occurred_at=obs.occurred_at,
            scores=obs.scores(),
            severe=obs.severe(),
        ),
        home=obs.home_id,
    )


def clean_scores(scores: dict) -> dict[str, int | None]:
    """Scores by symptom key: 0-4 or None (cannot assess); at least one symptom must be rated."""
    if not isinstance(scores, dict):
        raise ValidationError({"scores": [_("Give the scores as symptom: level pairs.")]})
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(scores) - set(SYMPTOM_KEYS))
    if unknown:
        errors["scores"] = [_("Unknown symptoms: %(names)s.") % {"names": ", ".join(map(str, unknown[:10]))}]
    out: dict[str, int | None] = {}
    for key in SYMPTOM_KEYS:
        value = scores.get(key)
        if value in (None, "", "na"):
            out[key] = None
            continue
        try:
            level = int(value)
        except (TypeError, ValueError):
            level = -1
        if isinstance(value, bool) or not 0 <= level <= 4 or str(value).strip() not in {str(level)}:
            errors[key] = [_("Choose a level from 0 (not at all) to 4 (overwhelmingly), or cannot assess.")]
            continue
        out[key] = level
    if not errors and all(v is None for v in out.values()):
        errors["scores"] = [_("Rate at least one symptom.")]
    if errors:
        raise ValidationError(errors)
    return out


def _text(value, field: str) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else None
    if value is None:
        raise ValidationError({field: [_("Enter text.")]})
    if len(value) > TEXT_MAX:
        raise ValidationError({field: [_("Keep this to %(n)d characters.") % {"n": TEXT_MAX}]})
    return value


def record_symptoms(
    *,
    resident_id: int,
    user,
    occurred_at,
    scores: dict,
    rated_by: str = RatedBy.STAFF,
    actions: str = "",
    notes: str = "",
    now=None,
) -> SymptomObservation:
    """One observation of the symptom chart; publishes ``pathway.symptoms_recorded`` (with the severe ones)."""
    cleaned = clean_scores(scores)
    if rated_by not in RatedBy.values:
        raise ValidationError({"rated_by": [_("Say who rated the symptoms.")]})
    values = {**cleaned, "rated_by": rated_by, "actions": _text(actions, "actions"), "notes": _text(notes, "notes")}
    with transaction.atomic():
        ref = recordable(resident_id)
        obs = create_entry(SymptomObservation, ref=ref, user=user, occurred_at=occurred_at, values=values, now=now)
        _publish_symptoms(obs)
    return obs


after_correction("symptoms")(_publish_symptoms)


# --- anticipatory medicines ----------------------------------------------------------------------


def _medicine_values(values: dict) -> dict:
    unknown = set(values) - set(MEDICINE_FIELDS)
    if unknown:
        raise ValidationError({"__all__": [_("Unknown fields: %(n)s.") % {"n": ", ".join(sorted(unknown))}]})
    return {key: (value.strip() if isinstance(value, str) else value) for key, value in values.items()}


def record_anticipatory_medicine(*, resident_id: int, user, **values) -> AnticipatoryMedicine:
    cleaned = _medicine_values(values)
    errors = collect_errors(lambda: check_date(cleaned.get("prescribed_on"), field="prescribed_on"))
    with transaction.atomic():
        ref = recordable(resident_id)
        med = create_register_row(
            AnticipatoryMedicine,
            ref=ref,
            user=user,
            values=cleaned,
            action="care_planning.pathway.medicine.recorded",
            errors=errors,
        )
        _publish_medicine(med, "recorded")
    return med


def change_anticipatory_medicine(
    medicine: AnticipatoryMedicine, *, values: dict, reason: str, if_match: str | None = None
) -> AnticipatoryMedicine:
    if medicine.stopped_on is not None:
        raise ValidationError(_("This medicine was stopped; record a new prescription instead."))
    cleaned = _medicine_values(values)
    if "prescribed_on" in cleaned:
        check_date(cleaned["prescribed_on"], field="prescribed_on")
    with transaction.atomic():
        med = update_register_row(
            medicine, values=cleaned, reason=reason, if_match=if_match, action="care_planning.pathway.medicine.changed"
        )
        if med.version != medicine.version:
            _publish_medicine(med, "changed")
    return med


def stop_anticipatory_medicine(
    medicine: AnticipatoryMedicine, *, reason: str, stopped_on: date | None = None, if_match: str | None = None
) -> AnticipatoryMedicine:
    reason = reason_text(reason)
    stopped_on = stopped_on or timezone.localdate()
    check_date(stopped_on, field="stopped_on")
    if medicine.stopped_on is not None:
        raise ValidationError(_("This medicine has already been stopped."))
    if stopped_on < medicine.prescribed_on:
        raise ValidationError({"stopped_on": [_("It cannot stop before it was prescribed.")]})
    with transaction.atomic():
        med = update_register_row(
            medicine,
            values={"stopped_on": stopped_on, "stop_reason": reason},
            reason=reason,
            if_match=if_match,
            action="care_planning.pathway.medicine.stopped",
        )
        _publish_medicine(med, "stopped")
    return med


def _publish_medicine(med: AnticipatoryMedicine, change: str) -> None:
    publish(
        AnticipatoryMedicineChanged(
            medicine_id=med.pk, resident_id=med.resident_id, drug=med.drug, indication=med.indication, change=change
        ),
        home=med.home_id,
    )


# --- advance decisions to refuse treatment -------------------------------------------------------


def _decision_values(values: dict) -> dict:
    unknown = set(values) - set(DECISION_FIELDS)
    if unknown:
        raise ValidationError({"__all__": [_("Unknown fields: %(n)s.") % {"n": ", ".join(sorted(unknown))}]})
    out = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    for key in ("made_on", "checked_on"):
        if key in out:
            check_date(out[key], field=key)
    return out


def _check_decision(d: AdvanceDecision) -> None:
    if d.checked_on and d.made_on and d.checked_on < d.made_on:
        raise ValidationError({"checked_on": [_("It cannot be checked before it was made.")]})


def record_advance_decision(*, resident_id: int, user, **values) -> AdvanceDecision:
    cleaned = _decision_values(values)
    with transaction.atomic():
        ref = recordable(resident_id)
        probe = AdvanceDecision(**cleaned)
        _check_decision(probe)
        decision = create_register_row(
            AdvanceDecision,
            ref=ref,
            user=user,
            values=cleaned,
            action="care_planning.pathway.advance_decision.recorded",
        )
        _publish_decision(decision)
    return decision


def recheck_advance_decision(
    decision: AdvanceDecision, *, values: dict, reason: str, if_match: str | None = None
) -> AdvanceDecision:
    """Record a new check (or a correction) of the decision: a new version with the reason."""
    cleaned = _decision_values(values)
    with transaction.atomic():
        d = update_register_row(
            decision,
            values=cleaned,
            reason=reason,
            if_match=if_match,
            action="care_planning.pathway.advance_decision.checked",
            check=_check_decision,
        )
        if d.version != decision.version:
            _publish_decision(d)
    return d


def _publish_decision(d: AdvanceDecision) -> None:
    publish(
        AdvanceDecisionRecorded(
            decision_id=d.pk,
            resident_id=d.resident_id,
            valid=d.is_valid,
            applies_to_life_sustaining=d.applies_to_life_sustaining,
        ),
        home=d.home_id,
    )
