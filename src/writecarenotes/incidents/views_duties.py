"""Pages of the duties: the panel on the incident page (candour, safeguarding, relatives and GP told, each
step with its form), the duties page of an incident, the posts that record a step, and the manager's
dashboard panel of every overdue obligation (``obligations.overdue_steps``: all sub-domains)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from writecarenotes.incidents import obligations
from writecarenotes.incidents.forms_duties import DeclineForm, InformedForm, StepForm
from writecarenotes.incidents.models import DutyKind, Incident, InformedEntry, SafeguardingRecord, StepStatus
from writecarenotes.incidents.services_duties import (
    StepNotFound,
    candour_decision,
    decline_step,
    record_informed,
    record_step,
    steps_of,
)
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.web.idempotent_forms import idempotent_form
from writecarenotes.platform.web.responses import see_other

#: At most this many overdue obligations are listed on the dashboard (the count shows them all)
DASHBOARD_LIMIT = 15


def _incident_or_404(incident_id: int) -> Incident:
    incident = Incident.objects.select_related("home").filter(pk=incident_id).first()
    if incident is None:
        raise Http404(_("No such incident."))
    return incident


def _back(request, incident: Incident) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return reverse("incidents:duties_incident", args=[incident.pk])


def _context(request, incident: Incident, *, bound: dict | None = None) -> dict:
    """The panel's context; ``bound`` replaces a step's (or the informed) form with the one posted."""
    bound = bound or {}
    access = request.access
    steps = steps_of(incident.pk)
    can_record = access.can("incidents", "record") and incident.is_open
    can_manage = access.can("incidents", "manage") and incident.is_open
    groups = {kind: [] for kind in (DutyKind.SAFEGUARDING, DutyKind.CANDOUR, DutyKind.INFORMED)}
    now = timezone.now()
    for step in steps:
        row = {"step": step, "overdue": step.is_overdue(now)}
        if step.is_open and can_record and step.kind != DutyKind.INFORMED:
            row["form"] = bound.get(("step", step.pk)) or StepForm(step=step)
        if step.is_open and can_manage and step.kind != DutyKind.SAFEGUARDING:
            row["decline_form"] = bound.get(("decline", step.pk)) or DeclineForm(step=step)
        groups[step.kind].append(row)
    return {
        "incident": incident,
        "decision": candour_decision(incident),
        "candour": groups[DutyKind.CANDOUR],
        "safeguarding_steps": groups[DutyKind.SAFEGUARDING],
        "informed_steps": groups[DutyKind.INFORMED],
        "safeguarding": SafeguardingRecord.objects.filter(incident=incident).first(),
        "informed": list(InformedEntry.objects.filter(incident=incident).select_related("informed_by")),
        "informed_form": (bound.get("informed") or InformedForm()) if can_record else None,
        "can_record": can_record,
        "next": request.get_full_path() if request.method == "GET" else _back(request, incident),
    }


def incident_panel(request, incident: Incident) -> str:
    """The duties panel for the incident page (report sub-domain), as HTML."""
    return render_to_string("incidents/duties/_panel.html", _context(request, incident), request=request)


@requires("incidents", "view")
def incident_page(request, incident_id: int):
    incident = _incident_or_404(incident_id)
    record_read("incidents.incident", incident.pk, home=incident.home_id, part="duties", label=incident.reference)
    return render(request, "incidents/duties/page.html", _context(request, incident))


def _page_with_errors(request, incident, bound: dict):
    return render(request, "incidents/duties/page.html", _context(request, incident, bound=bound), status=422)


def _step_or_404(incident: Incident, step_id: int):
    step = next((s for s in steps_of(incident.pk) if s.pk == step_id), None)
    if step is None:
        raise Http404(_("No such step."))
    return step


@requires("incidents", "record")
def record_step_view(request, incident_id: int, step_id: int):
    incident = _incident_or_404(incident_id)
    step = _step_or_404(incident, step_id)
    if request.method != "POST":
        return see_other(_back(request, incident))
    form = StepForm(request.POST, step=step)
    if form.is_valid():
        try:
            record_step(step.pk, user=request.user, values=form.values())
        except ValidationError as exc:
            form.apply_errors(exc)
        except StepNotFound:
            raise Http404(_("No such step.")) from None
        else:
            messages.success(request, _("Recorded: %(t)s.") % {"t": step.title})
            return see_other(_back(request, incident))
    return _page_with_errors(request, incident, {("step", step.pk): form})


@requires("incidents", "manage")
def decline_step_view(request, incident_id: int, step_id: int):
    incident = _incident_or_404(incident_id)
    step = _step_or_404(incident, step_id)
    if request.method != "POST":
        return see_other(_back(request, incident))
    form = DeclineForm(request.POST, step=step)
    if form.is_valid():
        try:
            decline_step(step.pk, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error("reason" if hasattr(exc, "error_dict") else None, exc.messages)
        else:
            messages.success(request, _("Closed with your reason: %(t)s.") % {"t": step.title})
            return see_other(_back(request, incident))
    return _page_with_errors(request, incident, {("decline", step.pk): form})


@requires("incidents", "record")
@idempotent_form
def informed_view(request, incident_id: int):
    incident = _incident_or_404(incident_id)
    if request.method != "POST":
        return see_other(_back(request, incident))
    form = InformedForm(request.POST)
    if form.is_valid():
        try:
            record_informed(incident.pk, user=request.user, values=form.values())
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("Recorded who was told."))
            return see_other(_back(request, incident))
    return _page_with_errors(request, incident, {"informed": form})


# --- the manager's dashboard ----------------------------------------------------------------------


def dashboard_panel(request) -> dict | None:
    """ "Overdue obligations": every required step past its due time, across the homes in scope and every
    sub-domain (follow-ups, notifications, candour, safeguarding, informing, investigation), until done."""
    access = getattr(request, "access", None)
    if access is None or not access.can("incidents", "manage") or not access.homes:
        return None
    steps = obligations.overdue_steps(timezone.now())
    return {
        "title": _("Overdue obligations"),
        "template": "incidents/duties/dashboard_panel.html",
        "order": 5,
        "count": len(steps),
        "steps": steps[:DASHBOARD_LIMIT],
        "more": max(0, len(steps) - DASHBOARD_LIMIT),
        "open_status": StepStatus.OPEN,
    }
