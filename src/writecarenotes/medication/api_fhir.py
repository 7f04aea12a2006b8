"""FHIR export of a resident's medicines (mounted under /api/v1/medication/).

/residents/{resident_id}/fhir/MedicationRequest         every order (UK Core MedicationRequest)
/residents/{resident_id}/fhir/MedicationAdministration  the eMAR records, ?start=&end= (dates; default
                                                         the last 30 days, at most 92 days)
"""

from datetime import date, datetime, time, timedelta

from django.http import Http404, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from writecarenotes.medication import fhir
from writecarenotes.platform.api.problems import problem
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.residents.public import ResidentNotFound, get_resident

router = Router(tags=["medication: FHIR"])

FHIR_CONTENT_TYPE = "application/fhir+json"
MAX_DAYS = 92


def _ref(resident_id: int, part: str):
    try:
        ref = get_resident(resident_id)
    except ResidentNotFound:
        raise Http404(_("No such resident.")) from None
    record_read("residents.resident", ref.id, home=ref.home_id, part=part, label=ref.display_name)
    return ref


@router.get(
    "/residents/{resident_id}/fhir/MedicationRequest",
    response={200: dict},
    summary="FHIR R4 Bundle of the resident's MedicationRequests (UK Core): every order, stopped ones too",
)
@requires("medication", "view")
def fhir_requests(request, resident_id: int):
    ref = _ref(resident_id, "FHIR medication requests (API)")
    bundle = fhir.request_bundle(ref, base_url=request.build_absolute_uri("/api/v1/medication/"))
    return JsonResponse(bundle, content_type=FHIR_CONTENT_TYPE)


@router.get(
    "/residents/{resident_id}/fhir/MedicationAdministration",
    response={200: dict},
    summary="FHIR R4 Bundle of the resident's MedicationAdministrations (UK Core) from start to end (dates)",
)
@requires("medication", "view")
def fhir_administrations(request, resident_id: int, start: date | None = None, end: date | None = None):
    today = timezone.localdate()
    end = end or today
    start = start or end - timedelta(days=29)
    if start > end or (end - start).days + 1 > MAX_DAYS:
        return problem(
            request,
            422,
            _("Period not allowed"),
            detail=_("Give a start on or before the end, at most %(n)s days apart.") % {"n": MAX_DAYS},
            kind="validation",
        )
    ref = _ref(resident_id, "FHIR medication administrations (API)")
    zone = timezone.get_current_timezone()
    bundle = fhir.administration_bundle(
        ref,
        start=datetime.combine(start, time.min, tzinfo=zone),
        end=datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
        base_url=request.build_absolute_uri("/api/v1/medication/"),
    )
    return JsonResponse(bundle, content_type=FHIR_CONTENT_TYPE)
