"""Page forms of care plans, goals, interventions, agreement, reviews and carers' tasks. The forms check
the shape of the answers; the services decide what is acceptable and their messages are put next to
the field they are about (``apply_errors``). Forms that create a record carry a hidden
``idempotency_key`` (a uuid4 made when shown) and are marked ``data-offline="care-entry"``."""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.care_planning.models.plans import (
    CHART_CHOICES,
    Domain,
    GoalStatus,
    NotDoneReason,
    ReviewOutcome,
    ScheduleKind,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [("", _("Choose…")), ("yes", _("Yes")), ("no", _("No"))]


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errs in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, exc)


class KeyedForm(forms.Form):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())


class NewPlanForm(KeyedForm):
    domain = forms.ChoiceField(label=_("Need"), choices=[("", _("Choose…")), *Domain.choices])
    in_my_words = forms.CharField(
        label=_("What matters to me, in my own words"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        help_text=_("Write what the person says, in their words (or their representative's, and say so)."),
    )
    needs = forms.CharField(label=_("Needs"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)

    def __init__(self, *args, taken: set[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        free = [(value, label) for value, label in Domain.choices if value not in taken]
        self.fields["domain"].choices = [("", _("Choose…")), *free]


class PlanEditForm(forms.Form):
    in_my_words = forms.CharField(
        label=_("What matters to me, in my own words"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    needs = forms.CharField(label=_("Needs"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000)
    review_every_months = forms.IntegerField(label=_("Review every (months)"), min_value=1, max_value=12)
    reason = forms.CharField(label=_("Reason for the change"), max_length=300)


class GoalForm(KeyedForm):
    text = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    measure = forms.CharField(label=_("How we will know"), required=False, max_length=300)
    target_on = forms.DateField(label=_("Target date"), widget=DATE_WIDGET)


class GoalEditForm(forms.Form):
    text = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    measure = forms.CharField(label=_("How we will know"), required=False, max_length=300)
    target_on = forms.DateField(label=_("Target date"), widget=DATE_WIDGET)
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
    reason = forms.CharField(label=_("Reason for the change"), max_length=300)


class ProgressForm(KeyedForm):
    note = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    on = forms.DateField(label=_("Date"), widget=DATE_WIDGET, initial=timezone.localdate)
    status = forms.ChoiceField(label=_("Goal status now"), choices=GoalStatus.choices, required=False)


class InterventionForm(KeyedForm):
    what = forms.CharField(label=_("What to do"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    schedule_kind = forms.ChoiceField(label=_("How often"), choices=ScheduleKind.choices, widget=forms.RadioSelect)
    every_hours = forms.IntegerField(label=_("Every how many hours"), required=False, min_value=1, max_value=24)
    times = forms.CharField(
        label=_("Times of day"),
        required=False,
        max_length=300,
        help_text=_("For set times, or the time of day of a weekly task: HH:MM, separated by commas."),
    )
    every_days = forms.IntegerField(label=_("Every how many days"), required=False, min_value=1, max_value=92)
    chart = forms.ChoiceField(
        label=_("Recorded on"),
        choices=CHART_CHOICES,
        required=False,
        help_text=_("An entry on this chart at the right time counts as the task done."),
    )
    fluid_target_ml = forms.IntegerField(
        label=_("Daily fluid target (ml)"),
        required=False,
        min_value=100,
        max_value=5000,
        help_text=_("Only with the food and fluid chart; sets the resident's fluid chart target."),
    )

    def values(self) -> dict:
        d = self.cleaned_data
        return {
            "what": d["what"],
            "schedule_kind": d["schedule_kind"],
            "every_hours": d.get("every_hours"),
            "every_days": d.get("every_days"),
            "times": d.get("times") or "",
            "chart": d.get("chart") or "",
            "fluid_target_ml": d.get("fluid_target_ml"),
        }


class InterventionEditForm(InterventionForm):
    reason = forms.CharField(label=_("Reason for the change"), max_length=300)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=300)


def _yes_no(value):
    return {"yes": True, "no": False}.get(value)


class InvolvementForm(KeyedForm):
    resident_involved = forms.TypedChoiceField(
        label=_("Was the resident involved in making this plan?"), choices=YES_NO, coerce=_yes_no, empty_value=None
    )
    representative_name = forms.CharField(
        label=_("Representative's name (if any)"),
        required=False,
        max_length=120,
        help_text=_("A relative, friend, attorney (LPA) or advocate who took part."),
    )
    representative_relationship = forms.CharField(
        label=_("Relationship to the resident"), required=False, max_length=80
    )
    agreement_recorded = forms.TypedChoiceField(
        label=_("Did the resident (or their representative) agree with the plan?"),
        choices=YES_NO,
        coerce=_yes_no,
        empty_value=None,
    )
    agreement_notes = forms.CharField(
        label=_("Notes on involvement and agreement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        help_text=_("If the person could not be involved or did not agree, say why and what was done."),
    )

    def involvement(self) -> dict:
        d = self.cleaned_data
        return {
            k: d.get(k)
            for k in (
                "resident_involved",
                "representative_name",
                "representative_relationship",
                "agreement_recorded",
                "agreement_notes",
            )
        }


class ReviewForm(InvolvementForm):
    summary = forms.CharField(
        label=_("Summary of the review"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("What went well, what did not, what the person said, what changes."),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReviewOutcome.choices, widget=forms.RadioSelect)
    held_on = forms.DateField(label=_("Held on"), widget=DATE_WIDGET, initial=timezone.localdate)

    field_order = ["summary", "outcome", "held_on", "resident_involved", "representative_name"]


class TaskForm(forms.Form):
    """A carer's done / not done for one due task (the buttons of the task list)."""

    intervention_id = forms.IntegerField(widget=forms.HiddenInput)
    due_at = forms.CharField(widget=forms.HiddenInput, required=False)
    outcome = forms.ChoiceField(choices=[("done", _("Done")), ("not_done", _("Not done"))])
    reason = forms.ChoiceField(label=_("Why not"), choices=[("", _("Choose…")), *NotDoneReason.choices], required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def due(self):
        from datetime import datetime

        raw = (self.cleaned_data.get("due_at") or "").strip()
        if not raw:
            return None
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            return None
        return value if timezone.is_aware(value) else timezone.make_aware(value)
