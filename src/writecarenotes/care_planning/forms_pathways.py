"""Page forms of the pathways. The services check everything again (the API uses them too); a form's
``apply_errors`` puts the service's messages next to the fields they are about.

Every record-creating form has a hidden ``idempotency_key`` (a uuid4 made when it is shown) and is
marked ``data-offline="care-entry"`` in its template (offline queue).
"""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.care_planning.models.pathways import (
    AdvanceDecision,
    AnticipatoryMedicine,
    GoalStatus,
    MentalHealthContact,
    TherapyEquipment,
    TherapyGoal,
)
from writecarenotes.care_planning.models.pathways_entries import (
    MOOD_OBSERVATIONS,
    MOOD_SCORES,
    PROGRESS_RATINGS,
    SYMPTOM_LEVELS,
    SYMPTOMS,
    Discipline,
    RatedBy,
)
from writecarenotes.care_planning.pathways_documents import DocumentSpec

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
NOT_ASSESSED = "na"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def when_field(label=None) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label or _("Time"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        help_text=_("Change it if it was earlier; entries over an hour later are marked late."),
    )


def date_field(label, required=True, help_text="") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


def text_area(label, required=False, max_length=5000) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": 3})
    )


def now_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


class PathwayForm(forms.Form):
    """Base: ``apply_errors`` maps a service ValidationError onto the form's fields."""

    #: service error key -> form field name
    error_map: dict[str, str] = {}

    def apply_errors(self, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for key, errors in exc.error_dict.items():
            name = self.error_map.get(key, key)
            if name.startswith("values."):
                name = name.split(".", 1)[1]
            self.add_error(name if name in self.fields else None, errors)


class RecordForm(PathwayForm):
    """A form that records something: a hidden idempotency key made when it is shown."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
            if "occurred_at" in self.fields:
                self.initial.setdefault("occurred_at", now_minute())


class ReasonMixin(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the change"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


# --- enrolment -------------------------------------------------------------------------------------


class StartForm(RecordForm):
    started_on = date_field(_("Started on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("started_on", timezone.localdate())


class EndForm(RecordForm, ReasonMixin):
    ended_on = date_field(_("Ended on"))
    reason = forms.CharField(label=_("Why it ends"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("ended_on", timezone.localdate())


# --- documents -------------------------------------------------------------------------------------


def _document_field(f) -> forms.Field:
    common = {"label": f.label, "required": False, "help_text": f.help}
    if f.kind == "text" or f.kind == "phone":
        return forms.CharField(max_length=200, **common)
    if f.kind == "choice":
        return forms.ChoiceField(choices=[("", "—"), *f.choices], **common)
    if f.kind == "multi":
        return forms.MultipleChoiceField(choices=f.choices, widget=forms.CheckboxSelectMultiple, **common)
    if f.kind == "bool":
        return forms.BooleanField(**common)
    if f.kind == "date":
        return forms.DateField(widget=DateInput(), **common)
    return forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 3}), **common)


class DocumentForm(RecordForm):
    """The document's fields generated from its spec; required fields are checked by the service."""

    def __init__(self, *args, spec: DocumentSpec, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        for f in spec.fields:
            self.fields[f.key] = _document_field(f)
            if f.required:
                self.fields[f.key].widget.attrs["aria-required"] = "true"
        self.fields["review_on"] = date_field(_("Review by"), required=False)
        if editing:
            self.fields["reason"] = forms.CharField(
                label=_("Reason for the change"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
            )

    def values(self) -> dict:
        out = {}
        for f in self.spec.fields:
            value = self.cleaned_data.get(f.key)
            if f.kind == "date" and value:
                value = value.isoformat()
            out[f.key] = value
        return out

    def sections(self) -> list[tuple[str, list]]:
        return [(title, [self[f.key] for f in fields]) for title, fields in self.spec.sections()]

    def other_fields(self) -> list:
        return [self[n] for n in ("review_on", "reason") if n in self.fields]


def document_initial(doc) -> dict:
    initial = dict(doc.data or {})
    initial["review_on"] = doc.review_on
    return initial


# --- palliative ------------------------------------------------------------------------------------


class SymptomForm(RecordForm):
    occurred_at = when_field()
    rated_by = forms.ChoiceField(label=_("Who rated"), choices=RatedBy.choices, widget=forms.RadioSelect)
    actions = text_area(_("What was done (comfort, medicines given, who was told)"))
    notes = text_area(_("Notes"))
    error_map = {"scores": "__all__"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        levels = [(str(k), f"{k} {label}") for k, label in SYMPTOM_LEVELS] + [(NOT_ASSESSED, _("Cannot assess"))]
        for key, label, _ipos in SYMPTOMS:
            self.fields[key] = forms.ChoiceField(label=label, choices=levels, widget=forms.RadioSelect, required=False)
        self.order_fields(["occurred_at", "rated_by", *[k for k, _l, _i in SYMPTOMS], "actions", "notes"])
        self.initial.setdefault("rated_by", RatedBy.STAFF)

    def scores(self) -> dict:
        out = {}
        for key, _label, _ipos in SYMPTOMS:
            value = self.cleaned_data.get(key)
            out[key] = None if value in (None, "", NOT_ASSESSED) else int(value)
        return out

    def symptom_fields(self) -> list:
        return [self[k] for k, _l, _i in SYMPTOMS]


def _model_widgets(model, fields) -> dict:
    from django.db import models as m

    out = {}
    for name in fields:
        f = model._meta.get_field(name)
        if isinstance(f, m.DateField):
            out[name] = DateInput()
        elif isinstance(f, m.TextField):
            out[name] = forms.Textarea(attrs={"rows": 3})
    return out


MEDICINE_FIELDS = [
    "drug",
    "dose",
    "route",
    "frequency",
    "indication",
    "indication_detail",
    "prescribed_on",
    "prescriber",
    "supply_note",
]


class MedicineForm(forms.ModelForm, RecordForm):
    class Meta:
        model = AnticipatoryMedicine
        fields = MEDICINE_FIELDS
        widgets = _model_widgets(AnticipatoryMedicine, MEDICINE_FIELDS)


class MedicineChangeForm(MedicineForm, ReasonMixin):
    class Meta(MedicineForm.Meta):
        fields = [*MEDICINE_FIELDS, "reason"]


class StopForm(RecordForm, ReasonMixin):
    on = date_field(_("On"))
    reason = forms.CharField(label=_("Why"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())


DECISION_FIELDS = [
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
]


class DecisionForm(forms.ModelForm, RecordForm):
    class Meta:
        model = AdvanceDecision
        fields = DECISION_FIELDS
        widgets = _model_widgets(AdvanceDecision, DECISION_FIELDS)


class DecisionChangeForm(DecisionForm, ReasonMixin):
    class Meta(DecisionForm.Meta):
        fields = [*DECISION_FIELDS, "reason"]


# --- mental health ---------------------------------------------------------------------------------


class MoodForm(RecordForm):
    occurred_at = when_field()
    mood_score = forms.TypedChoiceField(
        label=_("How the person seems"),
        choices=[(str(k), v) for k, v in MOOD_SCORES],
        coerce=int,
        widget=forms.RadioSelect,
    )
    observations = forms.MultipleChoiceField(
        label=_("What you noticed"), choices=MOOD_OBSERVATIONS, widget=forms.CheckboxSelectMultiple, required=False
    )
    behaviour = text_area(_("What happened"))
    triggers = text_area(_("Possible triggers"))
    de_escalation = text_area(_("What was tried, and how it worked"))


CONTACT_FIELDS = ["team", "worker_name", "role", "phone", "out_of_hours_phone", "email", "notes"]


class ContactForm(forms.ModelForm, RecordForm):
    class Meta:
        model = MentalHealthContact
        fields = CONTACT_FIELDS
        widgets = {
            **_model_widgets(MentalHealthContact, CONTACT_FIELDS),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "type": "tel"}),
            "out_of_hours_phone": forms.TextInput(attrs={"inputmode": "tel", "type": "tel"}),
        }


class ContactChangeForm(ContactForm, ReasonMixin):
    class Meta(ContactForm.Meta):
        fields = [*CONTACT_FIELDS, "reason"]


# --- rehabilitation --------------------------------------------------------------------------------

GOAL_FIELDS = [
    "description",
    "discipline",
    "measure",
    "measure_label",
    "unit",
    "higher_is_better",
    "baseline_value",
    "baseline_on",
    "target_value",
    "target_on",
]


class GoalForm(forms.ModelForm, RecordForm):
    class Meta:
        model = TherapyGoal
        fields = GOAL_FIELDS
        widgets = _model_widgets(TherapyGoal, GOAL_FIELDS)
        help_texts = {"baseline_value": _("Barthel goal: leave empty to use the latest Barthel result.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("baseline_value", "baseline_on"):
            self.fields[name].required = False
        for name in ("baseline_value", "target_value"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"
        if not self.is_bound:
            self.initial.setdefault("baseline_on", timezone.localdate())


class GoalChangeForm(PathwayForm, ReasonMixin):
    description = forms.CharField(label=_("Goal"), max_length=300)
    target_value = forms.DecimalField(label=_("Target"), max_digits=8, decimal_places=2)
    target_on = date_field(_("Target date"))


class CloseGoalForm(PathwayForm, ReasonMixin):
    status = forms.ChoiceField(
        label=_("Close as"),
        choices=[(GoalStatus.ACHIEVED, _("Achieved")), (GoalStatus.STOPPED, _("Stopped"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Closing note"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class MeasureForm(RecordForm):
    occurred_at = when_field(_("Measured at"))
    value = forms.DecimalField(
        label=_("Value"),
        max_digits=8,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    from_assessment = forms.BooleanField(
        label=_("Use the latest Barthel result from the assessments instead"), required=False
    )
    notes = text_area(_("Notes"))

    def clean(self):
        data = super().clean()
        if not data.get("from_assessment") and data.get("value") is None and "value" not in self.errors:
            self.add_error("value", _("Enter the value, or use the latest Barthel result."))
        return data


class SessionForm(RecordForm):
    occurred_at = when_field(_("Session time"))
    therapist = forms.CharField(label=_("Therapist"), max_length=120)
    discipline = forms.ChoiceField(label=_("Discipline"), choices=Discipline.choices, widget=forms.RadioSelect)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=1,
        max_value=480,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    activity = forms.CharField(label=_("Activity"), max_length=300)
    goal = forms.TypedChoiceField(label=_("Goal worked on"), required=False, coerce=int, empty_value=None)
    progress_rating = forms.TypedChoiceField(
        label=_("Progress"), choices=[(str(k), v) for k, v in PROGRESS_RATINGS], coerce=int, widget=forms.RadioSelect
    )
    notes = text_area(_("Notes"))
    error_map = {"goal_id": "goal"}

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [("", _("None")), *[(str(g.pk), g.description) for g in goals]]


EQUIPMENT_FIELDS = ["item", "serial_number", "supplier", "issued_on", "last_serviced_on", "next_service_due", "notes"]


class EquipmentForm(forms.ModelForm, RecordForm):
    class Meta:
        model = TherapyEquipment
        fields = EQUIPMENT_FIELDS
        widgets = _model_widgets(TherapyEquipment, EQUIPMENT_FIELDS)
        help_texts = {
            "next_service_due": _("Hoists and slings: a thorough examination at least every 6 months (LOLER).")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("issued_on", timezone.localdate())


class ServiceForm(RecordForm):
    serviced_on = date_field(_("Serviced or checked on"))
    next_service_due = date_field(_("Next service due"), required=False)
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("serviced_on", timezone.localdate())


class CorrectionForm(ReasonMixin):
    reason = forms.CharField(
        label=_("Reason for the correction"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
