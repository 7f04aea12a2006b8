"""Page forms of statutory notifications: marking one as submitted, and HIQA's returns."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.web.forms import ServiceErrorsMixin


class SubmittedForm(ServiceErrorsMixin, forms.Form):
    submitted_at = forms.DateTimeField(
        label=_("When it was submitted"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    reference = forms.CharField(
        label=_("The regulator's reference"),
        required=False,
        max_length=100,
        help_text=_("The reference the regulator's portal or acknowledgement gave, if any."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submitted_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))


class PrepareForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReturnFiguresForm(ServiceErrorsMixin, forms.Form):
    restraint_occasions = forms.IntegerField(
        label=_("Occasions restraint was used in the period"), min_value=0, max_value=100000, required=False
    )
    restraint_details = forms.CharField(
        label=_("Restraint: kinds and reasons"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    fire_alarm_activations = forms.IntegerField(
        label=_("Times the fire alarm operated other than for a drill or test"),
        min_value=0,
        max_value=100000,
        required=False,
    )
    theft_pattern = forms.CharField(
        label=_("Any recurring pattern of theft or burglary"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )
    manager_notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ReturnSubmitForm(ServiceErrorsMixin, forms.Form):
    submitted_on = forms.DateField(
        label=_("Submitted to HIQA on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reference = forms.CharField(label=_("HIQA's reference"), required=False, max_length=100)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submitted_on", timezone.localdate())
