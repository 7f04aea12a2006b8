"""Actions and lessons learned of the investigation sub-domain: actions with an owner and a due date
tracked to done (``action.done``), lessons shared with the home's staff (``lesson.shared``) and
their read receipts. Each change is one transaction with its audit record and event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from writecarenotes.incidents.events_investigation import ActionDone, LessonShared
from writecarenotes.incidents.models import (
    ActionStatus,
    Investigation,
    InvestigationAction,
    LessonAudience,
    LessonLearned,
    LessonRead,
)
from writecarenotes.incidents.services_investigation import (
    NotFound,
    _check_user,
    _locked,
    date_or_error,
    staff_of_home,
    text_or_error,
)
from writecarenotes.platform.api.concurrency import check_if_match, etag_for
from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.audit.versions import save_version
from writecarenotes.platform.events.api import publish
from writecarenotes.platform.identity.capabilities import ROLES, role_can


def lesson_roles() -> list[tuple[str, str]]:
    """Staff roles a lesson can be shared with (those that see incidents)."""
    return [(code, str(r.label)) for code, r in ROLES.items() if r.staff and role_can(code, "incidents", "view")]


# --- actions --------------------------------------------------------------------------------------


def add_action(investigation_id: int, *, user, description: str, owner_id, due_on) -> InvestigationAction:
    """An action with its owner (a member of staff of the home) and due date."""
    errors: dict = {}
    description = text_or_error(
        errors, "description", description, required=True, max_length=2000, message=_("Say what is to be done.")
    )
    due_on = date_or_error(errors, "due_on", due_on, today=timezone.localdate(), message=_lazy("Enter the due date."))
    with transaction.atomic():
        inv = _locked(investigation_id)
        owner_id = _check_user(
            errors,
            "owner_id",
            owner_id,
            staff_of_home(inv.home_id),
            _lazy("The owner must be a member of staff of this home."),
        )
        if errors:
            raise ValidationError(errors)
        action = InvestigationAction.objects.create(
            home_id=inv.home_id,
            investigation=inv,
            incident_id=inv.incident_id,
            description=description,
            owner_id=owner_id,
            due_on=due_on,
            created_by=user,
        )
        save_version(action, action="incidents.investigation.action_added")
    return action


def complete_action(
    action_id: int, *, user, note: str, done_on=None, if_match: str | None = None
) -> InvestigationAction:
    """Mark an action done, with what was done and the day (today unless given; never in the future)."""
    errors: dict = {}
    note = text_or_error(errors, "done_note", note, required=True, max_length=5000, message=_("Say what was done."))
    today = timezone.localdate()
    done_on = date_or_error(
        errors, "done_on", done_on or today, today=today, message=_lazy("Enter the day it was done."), allow_past=True
    )
    with transaction.atomic():
        action = InvestigationAction.objects.select_for_update().filter(pk=action_id).first()
        if action is None:
            raise NotFound(action_id)
        check_if_match(if_match, etag_for(action))
        if action.is_done:
            raise ValidationError(_("This action is already done."))
        if done_on and done_on < timezone.localdate(action.created_at) and "done_on" not in errors:
            errors["done_on"] = [_("The action cannot be done before it was agreed.")]
        if errors:
            raise ValidationError(errors)
        action.status = ActionStatus.DONE
        action.done_on = done_on
        action.done_note = note
        action.done_by = user
        action.version += 1
        action.updated_at = timezone.now()
        action.save()
        save_version(action, reason=_("Action done"), action="incidents.investigation.action_done")
        publish(
            ActionDone(
                action_id=action.pk,
                investigation_id=action.investigation_id,
                incident_id=action.incident_id,
                done_on=done_on,
                owner_id=action.owner_id,
            ),
            home=action.home_id,
        )
    return action


def open_actions(today: date | None = None):
    """Open actions across the homes in scope, the most overdue first (one query)."""
    return (
        InvestigationAction.objects.filter(status=ActionStatus.OPEN)
        .select_related("owner", "incident", "home")
        .order_by("due_on", "pk")
    )


# --- lessons learned ------------------------------------------------------------------------------


def share_lesson(
    investigation_id: int, *, user, title: str, text: str, audience: str, roles: list[str] | None = None
) -> LessonLearned:
    """Share a lesson with all staff of the home, or with staff in the roles chosen."""
    errors: dict = {}
    title = text_or_error(errors, "title", title, required=True, max_length=200, message=_("Give the lesson a title."))
    text = text_or_error(errors, "text", text, required=True, max_length=10000, message=_("Write the lesson."))
    roles = list(dict.fromkeys(roles or []))
    if audience not in LessonAudience.values:
        errors["audience"] = [_("Choose who the lesson is shared with.")]
    elif audience == LessonAudience.ROLES:
        allowed = {code for code, _label in lesson_roles()}
        if not roles:
            errors["roles"] = [_("Choose at least one role.")]
        elif not set(roles) <= allowed:
            errors["roles"] = [_("Choose roles of staff who see incidents.")]
    else:
        roles = []
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        inv = _locked(investigation_id)
        lesson = LessonLearned.objects.create(
            home_id=inv.home_id,
            investigation=inv,
            incident_id=inv.incident_id,
            title=title,
            text=text,
            audience=audience,
            roles=roles,
            shared_by=user,
        )
        record_change(
            "incidents.lesson.shared",
            target=lesson,
            subject=("incidents.incident", inv.incident_id),
            before=None,
            after={"title": title, "audience": audience, "roles": roles},
        )
        publish(
            LessonShared(
                lesson_id=lesson.pk,
                incident_id=inv.incident_id,
                title=title,
                audience=audience,
                roles=roles,
            ),
            home=inv.home_id,
        )
    return lesson


def visible_lessons(roles, *, everything: bool = False):
    """Lessons of the homes in scope for these roles (``everything``: a manager sees them all), with
    ``read_count``. The role filter runs in Python over one query (JSON lookups differ by database)."""
    rows = list(
        LessonLearned.objects.select_related("shared_by", "incident", "home")
        .annotate(read_count=Count("reads"))
        .order_by("-shared_at", "-pk")
    )
    if everything:
        return rows
    roles = set(roles)
    return [lesson for lesson in rows if lesson.audience == LessonAudience.ALL_STAFF or roles & set(lesson.roles)]


def audience_of(lesson: LessonLearned):
    """The staff the lesson was shared with (users)."""
    roles = None if lesson.audience == LessonAudience.ALL_STAFF else list(lesson.roles)
    return staff_of_home(lesson.home_id, roles=roles)


@dataclass(frozen=True)
class ReadStatus:
    user_id: int
    name: str
    read_at: object  # datetime or None


def read_status(lesson: LessonLearned) -> tuple[list[ReadStatus], list[ReadStatus]]:
    """(who has read it, who has not) among the lesson's audience; two queries."""
    reads = {r.user_id: r.read_at for r in LessonRead.objects.filter(lesson=lesson).only("user_id", "read_at")}
    read, unread = [], []
    for u in audience_of(lesson):
        item = ReadStatus(u.pk, u.display_name, reads.get(u.pk))
        (read if u.pk in reads else unread).append(item)
    return read, unread


