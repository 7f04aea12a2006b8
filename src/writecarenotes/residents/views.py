"""Resident pages: the list (search, by unit), the overview, the care journey, and the files
(photo, documents) served only through these permission-checked views."""

from __future__ import annotations

from urllib.parse import urlencode

from django.apps import apps
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.web import uploads
from writecarenotes.residents import nhs_number, timeline
from writecarenotes.residents.forms import JourneyFilterForm
from writecarenotes.residents.models import Allergy, Contact, PowerOfAttorney, Resident, ResidentStatus

CURRENT = [ResidentStatus.IN_RESIDENCE, ResidentStatus.TEMPORARILY_ABSENT]
BEFORE_ADMISSION = [ResidentStatus.ENQUIRY, ResidentStatus.PRE_ADMISSION]
_NHS_CHARACTERS = set("0123456789 -")


def search(q: str, status: str = ""):
    """Residents of the active scope. With no search text: the current ones (in residence or away),
    or those of ``status`` ("enquiries" for enquiries and pre-admission, or a status value).

    With text, every resident (any status) whose names contain every word, or whose room is a word,
    or (text of digits, spaces and dashes only) whose NHS number starts with those digits.
    """
    qs = Resident.objects.select_related("unit", "room", "home")
    q = q.strip()
    order = ("unit__sort_order", "unit__name", "room__number", "legal_family_name")
    if not q:
        if status == "enquiries":
            return qs.filter(status__in=BEFORE_ADMISSION).order_by("legal_family_name", "legal_given_names")
        if status in ResidentStatus.values:
            return qs.filter(status=status).order_by(*order)
        return qs.filter(status__in=CURRENT).order_by(*order)
    by_words = Q()
    for word in q.split():
        by_words &= (
            Q(legal_family_name__icontains=word)
            | Q(legal_given_names__icontains=word)
            | Q(preferred_name__icontains=word)
            | Q(room__number__iexact=word)
        )
    cond = by_words
    digits = nhs_number.normalise(q)
    if len(digits) >= 3 and set(q) <= _NHS_CHARACTERS:
        cond |= Q(nhs_number__startswith=digits)
    return qs.filter(cond).order_by(*order)


def _groups(residents: list[Resident]) -> list[dict]:
    """Residents grouped by unit, in list order ("No unit" for enquiries)."""
    groups: list[dict] = []
    for r in residents:
        key = (r.home_id, r.unit_id)
        if not groups or groups[-1]["key"] != key:
            groups.append({"key": key, "unit": r.unit, "home": r.home, "residents": []})
        groups[-1]["residents"].append(r)
    return groups


@requires("residents", "view")
def resident_list(request):
    q = request.GET.get("q", "")[:100]
    status = request.GET.get("status", "")[:30]
    residents = list(search(q, status))
    return render(
        request,
        "residents/_results.html" if request.htmx else "residents/list.html",
        {
            "residents": residents,
            "groups": _groups(residents),
            "q": q,
            "status": status,
            "can_manage": request.access.can("residents", "manage"),
        },
    )


def load_resident(pk: int) -> Resident:
    return get_object_or_404(
        Resident.objects.select_related("unit", "room", "home").prefetch_related(
            Prefetch("allergies", queryset=Allergy.objects.order_by("ended_at", "substance")),
            "diagnoses",
            Prefetch("contacts", queryset=Contact.objects.filter(is_active=True)),
            Prefetch("attorneys", queryset=PowerOfAttorney.objects.filter(is_active=True)),
        ),
        pk=pk,
    )


@requires("residents", "view")
def resident_detail(request, pk: int):
    resident = load_resident(pk)
    record_read("residents.resident", resident.pk, home=resident.home_id, part="profile", label=resident.display_name)
    allergies = [a for a in resident.allergies.all() if a.ended_at is None]
    return render(
        request,
        "residents/detail.html",
        {
            "resident": resident,
            "allergies": allergies,
            "number_label": nhs_number.number_label(resident.home.nation),
            "can_record": request.access.can("residents", "record"),
            "can_manage": request.access.can("residents", "manage"),
            "milestones": list(resident.milestones.all()[:5]),
            "links": resident_links(request, resident.pk),
        },
    )


def resident_links(request, pk: int) -> list[tuple[str, str]]:
    """``(label, url)`` of other contexts' pages about this resident that the user may open.

    A context declares them on its AppConfig as ``wcn_resident_links = [(label, url_name, context,
    action), ...]`` with ``url_name`` taking the resident's id (residents imports no context)."""
    out = []
    for config in apps.get_app_configs():
        for label, url_name, context, action in getattr(config, "wcn_resident_links", []) or []:
            if request.access.can(context, action):
                out.append((str(label), reverse(url_name, args=[pk])))
    return out


@requires("residents", "view")
def resident_journey(request, pk: int):
    resident = get_object_or_404(Resident.objects.select_related("home"), pk=pk)
    record_read(
        "residents.resident", resident.pk, home=resident.home_id, part="care journey", label=resident.display_name
    )
    form = JourneyFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = timeline.collect(request, resident.pk, filters) if not (form.is_bound and form.errors) else None
    items = page.items if page else []
    older = ""
    if page and page.next_before:
        query = {k: v for k, v in request.GET.items() if k != "before" and v}
        older = "?" + urlencode({**query, "before": page.next_before.isoformat()})
    template = "residents/_journey_items.html" if request.htmx else "residents/journey.html"
    context = {
        "resident": resident,
        "form": form,
        "items": items,
        "older_url": older,
        "paged": bool(filters.get("before")),
        "kinds": timeline.kinds(),
    }
    return render(request, template, context)


def _serve(resident: Resident, name: str, part: str, allowed) -> FileResponse:
    if not name:
        raise Http404
    record_read("residents.resident", resident.pk, home=resident.home_id, part=part, label=resident.display_name)
    try:
        fh = uploads.open_stored(name)
    except FileNotFoundError:
        raise Http404 from None
    head = fh.read(16)
    fh.seek(0)
    content_type = uploads.sniff(head)
    if content_type not in allowed:
        fh.close()
        raise Http404
    response = FileResponse(fh, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires("residents", "view")
def resident_photo(request, pk: int):
    resident = get_object_or_404(Resident.objects, pk=pk)
    return _serve(resident, resident.photo, "photo", uploads.IMAGES)


@requires("residents", "view")
def dnacpr_document(request, pk: int):
    resident = get_object_or_404(Resident.objects, pk=pk)
    return _serve(resident, resident.dnacpr_document, "DNACPR / ReSPECT document", uploads.DOCUMENTS)


@requires("residents", "view")
def attorney_document(request, pk: int, lpa_id: int):
    lpa = get_object_or_404(PowerOfAttorney.objects.select_related("resident"), pk=lpa_id, resident_id=pk)
    return _serve(lpa.resident, lpa.document, "LPA document", uploads.DOCUMENTS)
