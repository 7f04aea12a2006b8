"""Page forms of the controlled drugs register. The forms check the shape; ``services_controlled`` decides
(its messages go next to the fields), and the witness types their own e-mail and password
(``witness.verify_witness``)."""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from writecarenotes.medication.models import CDEntryKind, Medicine
from writecarenotes.medication.services_controlled import MANUAL_KINDS
from writecarenotes.medication.witness import verify_witness

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


class ServiceErrorsMixin:
    """Put a service's ValidationError next to the fields it names (others at the top of the form)."""

    def apply_errors(self, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for key, errors in exc.error_dict.items():
            if key == "witness" and "witness_email" in self.fields:
                key = "witness_email"
            self.add_error(key if key in self.fields else None, errors)


class KeyedForm(ServiceErrorsMixin, forms.Form):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        for key in ("idempotency_key", "witness_email", "witness_password"):
            data.pop(key, None)
        return data


class WitnessMixin(forms.Form):
    witness_email = forms.EmailField(
        label=_("Witness: their own e-mail"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("A second member of staff watches and confirms with their own sign-in."),
    )
    witness_password = forms.CharField(
        label=_("Witness: their own password"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    def witness(self, request, home_id: int):
        """The verified witness, or None with the error on the form."""
        try:
            return verify_witness(
                request,
                home_id=home_id,
                email=self.cleaned_data.get("witness_email") or "",
                password=self.cleaned_data.get("witness_password") or "",
                not_user_id=request.user.pk,
            )
        except ValidationError as exc:
            self.add_error("witness_email", exc.message_dict.get("witness", exc.messages))
            return None


class OpenRegisterForm(KeyedForm):
    resident = forms.TypedChoiceField(
        label=_("For"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("A resident's own supply has its own page; leave empty for the home's stock."),
    )

    def __init__(self, *args, home_id: int, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["medicine"] = forms.ModelChoiceField(
            label=_("Controlled drug"),
            queryset=Medicine.objects.filter(home_id=home_id, active=True).exclude(
                cd_register=False, controlled_schedule=""
            ),
        )
        self.order_fields(["medicine", "resident"])
        self.fields["resident"].choices = [("", _("The home's stock"))] + [(r.id, r.display_name) for r in residents]


class EntryForm(WitnessMixin, KeyedForm):
    kind = forms.ChoiceField(label=_("Entry"), choices=[(k.value, k.label) for k in MANUAL_KINDS])
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=12, decimal_places=3, min_value=0)
    party_name = forms.CharField(
        label=_("From whom received, or to whom supplied (name)"),
        max_length=160,
        required=False,
        help_text=_("The pharmacy, hospital or waste contractor"),
    )
    party_address = forms.CharField(label=_("Their address"), max_length=300, required=False)
    occurred_at = forms.DateTimeField(
        label=_("Date and time (leave empty for now)"),
        required=False,
        widget=DATETIME_WIDGET,
        input_formats=DATETIME_FORMATS,
    )
    reference = forms.CharField(
        label=_("Reference (prescription, invoice, return note)"), max_length=120, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    field_order = [
        "kind",
        "quantity",
        "party_name",
        "party_address",
        "occurred_at",
        "reference",
        "note",
        "witness_email",
        "witness_password",
        "idempotency_key",
    ]

    def __init__(self, *args, kind: str = CDEntryKind.RECEIVED, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("kind", kind)


class CheckForm(WitnessMixin, KeyedForm):
    counted = forms.DecimalField(label=_("Counted now"), max_digits=12, decimal_places=3, min_value=0)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    field_order = ["counted", "note", "witness_email", "witness_password", "idempotency_key"]


class CorrectionForm(WitnessMixin, KeyedForm):
    note = forms.CharField(
        label=_("What was wrong, and what is right"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    right_quantity = forms.DecimalField(
        label=_("The right quantity (only if the quantity was wrong)"),
        max_digits=12,
        decimal_places=3,
        min_value=0,
        required=False,
    )
    field_order = ["note", "right_quantity", "witness_email", "witness_password", "idempotency_key"]


class ResolveForm(WitnessMixin, KeyedForm):
    resolution = forms.CharField(
        label=_("What the investigation found"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    adjust = forms.BooleanField(
        label=_("Bring the balance to the count (a witnessed adjustment entry)"), required=False
    )
    field_order = ["resolution", "adjust", "witness_email", "witness_password", "idempotency_key"]
