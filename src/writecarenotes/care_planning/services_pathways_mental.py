"""Mental health (service 29): mood and behaviour entries, and links to the community mental health
team. The triggers and de-escalation plan and the crisis and relapse-prevention plan are pathway
documents (``services_pathways.save_document``).

The mood score is a plain five-point description for noticing change between shifts, not a validated
scale (depression is measured with GDS-15 or the Cornell Scale in the assessments service). An entry
is a concern (``pathway.mood_recorded`` with ``concern``) when the mood is "very low" or staff noticed
a warning sign (seeing or hearing things, talk of self-harm or suicide).
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.care_planning.events_pathways import MoodRecorded
from writecarenotes.care_planning.models.pathways import MentalHealthContact, MoodEntry
from writecarenotes.care_planning.models.pathways_entries import MOOD_OBSERVATIONS, MOOD_SCORES
from writecarenotes.care_planning.services_pathways import (
    after_correction,
    check_date,
    create_entry,
    create_register_row,
    reason_text,
    recordable,
    update_register_row,
)
from writecarenotes.platform.events.api import publish

_PHONE = re.compile(r"^\+?[0-9 ()-]{6,30}$")
CONTACT_FIELDS = ("team", "worker_name", "role", "phone", "out_of_hours_phone", "email", "notes")
TEXT_MAX = 5000


def _publish_mood(e: MoodEntry) -> None:
    publish(
        MoodRecorded(
            entry_id=e.pk,
            resident_id=e.resident_id,
            occurred_at=e.occurred_at,
            mood_score=e.mood_score,
            concern=e.concern,
        ),
        home=e.home_id,
    )


def clean_observations(observations) -> list[str]:
    if observations in (None, ""):
        return []
    allowed = [k for k, _label in MOOD_OBSERVATIONS]
    if not isinstance(observations, list | tuple) or any(o not in allowed for o in observations):
        raise ValidationError({"observations": [_("Choose from the list.")]})
    return [k for k in allowed if k in observations]


def record_mood(
    *,
    resident_id: int,
    user,
    occurred_at,
    mood_score: int,
    observations=(),
    behaviour: str = "",
    triggers: str = "",
    de_escalation: str = "",
    now=None,
) -> MoodEntry:
    if mood_score not in {k for k, _label in MOOD_SCORES} or isinstance(mood_score, bool):
        raise ValidationError({"mood_score": [_("Choose how the person seems, from very low to very good.")]})
    texts = {"behaviour": behaviour, "triggers": triggers, "de_escalation": de_escalation}
    errors = {
        k: [_("Keep this to %(n)d characters.") % {"n": TEXT_MAX}] for k, v in texts.items() if len(v or "") > TEXT_MAX
    }
    if errors:
        raise ValidationError(errors)
    values = {"mood_score": mood_score, "observations": clean_observations(list(observations or []))}
    values.update({k: (v or "").strip() for k, v in texts.items()})
    with transaction.atomic():
        ref = recordable(resident_id)
        entry = create_entry(MoodEntry, ref=ref, user=user, occurred_at=occurred_at, values=values, now=now)
        _publish_mood(entry)
    return entry


after_correction("mood")(_publish_mood)


def _contact_values(values: dict) -> dict:
    unknown = set(values) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError({"__all__": [_("Unknown fields: %(n)s.") % {"n": ", ".join(sorted(unknown))}]})
    out = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    errors = {}
    for key in ("phone", "out_of_hours_phone"):
        if out.get(key) and not _PHONE.match(out[key]):
            errors[key] = [_("Enter a phone number (digits, spaces, + and brackets).")]
    if errors:
        raise ValidationError(errors)
    return out


def add_contact(*, resident_id: int, user, **values) -> MentalHealthContact:
    cleaned = _contact_values(values)
    with transaction.atomic():
        ref = recordable(resident_id)
        return create_register_row(
            MentalHealthContact, ref=ref, user=user, values=cleaned, action="care_planning.pathway.mh_contact.added"
        )


def change_contact(
    contact: MentalHealthContact, *, values: dict, reason: str, if_match: str | None = None
) -> MentalHealthContact:
    if contact.ended_on is not None:
        raise ValidationError(_("This contact has ended; add a new one instead."))
    return update_register_row(
        contact,
        values=_contact_values(values),
        reason=reason,
        if_match=if_match,
        action="care_planning.pathway.mh_contact.changed",
    )


def end_contact(contact: MentalHealthContact, *, reason: str, ended_on: date | None = None) -> MentalHealthContact:
    if contact.ended_on is not None:
        raise ValidationError(_("This contact has already ended."))
    reason = reason_text(reason)
    ended_on = ended_on or timezone.localdate()
    check_date(ended_on, field="ended_on")
    return update_register_row(
        contact,
        values={"ended_on": ended_on, "end_reason": reason},
        reason=reason,
        if_match=None,
        action="care_planning.pathway.mh_contact.ended",
    )
