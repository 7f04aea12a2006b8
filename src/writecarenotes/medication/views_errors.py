"""Pages of medication error reporting: the list (managers and nurses) and the report form."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from writecarenotes.medication.forms_errors import ErrorForm
from writecarenotes.medication.models import MedicationError
from writecarenotes.medication.services_errors import report_error
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.web.idempotent_forms import idempotent_form
from writecarenotes.platform.web.responses import see_other, status_for
from writecarenotes.residents.public import current_residents

PAGE = 50


@requires("medication", "view")
def index(request):
    errors = list(MedicationError.objects.select_related("resident", "reported_by").order_by("-occurred_at")[:PAGE])
    for e in errors:
        if e.resident_id:
            record_read("residents.resident", e.resident_id, home=e.home_id, part="medication error report")
    return render(request, "medication/errors/index.html", {"errors": errors, "page": PAGE})


@requires("medication", "record")
@idempotent_form
def report(request):
    residents = current_residents()
    form = ErrorForm(request.POST or None, residents=residents)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        resident_id = data.pop("resident")
        data.pop("idempotency_key", None)
        home_id = request.access.active_home.pk if request.access.active_home else None
        try:
            report_error(user=request.user, values=data, resident_id=resident_id, home_id=home_id)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            from django.contrib import messages

            messages.success(
                request, _("Medication error reported. An incident was raised for the nurse in charge to complete.")
            )
            return see_other(reverse("medication:errors"))
    return render(request, "medication/errors/report.html", {"form": form}, status=status_for(request))
