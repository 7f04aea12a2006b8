"""Pages of homely remedies (the home's list with its protocols; giving one to a resident), the
self-administration risk assessment and the covert administration authorisation of an order."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from writecarenotes.care_planning.public import best_interest_decisions, capacity_assessments
from writecarenotes.medication import services_special as svc
from writecarenotes.medication.forms_orders import AuthoriseRemedyForm, CovertForm, RemedyForm, SelfAssessmentForm
from writecarenotes.medication.models import HomelyRemedy, Medicine
from writecarenotes.medication.views_orders import order_or_404, resident_or_404, run, see_other, status_for
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.web.idempotent_forms import idempotent_form


def _medicines():
    return list(Medicine.objects.filter(active=True).order_by("name"))


@requires("medication", "view")
def remedies(request):
    rows = list(HomelyRemedy.objects.select_related("medicine").order_by("-active", "medicine__name", "pk"))
    today = timezone.localdate()
    for r in rows:
        r.overdue = r.review_date < today
    return render(
        request,
        "medication/orders/remedies.html",
        {"remedies": rows, "can_manage": request.access.can("medication", "manage")},
    )


@requires("medication", "manage")
@idempotent_form
def remedy_add(request):
    form = RemedyForm(request.POST or None, medicines=_medicines())
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("idempotency_key")
        medicine_id = data.pop("medicine_id")
        r = run(form, lambda: svc.add_remedy(user=request.user, medicine_id=medicine_id, values=data))
        if r is not None:
            return see_other(reverse("medication:remedies"))
    return render(
        request,
        "medication/orders/remedy_form.html",
        {"form": form},
        status=status_for(request) if form.errors else 200,
    )


@requires("medication", "manage")
@idempotent_form
def remedy_for_resident(request, resident_id: int):
    ref = resident_or_404(resident_id)
    rows = list(
        HomelyRemedy.objects.select_related("medicine")
        .filter(active=True, review_date__gte=timezone.localdate())
        .order_by("medicine__name")
    )
    form = AuthoriseRemedyForm(request.POST or None, remedies=rows)
    if request.method == "POST" and form.is_valid():
        order = run(
            form,
            lambda: svc.authorise_remedy(
                form.cleaned_data["remedy_id"],
                user=request.user,
                resident_id=ref.id,
                acknowledgement=form.cleaned_data.get("acknowledgement") or "",
            ),
        )
        if order is not None:
            return see_other(reverse("medication:record", args=[ref.id]) + f"#order-{order.pk}")
    return render(
        request,
        "medication/orders/remedy_authorise.html",
        {"form": form, "resident": ref, "remedies": rows},
        status=status_for(request) if form.errors else 200,
    )


@requires("medication", "manage")
@idempotent_form
def self_assessment(request, resident_id: int):
    ref = resident_or_404(resident_id)
    form = SelfAssessmentForm(
        request.POST or None, medicines=_medicines(), initial={"medicine_id": request.GET.get("medicine")}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("idempotency_key")
        medicine_id = data.pop("medicine_id")
        a = run(
            form,
            lambda: svc.record_self_assessment(
                user=request.user, resident_id=ref.id, medicine_id=medicine_id, values=data
            ),
        )
        if a is not None:
            return see_other(reverse("medication:record", args=[ref.id]))
    return render(
        request,
        "medication/orders/self_form.html",
        {"form": form, "resident": ref},
        status=status_for(request) if form.errors else 200,
    )


@requires("medication", "manage")
@idempotent_form
def covert(request, pk: int):
    order = order_or_404(pk)
    ref = resident_or_404(order.resident_id)
    form = CovertForm(
        request.POST or None,
        capacity=capacity_assessments(ref.id),
        decisions=best_interest_decisions(ref.id),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("idempotency_key")
        a = run(form, lambda: svc.authorise_covert(order.pk, user=request.user, values=data))
        if a is not None:
            return see_other(reverse("medication:record", args=[ref.id]) + f"#order-{order.pk}")
    return render(
        request,
        "medication/orders/covert_form.html",
        {"form": form, "resident": ref, "order": order},
        status=status_for(request) if form.errors else 200,
    )
