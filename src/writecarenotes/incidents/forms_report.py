"""Page forms of reporting. The forms check the shape of the answers; the services decide what is
acceptable and their messages are put next to the field they are about (``apply_errors``).

The report form is short on purpose (a carer on a phone, under two minutes): the type, who, when and
where, what happened, what was done, the harm, and for falls witnessed / head struck; up to three
injuries on the body map and three other people (staff, visitors, witnesses with their statements).
The facts the regulators' rules need sit in a "For the manager / nurse" part a carer can leave at
its defaults. Photos are added on the incident's page (the offline queue sends text fields only).
"""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.care_records.public import BODY_LOCATIONS
from writecarenotes.incidents.models import (
    SERIOUS_INJURY_TESTS,
    IncidentType,
    InjuryKind,
    MedicalAttention,
    PersonKind,
    PersonRole,
    PressureUlcerCategory,
    Severity,
)

INJURY_ROWS = 3
PERSON_ROWS = 3
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
YES_NO_UNKNOWN = [("", _("Not known")), ("yes", _("Yes")), ("no", _("No"))]
_FRONT = {"head_front", "neck_front", "chest", "abdomen", "groin", "left_arm_front", "right_arm_front"}
_FRONT |= {"left_hand", "right_hand", "left_leg_front", "right_leg_front", "left_foot", "right_foot"}


def body_map_choices(blank: bool = True) -> list:
    """The body map's regions in two groups, front and back (care_records' one list)."""
    front = [(v, label) for v, label in BODY_LOCATIONS if v in _FRONT]
    back = [(v, label) for v, label in BODY_LOCATIONS if v not in _FRONT]
    return ([("", "—")] if blank else []) + [(_("Front"), front), (_("Back"), back)]


def _yes_no(value):
    return {"yes": True, "no": False}.get(value)


def _to_yes_no(value) -> str:
    return "" if value is None else ("yes" if value else "no")


