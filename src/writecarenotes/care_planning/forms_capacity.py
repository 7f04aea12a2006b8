"""Page forms of the Mental Capacity Act records. The services decide what is consistent (the outcome
of the two-stage test, the nation's framework, the statutory periods); their messages are put next
to the field they are about."""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.care_planning import capacity_rules as rules
from writecarenotes.care_planning.forms_risks import DATE_WIDGET, ServiceErrorsMixin
from writecarenotes.care_planning.models.capacity import CapacityOutcome

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
CONSULTED_ROWS = 3


def _yes_no(label, help_text=""):
    return forms.ChoiceField(label=label, choices=YES_NO, widget=forms.RadioSelect, required=False, help_text=help_text)


def _text(label, rows=3, required=True, help_text="", max_length=5000):
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        required=required,
        max_length=max_length,
        help_text=help_text,
    )


def _date(label, required=True, help_text=""):
    return forms.DateField(label=label, widget=DATE_WIDGET, required=required, help_text=help_text)


def _key_field():
    return forms.UUIDField(widget=forms.HiddenInput, required=False)


class CapacityAssessmentForm(ServiceErrorsMixin, forms.Form):
    field_aliases = {"assessor_id": "assessor"}

    decision = forms.CharField(
        label=_("The decision to be made"),
        max_length=300,
        help_text=_("One specific decision, for example 'whether to have the flu vaccine this year'."),
    )
    impairment = _yes_no(
        _("Stage 1: is there an impairment of, or a disturbance in the functioning of, the mind or brain?"),
        _("For example dementia, a learning disability, delirium, a brain injury. Temporary counts too."),
    )
    impairment_evidence = _text(_("Evidence for stage 1"))
    understand = _yes_no(rules.FUNCTIONAL_LABELS["understand"])
    understand_evidence = _text(_("Evidence: what they understood (in their words)"))
    retain = _yes_no(rules.FUNCTIONAL_LABELS["retain"], _("Retaining it for a short time is enough."))
    retain_evidence = _text(_("Evidence: retaining"))
    use_weigh = _yes_no(rules.FUNCTIONAL_LABELS["use_weigh"])
    use_weigh_evidence = _text(_("Evidence: using or weighing"))
    communicate = _yes_no(rules.FUNCTIONAL_LABELS["communicate"], _("Speech, signs, blinking, pointing: any means."))
    communicate_evidence = _text(_("Evidence: communicating"))
    because_of_impairment = _yes_no(
        _("If they cannot do one of these: is it because of the impairment or disturbance?"),
        _("Leave empty when they can do all four."),
    )
    practicable_steps = _text(
        _("Practicable steps taken to help them decide"),
        required=False,
        help_text=_("Time of day, place, aids, interpreter, people present, trying again later ..."),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CapacityOutcome.choices, widget=forms.RadioSelect)
    assessor = forms.TypedChoiceField(label=_("Assessor"), coerce=int)
    assessed_on = _date(_("Date of assessment"))
    review_on = _date(_("Review by (optional)"), required=False)
    idempotency_key = _key_field()

    def __init__(self, *args, assessors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessor"].choices = [("", "—")] + [(u.pk, u.display_name) for u in assessors]
        if not self.is_bound:
            self.initial.setdefault("assessed_on", timezone.localdate())
            self.initial.setdefault("idempotency_key", uuid.uuid4())

    def values(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("idempotency_key", "reason")}
        data["assessor_id"] = data.pop("assessor")
        data["because_of_impairment"] = data["because_of_impairment"] or None
        return data


class CapacityCorrectionForm(CapacityAssessmentForm):
    reason = forms.CharField(label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2}))


def initial_from_assessment(a) -> dict:
    yes_no = {True: "yes", False: "no", None: ""}
    out = {f: getattr(a, f) for f in ("decision", "practicable_steps", "outcome", "assessed_on", "review_on")}
    out["assessor"] = a.assessor_id
    for name in ("impairment", *rules.FUNCTIONAL, "because_of_impairment"):
        out[name] = yes_no[getattr(a, name)]
    for name in ("impairment", *rules.FUNCTIONAL):
        out[f"{name}_evidence"] = getattr(a, f"{name}_evidence")
    return out


