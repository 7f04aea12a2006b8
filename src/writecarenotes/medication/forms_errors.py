from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.medication.models import ErrorHarm, ErrorKind
from writecarenotes.platform.web.forms import DATETIME_WIDGET, ServiceErrorsMixin


class ErrorForm(ServiceErrorsMixin, forms.Form):
    field_aliases = {"resident_id": "resident"}

    resident = forms.TypedChoiceField(label=_("Resident"), coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(label=_("What went wrong"), choices=ErrorKind.choices)
    occurred_at = forms.DateTimeField(label=_("When it happened"), widget=DATETIME_WIDGET)
    description = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("The medicine, the dose, what should have happened and what did. Facts, not blame."),
    )
    harm = forms.ChoiceField(label=_("Harm to the resident"), choices=ErrorHarm.choices, widget=forms.RadioSelect)
    immediate_action = forms.CharField(
        label=_("What was done straight away"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
    )
    gp_informed = forms.BooleanField(label=_("The GP (or 111) was told and their advice followed"), required=False)
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, residents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].choices = [("", _("No resident (e.g. a storage error)"))] + [
            (r.id, f"{r.display_name} ({r.room})" if r.room else r.display_name) for r in residents
        ]
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
            self.initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))