def has_read(lesson_id: int, user) -> bool:
    return LessonRead.objects.filter(lesson_id=lesson_id, user_id=user.pk).exists()


def mark_read(lesson_id: int, *, user) -> LessonRead:
    """ "I have read this": one receipt per person (a second press changes nothing)."""
    with transaction.atomic():
        lesson = LessonLearned.objects.filter(pk=lesson_id).first()
        if lesson is None:
            raise NotFound(lesson_id)
        existing = LessonRead.objects.filter(lesson=lesson, user_id=user.pk).first()
        if existing is not None:
            return existing
        if not audience_of(lesson).filter(pk=user.pk).exists():
            raise ValidationError(_("This lesson was not shared with you."))
        try:
            with transaction.atomic():
                receipt = LessonRead.objects.create(home_id=lesson.home_id, lesson=lesson, user=user)
        except IntegrityError:
            return LessonRead.objects.get(lesson=lesson, user_id=user.pk)
        record_change(
            "incidents.lesson.read",
            target=receipt,
            subject=("incidents.incident", lesson.incident_id),
            before=None,
            after={"lesson_id": lesson.pk},
        )
    return receipt


def investigation_lessons(investigation: Investigation):
    return list(
        LessonLearned.objects.filter(investigation=investigation)
        .annotate(read_count=Count("reads"))
        .select_related("shared_by")
    )
