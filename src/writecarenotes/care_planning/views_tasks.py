"""The carers' task list of a unit for the current shift (phone first), and recording a task done or
not done (with a reason). Completing tasks needs care_records:record (carers record daily care);
seeing the list needs care_planning:view."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from writecarenotes.care_planning.forms_plans import TaskForm
from writecarenotes.care_planning.models.plans import NotDoneReason
from writecarenotes.care_planning.services_tasks import record_task, tasks_for_unit
from writecarenotes.care_planning.views_plans import see_other
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.tenancy.models import Unit
from writecarenotes.platform.web.idempotent_forms import idempotent_form


def unit_or_404(unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise Http404(_("No such unit."))
    return unit


@requires("care_planning", "view")
def tasks_index(request):
    units = list(Unit.objects.order_by("home_id", "sort_order", "name"))
    return render(request, "care_planning/plans/tasks_index.html", {"units": units})


def _page(request, unit: Unit, *, status: int = 200, error: str = ""):
    task_list = tasks_for_unit(unit.pk)
    for rt in task_list.residents:
        for t in [*rt.tasks, *rt.as_needed]:
            t.key = uuid.uuid4()  # the form's idempotency key (offline queue: a retry records once)
    return render(
        request,
        "care_planning/plans/tasks.html",
        {
            "unit": unit,
            "task_list": task_list,
            "counts": task_list.counts,
            "can_record": request.access.can("care_records", "record"),
            "reasons": NotDoneReason.choices,
            "now": timezone.localtime(task_list.now),
            "error": error,
        },
        status=status,
    )


@requires("care_planning", "view")
def unit_tasks(request, unit_id: int):
    return _page(request, unit_or_404(unit_id))


@requires("care_records", "record")
@idempotent_form
def record(request, unit_id: int):
    """Record one task. Refused (the task list again with the reason, 422): nothing recorded, and the
    offline queue shows the message; saved: back to the list at the resident."""
    unit = unit_or_404(unit_id)
    url = reverse("care_planning:unit_tasks", args=[unit.pk])
    if request.method != "POST":
        return see_other(url)
    form = TaskForm(request.POST)
    if not form.is_valid():
        why = " ".join(e for errs in form.errors.values() for e in errs)
        return _page(request, unit, status=422, error=_("That task could not be recorded: %(why)s") % {"why": why})
    d = form.cleaned_data
    try:
        completion = record_task(
            intervention_id=d["intervention_id"],
            due_at=form.due(),
            outcome=d["outcome"],
            reason=d["reason"],
            note=d["note"],
            user=request.user,
        )
    except ValidationError as exc:
        why = " ".join(exc.messages)
        return _page(request, unit, status=422, error=_("That task could not be recorded: %(why)s") % {"why": why})
    if completion.outcome == "done":
        messages.success(request, _("Done: %(what)s") % {"what": Truncator(completion.intervention.what).chars(90)})
    else:
        messages.warning(request, _("Recorded as not done: %(why)s") % {"why": completion.get_reason_display()})
    # a query that differs each time: the offline script's location.assign() must load the page, not
    # only scroll to the resident (a change of the #fragment alone reloads nothing)
    return see_other(f"{url}?recorded={completion.pk}#r{completion.resident_id}")
