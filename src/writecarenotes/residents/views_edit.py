"""Pages that change a resident: profile sections, allergies, diagnoses, contacts, LPAs, and the
lifecycle transitions (with a confirmation tick box). Each page shows a form; on POST it calls
the named service, attaches the service's refusals to the fields, and redirects (303) to the
resident's overview with a message."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from writecarenotes.platform.identity.permissions import requires
from writecarenotes.residents import forms, services, services_profile
from writecarenotes.residents.models import Allergy, Contact, Diagnosis, PowerOfAttorney, Resident
from writecarenotes.residents.nhs_number import number_label


def _resident(pk: int) -> Resident:
    return get_object_or_404(Resident.objects.select_related("home", "unit", "room"), pk=pk)


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _attach(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _run(
    request,
    resident: Resident,
    form_class,
    action: Callable,
    *,
    title: str,
    done: str,
    initial: dict | None = None,
    intro: str = "",
    danger: bool = False,
    form_kwargs: dict | None = None,
):
    """GET: the form. POST: validate, call ``action(cleaned_data)``; refusals become field errors."""
    form_kwargs = form_kwargs or {}
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, **form_kwargs)
        if form.is_valid():
            try:
                action(form.cleaned_data)
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, done)
                return _see_other(reverse("residents:detail", args=[resident.pk]))
        status = 422
    else:
        form = form_class(initial=initial, **form_kwargs)
        status = 200
    if "nhs_number" in form.fields:
        form.fields["nhs_number"].label = number_label(resident.home.nation)
    ctx = {"resident": resident, "form": form, "title": title, "intro": intro, "danger": danger}
    return render(request, "residents/form.html", ctx, status=status)


def _redirect_303(resident):
    return _see_other(reverse("residents:detail", args=[resident.pk]))


# --- Enquiry --------------------------------------------------------------------------------


@requires("residents", "manage")
def new_enquiry(request):
    home = request.access.active_home
    if home is None:
        messages.error(request, _("Choose one home to act for, then record the enquiry."))
        return _see_other(reverse("residents:list"))
    if request.method == "POST":
        form = forms.EnquiryForm(request.POST)
        if form.is_valid():
            try:
                r = services.create_enquiry(home=home, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, _("Enquiry recorded for %(name)s.") % {"name": r.display_name})
                return _redirect_303(r)
        status = 422
    else:
        form, status = forms.EnquiryForm(), 200
    form.fields["nhs_number"].label = number_label(home.nation)
    return render(
        request, "residents/form.html", {"form": form, "title": _("New enquiry"), "resident": None}, status=status
    )


# --- Profile sections -----------------------------------------------------------------------

_SECTION_FORMS = {
    "identity": (forms.IdentityForm, "manage", _("Change name, date of birth or number")),
    "health": (forms.HealthForm, "record", _("Change GP, funding, language and communication")),
    "about": (forms.AboutForm, "record", _("Change preferences and About me")),
    "dnacpr": (forms.DnacprForm, "manage", _("Change DNACPR / ReSPECT")),
}


def _section_view(section: str):
    form_class, action_name, title = _SECTION_FORMS[section]
    fields = services_profile.SECTIONS[section]

    @requires("residents", action_name)
    def view(request, pk: int):
        resident = _resident(pk)

        def act(data):
            values = {k: data[k] for k in fields if k in data}
            for key, value in values.items():
                if value is None and key not in ("date_of_birth", "height_cm", "dnacpr_decided_on", "dnacpr_review_on"):
                    values[key] = ""
            document = data.get("document")
            from django.db import transaction

            with transaction.atomic():
                services_profile.update_profile(resident, section=section, values=values, reason=data["reason"])
                if document:
                    services_profile.set_dnacpr_document(resident, upload=document, reason=data["reason"])

        initial = {k: getattr(resident, k) for k in fields}
        return _run(request, resident, form_class, act, title=str(title), done=_("Saved."), initial=initial)

    view.__name__ = f"edit_{section}"
    return view


edit_identity = _section_view("identity")
edit_health = _section_view("health")
edit_about = _section_view("about")
edit_dnacpr = _section_view("dnacpr")


@requires("residents", "record")
def upload_photo(request, pk: int):
    resident = _resident(pk)
    return _run(
        request,
        resident,
        forms.PhotoForm,
        lambda d: services_profile.set_photo(resident, upload=d["photo"]),
        title=_("Photo"),
        done=_("Photo saved."),
    )


# --- Allergies, diagnoses, contacts, LPA ----------------------------------------------------


@requires("residents", "record")
def add_allergy(request, pk: int):
    resident = _resident(pk)
    return _run(
        request,
        resident,
        forms.AllergyForm,
        lambda d: services_profile.add_allergy(resident, **d),
        title=_("Add an allergy or sensitivity"),
        done=_("Allergy recorded."),
    )


@requires("residents", "record")
def end_allergy(request, pk: int, allergy_id: int):
    resident = _resident(pk)
    allergy = get_object_or_404(Allergy.objects, pk=allergy_id, resident=resident)
    return _run(
        request,
        resident,
        forms.EndForm,
        lambda d: services_profile.end_allergy(allergy, reason=d["reason"]),
        title=_("Remove the allergy to %(s)s") % {"s": allergy.substance},
        intro=_("It stays in the history with your reason."),
        done=_("Allergy removed."),
        danger=True,
    )


@requires("residents", "record")
def no_known_allergies(request, pk: int):
    resident = _resident(pk)
    return _run(
        request,
        resident,
        forms.NoKnownAllergiesForm,
        lambda d: services_profile.record_no_known_allergies(resident),
        title=_("No known allergies"),
        done=_("Recorded: no known allergies."),
    )


@requires("residents", "record")
def add_diagnosis(request, pk: int):
    resident = _resident(pk)
    return _run(
        request,
        resident,
        forms.DiagnosisForm,
        lambda d: services_profile.add_diagnosis(resident, **d),
        title=_("Add a diagnosis or past condition"),
        done=_("Diagnosis recorded."),
    )


@requires("residents", "record")
def diagnosis_status(request, pk: int, diagnosis_id: int):
    resident = _resident(pk)
    diagnosis = get_object_or_404(Diagnosis.objects, pk=diagnosis_id, resident=resident)
    return _run(
        request,
        resident,
        forms.DiagnosisStatusForm,
        lambda d: services_profile.update_diagnosis(diagnosis, **d),
        title=_("Change %(c)s") % {"c": diagnosis.condition},
        initial={"status": diagnosis.status, "notes": diagnosis.notes},
        done=_("Saved."),
    )


@requires("residents", "record")
def add_contact(request, pk: int):
    resident = _resident(pk)
    return _run(
        request,
        resident,
        forms.ContactForm,
        lambda d: services_profile.add_contact(resident, **d),
        title=_("Add a contact"),
        done=_("Contact added."),
    )


@requires("residents", "record")
def edit_contact(request, pk: int, contact_id: int):
    resident = _resident(pk)
    contact = get_object_or_404(Contact.objects, pk=contact_id, resident=resident, is_active=True)
    initial = {k: getattr(contact, k) for k in services_profile.CONTACT_FIELDS}
    return _run(
        request,
        resident,
        forms.ContactEditForm,
        lambda d: services_profile.update_contact(contact, **d),
        title=_("Change %(name)s") % {"name": contact.name},
        initial=initial,
        done=_("Contact saved."),
    )


@requires("residents", "record")
def remove_contact(request, pk: int, contact_id: int):
    resident = _resident(pk)
    contact = get_object_or_404(Contact.objects, pk=contact_id, resident=resident, is_active=True)
    return _run(
        request,
        resident,
        forms.EndForm,
        lambda d: services_profile.remove_contact(contact, reason=d["reason"]),
        title=_("Remove %(name)s from the contacts") % {"name": contact.name},
        done=_("Contact removed."),
        danger=True,
    )


@requires("residents", "manage")
def add_attorney(request, pk: int):
    resident = _resident(pk)
    return _run(
        request,
        resident,
        forms.AttorneyForm,
        lambda d: services_profile.add_attorney(
            resident,
            kind=d["kind"],
            attorney_name=d["attorney_name"],
            registered_on=d["registered_on"],
            upload=d.get("document"),
        ),
        title=_("Add a Lasting Power of Attorney"),
        done=_("LPA recorded."),
    )


@requires("residents", "manage")
def end_attorney(request, pk: int, lpa_id: int):
    resident = _resident(pk)
    lpa = get_object_or_404(PowerOfAttorney.objects, pk=lpa_id, resident=resident, is_active=True)
    return _run(
        request,
        resident,
        forms.EndForm,
        lambda d: services_profile.end_attorney(lpa, reason=d["reason"]),
        title=_("End the LPA of %(name)s") % {"name": lpa.attorney_name},
        done=_("LPA ended."),
        danger=True,
    )


# --- Lifecycle ------------------------------------------------------------------------------


def _rooms_for(resident):
    return services.free_rooms(resident.home_id)


@requires("residents", "manage")
def pre_admission(request, pk: int):
    resident = _resident(pk)
    return _run(
        request,
        resident,
        forms.PreAdmissionForm,
        lambda d: services.record_pre_admission(resident, user=request.user, **d),
        title=_("Pre-admission assessment"),
        done=_("Assessment recorded."),
    )


@requires("residents", "manage")
def admit(request, pk: int):
    resident = _resident(pk)
    return _run(
        request,
        resident,
        forms.AdmitForm,
        lambda d: services.admit(resident, room=int(d["room"]), admitted_at=d["admitted_at"], user=request.user),
        title=_("Admit %(name)s") % {"name": resident.display_name},
        done=_("%(name)s is admitted.") % {"name": resident.display_name},
        form_kwargs={"rooms": _rooms_for(resident)},
    )


@requires("residents", "manage")
def change_room(request, pk: int):
    resident = _resident(pk)
    return _run(
        request,
        resident,
        forms.RoomForm,
        lambda d: services.change_room(resident, room=int(d["room"]), reason=d["reason"], user=request.user),
        title=_("Move %(name)s to another room") % {"name": resident.display_name},
        done=_("Room changed."),
        form_kwargs={"rooms": _rooms_for(resident)},
    )


@requires("residents", "record")
def absence(request, pk: int):
    resident = _resident(pk)
    return _run(
        request,
        resident,
        forms.AbsenceForm,
        lambda d: services.start_absence(
            resident,
            kind=d["kind"],
            started_at=d["started_at"],
            expected_return=d["expected_return"],
            reason=d["reason"],
            user=request.user,
        ),
        title=_("%(name)s is going out (bed held)") % {"name": resident.display_name},
        done=_("Absence recorded: the bed is held."),
    )


@requires("residents", "record")
def record_return(request, pk: int):
    resident = _resident(pk)
    return _run(
        request,
        resident,
        forms.ReturnForm,
        lambda d: services.record_return(resident, returned_at=d["returned_at"], user=request.user),
        title=_("%(name)s is back") % {"name": resident.display_name},
        done=_("Return recorded."),
    )


@requires("residents", "manage")
def discharge(request, pk: int):
    resident = _resident(pk)
    return _run(
        request,
        resident,
        forms.DischargeForm,
        lambda d: services.discharge(
            resident,
            discharged_at=d["discharged_at"],
            destination=d["destination"],
            reason=d["reason"],
            user=request.user,
        ),
        title=_("Discharge %(name)s") % {"name": resident.display_name},
        intro=_("The bed is freed. The record stays, read-only."),
        done=_("%(name)s is discharged.") % {"name": resident.display_name},
        danger=True,
    )


@requires("residents", "record")
def death(request, pk: int):
    resident = _resident(pk)
    return _run(
        request,
        resident,
        forms.DeathForm,
        lambda d: services.record_death(
            resident,
            died_at=d["died_at"],
            verified_by=d["verified_by"],
            verified_role=d["verified_role"],
            expected=d["expected"],
            place=d["place"],
            user=request.user,
        ),
        title=_("Record the death of %(name)s") % {"name": resident.display_name},
        done=_("The death of %(name)s is recorded.") % {"name": resident.display_name},
        danger=True,
    )
