"""Pages of medicines reconciliation: open one for a resident (admission, back from hospital), add each
medicine with what each source says and the decision, withdraw a line added in error, and complete it
(with an optional second checker confirming with their own credential): the orders change at once."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from writecarenotes.medication import services_reconciliation as svc
from writecarenotes.medication.forms_orders import CompleteForm, LineForm, ReasonForm, ReconciliationStartForm
from writecarenotes.medication.models import Medicine, Reconciliation, ReconciliationLine, ReconciliationStatus
from writecarenotes.medication.views_orders import resident_or_404, run, see_other, status_for
from writecarenotes.medication.witness import verify_witness
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.web.idempotent_forms import idempotent_form


def recon_or_404(pk: int) -> Reconciliation:
    r = Reconciliation.objects.select_related("started_by", "completed_by", "second_checker").filter(pk=pk).first()
    if r is None:
        raise Http404(_("No such reconciliation."))
    return r


@requires("medication", "manage")
@idempotent_form
def start(request, resident_id: int):
    ref = resident_or_404(resident_id)
    form = ReconciliationStartForm(request.POST or None, initial={"occasion": request.GET.get("occasion", "admission")})
    if request.method == "POST" and form.is_valid():
        r = run(
            form,
            lambda: svc.start(
                user=request.user,
                resident_id=ref.id,
                occasion=form.cleaned_data["occasion"],
                sources_checked=form.cleaned_data["sources_checked"],
                notes=form.cleaned_data["notes"],
            ),
        )
        if r is not None:
            return see_other(reverse("medication:reconciliation", args=[r.pk]))
    return render(
        request,
        "medication/orders/recon_start.html",
        {"form": form, "resident": ref},
        status=status_for(request) if form.errors else 200,
    )


def _page(request, r: Reconciliation, *, line_form=None, complete_form=None, status=200):
    ref = resident_or_404(r.resident_id)
    lines = list(r.lines.select_related("medicine", "order__medicine", "result_order", "added_by").order_by("pk"))
    is_open = r.status == ReconciliationStatus.OPEN
    current = svc.current_orders(r.resident_id) if is_open else []
    decided = {ln.order_id for ln in lines if ln.order_id and not ln.withdrawn_at}
    undecided = [o for o in current if o.pk not in decided]
    medicines = list(Medicine.objects.filter(active=True).order_by("name"))
    line_form = line_form or LineForm(orders=undecided, medicines=medicines, initial={"start_date": None})
    complete_form = complete_form or CompleteForm()
    record_read("residents.resident", ref.id, home=r.home_id, part="medicines reconciliation", label=ref.display_name)
    return render(
        request,
        "medication/orders/recon_detail.html",
        {
            "r": r,
            "resident": ref,
            "lines": lines,
            "undecided": undecided,
            "is_open": is_open,
            "line_form": line_form,
            "complete_form": complete_form,
            "can_manage": request.access.can("medication", "manage"),
        },
        status=status,
    )


@requires("medication", "view")
def detail(request, pk: int):
    return _page(request, recon_or_404(pk))


@requires("medication", "manage")
@idempotent_form
def add_line(request, pk: int):
    r = recon_or_404(pk)
    if request.method != "POST":
        return see_other(reverse("medication:reconciliation", args=[r.pk]))
    current = svc.current_orders(r.resident_id)
    medicines = list(Medicine.objects.filter(active=True).order_by("name"))
    form = LineForm(request.POST, orders=current, medicines=medicines)
    if form.is_valid():
        line = run(
            form,
            lambda: svc.add_line(
                r.pk,
                user=request.user,
                medicine_id=form.cleaned_data.get("medicine_id"),
                order_id=form.cleaned_data.get("order_id"),
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data.get("line_reason") or "",
                sources=form.sources(),
                order_values=form.order_values(),
                acknowledgement=form.cleaned_data.get("acknowledgement") or "",
            ),
        )
        if line is not None:
            return see_other(reverse("medication:reconciliation", args=[r.pk]) + "#lines")
    return _page(request, r, line_form=form, status=422)


@requires("medication", "manage")
def withdraw_line(request, pk: int, line_id: int):
    r = recon_or_404(pk)
    line = ReconciliationLine.objects.select_related("medicine").filter(pk=line_id, reconciliation=r).first()
    if line is None:
        raise Http404
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run(form, lambda: svc.withdraw_line(line.pk, user=request.user, reason=form.cleaned_data["reason"]))
        if done is not None:
            return see_other(reverse("medication:reconciliation", args=[r.pk]) + "#lines")
    return render(
        request,
        "medication/orders/recon_withdraw.html",
        {"form": form, "r": r, "line": line},
        status=status_for(request) if form.errors else 200,
    )


@requires("medication", "manage")
@idempotent_form
def complete(request, pk: int):
    r = recon_or_404(pk)
    if request.method != "POST":
        return see_other(reverse("medication:reconciliation", args=[r.pk]))
    form = CompleteForm(request.POST)
    if form.is_valid():
        email, password = form.cleaned_data["second_checker_email"], form.cleaned_data["second_checker_password"]
        try:
            checker = None
            if email or password:
                checker = verify_witness(
                    request,
                    home_id=r.home_id,
                    email=email,
                    password=password,
                    not_user_id=request.user.pk,
                    field="second_checker_email",
                )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            version = request.POST.get("version") or ""
            done = run(
                form,
                lambda: svc.complete(
                    r.pk,
                    user=request.user,
                    second_checker=checker,
                    notes=form.cleaned_data["notes"],
                    if_match=f'"v{version}"' if version else None,
                ),
            )
            if done is not None:
                return see_other(reverse("medication:record", args=[r.resident_id]))
    return _page(request, r, complete_form=form, status=422)
