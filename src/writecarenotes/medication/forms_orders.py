"""Forms of the medicines record pages: the formulary, orders, reconciliation, homely remedies,
self-administration and covert administration. The forms only shape the input; the services validate
it (their field messages are put back on the forms)."""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from writecarenotes.medication.models import (
    AdministrationMode,
    AuthoriserRole,
    ControlledSchedule,
    Decision,
    DoseUnit,
    Food,
    MedicineForm,
    Occasion,
    OrderSource,
    ReconciliationSource,
    Route,
    SelfAdministrationLevel,
)

DATE = forms.DateInput(attrs={"type": "date"})
DAYS = [(0, _("Mon")), (1, _("Tue")), (2, _("Wed")), (3, _("Thu")), (4, _("Fri")), (5, _("Sat")), (6, _("Sun"))]


class KeyedForm(forms.Form):
    """A form that records something: a hidden idempotency key made when it is shown (offline.js)."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("idempotency_key", uuid.uuid4())

    def add_service_errors(self, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for field, msgs in exc.message_dict.items():
            target = field if field in self.fields else None
            for m in msgs:
                self.add_error(target, m if target else (m if field == "__all__" else f"{field}: {m}"))

    def main_fields(self):
        return [self[n] for n in self.fields if n not in ("idempotency_key", "reason", "acknowledgement", "version")]


class MedicineFormForm(KeyedForm):
    name = forms.CharField(label=_("Medicine (as on the label)"), max_length=160)
    form = forms.ChoiceField(label=_("Form"), choices=MedicineForm.choices)
    strength = forms.CharField(label=_("Strength"), max_length=60, required=False)
    dose_unit = forms.ChoiceField(label=_("Dose unit"), choices=DoseUnit.choices)
    dmd_code = forms.CharField(label=_("dm+d identifier"), max_length=20, required=False)
    controlled_schedule = forms.ChoiceField(
        label=_("Controlled drug schedule"), choices=ControlledSchedule.choices, required=False
    )
    cd_register = forms.BooleanField(label=_("Kept in the controlled drugs register"), required=False)
    time_critical = forms.BooleanField(label=_("Time-critical (give on time)"), required=False)
    needs_fridge = forms.BooleanField(label=_("Store in the fridge"), required=False)
    ingredients = forms.CharField(
        label=_("Active ingredients"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One a line: name; mg per dose unit; drug classes separated by commas. E.g. paracetamol; 500; analgesic"
        ),
    )
    reason = forms.CharField(label=_("Reason for the correction"), max_length=300, required=False)

    def clean_ingredients(self) -> list[dict]:
        rows = []
        for line in (self.cleaned_data.get("ingredients") or "").splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            rows.append(
                {
                    "ingredient": parts[0],
                    "amount_mg": parts[1] if len(parts) > 1 and parts[1] else None,
                    "classes": parts[2] if len(parts) > 2 else "",
                }
            )
        return rows


def ingredients_text(medicine) -> str:
    return "\n".join(
        f"{i.ingredient}; {'' if i.amount_mg is None else f'{i.amount_mg.normalize():f}'}; {', '.join(i.classes)}"
        for i in medicine.ingredients.all()
    )


class ReasonForm(KeyedForm):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class OrderForm(KeyedForm):
    medicine_id = forms.TypedChoiceField(label=_("Medicine"), coerce=int, choices=())
    source = forms.ChoiceField(label=_("From"), choices=OrderSource.choices, initial=OrderSource.GP)
    prescriber = forms.CharField(label=_("Prescriber"), max_length=120)
    prescribed_on = forms.DateField(label=_("Prescribed on"), required=False, widget=DATE)
    indication = forms.CharField(label=_("What it is for"), max_length=200, required=False)
    route = forms.ChoiceField(label=_("Route"), choices=Route.choices, initial=Route.ORAL)
    dose = forms.DecimalField(label=_("Dose"), max_digits=10, decimal_places=3, required=False)
    dose_max = forms.DecimalField(label=_("Up to (for a range)"), max_digits=10, decimal_places=3, required=False)
    is_prn = forms.BooleanField(label=_("When required (PRN)"), required=False)
    times = forms.CharField(label=_("Times of day"), required=False, help_text=_('e.g. "08:00, 18:00"'))
    days_of_week = forms.TypedMultipleChoiceField(
        label=_("Days of the week (none ticked: every day)"),
        coerce=int,
        choices=DAYS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    every_n_days = forms.IntegerField(label=_("Every N days"), min_value=1, max_value=365, initial=1, required=False)
    food = forms.ChoiceField(label=_("Food"), choices=Food.choices, required=False)
    start_date = forms.DateField(label=_("Start"), widget=DATE, required=False)
    stop_date = forms.DateField(label=_("Stop (last day)"), widget=DATE, required=False)
    instructions = forms.CharField(label=_("Special instructions"), max_length=300, required=False)
    time_critical = forms.BooleanField(label=_("Time-critical"), required=False)
    mode = forms.ChoiceField(label=_("Given by"), choices=AdministrationMode.choices, initial=AdministrationMode.STAFF)
    prn_indication = forms.CharField(label=_("PRN: give when"), max_length=200, required=False)
    prn_dose_rule = forms.CharField(label=_("PRN: dose rule"), max_length=200, required=False)
    prn_min_interval_minutes = forms.IntegerField(
        label=_("PRN: minimum interval (minutes)"), required=False, min_value=0
    )
    prn_max_doses_24h = forms.IntegerField(label=_("PRN: most doses in any 24 hours"), required=False, min_value=0)
    prn_max_amount_24h = forms.DecimalField(
        label=_("PRN: most in any 24 hours (dose units)"), max_digits=10, decimal_places=3, required=False
    )
    prn_expected_effect = forms.CharField(label=_("PRN: expected effect"), max_length=200, required=False)
    prn_effect_check_minutes = forms.IntegerField(
        label=_("PRN: check the effect after (minutes)"), required=False, min_value=0
    )
    prn_review_date = forms.DateField(label=_("PRN protocol review date"), widget=DATE, required=False)
    reason = forms.CharField(label=_("Reason for the change"), max_length=300, required=False)
    acknowledgement = forms.CharField(
        label=_("Your reason to go ahead despite the safety findings"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, medicines=(), changing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["medicine_id"].choices = [("", "---")] + [(m.pk, m.name) for m in medicines]
        if changing:
            del self.fields["medicine_id"]

    def values(self) -> dict:
        d = dict(self.cleaned_data)
        for k in ("idempotency_key", "medicine_id", "reason", "acknowledgement"):
            d.pop(k, None)
        return d


class ReconciliationStartForm(KeyedForm):
    occasion = forms.ChoiceField(label=_("Occasion"), choices=Occasion.choices)
    sources_checked = forms.MultipleChoiceField(
        label=_("Sources you have checked"),
        choices=ReconciliationSource.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)


class LineForm(OrderForm):
    """A reconciliation line: the medicine (current order or a new one), what each source says, the
    decision and reason, and for "new" or "change" the order's fields."""

    order_id = forms.TypedChoiceField(
        label=_("Current medicine"), coerce=int, choices=(), required=False, empty_value=None
    )
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    line_reason = forms.CharField(label=_("Reason for the decision"), max_length=300, required=False)

    def __init__(self, *args, orders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["medicine_id"].required = False
        self.fields["medicine_id"].label = _("New medicine (for a new order)")
        for name in ("prescriber", "source", "route", "mode"):
            self.fields[name].required = False
        self.fields["order_id"].choices = [("", "---")] + [(o.pk, f"{o.medicine.name} ({o.dose_text})") for o in orders]
        for key, label in ReconciliationSource.choices:
            self.fields[f"src_{key}"] = forms.CharField(label=label, max_length=200, required=False)
        del self.fields["reason"]
        order = ["order_id", "medicine_id", "decision", "line_reason"] + [
            f"src_{k}" for k in ReconciliationSource.values
        ]
        self.order_fields(order)

    def sources(self) -> dict:
        return {k: self.cleaned_data.get(f"src_{k}") or "" for k in ReconciliationSource.values}

    def order_values(self) -> dict:
        d = self.values()
        for k in ["order_id", "decision", "line_reason"] + [f"src_{k}" for k in ReconciliationSource.values]:
            d.pop(k, None)
        return {k: v for k, v in d.items() if v not in (None, "", [])}


class CompleteForm(KeyedForm):
    second_checker_email = forms.EmailField(label=_("Second checker's e-mail"), required=False)
    second_checker_password = forms.CharField(
        label=_("Second checker's password"), required=False, widget=forms.PasswordInput(render_value=False)
    )
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)


