"""Checks of the report sub-domain: the facts of an incident, a person, an injury, and the home it is
reported in. Pure validation (reads only): ``services_report`` calls these inside its transaction and
raises their ``ValidationError`` (by field) before anything is written.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.care_records.public import BODY_LOCATIONS
from writecarenotes.incidents.models import (
    SERIOUS_INJURY_TESTS,
    Incident,
    IncidentType,
    InjuryKind,
    MedicalAttention,
    PersonKind,
    PersonRole,
    PressureUlcerCategory,
    Severity,
)
from writecarenotes.platform.identity.models import Membership
from writecarenotes.platform.tenancy.models import CareHome, Unit
from writecarenotes.platform.tenancy.scope import current_scope
from writecarenotes.residents.public import ResidentNotFound, get_resident

#: The facts a correction may change (``unit_id`` is the unit's id). ``changed`` lists use these names.
CHANGEABLE = (
    "kind",
    "other_kind",
    "pressure_ulcer_category",
    "occurred_at",
    "unit_id",
    "location",
    "what_happened",
    "immediate_actions",
    "severity",
    "witnessed",
    "head_struck",
    "serious_injury_tests",
    "treatment_to_prevent_serious_injury",
    "medical_attention",
    "abuse_alleged",
    "police_involved",
    "disruption_hours",
    "unexpected_or_unintended",
)
#: Kinds of incident that happen to a resident: reporting one names the resident(s) affected.
NEEDS_RESIDENT = frozenset(
    {
        IncidentType.FALL,
        IncidentType.PRESSURE_ULCER,
        IncidentType.MEDICATION_ERROR,
        IncidentType.SKIN_TEAR_INJURY,
        IncidentType.CHOKING,
        IncidentType.MISSING_PERSON,
        IncidentType.DEATH,
    }
)
BODY_LOCATION_VALUES = frozenset(v for v, _label in BODY_LOCATIONS)
_BOOLEANS = ("treatment_to_prevent_serious_injury", "abuse_alleged", "police_involved", "unexpected_or_unintended")
_NULL_BOOLEANS = ("witnessed", "head_struck")
_TEXTS = (  # name, max length, required, message when missing
    ("location", 200, True, "Say where it happened."),
    ("what_happened", 5000, True, "Describe what happened."),
    ("immediate_actions", 5000, False, ""),
)
MAX_DISRUPTION_HOURS = 24 * 366


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


def _bool(value, *, nullable: bool):
    if value is None or value == "":
        if nullable:
            return None
        raise ValueError(_("Answer yes or no."))
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1", "on"):
        return True
    if text in ("false", "no", "0", "off"):
        return False
    if nullable and text in ("unknown", "none", "null"):
        return None
    raise ValueError(_("Answer yes or no."))


# --- validation -----------------------------------------------------------------------------------


def clean_facts(values: dict, *, home_id: int, now: datetime, partial_of: Incident | None = None) -> dict:
    """Validated facts (every field, or the given ones of ``partial_of``); ValidationError by field."""
    unknown = set(values) - set(CHANGEABLE)
    if unknown:
        raise ValueError(f"cannot set {sorted(unknown)}")
    errors: dict[str, list[str]] = {}
    out = dict(values)
    full = partial_of is None

    def given(name: str) -> bool:
        return full or name in out

    def current(name: str):
        return out[name] if name in out else (getattr(partial_of, name) if partial_of is not None else None)

    if given("kind") and out.get("kind") not in IncidentType.values:
        errors["kind"] = [_("Choose the type of incident.")]
    kind = current("kind")
    if kind == IncidentType.OTHER:
        if given("other_kind") or partial_of is None or not partial_of.other_kind:
            try:
                out["other_kind"] = clean_text(
                    current("other_kind"), required=True, max_length=120, message=_("Say what kind of incident it was.")
                )
            except ValueError as exc:
                errors["other_kind"] = [str(exc)]
    elif given("kind") or given("other_kind"):
        out["other_kind"] = ""
    if kind == IncidentType.PRESSURE_ULCER:
        if current("pressure_ulcer_category") not in PressureUlcerCategory.values:
            errors["pressure_ulcer_category"] = [_("Choose the category of the pressure ulcer.")]
        else:
            out["pressure_ulcer_category"] = current("pressure_ulcer_category")
    elif given("kind") or given("pressure_ulcer_category"):
        out["pressure_ulcer_category"] = ""
    if given("occurred_at"):
        at = out.get("occurred_at")
        if not isinstance(at, datetime):
            errors["occurred_at"] = [_("Enter the date and time it happened.")]
        else:
            if timezone.is_naive(at):
                at = timezone.make_aware(at)
            out["occurred_at"] = at
            reported = partial_of.reported_at if partial_of is not None else now
            if at > reported:
                errors["occurred_at"] = [_("The time it happened cannot be in the future.")]
            elif at.year < 2000:
                errors["occurred_at"] = [_("Check the date: it is too far in the past.")]
    if given("unit_id"):
        unit_id = out.get("unit_id")
        if unit_id in ("", None):
            out["unit_id"] = None
        else:
            try:
                unit_id = int(unit_id)
            except (TypeError, ValueError):
                unit_id = None
            if unit_id is None or not Unit.objects.filter(pk=unit_id, home_id=home_id).exists():
                errors["unit_id"] = [_("Choose a unit of this home.")]
            else:
                out["unit_id"] = unit_id
    for name, max_length, required, message in _TEXTS:
        if given(name):
            try:
                out[name] = clean_text(out.get(name), required=required, max_length=max_length, message=_(message))
            except ValueError as exc:
                errors[name] = [str(exc)]
    if given("severity") and out.get("severity") not in Severity.values:
        errors["severity"] = [_("Choose the harm to the person.")]
    if (given("kind") or given("severity")) and "kind" not in errors and "severity" not in errors:
        if kind == IncidentType.DEATH and current("severity") != Severity.DEATH:
            errors["severity"] = [_("A death is recorded with the harm 'Death'.")]
    for name in _NULL_BOOLEANS:
        if given(name):
            try:
                out[name] = _bool(out.get(name), nullable=True)
            except ValueError as exc:
                errors[name] = [str(exc)]
    for name in _BOOLEANS:
        if given(name):
            default = name == "unexpected_or_unintended"
            try:
                out[name] = _bool(out.get(name, default), nullable=False) if out.get(name) is not None else default
            except ValueError as exc:
                errors[name] = [str(exc)]
    if given("serious_injury_tests"):
        tests = out.get("serious_injury_tests") or []
        if isinstance(tests, str):
            tests = [tests]
        if not isinstance(tests, list | tuple | set | frozenset) or not set(tests) <= set(SERIOUS_INJURY_TESTS):
            errors["serious_injury_tests"] = [_("Choose from the listed harm tests.")]
        else:
            out["serious_injury_tests"] = [t for t in SERIOUS_INJURY_TESTS if t in set(tests)]
    if given("medical_attention"):
        value = out.get("medical_attention") or MedicalAttention.NONE
        if value not in MedicalAttention.values:
            errors["medical_attention"] = [_("Choose the medical attention given.")]
        else:
            out["medical_attention"] = value
    if given("disruption_hours"):
        hours = out.get("disruption_hours")
        if hours in ("", None):
            out["disruption_hours"] = None
        else:
            try:
                hours = int(hours)
            except (TypeError, ValueError):
                hours = -1
            if not 0 <= hours <= MAX_DISRUPTION_HOURS:
                errors["disruption_hours"] = [_("Enter the number of hours (0 or more, at most a year).")]
            else:
                out["disruption_hours"] = hours
    if errors:
        raise ValidationError(errors)
    return out


def _staff_user_ok(user_id, home_id: int) -> bool:
    """True when the user is active staff of the home (a role there, or organisation-wide)."""
    home = CareHome.objects.only("organisation_id").get(pk=home_id)
    return Membership.objects.filter(
        Q(home_id=home_id) | Q(home__isnull=True),
        user_id=user_id,
        user__is_active=True,
        organisation_id=home.organisation_id,
    ).exists()


def clean_person(person: dict, *, home_id: int, require_current: bool, field: str) -> dict:
    """A validated person (role, kind, resident_id / user_id, name, contact, statement)."""
    errors: list[str] = []
    role = person.get("role") or PersonRole.AFFECTED
    kind = person.get("kind") or (PersonKind.RESIDENT if person.get("resident_id") else "")
    out = {"role": role, "kind": kind, "resident_id": None, "user_id": None}
    if role not in PersonRole.values:
        errors.append(_("Choose the person's part in the incident."))
    if kind not in PersonKind.values:
        errors.append(_("Say who the person is (resident, staff member, visitor or other)."))
    try:
        out["name"] = clean_text(person.get("name"), max_length=120)
        out["contact"] = clean_text(person.get("contact"), max_length=200)
        out["statement"] = clean_text(person.get("statement"), max_length=5000)
    except ValueError as exc:
        errors.append(str(exc))
    if kind == PersonKind.RESIDENT:
        try:
            ref = get_resident(int(person.get("resident_id")))
        except (ResidentNotFound, TypeError, ValueError):
            ref = None
        if ref is None or ref.home_id != home_id:
            errors.append(_("Choose a resident of this home."))
        elif require_current and not ref.is_current:
            errors.append(_("%(name)s is no longer in residence.") % {"name": ref.display_name})
        else:
            out["resident_id"] = ref.id
            out["name"] = ref.display_name  # a copy, as at the time of the report
    elif kind in PersonKind.values:
        if kind == PersonKind.STAFF and person.get("user_id") not in (None, ""):
            try:
                user_id = int(person["user_id"])
            except (TypeError, ValueError):
                user_id = None
            if user_id is None or not _staff_user_ok(user_id, home_id):
                errors.append(_("Choose a member of staff of this home."))
            else:
                out["user_id"] = user_id
        if not out.get("name") and not out["user_id"]:
            errors.append(_("Enter the person's name."))
    if errors:
        raise ValidationError({field: errors})
    return out


def clean_injury(injury: dict, *, field: str) -> dict:
    errors = []
    location = injury.get("body_location")
    if location not in BODY_LOCATION_VALUES:
        errors.append(_("Choose where on the body."))
    if injury.get("kind") not in InjuryKind.values:
        errors.append(_("Choose the kind of injury."))
    try:
        description = clean_text(injury.get("description"), max_length=300)
    except ValueError as exc:
        errors.append(str(exc))
        description = ""
    if errors:
        raise ValidationError({field: errors})
    return {"body_location": location, "kind": injury["kind"], "description": description}


def home_for(home_id, people: list[dict], values: dict) -> int:
    """The home the incident is reported in: given (in scope), else the first resident's, else the unit's,
    else the only or active home of the scope."""
    scope = current_scope()
    if home_id not in (None, ""):
        home_id = int(home_id)
        if scope is not None and not scope.allows(home_id):
            raise ValidationError({"home": [_("Choose one of your homes.")]})
        return home_id
    for person in people:
        if person.get("resident_id") not in (None, ""):
            try:
                return get_resident(int(person["resident_id"])).home_id
            except (ResidentNotFound, TypeError, ValueError):
                break
    if values.get("unit_id") not in (None, ""):
        unit = Unit.objects.filter(pk=values["unit_id"]).only("home_id").first()
        if unit is not None:
            return unit.home_id
    if scope is not None and scope.active_home_id:
        return scope.active_home_id
    if scope is not None and len(scope.home_ids) == 1:
        return next(iter(scope.home_ids))
    raise ValidationError({"home": [_("Choose the home where it happened (switch to one home first).")]})
