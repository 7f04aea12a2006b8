"""Pages of daily care records: a resident's care page, quick notes, chart entries, corrections,
chart settings, the alert list of a unit and the shift handover (handover views: ``views_handover``
is not a separate module; they are at the end of this file)."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.care_records import alerts as alert_list
from writecarenotes.care_records import handover as handovers
from writecarenotes.care_records import rules
from writecarenotes.care_records.forms import (
    CHART_TITLES,
    ChartSettingsForm,
    HandoverItemForm,
    NoteForm,
    chart_form_class,
    correction_form_class,
)
from writecarenotes.care_records.models import CareNote
from writecarenotes.care_records.public import resident_summary
from writecarenotes.care_records.services_charts import CHARTS, record_chart_entry, set_chart_settings, settings_for
from writecarenotes.care_records.services_notes import correct_entry, history_of, record_note
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.tenancy.models import Unit
from writecarenotes.platform.web.idempotent_forms import idempotent_form
from writecarenotes.residents.public import ResidentNotFound, current_residents, get_resident

#: kind slug (URLs) → model, for lists, entry pages and corrections
KINDS = {"notes": CareNote, **CHARTS}


def _resident_or_404(resident_id: int):
    try:
        return get_resident(resident_id)
    except ResidentNotFound:
        raise Http404(_("No such resident.")) from None


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errs in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, exc)


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


@requires("care_records", "view")
def resident_care(request, resident_id: int):
    ref = _resident_or_404(resident_id)
    record_read("residents.resident", ref.id, home=ref.home_id, part="daily care records", label=ref.display_name)
    summary = resident_summary(ref)
    return render(
        request,
        "care_records/resident.html",
        {
            "resident": ref,
            "summary": summary,
            "charts": CHART_TITLES,
            "last_rows": [(slug, title, summary["last"].get(slug)) for slug, title in CHART_TITLES.items()],
            "can_record": request.access.can("care_records", "record"),
            "can_manage": request.access.can("care_records", "manage"),
        },
    )


@requires("care_records", "record")
@idempotent_form
def new_note(request, resident_id: int):
    ref = _resident_or_404(resident_id)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_note(
                resident_id=ref.id, user=request.user, occurred_at=form.cleaned_data["occurred_at"], **form.values()
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Note saved."))
            return _see_other(reverse("care_records:resident", args=[ref.id]))
    status = 422 if request.method == "POST" else 200
    return render(request, "care_records/note_form.html", {"resident": ref, "form": form}, status=status)


@requires("care_records", "record")
@idempotent_form
def new_chart_entry(request, resident_id: int, chart: str):
    if chart not in CHARTS:
        raise Http404(_("No such chart."))
    ref = _resident_or_404(resident_id)
    form = chart_form_class(chart)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_chart_entry(
                chart,
                resident_id=ref.id,
                user=request.user,
                occurred_at=form.cleaned_data["occurred_at"],
                values=form.values(),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("%(chart)s entry saved.") % {"chart": CHART_TITLES[chart]})
            return _see_other(reverse("care_records:resident", args=[ref.id]))
    status = 422 if request.method == "POST" else 200
    context = {"resident": ref, "form": form, "chart": chart, "title": CHART_TITLES[chart]}
    return render(request, "care_records/chart_form.html", context, status=status)


@requires("care_records", "view")
def entry_list(request, resident_id: int, kind: str):
    model = KINDS.get(kind)
    if model is None:
        raise Http404(_("No such chart."))
    ref = _resident_or_404(resident_id)
    record_read(
        "residents.resident", ref.id, home=ref.home_id, part=f"daily care records: {kind}", label=ref.display_name
    )
    entries = list(model.objects.filter(resident_id=ref.id).select_related("recorded_by", "struck_by")[:200])
    title = _("Notes") if kind == "notes" else CHART_TITLES[kind]
    return render(
        request, "care_records/entry_list.html", {"resident": ref, "entries": entries, "kind": kind, "title": title}
    )


def _entry_or_404(model, ref, pk: int):
    entry = model.objects.filter(pk=pk, resident_id=ref.id).select_related("recorded_by", "struck_by").first()
    if entry is None:
        raise Http404(_("No such entry."))
    return entry


@requires("care_records", "view")
def entry_detail(request, resident_id: int, kind: str, pk: int):
    model = KINDS.get(kind)
    if model is None:
        raise Http404(_("No such chart."))
    ref = _resident_or_404(resident_id)
    entry = _entry_or_404(model, ref, pk)
    record_read(
        "residents.resident", ref.id, home=ref.home_id, part=f"daily care record {kind} {pk}", label=ref.display_name
    )
    return render(
        request,
        "care_records/entry_detail.html",
        {"resident": ref, "entry": entry, "kind": kind, "history": history_of(entry)},
    )


@requires("care_records", "record")
def correct(request, resident_id: int, kind: str, pk: int):
    model = KINDS.get(kind)
    if model is None:
        raise Http404(_("No such chart."))
    ref = _resident_or_404(resident_id)
    entry = _entry_or_404(model, ref, pk)
    form_class = correction_form_class(kind, model)
    if entry.is_struck:
        messages.error(request, _("This entry has already been corrected."))
        return _see_other(reverse("care_records:entry", args=[ref.id, kind, entry.replaced_by_id or entry.pk]))
    initial = {name: getattr(entry, name) for name in form_class.base_fields if name not in {"reason", "occurred_at"}}
    initial["occurred_at"] = timezone.localtime(entry.occurred_at)
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            replacement = correct_entry(entry, reason=reason, new_values=data, user=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Entry corrected: the original is struck through and kept."))
            return _see_other(reverse("care_records:entry", args=[ref.id, kind, replacement.pk]))
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "care_records/correct.html",
        {"resident": ref, "entry": entry, "kind": kind, "form": form},
        status=status,
    )


@requires("care_records", "manage")
def chart_settings(request, resident_id: int):
    ref = _resident_or_404(resident_id)
    current = settings_for(ref.id)
    form = ChartSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in ChartSettingsForm.Meta.fields}
        try:
            set_chart_settings(resident_id=ref.id, values=values, reason=form.cleaned_data.get("reason", ""))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Chart settings saved."))
            return _see_other(reverse("care_records:resident", args=[ref.id]))
    status = 422 if request.method == "POST" else 200
    return render(request, "care_records/settings_form.html", {"resident": ref, "form": form}, status=status)


# --- unit pages: alerts and handover ------------------------------------------------------------


def _unit_or_404(unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise Http404(_("No such unit."))
    return unit


def _units():
    return list(Unit.objects.order_by("home_id", "sort_order", "name"))


@requires("care_records", "view")
def alerts(request, unit_id: int | None = None):
    unit = _unit_or_404(unit_id) if unit_id is not None else None
    items = alert_list.alerts_for(unit.pk if unit else None)
    context = {"unit": unit, "alerts": items, "units": _units(), "checked_at": timezone.localtime()}
    if request.htmx:
        return render(request, "care_records/_alert_list.html", context)
    return render(request, "care_records/alerts.html", context)


@requires("care_records", "view")
def alerts_panel(request):
    """The dashboard panel's content, loaded by htmx after the dashboard (see alerts.dashboard_panel)."""
    return render(request, "care_records/_panel_counts.html", {"panel": alert_list.panel_counts(None)})


