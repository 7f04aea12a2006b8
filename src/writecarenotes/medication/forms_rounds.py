"""Page forms of the round. The forms check the shape of the answers; ``services_rounds`` decides (its
messages go next to the fields, or at the top of the dose's form)."""

from __future__ import annotations

import uuid
from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.medication import reason_codes
from writecarenotes.medication.models import Outcome, PrnEffect

NOT_GIVEN_OUTCOMES = [(v, label) for v, label in Outcome.choices if v not in ("given", "self_administered")]


class ServiceErrorsMixin:
    """Put a service's ValidationError next to the fields it names (others at the top of the form)."""

    def apply_errors(self, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for key, errors in exc.error_dict.items():
            self.add_error(key if key in self.fields else None, errors)


class AdministrationForm(ServiceErrorsMixin, forms.Form):
    """One dose's form on the round: "Given" (with the dose), or "Not given" with the outcome and reason."""

    outcome = forms.ChoiceField(
        choices=[*Outcome.choices, ("not_given", _("Not given"))], widget=forms.HiddenInput, required=False
    )
    dose = forms.DecimalField(label=_("Dose"), required=False, max_digits=10, decimal_places=3, min_value=0)
    not_given_outcome = forms.ChoiceField(
        label=_("What happened"), choices=[("", "—"), *NOT_GIVEN_OUTCOMES], required=False
    )
    reason_code = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *reason_codes.choices_for()], required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    override_reason = forms.CharField(
        label=_("Reason for the override (reported to the manager)"), max_length=500, required=False
    )
    witness_email = forms.EmailField(label=_("Witness's e-mail"), required=False)
    witness_password = forms.CharField(
        label=_("Witness's password"), required=False, widget=forms.PasswordInput(render_value=False), strip=False
    )
    due_at = forms.CharField(widget=forms.HiddenInput, required=False)
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, order=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
            if order is not None:
                self.initial.setdefault("dose", order.dose)

    def clean_due_at(self):
        value = (self.cleaned_data.get("due_at") or "").strip()
        if not value:
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError(_("Reload the round: the dose's time is not valid.")) from None
        return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome") or ""
        if outcome == "not_given":
            outcome = data.get("not_given_outcome") or ""
            if not outcome:
                self.add_error("not_given_outcome", _("Choose what happened."))
        elif not outcome:
            self.add_error(None, _("Choose Given or Not given."))
        data["outcome"] = outcome
        return data

    def values(self) -> dict:
        d = self.cleaned_data
        given = d["outcome"] in ("given", "self_administered")
        values = {
            "outcome": d["outcome"],
            "dose": d.get("dose") if given else None,
            "reason_code": "" if given else d.get("reason_code") or "",
            "note": d.get("note") or "",
            "due_at": d.get("due_at"),
            "override_reason": d.get("override_reason") or "",
        }
        if d.get("witness_email") or d.get("witness_password"):
            values["witness"] = {"email": d.get("witness_email") or "", "password": d.get("witness_password") or ""}
        return values


class CorrectionForm(ServiceErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    dose = forms.DecimalField(label=_("Dose given"), required=False, max_digits=10, decimal_places=3, min_value=0)
    reason_code = forms.ChoiceField(
        label=_("Reason not given"), choices=[("", "—"), *reason_codes.choices_for()], required=False
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    override_reason = forms.CharField(label=_("Reason for the override"), max_length=500, required=False)
    reason = forms.CharField(label=_("Why is the record corrected?"), max_length=300)
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, administration=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
            if administration is not None:
                for f in ("outcome", "dose", "reason_code", "note"):
                    self.initial.setdefault(f, getattr(administration, f))

    def values(self) -> dict:
        d = dict(self.cleaned_data)
        d.pop("idempotency_key", None)
        d["reason_code"] = d.get("reason_code") or ""
        return d


class EffectForm(ServiceErrorsMixin, forms.Form):
    effect = forms.ChoiceField(label=_("Did it work?"), choices=PrnEffect.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("What you saw"), max_length=300, required=False)
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())


class AcknowledgeForm(ServiceErrorsMixin, forms.Form):
    gp_contact_note = forms.CharField(
        label=_("GP contacted: who you spoke to and what was agreed"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
