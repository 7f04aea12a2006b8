"""Page form of the manager's review of a safety check override (``services_safety.review_override`` decides)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from writecarenotes.medication.services_safety import NOTE_MAX
from writecarenotes.platform.web.forms import ServiceErrorsMixin


class ReviewForm(ServiceErrorsMixin, forms.Form):
    review_note = forms.CharField(
        label=_("Your review"),
        help_text=_("What you found (was the override right?) and what, if anything, was done."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX,
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