def _shift_from(request) -> tuple[datetime, datetime]:
    raw = request.GET.get("shift") or request.POST.get("shift")
    if raw:
        try:
            start = datetime.fromisoformat(raw)
        except ValueError:
            raise Http404(_("No such shift.")) from None
        if timezone.is_naive(start):
            start = timezone.make_aware(start)
        return rules.shift_bounds(timezone.localtime(start))
    return handovers.last_shift()


def _handover_context(request, unit, start, end, form=None):
    found = handovers.find_handover(unit.pk, start)
    if found is not None and found.is_signed_off:
        summary = found.summary
    else:
        summary = handovers.generate_summary(unit.pk, start, end)
    residents = current_residents(unit.pk)
    return {
        "unit": unit,
        "start": timezone.localtime(start),
        "end": timezone.localtime(end),
        "handover": found,
        "items": list(found.items.select_related("added_by").all()) if found else [],
        "summary": summary,
        "form": form or HandoverItemForm(residents=residents),
        "can_sign_off": request.access.can("care_records", "manage"),
        "can_add": request.access.can("care_records", "record"),
        "previous": timezone.localtime(start - (end - start)).strftime("%Y-%m-%dT%H:%M"),
        "shift_value": timezone.localtime(start).strftime("%Y-%m-%dT%H:%M"),
        "item_key": uuid.uuid4(),
    }


@requires("care_records", "view")
def handover(request, unit_id: int):
    unit = _unit_or_404(unit_id)
    start, end = _shift_from(request)
    return render(request, "care_records/handover.html", _handover_context(request, unit, start, end))


@requires("care_records", "record")
@idempotent_form
def handover_add_item(request, unit_id: int):
    unit = _unit_or_404(unit_id)
    start, end = _shift_from(request)
    if request.method != "POST":
        return _see_other(reverse("care_records:handover", args=[unit.pk]))
    form = HandoverItemForm(request.POST, residents=current_residents(unit.pk))
    if form.is_valid():
        try:
            handovers.add_handover_item(
                unit_id=unit.pk,
                start=start,
                end=end,
                user=request.user,
                text=form.cleaned_data["text"],
                resident_id=form.cleaned_data["resident"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Added to the handover."))
            url = (
                reverse("care_records:handover", args=[unit.pk])
                + "?shift="
                + timezone.localtime(start).strftime("%Y-%m-%dT%H:%M")
            )
            return _see_other(url)
    return render(request, "care_records/handover.html", _handover_context(request, unit, start, end, form), status=422)


@requires("care_records", "manage")
def handover_sign_off(request, unit_id: int):
    unit = _unit_or_404(unit_id)
    start, end = _shift_from(request)
    url = (
        reverse("care_records:handover", args=[unit.pk])
        + "?shift="
        + timezone.localtime(start).strftime("%Y-%m-%dT%H:%M")
    )
    if request.method != "POST":
        return _see_other(url)
    try:
        handovers.sign_off_handover(unit_id=unit.pk, start=start, end=end, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Handover signed off."))
    return _see_other(url)


@requires("care_records", "view")
def index(request):
    """Start page of care records: current residents by unit with links to record."""
    residents = current_residents()
    return render(request, "care_records/index.html", {"residents": residents, "units": _units()})
