"""Pages of the follow-up tasks: the nurse's "Post-fall checks" list, a task with its form, an incident's
tasks, and the panel for the incident page (report sub-domain)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.incidents.forms_followups import TaskForm
from writecarenotes.incidents.models import FollowUpStatus, FollowUpTask, Incident
from writecarenotes.incidents.services_followups import (
    TaskNotFound,
    complete_task,
    home_tasks,
    resident_names,
    tasks_of,
)
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.web.idempotent_forms import idempotent_form
from writecarenotes.platform.web.responses import see_other


def _incident_or_404(incident_id: int) -> Incident:
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None:
        raise Http404(_("No such incident."))
    return incident


def _panel_context(request, incident: Incident) -> dict:
    tasks = list(tasks_of(incident.pk))
    names = resident_names({t.resident_id for t in tasks})
    now = timezone.now()
    return {
        "incident": incident,
        "rows": [
            {"task": t, "resident": names.get(t.resident_id, ("", ""))[0], "overdue": t.is_overdue(now)} for t in tasks
        ],
        "open_count": sum(1 for t in tasks if t.is_open),
        "can_record": request.access.can("incidents", "record") and incident.is_open,
    }


def incident_panel(request, incident: Incident) -> str:
    """The follow-up tasks of an incident, for the incident page, as HTML."""
    return render_to_string("incidents/followups/_panel.html", _panel_context(request, incident), request=request)


@requires("incidents", "view")
def incident_page(request, incident_id: int):
    incident = _incident_or_404(incident_id)
    record_read(
        "incidents.incident", incident.pk, home=incident.home_id, part="follow-up tasks", label=incident.reference
    )
    return render(request, "incidents/followups/incident.html", _panel_context(request, incident))


@requires("incidents", "record")
def checks(request):
    """ "Post-fall checks": every open follow-up task in the homes in scope, soonest first."""
    rows = home_tasks(status=FollowUpStatus.OPEN)
    return render(
        request,
        "incidents/followups/list.html",
        {"rows": rows, "overdue": sum(1 for r in rows if r.overdue)},
    )


def _task_or_404(task_id: int) -> FollowUpTask:
    task = FollowUpTask.objects.select_related("incident", "done_by").filter(pk=task_id).first()
    if task is None:
        raise Http404(_("No such task."))
    return task


@requires("incidents", "record")
@idempotent_form
def task_page(request, task_id: int):
    task = _task_or_404(task_id)
    name, unit = resident_names([task.resident_id]).get(task.resident_id, ("", ""))
    record_read("residents.resident", task.resident_id, home=task.home_id, part=f"follow-up task {task.pk}", label=name)
    form = TaskForm(request.POST or None, task=task) if task.is_open else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            complete_task(task.pk, user=request.user, **form.values())
        except ValidationError as exc:
            form.apply_errors(exc)
        except TaskNotFound:
            raise Http404(_("No such task.")) from None
        else:
            messages.success(request, _("Recorded: %(t)s.") % {"t": task.title})
            return see_other(reverse("incidents:followups_checks"))
    earlier = FollowUpTask.objects.filter(
        incident_id=task.incident_id, resident_id=task.resident_id, neuro=True, status=FollowUpStatus.DONE
    ).order_by("done_at", "pk")
    return render(
        request,
        "incidents/followups/task.html",
        {
            "task": task,
            "resident_name": name,
            "unit_name": unit,
            "form": form,
            "earlier": list(earlier) if task.neuro else [],
            "overdue": task.is_overdue(),
        },
        status=422 if request.method == "POST" else 200,
    )
