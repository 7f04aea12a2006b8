"""Page forms: quick note, chart entries, correction, chart settings, handover item.

Every record-creating form has a hidden ``idempotency_key`` (a uuid4 made when the form is
rendered) and is marked ``data-offline="care-entry"`` in its template (offline queue, R4).
"""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.care_records.models import ChartSettings
from writecarenotes.care_records.models.notes import BodyLocation, NoteCategory
from writecarenotes.care_records.services_charts import CHARTS

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


def now_local_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


class EntryForm(forms.Form):
    """Base of record-creating forms: time of care (default now) and the idempotency key."""

    occurred_at = forms.DateTimeField(
        label=_("Time of care"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        help_text=_("Change it if the care happened earlier; entries over an hour later are marked late."),
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("occurred_at", now_local_minute())
            self.initial.setdefault("idempotency_key", uuid.uuid4())

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in {"occurred_at", "idempotency_key"}}


class NoteForm(EntryForm):
    category = forms.ChoiceField(label=_("What kind of note"), choices=[("", _("Choose…")), *NoteCategory.choices])
    text = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    body_location = forms.ChoiceField(
        label=_("Where on the body (optional)"),
        choices=[("", _("Not about a body area")), *BodyLocation.choices],
        required=False,
    )
    fall = forms.BooleanField(label=_("This was a fall"), required=False)

    field_order = ["category", "text", "occurred_at", "body_location", "fall", "idempotency_key"]


#: fields of each chart's form, in order
CHART_FIELDS: dict[str, list[str]] = {
    "food-fluid": ["meal", "item", "fluid_ml", "amount_eaten"],
    "repositioning": ["position", "skin_check", "notes"],
    "continence": ["bowels_opened", "stool_type", "urine_passed", "urine_ml", "pad_changed", "notes"],
    "weight": ["weight_kg"],
    "blood-glucose": ["mmol_per_l", "timing"],
    "behaviour": ["antecedent", "behaviour", "consequence", "duration_minutes", "intensity"],
    "sleep": ["state", "notes"],
}

CHART_TITLES = {
    "food-fluid": _("Food and fluid"),
    "repositioning": _("Repositioning"),
    "continence": _("Continence and bowels"),
    "weight": _("Weight"),
    "blood-glucose": _("Blood glucose"),
    "behaviour": _("Behaviour (ABC)"),
    "sleep": _("Sleep"),
}


def _formfield(model, name: str):
    field = model._meta.get_field(name).formfield()
    if isinstance(field, forms.TypedChoiceField) and field.choices and field.choices[0][0] == "":
        field.choices = [("", _("Choose…")), *field.choices[1:]]
    if name in {"notes", "antecedent", "behaviour", "consequence"}:
        field.widget = forms.Textarea(attrs={"rows": 3})
    if name in {"fluid_ml", "urine_ml", "duration_minutes"}:
        field.widget.attrs.update({"inputmode": "numeric"})
    if name in {"weight_kg", "mmol_per_l"}:
        field.widget.attrs.update({"inputmode": "decimal", "step": "0.1"})
    return field


def chart_form_class(chart: str) -> type[EntryForm]:
    model = CHARTS[chart]
    attrs = {name: _formfield(model, name) for name in CHART_FIELDS[chart]}
    if chart == "food-fluid":
        attrs["fluid_ml"].initial = None
        attrs["fluid_ml"].required = False
    attrs["field_order"] = [*CHART_FIELDS[chart], "occurred_at", "idempotency_key"]

    def values(self) -> dict:
        out = EntryForm.values(self)
        if chart == "food-fluid" and out.get("fluid_ml") is None:
            out["fluid_ml"] = 0
        return out

    attrs["values"] = values
    return type(f"{model.__name__}Form", (EntryForm,), attrs)


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


def correction_form_class(kind: str, model) -> type[forms.Form]:
    names = ["category", "text", "body_location", "fall"] if kind == "notes" else CHART_FIELDS[kind]
    attrs = {"reason": CorrectionForm.base_fields["reason"]}
    for name in names:
        attrs[name] = _formfield(model, name)
    attrs["occurred_at"] = forms.DateTimeField(
        label=_("Time of care"), widget=DateTimeLocalInput(), input_formats=[DATETIME_FORMAT, "%Y-%m-%dT%H:%M:%S"]
    )
    attrs["field_order"] = [*names, "occurred_at", "reason"]
    return type(f"Correct{model.__name__}Form", (forms.Form,), attrs)


class ChartSettingsForm(forms.ModelForm):
    class Meta:
        model = ChartSettings
        fields = [
            "monitor_fluids",
            "fluid_target_ml",
            "fluid_check_time",
            "fluid_check_percent",
            "repositioning_interval_hours",
            "bowel_alert_days",
        ]
        widgets = {"fluid_check_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=500)


class HandoverItemForm(forms.Form):
    resident = forms.TypedChoiceField(label=_("About (optional)"), coerce=int, required=False, empty_value=None)
    text = forms.CharField(label=_("Handover note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, residents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].choices = [
            ("", _("The whole unit")),
            *[(r.id, f"{r.display_name} ({r.room})") for r in residents],
        ]
