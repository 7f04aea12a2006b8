"""Pages of reporting: the list (filters, status badges, open steps per incident), the report form (a
phone, under two minutes), the incident's page (facts, people, injuries on the body map, photos, version
history and the other sub-domains' panels), corrections with a reason, people / injuries / photos added
later, and closing (refused while a required step is open). Every read of an incident is audited.
"""

from __future__ import annotations

import importlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from writecarenotes.care_records.public import BODY_LOCATIONS
from writecarenotes.incidents import obligations
from writecarenotes.incidents.forms_report import (
    CloseForm,
    CorrectionForm,
    InjuryForm,
    ListFilterForm,
    PersonForm,
    PhotoForm,
    ReportForm,
    initial_from,
)
from writecarenotes.incidents.models import (
    SERIOUS_INJURY_TESTS,
    Incident,
    IncidentPerson,
    IncidentPhoto,
    IncidentStatus,
    PersonKind,
    PersonRole,
)
from writecarenotes.incidents.services_report import (
    IncidentNotFound,
    OpenStepsRemain,
    add_injury,
    add_person,
    add_photo,
    change_incident,
    close_incident,
    report_incident,
)
from writecarenotes.platform.api.concurrency import PreconditionFailed
from writecarenotes.platform.audit.models import RecordVersion
from writecarenotes.platform.audit.services import record_denied, record_read
from writecarenotes.platform.audit.versions import history
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.tenancy.models import Unit
from writecarenotes.platform.web import uploads
from writecarenotes.platform.web.idempotent_forms import idempotent_form
from writecarenotes.platform.web.responses import see_other, status_for
from writecarenotes.residents.public import ResidentNotFound, current_residents, get_resident

#: The sub-domains whose panel shows on the incident's page, in this order (``views_<sub>.incident_panel``).
PANELS = ("followups", "notifications", "duties", "investigation")
PAGE_SIZE = 25
#: Roles who correct the facts of an incident besides those who manage incidents.
CORRECTING_ROLES = frozenset({"nurse"})
STALE = _lazy("Someone changed this incident since you opened it. Open it again to see the change, then retry.")


def etag(version) -> str | None:
    return f'"v{version}"' if version else None


def can_correct(access) -> bool:
    """A manager (incidents: manage) or a nurse corrects the facts of an incident."""
    return access.can("incidents", "manage") or bool(CORRECTING_ROLES & set(access.roles))


def units_for(request) -> list:
    units = list(Unit.objects.select_related("home").order_by("home__name", "sort_order", "name"))
    if request.access.all_homes:
        for u in units:
            u.name = f"{u.home.name} · {u.name}"
    return units


def incident_or_404(pk: int) -> Incident:
    incident = Incident.objects.select_related("unit", "reported_by", "closed_by").filter(pk=pk).first()
    if incident is None:
        raise Http404(_("No such incident."))
    return incident


def read(incident: Incident, part: str, people=None) -> None:
    """Audit a read: on the record of each resident affected, or on the incident when none was."""
    residents = [
        p
        for p in (people if people is not None else incident.people.all())
        if p.kind == PersonKind.RESIDENT and p.resident_id
    ]
    for p in residents:
        record_read(
            "residents.resident",
            p.resident_id,
            home=incident.home_id,
            part=f"{part} {incident.reference}",
            label=p.name,
        )
    if not residents:
        record_read("incidents.incident", incident.pk, home=incident.home_id, part=part, label=incident.reference)


def open_step_counts(incidents: list[Incident]) -> dict[int, int]:
    """{incident id: open required steps} for a page of incidents (one query per sub-domain)."""
    return obligations.open_step_counts(incidents)


def panels(request, incident: Incident) -> list:
    """The other sub-domains' panels (HTML), in PANELS order; a sub-domain not written yet is skipped."""
    out = []
    for sub in PANELS:
        name = f"writecarenotes.incidents.views_{sub}"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        panel = getattr(module, "incident_panel", None)
        html = panel(request, incident) if panel is not None else None
        if html:
            out.append(mark_safe(html))  # noqa: S308  (rendered by the sub-domain's template)
    return out


# --- lists ----------------------------------------------------------------------------------------


