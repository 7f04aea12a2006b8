"""Page forms of the duties (candour, safeguarding, relatives and GP informed). The forms check the shape
of the answers; ``services_duties`` decides what is acceptable and its messages go next to the field.
Each step's form has its own prefix (``step<id>``) so several sit on one page."""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.incidents.models import AddressedAs, DutyKind, InformedMethod, InformedParty
from writecarenotes.platform.web.forms import ServiceErrorsMixin

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


def _done_at(label=None):
    return forms.DateTimeField(
        label=label or _("When (leave empty for now)"),
        required=False,
        widget=DATETIME_WIDGET,
        input_formats=DATETIME_FORMATS,
    )


class StepForm(ServiceErrorsMixin, forms.Form):
    """The fields a step needs, by its kind and key (see ``services_duties.record_step``)."""

    def __init__(self, *args, step, **kwargs):
        kwargs.setdefault("prefix", f"step{step.pk}")
        super().__init__(*args, **kwargs)
        self.step = step
        if step.kind == DutyKind.CANDOUR:
            if step.key in ("notify_in_person", "true_account", "apology", "written_notification", "meeting"):
                self.fields["addressed_to"] = forms.CharField(label=_("Told to (name)"), max_length=200)
                self.fields["addressed_as"] = forms.ChoiceField(
                    label=_("Who they are"), choices=[("", "—"), *AddressedAs.choices]
                )
            elif step.key == "health_professional_opinion":
                self.fields["addressed_to"] = forms.CharField(
                    label=_("Registered health professional (not involved)"), max_length=200
                )
            if step.needs_sent_on:
                self.fields["sent_on"] = forms.DateField(label=_("Date sent"), widget=DATE_WIDGET)
            self.fields["notes"] = forms.CharField(
                label=_("What was said or done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
            )
        elif step.key == "protection":
            self.fields["immediate_protection"] = forms.CharField(
                label=_("Immediate protection actions"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
            )
        elif step.key == "referral":
            self.fields["authority_name"] = forms.CharField(label=_("Local authority"), max_length=200)
            self.fields["referral_reference"] = forms.CharField(label=_("Their reference"), max_length=100)
        elif step.key == "outcome":
            self.fields["outcome"] = forms.CharField(
                label=_("Outcome of the enquiry"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
            )
        self.fields["done_at"] = _done_at(_("Referred at (leave empty for now)") if step.key == "referral" else None)

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("done_at"):
            data.pop("done_at", None)
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it cannot be done"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("For example: they declined to speak to us; no one could be contacted (say what was tried)."),
    )

    def __init__(self, *args, step, **kwargs):
        kwargs.setdefault("prefix", f"decline{step.pk}")
        super().__init__(*args, **kwargs)
        self.step = step


class InformedForm(ServiceErrorsMixin, forms.Form):
    party = forms.ChoiceField(label=_("Who was told"), choices=[("", "—"), *InformedParty.choices])
    name = forms.CharField(label=_("Their name"), max_length=200)
    relationship = forms.CharField(label=_("Relationship, or GP practice"), max_length=200)
    informed_at = forms.DateTimeField(label=_("When"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS)
    method = forms.ChoiceField(label=_("How"), choices=[("", "—"), *InformedMethod.choices])
    what_said = forms.CharField(label=_("What was said"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "informed")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
            self.initial.setdefault("informed_at", timezone.localtime().replace(second=0, microsecond=0))

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("idempotency_key", None)
        return data
