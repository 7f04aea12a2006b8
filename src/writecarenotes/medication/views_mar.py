"""The MAR chart of a resident for a period: the page and the same chart as a PDF."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from writecarenotes.medication.pdf_mar import mar_pdf
from writecarenotes.medication.services_rounds_mar import build_mar, period_from
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.residents.public import ResidentNotFound


def _chart(request, resident_id: int):
    start, end = period_from(request.GET.get("start"), request.GET.get("end"))
    try:
        return build_mar(resident_id, start, end)
    except ResidentNotFound:
        raise Http404(_("No such resident.")) from None


@requires("medication", "view")
def mar_page(request, resident_id: int):
    chart = _chart(request, resident_id)
    record_read(
        "residents.resident",
        chart.resident.id,
        home=chart.resident.home_id,
        part="MAR chart",
        label=chart.resident.display_name,
    )
    return render(
        request,
        "medication/rounds/mar.html",
        {"chart": chart, "can_record": request.access.can("medication", "record")},
    )


@requires("medication", "view")
def mar_pdf_view(request, resident_id: int):
    chart = _chart(request, resident_id)
    record_read(
        "residents.resident",
        chart.resident.id,
        home=chart.resident.home_id,
        part="MAR chart (PDF)",
        label=chart.resident.display_name,
    )
    response = HttpResponse(mar_pdf(chart, printed_by=request.user.display_name), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="mar-{chart.resident.id}-{chart.start:%Y%m%d}-{chart.end:%Y%m%d}.pdf"'
    )
    return response
