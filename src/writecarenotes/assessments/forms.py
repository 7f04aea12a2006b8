"""Page forms generated from a tool's items: radio groups for a choice (and yes/no), checkboxes for
several answers, a number input with its unit. The answers are checked and scored by the engine
(through the services), so its messages appear next to the item they are about.

Every record-creating form has a hidden ``idempotency_key`` (a uuid4 made when it is shown) and is
marked ``data-offline="care-entry"`` in its template (offline queue).
"""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.assessments import engine
from writecarenotes.assessments.services_due import MAX_REVIEW_DAYS

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
PREFIX = "item_"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


def field_name(item_key: str) -> str:
    return PREFIX + item_key


def _choices(item: engine.Item) -> list[tuple[str, str]]:
    if item.kind == "boolean" and not item.options:
        return [("yes", _("Yes")), ("no", _("No"))]
    return [(o.value, o.label) for o in item.options]


def _label(item: engine.Item) -> str:
    return f"{item.label} ({item.unit})" if item.kind == "number" and item.unit else str(item.label)


def item_field(item: engine.Item) -> forms.Field:
    """The form field of one item. Not required here: the engine says what is missing, per item."""
    common = {"label": _label(item), "help_text": item.help, "required": False}
    if item.kind in ("choice", "boolean"):
        return forms.ChoiceField(choices=_choices(item), widget=forms.RadioSelect, **common)
    if item.kind == "multi":
        return forms.MultipleChoiceField(choices=_choices(item), widget=forms.CheckboxSelectMultiple, **common)
    step = "1" if item.decimals == 0 else "0." + "0" * (item.decimals - 1) + "1"
    attrs = {"inputmode": "numeric" if item.decimals == 0 else "decimal", "step": step}
    if item.min_value is not None:
        attrs["min"] = str(item.min_value)
    if item.max_value is not None:
        attrs["max"] = str(item.max_value)
    return forms.CharField(widget=forms.NumberInput(attrs=attrs), max_length=30, **common)


class AnswersForm(forms.Form):
    """The tool's items as fields (``item_<key>``); subclasses add the time, notes or reason."""

    def __init__(self, *args, tool: engine.Tool, **kwargs):
        super().__init__(*args, **kwargs)
        self.tool = tool
        for item in tool.items:
            self.fields[field_name(item.key)] = item_field(item)
        # the tool's items first, in their order; the subclass's own fields after them
        own = [n for n in self.fields if not n.startswith(PREFIX)]
        self.order_fields([field_name(i.key) for i in tool.items] + own)

    def answers(self) -> dict:
        """{item key: answer} of the answered items (raw strings and lists: the engine types them)."""
        out = {}
        for item in self.tool.items:
            value = self.cleaned_data.get(field_name(item.key))
            if value in (None, "", []):
                continue
            out[item.key] = list(value) if item.kind == "multi" else value
        return out

    def groups(self) -> list[dict]:
        """Bound fields of the items grouped under their section headings, with each item's kind."""
        out: list[dict] = []
        for item in self.tool.items:
            group = str(item.group)
            if not out or out[-1]["title"] != group:
                out.append({"title": group, "items": []})
            out[-1]["items"].append({"item": item, "field": self[field_name(item.key)]})
        return out

    def other_fields(self) -> list:
        return [self[n] for n in self.fields if not n.startswith(PREFIX)]

    def apply_errors(self, exc: ValidationError) -> None:
        """Put the service's messages next to the fields they are about (``answers.<key>`` → the item)."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for key, errors in exc.error_dict.items():
            name = field_name(key.split(".", 1)[1]) if key.startswith("answers.") else key
            self.add_error(name if name in self.fields else None, errors)


def now_local_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


class AssessmentForm(AnswersForm):
    assessed_at = forms.DateTimeField(
        label=_("Time of assessment"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        help_text=_("Change it if you assessed earlier; entries over an hour later are marked late."),
    )
    notes = forms.CharField(
        label=_("Notes (optional)"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("assessed_at", now_local_minute())
            self.initial.setdefault("idempotency_key", uuid.uuid4())


class CorrectionForm(AnswersForm):
    notes = forms.CharField(
        label=_("Notes (optional)"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


def initial_answers(result) -> dict:
    """Form initial values from a stored result's answers (for its correction form)."""
    out = {}
    for a in result.answers.all():
        value = a.value
        if isinstance(value, bool):
            value = "yes" if value else "no"
        out[field_name(a.item_key)] = value
    return out


class ToolSettingsForm(forms.Form):
    enabled = forms.BooleanField(label=_("In use in this organisation"), required=False)
    band_set = forms.ChoiceField(label=_("Levels of risk (band set)"), required=False)
    review_days = forms.IntegerField(
        label=_("Review every (days)"),
        required=False,
        min_value=1,
        max_value=MAX_REVIEW_DAYS,
        help_text=_("Leave empty to use the tool's default."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    reason = forms.CharField(label=_("Reason for the change (optional)"), required=False, max_length=500)

    def __init__(self, *args, tool: engine.Tool, **kwargs):
        super().__init__(*args, **kwargs)
        labels = getattr(tool, "band_set_labels", {}) or {}
        self.fields["band_set"].choices = [
            (key, labels.get(key, key) if i else _("%(label)s (default)") % {"label": labels.get(key, key)})
            for i, key in enumerate(tool.band_sets)
        ]


class MarkDueForm(forms.Form):
    tool = forms.ChoiceField(label=_("Assessment"))
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, tools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tool"].choices = [(t.slug, t.name) for t in tools]
        if not self.is_bound:
            self.initial.setdefault("due_on", timezone.localdate())