class RemedyForm(KeyedForm):
    medicine_id = forms.TypedChoiceField(label=_("Medicine"), coerce=int, choices=())
    indication = forms.CharField(label=_("What it is for"), max_length=200)
    dose = forms.DecimalField(label=_("Dose"), max_digits=10, decimal_places=3, required=False)
    dose_max = forms.DecimalField(label=_("Up to (for a range)"), max_digits=10, decimal_places=3, required=False)
    min_interval_minutes = forms.IntegerField(label=_("Minimum interval (minutes)"), required=False)
    max_doses_24h = forms.IntegerField(label=_("Most doses in any 24 hours"), required=False)
    max_days = forms.IntegerField(label=_("Most days before the GP is asked"), required=False)
    expected_effect = forms.CharField(label=_("Expected effect"), max_length=200, required=False)
    cautions = forms.CharField(label=_("Do not give when"), max_length=300, required=False)
    authorised_by = forms.CharField(label=_("Authorised by (name)"), max_length=120, required=False)
    authoriser_role = forms.ChoiceField(label=_("Who authorised it"), choices=AuthoriserRole.choices)
    authorised_on = forms.DateField(label=_("Authorised on"), widget=DATE, required=False)
    review_date = forms.DateField(label=_("Review date"), widget=DATE, required=False)

    def __init__(self, *args, medicines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["medicine_id"].choices = [("", "---")] + [(m.pk, m.name) for m in medicines]


class AuthoriseRemedyForm(KeyedForm):
    remedy_id = forms.TypedChoiceField(label=_("Homely remedy"), coerce=int, choices=())
    acknowledgement = forms.CharField(
        label=_("Your reason to go ahead despite the safety findings"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, remedies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remedy_id"].choices = [("", "---")] + [
            (r.pk, f"{r.medicine.name}: {r.indication}") for r in remedies
        ]


class SelfAssessmentForm(KeyedForm):
    medicine_id = forms.TypedChoiceField(label=_("Medicine"), coerce=int, choices=())
    level = forms.ChoiceField(label=_("Support needed"), choices=SelfAdministrationLevel.choices)
    knows_purpose = forms.BooleanField(label=_("Knows what it is for"), required=False)
    knows_dose_and_times = forms.BooleanField(label=_("Knows the dose and when to take it"), required=False)
    can_open_packaging = forms.BooleanField(label=_("Can open the packaging"), required=False)
    will_report_problems = forms.BooleanField(
        label=_("Will tell staff about missed doses or side effects"), required=False
    )
    storage = forms.CharField(label=_("Where it is kept"), max_length=200, required=False)
    lockable = forms.BooleanField(label=_("Kept in a lockable place"), required=False)
    agreed_by = forms.CharField(label=_("Agreed with (resident, GP, family)"), max_length=200, required=False)
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE, required=False)
    review_date = forms.DateField(label=_("Review date"), widget=DATE, required=False)

    def __init__(self, *args, medicines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["medicine_id"].choices = [("", "---")] + [(m.pk, m.name) for m in medicines]


class CovertForm(KeyedForm):
    capacity_assessment_id = forms.TypedChoiceField(
        label=_("Capacity assessment"), coerce=int, choices=(), required=False, empty_value=None
    )
    best_interest_decision_id = forms.TypedChoiceField(
        label=_("Best-interests decision"), coerce=int, choices=(), required=False, empty_value=None
    )
    pharmacist_name = forms.CharField(label=_("Pharmacist"), max_length=120, required=False)
    pharmacist_advised_on = forms.DateField(label=_("Advice given on"), widget=DATE, required=False)
    how_to_give = forms.CharField(
        label=_("How to give it (pharmacist's advice)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    review_date = forms.DateField(label=_("Review date"), widget=DATE, required=False)

    def __init__(self, *args, capacity=(), decisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capacity_assessment_id"].choices = [("", "---")] + [
            (
                c.id,
                f"{c.decision} ({c.assessed_on:%d/%m/%Y}, {'lacks capacity' if c.lacks_capacity else 'has capacity'})",
            )
            for c in capacity
        ]
        self.fields["best_interest_decision_id"].choices = [("", "---")] + [
            (b.id, f"{b.decision} ({b.decided_on:%d/%m/%Y}, {b.decision_maker})") for b in decisions
        ]
