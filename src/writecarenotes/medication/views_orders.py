"""Pages of the medicines record: the home's formulary (list, search, add, correct, mark inactive), a
resident's medicines record (regular, PRN with the protocol, suspended, stopped, each order's history),
starting and changing orders (with the safety findings to acknowledge), suspending, resuming and
stopping them. Homely remedies, self and covert administration: ``views_special``; reconciliation:
``views_reconciliation``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from writecarenotes.medication import services_formulary, services_orders
from writecarenotes.medication.forms_orders import MedicineFormForm, OrderForm, ReasonForm, ingredients_text
from writecarenotes.medication.models import MedicationOrder, Medicine, Reconciliation, ReconciliationStatus
from writecarenotes.medication.queries_orders import medicines_record
from writecarenotes.platform.api.concurrency import PreconditionFailed
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.audit.versions import history
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.web.idempotent_forms import idempotent_form
from writecarenotes.residents.public import ResidentNotFound, get_resident

STALE = _("Someone changed this since you opened it. Open it again to see the change, then retry.")


def see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def status_for(request) -> int:
    return 422 if request.method == "POST" else 200


def resident_or_404(pk: int):
    try:
        return get_resident(pk)
    except ResidentNotFound:
        raise Http404(_("No such resident.")) from None


def order_or_404(pk: int) -> MedicationOrder:
    o = MedicationOrder.objects.select_related("medicine").filter(pk=pk).first()
    if o is None:
        raise Http404(_("No such order."))
    return o


def run(form, fn):
    """Run a service for a form: its refusals become the form's messages. Returns the result or None."""
    try:
        return fn()
    except ValidationError as exc:
        form.add_service_errors(exc)
    except services_orders.AcknowledgementRequired as exc:
        form.findings = exc.findings
        if "acknowledgement" in form.fields:
            form.add_error("acknowledgement", _("Read the safety findings above and give your reason to go ahead."))
        else:
            form.add_error(None, exc.detail)
    except services_orders.OrderRefused as exc:
        form.refused = exc.findings
        form.add_error(None, _("Refused by a safety check: %(m)s") % {"m": exc.detail})
    except PreconditionFailed:
        form.add_error(None, STALE)
    return None


# --- formulary ------------------------------------------------------------------------------------


@requires("medication", "view")
def formulary(request):
    q = (request.GET.get("q") or "").strip()
    show = request.GET.get("show", "active")
    qs = Medicine.objects.prefetch_related("ingredients").order_by("name", "pk")
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(strength__icontains=q) | Q(ingredients__ingredient__icontains=q)
        ).distinct()
    if show == "active":
        qs = qs.filter(active=True)
    elif show == "inactive":
        qs = qs.filter(active=False)
    return render(
        request,
        "medication/orders/formulary.html",
        {"medicines": list(qs[:300]), "q": q, "show": show, "can_manage": request.access.can("medication", "manage")},
    )


@requires("medication", "manage")
@idempotent_form
def medicine_add(request):
    form = MedicineFormForm(request.POST or None)
    form.fields["reason"].widget = form.fields["reason"].hidden_widget()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        ingredients = data.pop("ingredients")
        for k in ("idempotency_key", "reason"):
            data.pop(k)
        m = run(form, lambda: services_formulary.add_medicine(values=data, ingredients=ingredients))
        if m is not None:
            return see_other(reverse("medication:formulary") + f"?q={m.name}")
    return render(
        request,
        "medication/orders/medicine_form.html",
        {"form": form, "medicine": None},
        status=status_for(request) if form.errors else 200,
    )


@requires("medication", "manage")
def medicine_correct(request, pk: int):
    medicine = Medicine.objects.prefetch_related("ingredients").filter(pk=pk).first()
    if medicine is None:
        raise Http404(_("No such medicine."))
    initial = {f: getattr(medicine, f) for f in services_formulary.FIELDS}
    initial["ingredients"] = ingredients_text(medicine)
    form = MedicineFormForm(request.POST or None, initial=initial)
    form.fields["reason"].required = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        ingredients, reason = data.pop("ingredients"), data.pop("reason")
        data.pop("idempotency_key")
        version = request.POST.get("version") or ""
        m = run(
            form,
            lambda: services_formulary.correct_medicine(
                pk, values=data, ingredients=ingredients, reason=reason, if_match=f'"v{version}"' if version else None
            ),
        )
        if m is not None:
            return see_other(reverse("medication:formulary") + f"?q={m.name}")
    return render(
        request,
        "medication/orders/medicine_form.html",
        {"form": form, "medicine": medicine},
        status=status_for(request) if form.errors else 200,
    )