class ServiceErrorsMixin:
    """Put a service's ValidationError next to the fields it names (others at the top of the form)."""

    field_aliases: dict[str, str] = {}

    def apply_errors(self, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for key, errors in exc.error_dict.items():
            name = self.field_aliases.get(key, key)
            if name.startswith("people.") and name[7:].isdigit():
                name = self._person_field(int(name[7:]))
            elif name.startswith("injuries.") and name[9:].isdigit():
                name = f"injury_{int(name[9:]) + 1}_location"
            self.add_error(name if name in self.fields else None, errors)

    def _person_field(self, index: int) -> str:
        return "residents"


class FactsForm(ServiceErrorsMixin, forms.Form):
    """The facts of an incident (reporting and correcting share them)."""

    field_aliases = {"unit_id": "unit"}

    kind = forms.ChoiceField(label=_("What happened (type)"), choices=[("", "—"), *IncidentType.choices])
    other_kind = forms.CharField(label=_("What kind of incident (when 'Other')"), required=False, max_length=120)
    pressure_ulcer_category = forms.ChoiceField(
        label=_("Pressure ulcer category (for a pressure ulcer)"),
        required=False,
        choices=[("", "—"), *PressureUlcerCategory.choices],
    )
    occurred_at = forms.DateTimeField(label=_("When it happened"), widget=DATETIME_WIDGET)
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    location = forms.CharField(
        label=_("Where"), max_length=200, help_text=_("For example: Room 12, by the bed; the lounge; the garden.")
    )
    what_happened = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    immediate_actions = forms.CharField(
        label=_("What was done straight away"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
        help_text=_("First aid, observations, who was called."),
    )
    severity = forms.ChoiceField(label=_("Harm to the person"), choices=Severity.choices, widget=forms.RadioSelect)
    witnessed = forms.ChoiceField(
        label=_("Did anyone see it happen? (falls)"), choices=YES_NO_UNKNOWN, required=False, widget=forms.RadioSelect
    )
    head_struck = forms.ChoiceField(
        label=_("Was the head struck, or possibly struck? (falls)"),
        choices=YES_NO_UNKNOWN,
        required=False,
        widget=forms.RadioSelect,
    )
    # For the manager / nurse: a carer can leave these at their defaults
    serious_injury_tests = forms.MultipleChoiceField(
        label=_("Serious injury, in a health professional's opinion (CQC regulation 18(2)(a))"),
        choices=list(SERIOUS_INJURY_TESTS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    treatment_to_prevent_serious_injury = forms.BooleanField(
        label=_("Needed treatment to prevent death or a serious injury (regulation 18(2)(b))"), required=False
    )
    medical_attention = forms.ChoiceField(
        label=_("Medical attention"), choices=MedicalAttention.choices, initial=MedicalAttention.NONE
    )
    abuse_alleged = forms.BooleanField(label=_("Abuse, or an allegation of abuse"), required=False)
    police_involved = forms.BooleanField(label=_("Reported to, or investigated by, the police"), required=False)
    disruption_hours = forms.IntegerField(
        label=_("Hours the service was disrupted (utility failures)"), required=False, min_value=0
    )
    unexpected_or_unintended = forms.BooleanField(
        label=_("Unexpected or unintended (not the natural course of an illness)"), required=False, initial=True
    )

    MANAGER_FIELDS = (
        "serious_injury_tests",
        "treatment_to_prevent_serious_injury",
        "medical_attention",
        "abuse_alleged",
        "police_involved",
        "disruption_hours",
        "unexpected_or_unintended",
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "—")] + [(u.pk, u.name) for u in units]

    def manager_fields(self):
        return [self[name] for name in self.MANAGER_FIELDS]

    def main_fields(self):
        skip = set(self.MANAGER_FIELDS) | {"idempotency_key", "reason", "version"}
        return [f for f in self if f.name not in skip and not f.name.startswith(("injury_", "person_"))]

    def facts(self) -> dict:
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "other_kind": d.get("other_kind", ""),
            "pressure_ulcer_category": d.get("pressure_ulcer_category", ""),
            "occurred_at": d["occurred_at"],
            "unit_id": d.get("unit"),
            "location": d["location"],
            "what_happened": d["what_happened"],
            "immediate_actions": d.get("immediate_actions", ""),
            "severity": d["severity"],
            "witnessed": _yes_no(d.get("witnessed")),
            "head_struck": _yes_no(d.get("head_struck")),
            "serious_injury_tests": list(d.get("serious_injury_tests") or []),
            "treatment_to_prevent_serious_injury": bool(d.get("treatment_to_prevent_serious_injury")),
            "medical_attention": d.get("medical_attention") or MedicalAttention.NONE,
            "abuse_alleged": bool(d.get("abuse_alleged")),
            "police_involved": bool(d.get("police_involved")),
            "disruption_hours": d.get("disruption_hours"),
            "unexpected_or_unintended": bool(d.get("unexpected_or_unintended")),
        }


class ReportForm(FactsForm):
    residents = forms.TypedMultipleChoiceField(
        label=_("Resident(s) it happened to"),
        coerce=int,
        required=False,
        help_text=_("Choose one or more. Leave empty when no resident was involved (a utility failure, damage)."),
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    field_order = ["kind", "other_kind", "pressure_ulcer_category", "residents", "occurred_at", "unit", "location"]

    def __init__(self, *args, residents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["residents"].choices = [
            (r.id, f"{r.display_name}" + (f" (room {r.room})" if r.room else "")) for r in residents
        ]
        for n in range(1, INJURY_ROWS + 1):
            self.fields[f"injury_{n}_location"] = forms.ChoiceField(
                label=_("Injury %(n)s: where on the body") % {"n": n}, choices=body_map_choices(), required=False
            )
            self.fields[f"injury_{n}_kind"] = forms.ChoiceField(
                label=_("Injury %(n)s: what kind") % {"n": n}, choices=[("", "—"), *InjuryKind.choices], required=False
            )
            self.fields[f"injury_{n}_description"] = forms.CharField(
                label=_("Injury %(n)s: size, colour") % {"n": n}, max_length=300, required=False
            )
        for n in range(1, PERSON_ROWS + 1):
            self.fields[f"person_{n}_kind"] = forms.ChoiceField(
                label=_("Person %(n)s: who") % {"n": n},
                choices=[("", "—"), *[c for c in PersonKind.choices if c[0] != PersonKind.RESIDENT]],
                required=False,
            )
            self.fields[f"person_{n}_role"] = forms.ChoiceField(
                label=_("Person %(n)s: part in it") % {"n": n},
                choices=[c for c in PersonRole.choices if c[0] == PersonRole.WITNESS]
                + [c for c in PersonRole.choices if c[0] != PersonRole.WITNESS],
                required=False,
            )
            self.fields[f"person_{n}_name"] = forms.CharField(
                label=_("Person %(n)s: name") % {"n": n}, max_length=120, required=False
            )
            self.fields[f"person_{n}_statement"] = forms.CharField(
                label=_("Person %(n)s: what they saw or said") % {"n": n},
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=5000,
                required=False,
            )
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
            self.initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))

    def clean(self):
        data = super().clean()
        for n in range(1, INJURY_ROWS + 1):
            parts = [data.get(f"injury_{n}_{p}") for p in ("location", "kind", "description")]
            if any(parts) and not (parts[0] and parts[1]):
                self.add_error(f"injury_{n}_location", _("Give where on the body and the kind of injury."))
        for n in range(1, PERSON_ROWS + 1):
            kind, name, statement = (data.get(f"person_{n}_{p}") for p in ("kind", "name", "statement"))
            if (kind or name or statement) and not (kind and name):
                self.add_error(f"person_{n}_name", _("Give who the person is and their name."))
        return data

    def injury_rows(self):
        return [
            [self[f"injury_{n}_{p}"] for p in ("location", "kind", "description")] for n in range(1, INJURY_ROWS + 1)
        ]

    def person_rows(self):
        return [
            [self[f"person_{n}_{p}"] for p in ("kind", "role", "name", "statement")] for n in range(1, PERSON_ROWS + 1)
        ]

    def _person_field(self, index: int) -> str:
        rows = getattr(self, "_people_rows", [])
        return f"person_{rows[index]}_name" if index < len(rows) and rows[index] else "residents"

    def people(self) -> list[dict]:
        """Residents affected, then the other people; ``_people_rows`` maps each back to its row (0: residents)."""
        d = self.cleaned_data
        out = [{"role": PersonRole.AFFECTED, "kind": PersonKind.RESIDENT, "resident_id": r} for r in d["residents"]]
        self._people_rows = [0] * len(out)
        for n in range(1, PERSON_ROWS + 1):
            if d.get(f"person_{n}_kind"):
                self._people_rows.append(n)
                out.append(
                    {
                        "kind": d[f"person_{n}_kind"],
                        "role": d.get(f"person_{n}_role") or PersonRole.INVOLVED,
                        "name": d.get(f"person_{n}_name", ""),
                        "statement": d.get(f"person_{n}_statement", ""),
                    }
                )
        return out

    def injuries(self) -> list[dict]:
        d = self.cleaned_data
        return [
            {
                "body_location": d[f"injury_{n}_location"],
                "kind": d[f"injury_{n}_kind"],
                "description": d.get(f"injury_{n}_description", ""),
            }
            for n in range(1, INJURY_ROWS + 1)
            if d.get(f"injury_{n}_location")
        ]


class CorrectionForm(FactsForm):
    """The facts, with the reason for the correction and the version read."""

    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def changes(self, incident) -> dict:
        """The facts that differ from the incident's (the time to the minute, as the form shows it)."""
        out = {k: v for k, v in self.facts().items() if getattr(incident, k) != v}
        shown = timezone.localtime(incident.occurred_at).replace(second=0, microsecond=0)
        if "occurred_at" in out and out["occurred_at"] == shown:
            del out["occurred_at"]
        return out


def initial_from(incident) -> dict:
    return {
        "kind": incident.kind,
        "other_kind": incident.other_kind,
        "pressure_ulcer_category": incident.pressure_ulcer_category,
        "occurred_at": timezone.localtime(incident.occurred_at).replace(second=0, microsecond=0),
        "unit": incident.unit_id,
        "location": incident.location,
        "what_happened": incident.what_happened,
        "immediate_actions": incident.immediate_actions,
        "severity": incident.severity,
        "witnessed": _to_yes_no(incident.witnessed),
        "head_struck": _to_yes_no(incident.head_struck),
        "serious_injury_tests": list(incident.serious_injury_tests or []),
        "treatment_to_prevent_serious_injury": incident.treatment_to_prevent_serious_injury,
        "medical_attention": incident.medical_attention,
        "abuse_alleged": incident.abuse_alleged,
        "police_involved": incident.police_involved,
        "disruption_hours": incident.disruption_hours,
        "unexpected_or_unintended": incident.unexpected_or_unintended,
        "version": incident.version,
    }


class PersonForm(ServiceErrorsMixin, forms.Form):
    field_aliases = {"person": "name"}

    kind = forms.ChoiceField(label=_("Who"), choices=PersonKind.choices)
    role = forms.ChoiceField(label=_("Part in the incident"), choices=PersonRole.choices, initial=PersonRole.WITNESS)
    resident = forms.TypedChoiceField(label=_("Resident (when a resident)"), coerce=int, required=False)
    name = forms.CharField(label=_("Name (staff, visitors, others)"), max_length=120, required=False)
    contact = forms.CharField(label=_("Contact details"), max_length=200, required=False)
    statement = forms.CharField(
        label=_("Account or statement"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False
    )

    def __init__(self, *args, residents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].choices = [("", "—")] + [(r.id, r.display_name) for r in residents]

    def person(self) -> dict:
        d = dict(self.cleaned_data)
        d["resident_id"] = d.pop("resident", None)
        return d


class InjuryForm(ServiceErrorsMixin, forms.Form):
    field_aliases = {"injury": "body_location", "person_id": "person"}

    person = forms.TypedChoiceField(label=_("Whose injury"), coerce=int)
    body_location = forms.ChoiceField(label=_("Where on the body"), choices=body_map_choices())
    kind = forms.ChoiceField(label=_("Injury"), choices=[("", "—"), *InjuryKind.choices])
    description = forms.CharField(label=_("Size, colour, description"), max_length=300, required=False)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, f"{p.name} ({p.get_role_display()})") for p in people]

    def injury(self) -> dict:
        d = dict(self.cleaned_data)
        d["person_id"] = d.pop("person")
        return d


class PhotoForm(ServiceErrorsMixin, forms.Form):
    photo = forms.FileField(label=_("Photo (JPEG or PNG, at most 5 MB)"))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class CloseForm(ServiceErrorsMixin, forms.Form):
    summary = forms.CharField(
        label=_("Closing summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("What was found, what was done, what was learnt."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any")), ("open", _("Open")), ("closed", _("Closed")), ("needs_details", _("To complete"))],
    )
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("Any")), *IncidentType.choices])
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    resident = forms.TypedChoiceField(label=_("Resident"), required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, units=(), residents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Any"))] + [(u.pk, u.name) for u in units]
        self.fields["resident"].choices = [("", _("Any"))] + [(r.id, r.display_name) for r in residents]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