@requires("incidents", "view")
def index(request, resident_id: int | None = None):
    resident = None
    if resident_id is not None:
        try:
            resident = get_resident(resident_id)
        except ResidentNotFound:
            raise Http404(_("No such resident.")) from None
    residents = current_residents()
    form = ListFilterForm(request.GET or None, units=units_for(request), residents=residents)
    f = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = Incident.objects.select_related("unit")
    if resident is not None or f.get("resident"):
        rid = resident.id if resident is not None else f["resident"]
        qs = qs.filter(
            pk__in=IncidentPerson.objects.filter(
                resident_id=rid, kind=PersonKind.RESIDENT, role=PersonRole.AFFECTED
            ).values("incident_id")
        )
    status = f.get("status")
    if status == "needs_details":
        qs = qs.filter(needs_details=True, status=IncidentStatus.OPEN)
    elif status:
        qs = qs.filter(status=status)
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    if f.get("unit"):
        qs = qs.filter(unit_id=f["unit"])
    if f.get("date_from"):
        qs = qs.filter(occurred_at__date__gte=f["date_from"])
    if f.get("date_to"):
        qs = qs.filter(occurred_at__date__lte=f["date_to"])
    page = Paginator(qs.order_by("-occurred_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    incidents = list(page.object_list)
    names: dict[int, list[str]] = {}
    for incident_id, name in IncidentPerson.objects.filter(
        incident_id__in=[i.pk for i in incidents], kind=PersonKind.RESIDENT, role=PersonRole.AFFECTED
    ).values_list("incident_id", "name"):
        names.setdefault(incident_id, []).append(name)
    steps = open_step_counts(incidents)
    rows = [{"incident": i, "residents": names.get(i.pk, []), "open_steps": steps.get(i.pk, 0)} for i in incidents]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "incidents/report/index.html",
        {
            "form": form,
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "resident": resident,
            "can_record": request.access.can("incidents", "record"),
        },
    )


# --- reporting ------------------------------------------------------------------------------------


def _report(request, preselect: int | None):
    residents = current_residents()
    form = ReportForm(request.POST or None, units=units_for(request), residents=residents)
    if not form.is_bound and preselect is not None:
        form.initial["residents"] = [preselect]
        ref = next((r for r in residents if r.id == preselect), None)
        if ref is not None:
            form.initial["unit"] = ref.unit_id
            form.initial["location"] = _("Room %(room)s") % {"room": ref.room} if ref.room else ""
    if request.method == "POST" and form.is_valid():
        try:
            incident = report_incident(
                user=request.user,
                values=form.facts(),
                people=form.people(),
                injuries=form.injuries(),
                home_id=request.access.active_home.pk if request.access.active_home else None,
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(
                request,
                _("Incident %(ref)s reported. Add photos below if you took any.") % {"ref": incident.reference},
            )
            return see_other(reverse("incidents:detail", args=[incident.pk]))
    return render(request, "incidents/report/report.html", {"form": form}, status=status_for(request))


@requires("incidents", "record")
@idempotent_form
def report(request):
    raw = request.GET.get("resident", "")
    return _report(request, int(raw) if raw.isdigit() else None)


@requires("incidents", "record")
@idempotent_form
def report_for(request, resident_id: int):
    try:
        ref = get_resident(resident_id)
    except ResidentNotFound:
        raise Http404(_("No such resident.")) from None
    return _report(request, ref.id)


# --- the incident ---------------------------------------------------------------------------------


@requires("incidents", "view")
def detail(request, pk: int):
    incident = incident_or_404(pk)
    people = list(incident.people.select_related("user").order_by("pk"))
    read(incident, "incident", people)
    injuries = list(incident.injuries.select_related("person").order_by("pk"))
    regions = dict(BODY_LOCATIONS)
    for injury in injuries:
        injury.body_location_label = regions.get(injury.body_location, injury.body_location)
    rows = RecordVersion.objects.filter(
        content_type="incidents.incident", object_id=str(incident.pk), home_id=incident.home_id
    ).order_by("version")
    access = request.access
    tests = set(incident.serious_injury_tests or [])
    return render(
        request,
        "incidents/report/detail.html",
        {
            "incident": incident,
            "people": people,
            "injuries": injuries,
            "photos": list(incident.photos.order_by("pk")),
            "serious_tests": [label for k, label in SERIOUS_INJURY_TESTS.items() if k in tests],
            "versions": history(list(rows)),
            "panels": panels(request, incident),
            "open_steps": obligations.open_steps(incident) if incident.is_open else [],
            "can_add": incident.is_open and access.can("incidents", "record"),
            "can_correct": incident.is_open and can_correct(access),
            "can_close": incident.is_open and access.can("incidents", "manage"),
            "now": timezone.now(),
        },
    )


@requires("incidents", "record")
def correct(request, pk: int):
    incident = incident_or_404(pk)
    if not can_correct(request.access):
        record_denied("incidents:correct", home=incident.home_id, detail={"path": request.path})
        raise PermissionDenied
    if not incident.is_open:
        return see_other(reverse("incidents:detail", args=[incident.pk]))
    form = CorrectionForm(request.POST or None, initial=initial_from(incident), units=units_for(request))
    if request.method == "POST" and form.is_valid():
        try:
            change_incident(
                incident.pk,
                user=request.user,
                reason=form.cleaned_data["reason"],
                values=form.changes(incident),
                if_match=etag(form.cleaned_data["version"]),
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        except IncidentNotFound:
            raise Http404(_("No such incident.")) from None
        except PreconditionFailed:
            form.add_error(None, STALE)
        else:
            messages.success(request, _("Correction saved."))
            return see_other(reverse("incidents:detail", args=[incident.pk]))
    return render(
        request, "incidents/report/correct.html", {"incident": incident, "form": form}, status=status_for(request)
    )


def _add(request, incident, form, save, title: str, template: str = "incidents/report/add.html"):
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except ValidationError as exc:
            form.apply_errors(exc)
        except IncidentNotFound:
            raise Http404(_("No such incident.")) from None
        else:
            messages.success(request, _("Added to %(ref)s.") % {"ref": incident.reference})
            return see_other(reverse("incidents:detail", args=[incident.pk]))
    return render(request, template, {"incident": incident, "form": form, "title": title}, status=status_for(request))


def _open_or_redirect(pk: int):
    incident = incident_or_404(pk)
    return incident, (None if incident.is_open else see_other(reverse("incidents:detail", args=[incident.pk])))


@requires("incidents", "record")
def new_person(request, pk: int):
    incident, closed = _open_or_redirect(pk)
    if closed:
        return closed
    form = PersonForm(request.POST or None, residents=current_residents())
    return _add(
        request,
        incident,
        form,
        lambda: add_person(incident.pk, user=request.user, person=form.person()),
        _("Add a person or a statement"),
    )


@requires("incidents", "record")
def new_injury(request, pk: int):
    incident, closed = _open_or_redirect(pk)
    if closed:
        return closed
    form = InjuryForm(request.POST or None, people=incident.people.order_by("pk"))
    return _add(
        request,
        incident,
        form,
        lambda: add_injury(incident.pk, user=request.user, injury=form.injury()),
        _("Add an injury on the body map"),
    )


@requires("incidents", "record")
def new_photo(request, pk: int):
    incident, closed = _open_or_redirect(pk)
    if closed:
        return closed
    form = PhotoForm(request.POST or None, request.FILES or None)
    return _add(
        request,
        incident,
        form,
        lambda: add_photo(
            incident.pk, user=request.user, upload=form.cleaned_data["photo"], caption=form.cleaned_data["caption"]
        ),
        _("Add a photo"),
        "incidents/report/photo.html",
    )


@requires("incidents", "view")
def photo(request, pk: int, photo_id: int):
    incident = incident_or_404(pk)
    row = IncidentPhoto.objects.filter(pk=photo_id, incident_id=incident.pk).first()
    if row is None:
        raise Http404
    read(incident, f"photo {row.pk} of incident")
    try:
        fh = uploads.open_stored(row.file)
    except FileNotFoundError:
        raise Http404 from None
    head = fh.read(16)
    fh.seek(0)
    content_type = uploads.sniff(head)
    if content_type not in uploads.IMAGES:
        fh.close()
        raise Http404
    response = FileResponse(fh, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires("incidents", "manage")
def close(request, pk: int):
    incident = incident_or_404(pk)
    if not incident.is_open:
        return see_other(reverse("incidents:detail", args=[incident.pk]))
    form = CloseForm(request.POST or None, initial={"version": incident.version})
    steps = obligations.open_steps(incident)
    if request.method == "POST" and form.is_valid():
        try:
            close_incident(
                incident.pk,
                user=request.user,
                summary=form.cleaned_data["summary"],
                if_match=etag(form.cleaned_data["version"]),
            )
        except OpenStepsRemain as exc:
            steps = exc.steps
            form.add_error(None, _("This incident cannot be closed while required steps are open (listed below)."))
        except ValidationError as exc:
            form.apply_errors(exc)
        except PreconditionFailed:
            form.add_error(None, STALE)
        else:
            messages.success(request, _("Incident %(ref)s closed.") % {"ref": incident.reference})
            return see_other(reverse("incidents:detail", args=[incident.pk]))
    return render(
        request,
        "incidents/report/close.html",
        {"incident": incident, "form": form, "steps": steps, "now": timezone.now()},
        status=status_for(request),
    )