@requires("medication", "manage")
def medicine_active(request, pk: int):
    medicine = Medicine.objects.filter(pk=pk).first()
    if medicine is None:
        raise Http404(_("No such medicine."))
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run(
            form,
            lambda: services_formulary.set_active(pk, active=not medicine.active, reason=form.cleaned_data["reason"]),
        )
        if done is not None:
            return see_other(reverse("medication:formulary") + "?show=all")
    return render(
        request,
        "medication/orders/medicine_active.html",
        {"form": form, "medicine": medicine},
        status=status_for(request) if form.errors else 200,
    )


# --- the resident's medicines record --------------------------------------------------------------


@requires("medication", "view")
def record(request, resident_id: int):
    ref = resident_or_404(resident_id)
    rec = medicines_record(ref.id)
    for o in rec.orders:
        o.versions_view = history(o.history)
    record_read("residents.resident", ref.id, home=ref.home_id, part="medicines record", label=ref.display_name)
    open_recon = Reconciliation.objects.filter(
        resident_id=ref.id, status__in=[ReconciliationStatus.OPEN, ReconciliationStatus.AWAITING_RETURN]
    ).first()
    return render(
        request,
        "medication/orders/record.html",
        {
            "resident": ref,
            "rec": rec,
            "open_recon": open_recon,
            "can_manage": request.access.can("medication", "manage"),
        },
    )


def _medicines():
    return list(Medicine.objects.filter(active=True).order_by("name"))


@requires("medication", "manage")
@idempotent_form
def order_new(request, resident_id: int):
    ref = resident_or_404(resident_id)
    form = OrderForm(request.POST or None, medicines=_medicines())
    if request.method == "POST" and form.is_valid():
        order = run(
            form,
            lambda: services_orders.start_order(
                user=request.user,
                resident_id=ref.id,
                medicine_id=form.cleaned_data["medicine_id"],
                values=form.values(),
                acknowledgement=form.cleaned_data.get("acknowledgement") or "",
            ),
        )
        if order is not None:
            return see_other(reverse("medication:record", args=[ref.id]) + f"#order-{order.pk}")
    return render(
        request,
        "medication/orders/order_form.html",
        {"form": form, "resident": ref, "order": None},
        status=status_for(request) if form.errors else 200,
    )


@requires("medication", "manage")
def order_change(request, pk: int):
    order = order_or_404(pk)
    ref = resident_or_404(order.resident_id)
    initial = services_orders.current_values(order)
    initial["times"] = ", ".join(order.times)
    form = OrderForm(request.POST or None, initial=initial, changing=True)
    form.fields["reason"].required = True
    if request.method == "POST" and form.is_valid():
        version = request.POST.get("version") or ""
        done = run(
            form,
            lambda: services_orders.change_order(
                order.pk,
                user=request.user,
                values=form.values(),
                reason=form.cleaned_data["reason"],
                if_match=f'"v{version}"' if version else None,
                acknowledgement=form.cleaned_data.get("acknowledgement") or "",
            ),
        )
        if done is not None:
            return see_other(reverse("medication:record", args=[ref.id]) + f"#order-{order.pk}")
    return render(
        request,
        "medication/orders/order_form.html",
        {"form": form, "resident": ref, "order": order},
        status=status_for(request) if form.errors else 200,
    )


ACTIONS = {
    "suspend": (services_orders.suspend_order, _("Suspend")),
    "resume": (services_orders.resume_order, _("Resume")),
    "stop": (services_orders.stop_order, _("Stop")),
}


@requires("medication", "manage")
def order_status(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    order = order_or_404(pk)
    fn, label = ACTIONS[action]
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        version = request.POST.get("version") or ""
        done = run(
            form,
            lambda: fn(
                order.pk,
                user=request.user,
                reason=form.cleaned_data["reason"],
                if_match=f'"v{version}"' if version else None,
            ),
        )
        if done is not None:
            return see_other(reverse("medication:record", args=[order.resident_id]) + f"#order-{order.pk}")
    return render(
        request,
        "medication/orders/order_status.html",
        {"form": form, "order": order, "label": label, "action": action},
        status=status_for(request) if form.errors else 200,
    )