class BestInterestForm(ServiceErrorsMixin, forms.Form):
    field_aliases = {"capacity_assessment_id": "capacity_assessment"}

    capacity_assessment = forms.TypedChoiceField(label=_("The capacity assessment it follows"), coerce=int)
    decision = _text(_("The decision made"))
    options_considered = _text(_("Options considered"), help_text=_("Including doing nothing."))
    wishes_feelings_beliefs = _text(_("The person's past and present wishes and feelings, beliefs and values"))
    least_restrictive = _text(_("Why this is the least restrictive option"))
    decision_maker = forms.CharField(label=_("Decision maker"), max_length=200)
    decision_maker_role = forms.CharField(label=_("Their role"), max_length=120)
    decided_on = _date(_("Date of the decision"))
    idempotency_key = _key_field()

    def __init__(self, *args, assessments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capacity_assessment"].choices = [("", "—")] + [
            (a.pk, f"{a.decision} ({a.assessed_on:%-d %b %Y})") for a in assessments
        ]
        for i in range(1, CONSULTED_ROWS + 1):
            required = i == 1
            self.fields[f"consulted_{i}_name"] = forms.CharField(
                label=_("Person consulted %(n)s: name") % {"n": i}, max_length=200, required=required
            )
            self.fields[f"consulted_{i}_relationship"] = forms.CharField(
                label=_("Relationship or role (family, attorney, IMCA ...)"), max_length=120, required=False
            )
            self.fields[f"consulted_{i}_views"] = _text(_("Their views"), rows=2, required=False)
        if not self.is_bound:
            self.initial.setdefault("decided_on", timezone.localdate())
            self.initial.setdefault("idempotency_key", uuid.uuid4())
        self.field_aliases = {
            "capacity_assessment_id": "capacity_assessment",
            "consulted": "consulted_1_name",
            **{
                f"consulted.{i - 1}.{part}": f"consulted_{i}_{part}"
                for i in range(1, CONSULTED_ROWS + 1)
                for part in ("name", "relationship", "views")
            },
        }

    def values(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("consulted_") and k != "idempotency_key"}
        data["capacity_assessment_id"] = data.pop("capacity_assessment")
        data["consulted"] = [
            {p: self.cleaned_data.get(f"consulted_{i}_{p}", "") for p in ("name", "relationship", "views")}
            for i in range(1, CONSULTED_ROWS + 1)
        ]
        return data


def _conditions_field(required=False):
    return _text(
        _("Conditions attached (one per line)"),
        rows=3,
        required=required,
        help_text=_("As written on the authorisation; they are listed on the resident's page."),
    )


class LibertyForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What is it?"), widget=forms.RadioSelect)
    body = forms.CharField(label=_("Supervisory body, Trust panel, court or service"), max_length=200, required=False)
    reference = forms.CharField(label=_("Their reference"), max_length=60, required=False)
    person_appointed = forms.CharField(label=_("Person appointed"), max_length=200, required=False)
    requested_on = _date(_("Applied on (for an application)"), required=False)
    start_on = _date(_("Starts on (when it is already in force)"), required=False)
    end_on = _date(_("Ends on"), required=False)
    prescribed_condition = forms.BooleanField(
        label=_("The adult's condition is prescribed for a certificate of up to 3 years"), required=False
    )
    conditions = _conditions_field()
    notes = _text(_("Notes"), rows=2, required=False)
    idempotency_key = _key_field()

    def __init__(self, *args, framework: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.key, f"{k.label} ({k.source})") for k in rules.kinds_for(framework)]
        bodies = list(dict.fromkeys(str(k.body_label) for k in rules.kinds_for(framework)))
        self.fields["body"].label = " / ".join(bodies)
        if framework != rules.AWI:
            del self.fields["prescribed_condition"]
        if framework != rules.ADM:
            self.fields["person_appointed"].help_text = _("A guardian or attorney, if any.")
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())

    def values(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "idempotency_key"}
        data["conditions"] = data.get("conditions") or ""
        return data


class _Versioned(ServiceErrorsMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class GrantForm(_Versioned):
    decided_on = _date(_("Decided on"))
    start_on = _date(_("Starts on"))
    end_on = _date(_("Ends on"), required=False)
    reference = forms.CharField(label=_("Their reference"), max_length=60, required=False)
    conditions = _conditions_field()


class RefuseForm(_Versioned):
    decided_on = _date(_("Decided on"))
    reason = _text(_("Reason given"), rows=2, max_length=1000)


class ExtendForm(_Versioned):
    new_end_on = _date(_("New end date"))
    decided_on = _date(_("Extension decided on"))
    reason = _text(_("Why it was extended"), rows=2, max_length=1000)


class EndForm(_Versioned):
    ended_on = _date(_("Ended on"))
    reason = _text(_("Why it ended"), rows=2, max_length=1000)


class ConditionsForm(_Versioned):
    conditions = _conditions_field()
    reason = _text(_("Why the conditions changed"), rows=2, max_length=1000)


ACTION_FORMS = {
    "grant": (GrantForm, _("Granted")),
    "refuse": (RefuseForm, _("Refused")),
    "extend": (ExtendForm, _("Extend")),
    "end": (EndForm, _("Ended")),
    "conditions": (ConditionsForm, _("Change the conditions")),
}
