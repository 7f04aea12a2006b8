"""Page forms of investigation and learning. The forms check the shape of the answers; the services
decide what is acceptable, and their messages are put next to the field they are about."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.incidents.models import CONTRIBUTORY_FACTOR_CATEGORIES, LessonAudience
from writecarenotes.platform.web.forms import ServiceErrorsMixin

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _people(field, users, blank=True) -> None:
    field.choices = ([("", "—")] if blank else []) + [(u.pk, u.display_name) for u in users]


class OpenForm(ServiceErrorsMixin, forms.Form):
    field_aliases = {"investigator_id": "investigator"}

    investigator = forms.TypedChoiceField(label=_("Investigator"), coerce=int, required=False, empty_value=None)
    due_on = forms.DateField(label=_("To be completed by"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Why investigate (optional)"), max_length=300, required=False)

    def __init__(self, *args, investigators=(), **kwargs):
        super().__init__(*args, **kwargs)
        _people(self.fields["investigator"], investigators)
        if not self.is_bound:
            self.initial.setdefault("due_on", timezone.localdate() + timedelta(days=28))


class AssignForm(ServiceErrorsMixin, forms.Form):
    field_aliases = {"investigator_id": "investigator"}

    investigator = forms.TypedChoiceField(label=_("Investigator"), coerce=int)
    due_on = forms.DateField(label=_("To be completed by"), widget=DATE_WIDGET)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, investigators=(), **kwargs):
        super().__init__(*args, **kwargs)
        _people(self.fields["investigator"], investigators)


class FindingsForm(ServiceErrorsMixin, forms.Form):
    findings = forms.CharField(
        label=_("Findings"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        required=False,
        help_text=_("What happened and why, from the accounts, records and the scene."),
    )
    conclusion = forms.CharField(
        label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CompleteForm(FindingsForm):
    """Completion: the investigator and root-cause analysis messages go at the top of the form."""


class WhyForm(ServiceErrorsMixin, forms.Form):
    why = forms.CharField(label=_("Why?"), max_length=500)
    because = forms.CharField(label=_("Because"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class WhyChangeForm(WhyForm):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=1000)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class FactorForm(ServiceErrorsMixin, forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *CONTRIBUTORY_FACTOR_CATEGORIES.items()])
    detail = forms.CharField(label=_("What contributed"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class ReasonForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class ActionForm(ServiceErrorsMixin, forms.Form):
    field_aliases = {"owner_id": "owner"}

    description = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int)
    due_on = forms.DateField(label=_("Due by"), widget=DATE_WIDGET)
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        _people(self.fields["owner"], owners)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
            self.initial.setdefault("due_on", timezone.localdate() + timedelta(days=14))


class ActionDoneForm(ServiceErrorsMixin, forms.Form):
    done_note = forms.CharField(label=_("What was done"), max_length=5000)
    done_on = forms.DateField(label=_("Done on"), widget=DATE_WIDGET, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class LessonForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("The lesson"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000)
    audience = forms.ChoiceField(
        label=_("Share with"),
        choices=LessonAudience.choices,
        widget=forms.RadioSelect,
        initial=LessonAudience.ALL_STAFF,
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles (when shared with chosen roles)"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = list(roles)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE_WIDGET, required=False)
    end = forms.DateField(label=_("To"), widget=DATE_WIDGET, required=False)
    home = forms.TypedChoiceField(label=_("Home"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, homes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home"].choices = [("", _("All homes"))] + [(h.pk, h.name) for h in homes]
        if len(homes) < 2:
            del self.fields["home"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end of the period is before its start."))
            elif (end - start).days > 731:
                self.add_error("end", _("Choose a period of two years at most."))
        return data
