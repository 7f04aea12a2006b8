"""Pages of the controlled drugs register: the pages of the home, one page with its entries, checks and
discrepancies, the witnessed forms (entry, stock check, correction, resolution) and the exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.medication import services_controlled as cd
from writecarenotes.medication import services_controlled_checks as checks
from writecarenotes.medication.export_controlled import page_title, register_csv, register_pdf
from writecarenotes.medication.forms_controlled import (
    CheckForm,
    CorrectionForm,
    EntryForm,
    OpenRegisterForm,
    ResolveForm,
)
from writecarenotes.medication.models import CDDiscrepancy, CDEntry, CDEntryKind, CDRegister
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.web.idempotent_forms import idempotent_form
from writecarenotes.residents.public import current_residents


def see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _register_or_404(register_id: int) -> CDRegister:
    register = CDRegister.objects.select_related("medicine").filter(pk=register_id).first()
    if register is None:
        raise Http404(_("No such register page."))
    return register


def _active_home_id(request) -> int:
    home = request.access.active_home
    if home is None:
        raise Http404(_("Choose a home first."))
    return home.pk


@requires("medication", "view")
def index(request):
    registers = list(
        CDRegister.objects.select_related("medicine")
        .annotate(open_discrepancies=Count("discrepancies", filter=Q(discrepancies__status="open")))
        .order_by("medicine__name", "resident_id", "pk")
    )
    names = cd.resident_names({r.resident_id for r in registers})
    form = None
    if request.access.can("medication", "manage") and request.access.active_home is not None:
        form = OpenRegisterForm(home_id=request.access.active_home.pk, residents=current_residents())
    open_discrepancies = list(
        CDDiscrepancy.objects.filter(status=CDDiscrepancy.Status.OPEN).select_related("register__medicine")
    )
    return render(
        request,
        "medication/controlled/index.html",
        {
            "rows": [{"register": r, "resident": names.get(r.resident_id, "")} for r in registers],
            "form": form,
            "discrepancies": open_discrepancies,
        },
    )


@requires("medication", "manage")
@idempotent_form
def open_page(request):
    home_id = _active_home_id(request)
    form = OpenRegisterForm(request.POST or None, home_id=home_id, residents=current_residents())
    if request.method == "POST" and form.is_valid():
        try:
            register = cd.open_register(
                home_id=home_id,
                medicine_id=form.cleaned_data["medicine"].pk,
                resident_id=form.cleaned_data.get("resident"),
                by=request.user,
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("Register page opened: %(m)s.") % {"m": register.medicine.name})
            return see_other(reverse("medication:cd_register", args=[register.pk]))
    status = 422 if request.method == "POST" else 200
    return render(request, "medication/controlled/open.html", {"form": form}, status=status)


@requires("medication", "view")
def register_page(request, register_id: int):
    register = _register_or_404(register_id)
    entries = list(
        CDEntry.objects.filter(register=register)
        .select_related("recorded_by", "witness")
        .prefetch_related("notes__written_by")
        .order_by("sequence")
    )
    names = cd.resident_names({e.resident_id for e in entries} | {register.resident_id})
    if register.resident_id:
        record_read(
            "residents.resident",
            register.resident_id,
            home=register.home_id,
            part="controlled drugs register",
            label=names.get(register.resident_id, ""),
        )
    stock_checks = list(register.checks.select_related("checked_by", "witness", "discrepancy")[:20])
    return render(
        request,
        "medication/controlled/register.html",
        {
            "register": register,
            "title": page_title(register),
            "entries": [{"e": e, "resident": names.get(e.resident_id, "")} for e in entries],
            "checks": stock_checks,
            "discrepancies": list(register.discrepancies.select_related("resolved_by")),
            "can_record": request.access.can("medication", "record"),
            "can_manage": request.access.can("medication", "manage"),
        },
    )


@requires("medication", "record")
@idempotent_form
def entry_page(request, register_id: int):
    register = _register_or_404(register_id)
    kind = request.GET.get("kind", CDEntryKind.RECEIVED)
    form = EntryForm(request.POST or None, kind=kind if kind in cd.MANUAL_KINDS else CDEntryKind.RECEIVED)
    if request.method == "POST" and form.is_valid():
        witness = form.witness(request, register.home_id)
        if witness is not None:
            try:
                entry = cd.record_entry(register.pk, by=request.user, witness=witness, **form.values())
            except ValidationError as exc:
                form.apply_errors(exc)
            else:
                messages.success(
                    request,
                    _("Entered in the register: %(k)s %(q)s. Balance %(b)s.")
                    % {"k": entry.get_kind_display(), "q": cd.fmt(entry.quantity), "b": cd.fmt(entry.balance_after)},
                )
                return see_other(reverse("medication:cd_register", args=[register.pk]))
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "medication/controlled/form.html",
        {"form": form, "register": register, "heading": _("New entry"), "button": _("Enter in the register")},
        status=status,
    )


@requires("medication", "record")
@idempotent_form
def check_page(request, register_id: int):
    register = _register_or_404(register_id)
    form = CheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        witness = form.witness(request, register.home_id)
        if witness is not None:
            try:
                check = checks.stock_check(register.pk, by=request.user, witness=witness, **form.values())
            except ValidationError as exc:
                form.apply_errors(exc)
            else:
                if check.matches:
                    messages.success(request, _("Stock check recorded: the count matches the register."))
                else:
                    messages.error(
                        request,
                        _("Discrepancy: counted %(c)s, the register says %(e)s. The manager has been told.")
                        % {"c": cd.fmt(check.counted), "e": cd.fmt(check.expected)},
                    )
                return see_other(reverse("medication:cd_register", args=[register.pk]))
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "medication/controlled/form.html",
        {"form": form, "register": register, "heading": _("Stock check"), "button": _("Record the count")},
        status=status,
    )


@requires("medication", "record")
@idempotent_form
def correct_page(request, entry_id: int):
    entry = CDEntry.objects.select_related("register__medicine").filter(pk=entry_id).first()
    if entry is None:
        raise Http404(_("No such entry."))
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        witness = form.witness(request, entry.home_id)
        if witness is not None:
            try:
                cd.correct_entry(entry.pk, by=request.user, witness=witness, **form.values())
            except ValidationError as exc:
                form.apply_errors(exc)
            else:
                messages.success(request, _("Correction noted against entry %(n)s.") % {"n": entry.sequence})
                return see_other(reverse("medication:cd_register", args=[entry.register_id]))
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "medication/controlled/form.html",
        {
            "form": form,
            "register": entry.register,
            "entry": entry,
            "heading": _("Correct entry %(n)s") % {"n": entry.sequence},
            "button": _("Add the correction"),
        },
        status=status,
    )


@requires("medication", "manage")
@idempotent_form
def resolve_page(request, discrepancy_id: int):
    discrepancy = CDDiscrepancy.objects.select_related("register__medicine").filter(pk=discrepancy_id).first()
    if discrepancy is None:
        raise Http404(_("No such discrepancy."))
    form = ResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        witness = form.witness(request, discrepancy.home_id) if form.cleaned_data.get("adjust") else None
        if witness is not None or not form.cleaned_data.get("adjust"):
            try:
                checks.resolve_discrepancy(discrepancy.pk, by=request.user, witness=witness, **form.values())
            except ValidationError as exc:
                form.apply_errors(exc)
            else:
                messages.success(request, _("Discrepancy resolved."))
                return see_other(reverse("medication:cd_register", args=[discrepancy.register_id]))
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "medication/controlled/form.html",
        {
            "form": form,
            "register": discrepancy.register,
            "discrepancy": discrepancy,
            "heading": _("Resolve a discrepancy"),
            "button": _("Record what was found"),
        },
        status=status,
    )


def _filename(register: CDRegister, ext: str) -> str:
    stamp = timezone.localdate().isoformat()
    return f"cd-register-{register.pk}-{stamp}.{ext}"


@requires("medication", "view")
def export_csv(request, register_id: int):
    register = _register_or_404(register_id)
    record_read("medication.cdregister", register.pk, home=register.home_id, part="register export (CSV)")
    response = HttpResponse(register_csv(register), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(register, "csv")}"'
    return response


@requires("medication", "view")
def export_pdf(request, register_id: int):
    register = _register_or_404(register_id)
    record_read("medication.cdregister", register.pk, home=register.home_id, part="register export (PDF)")
    home = next((h for h in request.access.homes if h.pk == register.home_id), None)
    response = HttpResponse(register_pdf(register, home.name if home else ""), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(register, "pdf")}"'
    return response
