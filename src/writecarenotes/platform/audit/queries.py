"""Which audit rows a user may see, and the filters shared by the page, the CSV and the API.

Audit rows are not TenantModel rows (they are written where no scope exists: log-in, system
jobs), so the scope is applied here, explicitly, from tenancy.scope.require_scope():
  * rows of the homes in the active scope;
  * organisation-level rows (no home) of the scope's organisation, only for users holding an
    organisation-level role (provider admin): a home manager or an inspector never sees them;
  * "global" rows (nobody's) never: they are for `writecarenotes audit verify` and the operator.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.audit.models import AuditRecord, Kind, RecordVersion
from writecarenotes.platform.identity.capabilities import ROLES
from writecarenotes.platform.tenancy.scope import require_scope

RESIDENT_TYPE = "residents.resident"


def _visibility(access) -> Q:
    scope = require_scope()
    cond = Q(home_id__in=scope.home_ids)
    if any(ROLES[r].org_level for r in access.roles if r in ROLES):
        cond |= Q(home__isnull=True, organisation_id=scope.organisation_id)
    return cond


def visible_records(access):
    return AuditRecord.objects.filter(_visibility(access))


def visible_versions(access):
    return RecordVersion.objects.filter(_visibility(access))


class AuditFilterForm(forms.Form):
    resident = forms.CharField(
        label=_("Resident"), required=False, max_length=100, help_text=_("Resident number, or part of a name")
    )
    user = forms.CharField(label=_("User"), required=False, max_length=254, help_text=_("E-mail address, or part"))
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any"))] + list(Kind.choices))
    action = forms.CharField(label=_("Action"), required=False, max_length=100, help_text=_("For example denied"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-help"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = " ".join(filter(None, [attrs.get("aria-describedby"), f"id_{name}-error"]))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return data


def apply_filters(qs, data: dict):
    resident = (data.get("resident") or "").strip()
    if resident:
        if resident.isdigit():
            qs = qs.filter(subject_type=RESIDENT_TYPE, subject_id=resident)
        else:
            qs = qs.filter(subject_type=RESIDENT_TYPE, subject_label__icontains=resident)
    user = (data.get("user") or "").strip()
    if user:
        qs = qs.filter(actor_email__icontains=user)
    tz = timezone.get_current_timezone()
    if data.get("date_from"):
        qs = qs.filter(at__gte=datetime.combine(data["date_from"], time.min, tzinfo=tz))
    if data.get("date_to"):
        qs = qs.filter(at__lt=datetime.combine(data["date_to"] + timedelta(days=1), time.min, tzinfo=tz))
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    action = (data.get("action") or "").strip()
    if action:
        qs = qs.filter(action__icontains=action)
    return qs.select_related("home").order_by("-at", "-id")
