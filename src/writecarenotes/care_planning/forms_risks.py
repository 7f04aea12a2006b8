"""Page forms of the risk register. The forms check the shape of the answers; the services decide
what is acceptable and their messages are put next to the field they are about (``apply_errors``).

Forms that create a record carry a hidden ``idempotency_key`` (a uuid4 made when shown) and are
marked ``data-offline="care-entry"`` in their template.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.care_planning import risks_matrix
from writecarenotes.care_planning.models.risks import RiskKind
from writecarenotes.platform.web.forms import ServiceErrorsMixin

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _axis(label, labels: dict, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        choices=[(k, f"{k} {v}") for k, v in labels.items()],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=help_text,
    )


class RiskForm(ServiceErrorsMixin, forms.Form):
    field_aliases = {"owner_id": "owner"}

    kind = forms.ChoiceField(label=_("Kind of risk"), choices=[("", "—"), *RiskKind.choices])
    other_kind = forms.CharField(label=_("What the risk is (when 'Other')"), required=False, max_length=120)
    description = forms.CharField(
        label=_("The risk for this person"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("What could happen, when and why, in this person's case."),
    )
    likelihood = _axis(_("Likelihood without the controls"), risks_matrix.LIKELIHOOD)
    impact = _axis(_("Impact if it happens"), risks_matrix.IMPACT)
    controls = forms.CharField(label=_("Controls in place"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    residual_likelihood = _axis(_("Likelihood with the controls in place"), risks_matrix.LIKELIHOOD)
    residual_impact = _axis(_("Impact with the controls in place"), risks_matrix.IMPACT)
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int)
    review_on = forms.DateField(label=_("Review by"), widget=DATE_WIDGET)
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "—")] + [(u.pk, u.display_name) for u in owners]
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
            self.initial.setdefault("review_on", timezone.localdate() + timedelta(days=28))

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("idempotency_key", None)
        data["owner_id"] = data.pop("owner")
        return data


class RiskChangeForm(RiskForm):
    """The same questions (the kind is fixed), with the reason for the change and the version read."""

    reason = forms.CharField(
        label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"]
        del self.fields["idempotency_key"]

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("reason", "version"):
            data.pop(name, None)
        data["owner_id"] = data.pop("owner")
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def initial_from(risk) -> dict:
    return {
        **{
            f: getattr(risk, f)
            for f in (
                "other_kind",
                "description",
                "likelihood",
                "impact",
                "controls",
                "residual_likelihood",
                "residual_impact",
                "review_on",
                "version",
            )
        },
        "owner": risk.owner_id,
    }
