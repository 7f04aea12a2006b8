"""Pages of medicines stock (the list with days remaining, an item, receipts, counts, returns and disposals,
the reorder list, the cycle settings) and of the fridge temperature log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.medication import services_stock as stock
from writecarenotes.medication import services_stock_fridges as fridges
from writecarenotes.medication.forms_stock import CountForm, FridgeForm, OutForm, ReadingForm, ReceiptForm, SettingsForm
from writecarenotes.medication.models import Fridge, StockItem
from writecarenotes.platform.api.concurrency import etag_for
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.web.idempotent_forms import idempotent_form
from writecarenotes.residents.public import current_residents


def see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _home_id(request) -> int:
    if request.access.active_home is None:
        raise Http404(_("Choose a home first."))
    return request.access.active_home.pk


def _status(request) -> int:
    return 422 if request.method == "POST" else 200


@requires("medication", "view")
def index(request):
    rows = stock.stock_rows()
    home = request.access.active_home
    settings = stock.settings_for(home.pk) if home else None
    cycle = stock.cycle_on(settings, timezone.localdate()) if settings else None
    return render(
        request,
        "medication/stock/index.html",
        {
            "rows": rows,
            "cycle": cycle,
            "needs_count": sum(1 for r in rows if r.item.needs_count),
            "can_record": request.access.can("medication", "record"),
        },
    )


@requires("medication", "record")
@idempotent_form
def receive_page(request):
    home_id = _home_id(request)
    form = ReceiptForm(request.POST or None, home_id=home_id, residents=current_residents())
    if request.method == "POST" and form.is_valid():
        data = form.values()
        try:
            movement = stock.receive(
                home_id,
                medicine_id=data["medicine"].pk,
                resident_id=data.get("resident"),
                quantity=data["quantity"],
                supplier=data["supplier"],
                reference=data["reference"],
                by=request.user,
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("Received. In stock: %(b)s.") % {"b": stock._fmt(movement.balance_after)})
            return see_other(reverse("medication:stock_item", args=[movement.item_id]))
    return render(
        request,
        "medication/stock/form.html",
        {"form": form, "heading": _("Receive from the pharmacy"), "button": _("Record the receipt")},
        status=_status(request),
    )


def _item_or_404(item_id: int) -> StockItem:
    item = StockItem.objects.select_related("medicine").filter(pk=item_id).first()
    if item is None:
        raise Http404(_("No such stock item."))
    return item


@requires("medication", "view")
def item_page(request, item_id: int):
    item = _item_or_404(item_id)
    row = next(r for r in stock.stock_rows(resident_id=item.resident_id) if r.item.pk == item.pk)
    movements = list(item.movements.select_related("recorded_by")[:100])
    return render(
        request,
        "medication/stock/item.html",
        {
            "row": row,
            "item": item,
            "movements": movements,
            "count_form": CountForm(),
            "out_form": OutForm(),
            "can_record": request.access.can("medication", "record"),
        },
    )


@requires("medication", "record")
@idempotent_form
def count_page(request, item_id: int):
    item = _item_or_404(item_id)
    form = CountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            stock.count(item.pk, by=request.user, **form.values())
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("Count recorded."))
            return see_other(reverse("medication:stock_item", args=[item.pk]))
    return render(
        request,
        "medication/stock/form.html",
        {"form": form, "item": item, "heading": _("Count the stock"), "button": _("Record the count")},
        status=_status(request),
    )


@requires("medication", "record")
@idempotent_form
def out_page(request, item_id: int):
    item = _item_or_404(item_id)
    form = OutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            stock.return_or_dispose(item.pk, by=request.user, **form.values())
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("Recorded."))
            return see_other(reverse("medication:stock_item", args=[item.pk]))
    return render(
        request,
        "medication/stock/form.html",
        {"form": form, "item": item, "heading": _("Return or dispose of"), "button": _("Record")},
        status=_status(request),
    )


@requires("medication", "view")
def reorder_page(request):
    cycle, rows = stock.reorder_list(_home_id(request))
    return render(request, "medication/stock/reorder.html", {"cycle": cycle, "rows": rows})


@requires("medication", "manage")
@idempotent_form
def settings_page(request):
    home_id = _home_id(request)
    current = stock.settings_for(home_id)
    initial = (
        {
            "cycle_start": current.cycle_start,
            "cycle_days": current.cycle_days,
            "order_lead_days": current.order_lead_days,
        }
        if current
        else {}
    )
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            stock.save_settings(
                home_id, by=request.user, if_match=etag_for(current) if current else None, **form.values()
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("Cycle settings saved."))
            return see_other(reverse("medication:stock_reorder"))
    return render(
        request,
        "medication/stock/form.html",
        {"form": form, "heading": _("Ordering cycle"), "button": _("Save")},
        status=_status(request),
    )


# --- fridges -------------------------------------------------------------------------------------------


@requires("medication", "view")
def fridge_index(request):
    form = FridgeForm() if request.access.can("medication", "manage") and request.access.active_home else None
    return render(request, "medication/stock/fridges.html", {"rows": fridges.fridge_rows(), "form": form})


@requires("medication", "manage")
@idempotent_form
def fridge_add(request):
    form = FridgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            fridge = fridges.add_fridge(_home_id(request), by=request.user, **form.values())
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            return see_other(reverse("medication:fridge", args=[fridge.pk]))
    return render(
        request,
        "medication/stock/form.html",
        {"form": form, "heading": _("Add a fridge"), "button": _("Add")},
        status=_status(request),
    )


@requires("medication", "view")
@idempotent_form
def fridge_page(request, fridge_id: int):
    fridge = Fridge.objects.filter(pk=fridge_id).first()
    if fridge is None:
        raise Http404(_("No such fridge."))
    can_record = request.access.can("medication", "record")
    form = ReadingForm(request.POST or None) if can_record else None
    if request.method == "POST":
        if not can_record:
            raise Http404(_("No such page."))
        if form.is_valid():
            try:
                reading = fridges.record_reading(fridge.pk, by=request.user, **form.values())
            except ValidationError as exc:
                form.apply_errors(exc)
            else:
                if reading.in_range:
                    messages.success(request, _("Reading recorded: in range."))
                else:
                    messages.error(
                        request, _("Out of range reading recorded with the action taken. The manager is alerted.")
                    )
                return see_other(reverse("medication:fridge", args=[fridge.pk]))
    readings = list(fridge.readings.select_related("recorded_by")[:60])
    return render(
        request,
        "medication/stock/fridge.html",
        {
            "fridge": fridge,
            "form": form,
            "readings": readings,
            "missing": fridges.missing_days(fridge),
        },
        status=_status(request),
    )
