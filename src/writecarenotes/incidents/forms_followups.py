"""Page form of a follow-up task. The form checks the shape; ``services_followups.complete_task`` decides
(a deterioration without escalation is refused there, with the message next to "escalated")."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from writecarenotes.incidents.forms_duties import DATETIME_FORMATS, DATETIME_WIDGET, ServiceErrorsMixin
from writecarenotes.incidents.models import ACVPU


class TaskForm(ServiceErrorsMixin, forms.Form):
    outcome = forms.CharField(
        label=_("What you found and did"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    escalated = forms.BooleanField(label=_("Escalated (GP, 111, 999 or the nurse in charge)"), required=False)
    done_at = forms.DateTimeField(
        label=_("When (leave empty for now)"), required=False, widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        if task.neuro:
            self.fields["gcs"] = forms.IntegerField(
                label=_("GCS (3-15)"), required=False, min_value=3, max_value=15, widget=forms.NumberInput
            )
            self.fields["acvpu"] = forms.ChoiceField(
                label=_("ACVPU (when GCS cannot be scored)"), required=False, choices=[("", "—"), *ACVPU.choices]
            )
            self.fields["pupils"] = forms.CharField(
                label=_("Pupils: size and reaction"), max_length=100, required=False
            )
            order = ["gcs", "acvpu", "pupils", "outcome", "escalated", "done_at", "idempotency_key"]
            self.order_fields(order)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("idempotency_key", None)
        if not data.get("done_at"):
            data.pop("done_at", None)
        if "acvpu" in data and not data["acvpu"]:
            data["acvpu"] = ""
        return data
