"""Page forms of medicines stock and the fridge log (shape only; ``services_stock`` and
``services_stock_fridges`` decide, and their messages go next to the fields)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from writecarenotes.medication.forms_controlled import DATETIME_FORMATS, DATETIME_WIDGET, KeyedForm
from writecarenotes.medication.models import Medicine, MovementKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReceiptForm(KeyedForm):
    resident = forms.TypedChoiceField(label=_("For"), required=False, coerce=int, empty_value=None)
    quantity = forms.DecimalField(label=_("Quantity received"), max_digits=12, decimal_places=3, min_value=0)
    supplier = forms.CharField(label=_("Pharmacy"), max_length=160)
    reference = forms.CharField(label=_("Reference (delivery note)"), max_length=120, required=False)

    def __init__(self, *args, home_id: int, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["medicine"] = forms.ModelChoiceField(
            label=_("Medicine"), queryset=Medicine.objects.filter(home_id=home_id, active=True)
        )
        self.order_fields(["medicine", "resident", "quantity", "supplier", "reference"])
        self.fields["resident"].choices = [("", _("The home's stock (homely remedies)"))] + [
            (r.id, r.display_name) for r in residents
        ]


class CountForm(KeyedForm):
    counted = forms.DecimalField(label=_("Counted now"), max_digits=12, decimal_places=3, min_value=0)
    carried_forward = forms.BooleanField(label=_("Carried forward into a new cycle"), required=False)
    reason = forms.CharField(label=_("Note"), max_length=300, required=False)


class OutForm(KeyedForm):
    kind = forms.ChoiceField(
        label=_("What"),
        choices=[
            (MovementKind.RETURN.value, _("Returned to the pharmacy")),
            (MovementKind.DISPOSAL.value, _("Disposed of")),
        ],
    )
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=12, decimal_places=3, min_value=0)
    reason = forms.CharField(label=_("Why"), max_length=300)
    supplier = forms.CharField(label=_("Pharmacy (for a return)"), max_length=160, required=False)
    reference = forms.CharField(label=_("Reference"), max_length=120, required=False)


class SettingsForm(KeyedForm):
    cycle_start = forms.DateField(label=_("A cycle start date"), widget=DATE_WIDGET)
    cycle_days = forms.IntegerField(label=_("Days in a cycle"), min_value=7, max_value=56, initial=28)
    order_lead_days = forms.IntegerField(
        label=_("Order this many days before the cycle starts"), min_value=0, max_value=28, initial=7
    )


class FridgeForm(KeyedForm):
    name = forms.CharField(label=_("Fridge"), max_length=80)
    location = forms.CharField(label=_("Where it is"), max_length=120, required=False)


class ReadingForm(KeyedForm):
    current_c = forms.DecimalField(label=_("Current °C"), max_digits=4, decimal_places=1)
    min_c = forms.DecimalField(label=_("Minimum °C (since last reset)"), max_digits=4, decimal_places=1)
    max_c = forms.DecimalField(label=_("Maximum °C (since last reset)"), max_digits=4, decimal_places=1)
    action_taken = forms.CharField(
        label=_("Action taken (required when out of range)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    read_at = forms.DateTimeField(
        label=_("Read at (leave empty for now)"), required=False, widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
