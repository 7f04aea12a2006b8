"""API of the follow-up tasks (mounted under /api/v1/incidents/).

  /followup-tasks                          GET the tasks of the homes in scope (paginated; ?status=open|done|
                                           not_required|all, default open), soonest due first
  /{incident_id}/followup-tasks            GET an incident's tasks
  /followup-tasks/{int:followup_task_id}/done  POST record a task done: outcome, escalated, done_at; neurological
                                           observations also gcs or acvpu, and pupils

Another home's incident or task: 404 before the body is read (``wiring_followups.API_PATH_OBJECTS``). A task
without its outcome, already recorded, or a deterioration without escalation: 422 problem with the reasons.
"""

from datetime import datetime

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from writecarenotes.incidents.models import FollowUpStatus, FollowUpTask, Incident
from writecarenotes.incidents.services_followups import (
    TaskNotFound,
    complete_task,
    home_tasks,
    resident_names,
    tasks_of,
)
from writecarenotes.platform.api.idempotency import idempotent
from writecarenotes.platform.api.pagination import paginated
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires

router = Router(tags=["incidents: follow-up tasks"])


class TaskOut(Schema):
    id: int
    incident_id: int
    incident_reference: str
    resident_id: int
    resident_name: str
    protocol: str
    key: str
    title: str
    instructions: str
    source: str
    neuro: bool
    due_at: datetime
    overdue: bool
    status: str
    done_at: datetime | None
    done_by: str
    outcome: str
    escalated: bool
    gcs: int | None
    acvpu: str
    pupils: str
    status_reason: str


class TaskDoneIn(Schema):
    outcome: str = Field(..., max_length=5000, description="What was found and done")
    escalated: bool = False
    done_at: datetime | None = None
    gcs: int | None = Field(None, description="Glasgow Coma Scale 3-15 (neurological observations)")
    acvpu: str = Field("", max_length=1, description="A, C, V, P or U when GCS cannot be scored")
    pupils: str = Field("", max_length=100, description="Pupils' size and reaction (neurological observations)")


class TaskFilters(Schema):
    status: str = Field("open", description="open, done, not_required or all")


def task_out(t: FollowUpTask, resident_name: str) -> dict:
    return {
        **{
            f: getattr(t, f)
            for f in (
                "id",
                "incident_id",
                "resident_id",
                "protocol",
                "key",
                "title",
                "instructions",
                "source",
                "neuro",
                "due_at",
                "status",
                "done_at",
                "outcome",
                "escalated",
                "gcs",
                "acvpu",
                "pupils",
                "status_reason",
            )
        },
        "incident_reference": t.incident.reference,
        "resident_name": resident_name,
        "overdue": t.is_overdue(),
        "done_by": t.done_by.display_name if t.done_by_id else "",
    }


def task_or_404(task_id: int) -> FollowUpTask:
    task = FollowUpTask.objects.select_related("incident", "done_by").filter(pk=task_id).first()
    if task is None:
        raise Http404(_("No such task."))
    return task


@router.get("/followup-tasks", response=list[TaskOut], summary="Follow-up tasks of the homes in scope")
@paginated
@requires("incidents", "view")
def list_tasks(request, filters: Query[TaskFilters]):
    status = "" if filters.status == "all" else filters.status
    if status and status not in FollowUpStatus.values:
        raise Http404(_("No such status."))
    rows = home_tasks(status=status)
    return [task_out(r.task, r.resident_name) for r in rows]


@router.get("/{int:incident_id}/followup-tasks", response=list[TaskOut], summary="An incident's follow-up tasks")
@requires("incidents", "view")
def list_incident_tasks(request, incident_id: int):
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None:
        raise Http404(_("No such incident."))
    record_read("incidents.incident", incident.pk, home=incident.home_id, part="follow-up tasks (API)")
    tasks = list(tasks_of(incident.pk).select_related("incident"))
    names = resident_names({t.resident_id for t in tasks})
    return [task_out(t, names.get(t.resident_id, ("", ""))[0]) for t in tasks]


@router.post("/followup-tasks/{int:followup_task_id}/done", response=TaskOut, summary="Record a follow-up task done")
@requires("incidents", "record")
@idempotent
def post_done(request, followup_task_id: int, payload: TaskDoneIn):
    task_or_404(followup_task_id)
    try:
        complete_task(followup_task_id, user=request.user, **payload.dict())
    except TaskNotFound:
        raise Http404(_("No such task.")) from None
    task = task_or_404(followup_task_id)
    name = resident_names([task.resident_id]).get(task.resident_id, ("", ""))[0]
    return task_out(task, name)


def followup_task_exists(pk: int) -> bool:
    return FollowUpTask.objects.filter(pk=pk).exists()
