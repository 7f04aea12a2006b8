"""Page forms of residents. They only parse and label input; the rules live in the services,
whose ValidationErrors are attached back to these fields (see views_edit._run)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.residents.models import (
    AbsenceKind,
    AllergySeverity,
    AttorneyKind,
    DiagnosisStatus,
    DischargeDestination,
    DnacprStatus,
    FundingType,
    PreAdmissionOutcome,
)

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


def _when(label, **kw):
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        **kw,
    )


def _now():
    return timezone.localtime().replace(second=0, microsecond=0)


class _LastFieldsForm(forms.Form):
    """Puts the reason and the confirmation last, whatever the subclass declares."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tail = [k for k in ("reason", "confirm") if k in self.fields]
        self.order_fields([k for k in self.fields if k not in tail] + tail)


class ReasonMixin(_LastFieldsForm):
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=300,
        help_text=_("Kept in the record's history, for example “Corrected spelling from passport”."),
    )


class ConfirmMixin(_LastFieldsForm):
    confirm = forms.BooleanField(label=_("I have checked this is the right person and the details are correct"))


class EnquiryForm(forms.Form):
    legal_given_names = forms.CharField(label=_("Given names (legal)"), max_length=120)
    legal_family_name = forms.CharField(label=_("Family name (legal)"), max_length=120)
    preferred_name = forms.CharField(label=_("Preferred name"), max_length=80, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), **DATE)
    nhs_number = forms.CharField(
        label=_("NHS number"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    enquiry_notes = forms.CharField(label=_("Enquiry notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class IdentityForm(ReasonMixin):
    legal_given_names = forms.CharField(label=_("Given names (legal)"), max_length=120)
    legal_family_name = forms.CharField(label=_("Family name (legal)"), max_length=120)
    preferred_name = forms.CharField(label=_("Preferred name"), max_length=80, required=False)
    pronouns = forms.CharField(label=_("Pronouns"), max_length=40, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), **DATE)
    nhs_number = forms.CharField(
        label=_("NHS number"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )


class HealthForm(ReasonMixin):
    gp_practice_name = forms.CharField(label=_("GP practice"), max_length=160, required=False)
    gp_ods_code = forms.CharField(label=_("GP practice ODS code"), max_length=10, required=False)
    gp_phone = forms.CharField(label=_("GP practice phone"), max_length=30, required=False)
    funding_type = forms.ChoiceField(label=_("Funding"), choices=FundingType.choices, required=False)
    religion = forms.CharField(label=_("Religion or belief"), max_length=80, required=False)
    first_language = forms.CharField(label=_("First language"), max_length=60, required=False)
    interpreter_needed = forms.BooleanField(label=_("Interpreter needed"), required=False)
    communication_needs = forms.CharField(
        label=_("Communication needs"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    height_cm = forms.DecimalField(
        label=_("Height (cm)"), required=False, max_digits=4, decimal_places=1, min_value=50, max_value=250
    )


class AboutForm(ReasonMixin):
    preferences = forms.CharField(
        label=_("Preferences"),
        required=False,
        help_text=_("Food, drink, routines, how they like to be addressed and helped."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    about_me = forms.CharField(
        label=_("About me / life story"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )


class DnacprForm(ReasonMixin):
    dnacpr_status = forms.ChoiceField(label=_("DNACPR / ReSPECT status"), choices=DnacprStatus.choices, required=False)
    dnacpr_decided_on = forms.DateField(label=_("Date of the decision"), required=False, **DATE)
    dnacpr_review_on = forms.DateField(label=_("Review date"), required=False, **DATE)
    document = forms.FileField(label=_("Signed form (PDF, JPEG or PNG, up to 5 MB)"), required=False)


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo (JPEG or PNG, up to 5 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )


class AllergyForm(forms.Form):
    substance = forms.CharField(label=_("Substance (medicine, food, material)"), max_length=120)
    reaction = forms.CharField(label=_("Reaction"), max_length=200, required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=[("", "—"), *AllergySeverity.choices])
    is_sensitivity = forms.BooleanField(label=_("A sensitivity or intolerance, not an allergy"), required=False)


class EndForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, help_text=_("For example “Recorded in error: wrong resident”.")
    )


class NoKnownAllergiesForm(ConfirmMixin):
    confirm = forms.BooleanField(
        label=_("I have asked the resident, their family or the GP record: they have no known allergies")
    )


class DiagnosisForm(forms.Form):
    condition = forms.CharField(label=_("Condition"), max_length=160)
    diagnosed_on = forms.DateField(label=_("Date diagnosed"), required=False, **DATE)
    status = forms.ChoiceField(label=_("Status"), choices=DiagnosisStatus.choices)
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)


class DiagnosisStatusForm(ReasonMixin):
    status = forms.ChoiceField(label=_("Status"), choices=DiagnosisStatus.choices)
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    relationship = forms.CharField(label=_("Relationship"), max_length=60)
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    email = forms.CharField(
        label=_("E-mail"), max_length=254, required=False, widget=forms.TextInput(attrs={"type": "email"})
    )
    next_of_kin = forms.BooleanField(label=_("Next of kin"), required=False)
    emergency_contact = forms.BooleanField(label=_("Emergency contact"), required=False)
    priority = forms.IntegerField(label=_("Contact priority (1 = call first)"), min_value=1, max_value=20, initial=1)


class ContactEditForm(ReasonMixin, ContactForm):
    pass


class AttorneyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type of LPA"), choices=[("", "—"), *AttorneyKind.choices])
    attorney_name = forms.CharField(label=_("Attorney's name"), max_length=120)
    registered_on = forms.DateField(
        label=_("Registered with the Office of the Public Guardian on"), required=False, **DATE
    )
    document = forms.FileField(label=_("Copy of the LPA (PDF, JPEG or PNG, up to 5 MB)"), required=False)


# --- Lifecycle ------------------------------------------------------------------------------


class PreAdmissionForm(forms.Form):
    assessed_on = forms.DateField(label=_("Date of the assessment"), initial=timezone.localdate, **DATE)
    assessed_by = forms.CharField(label=_("Assessed by (name and role)"), max_length=120)
    summary = forms.CharField(label=_("Summary of needs"), widget=forms.Textarea(attrs={"rows": 5}))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=PreAdmissionOutcome.choices, widget=forms.RadioSelect)


class AdmitForm(ConfirmMixin):
    room = forms.ChoiceField(label=_("Room (only rooms with a free bed are listed)"))
    admitted_at = _when(_("Date and time of admission"), initial=_now)

    def __init__(self, *args, rooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].choices = [("", "—")] + [
            (str(r.pk), f"{r.number} · {r.unit.name} ({r.free} / {r.beds})") for r in rooms
        ]


class RoomForm(AdmitForm):
    reason = forms.CharField(label=_("Reason for the move"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["admitted_at"]


class AbsenceForm(ConfirmMixin):
    kind = forms.ChoiceField(label=_("Where to"), choices=AbsenceKind.choices, widget=forms.RadioSelect)
    started_at = _when(_("Left at"), initial=_now)
    expected_return = forms.DateField(label=_("Expected return"), required=False, **DATE)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ReturnForm(ConfirmMixin):
    returned_at = _when(_("Came back at"), initial=_now)


class DischargeForm(ConfirmMixin):
    discharged_at = _when(_("Date and time of discharge"), initial=_now)
    destination = forms.ChoiceField(label=_("Discharged to"), choices=DischargeDestination.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class DeathForm(ConfirmMixin):
    died_at = _when(_("Date and time of death"))
    verified_by = forms.CharField(label=_("Death verified by (name)"), max_length=120)
    verified_role = forms.CharField(label=_("Their role (for example registered nurse, GP, paramedic)"), max_length=80)
    expected = forms.TypedChoiceField(
        label=_("Was the death expected?"),
        choices=[("yes", _("Expected")), ("no", _("Unexpected"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    place = forms.CharField(label=_("Place of death"), max_length=120)


class JourneyFilterForm(forms.Form):
    kind = forms.CharField(label=_("Kind"), required=False, max_length=40)
    category = forms.CharField(label=_("Category"), required=False, max_length=40)
    date_from = forms.DateField(label=_("From"), required=False, **DATE)
    date_to = forms.DateField(label=_("To"), required=False, **DATE)
    #: the page cursor: only entries older than this instant (ISO 8601, from the "Older entries" link)
    before = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
