"""Investigation services: the home's policy opens an investigation when an incident is reported or
its harm is raised (once), a manager opens one by hand, completion is refused without findings, an
investigator or a root-cause analysis entry, actions are tracked to done, lessons are shared with
staff and read once, and the open and overdue steps the obligations list collects.

``make_incident`` (incidents built with the ORM, as the reporting service stores them) is shared by
the other test_investigation_* and test_trends_* modules."""

from __future__ import annotations

import contextlib
import itertools
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from writecarenotes.incidents import obligations
from writecarenotes.incidents import services_investigation as svc
from writecarenotes.incidents import services_lessons as lessons
from writecarenotes.incidents.models import (
    ContributoryFactor,
    Incident,
    IncidentPerson,
    Investigation,
    InvestigationAction,
    LessonRead,
)
from writecarenotes.platform.api.concurrency import PreconditionFailed
from writecarenotes.platform.audit.models import AuditRecord, RecordVersion
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.events.models import OutboxEvent
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.django_db

_refs = itertools.count(1)


@contextlib.contextmanager
def in_home(home):
    with acting_as_system("test"), acting_for([home]):
        yield


def make_incident(world, *, home=None, kind="fall", severity="low", resident=None, at=None, unit=None, **extra):
    """An incident as the reporting service stores it (with the resident affected), without its hooks."""
    home = home or world.home
    if resident is None:
        resident = world.resident if home == world.home else None
    elif resident is False:  # nobody affected (a near miss, a utility failure)
        resident = None
    with in_home(home):
        incident = Incident.objects.create(
            home=home,
            reference=f"INC-T-{next(_refs):04d}",
            kind=kind,
            occurred_at=at or timezone.now() - timedelta(hours=1),
            unit=unit if unit is not None else (world.unit if home == world.home else None),
            location="Lounge",
            what_happened="Found on the floor by her chair.",
            severity=severity,
            reported_by=world.users["carer"],
            **extra,
        )
        if resident is not None:
            IncidentPerson.objects.create(
                home=home,
                incident=incident,
                role="affected",
                kind="resident",
                resident=resident,
                added_by=world.users["carer"],
            )
    return incident


def reported(world, **kw) -> Incident:
    """make_incident, then the investigation sub-domain's ``on_reported`` (as lifecycle.after_report runs it)."""
    incident = make_incident(world, **kw)
    with in_home(incident.home), svc.transaction.atomic():
        svc.on_reported(incident, world.users["carer"])
    return incident


def investigation(world, incident) -> Investigation | None:
    with in_home(incident.home):
        return Investigation.objects.filter(incident=incident).first()


def opened(world, incident=None, **kw) -> Investigation:
    incident = incident or make_incident(world)
    with in_home(incident.home):
        return svc.open_investigation(incident.pk, user=world.users["registered_manager"], **kw)


# --- the home's policy ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "severity", "extra", "expected"),
    [
        ("fall", "no_harm", {}, False),
        ("fall", "low", {}, False),
        ("fall", "moderate", {}, True),  # the boundary: moderate harm and above
        ("medication_error", "severe", {}, True),
        ("death", "death", {}, True),
        ("abuse", "no_harm", {}, True),
        ("missing_person", "no_harm", {}, True),
        ("choking", "low", {}, True),
        ("controlled_drug", "no_harm", {}, True),
        ("fall", "low", {"serious_injury_tests": ["body_structure"]}, True),
        ("fall", "low", {"treatment_to_prevent_serious_injury": True}, True),
        ("skin_tear_injury", "low", {"serious_injury_tests": ["body_structure"]}, False),  # only a fall
        ("near_miss", "no_harm", {}, False),
        ("behaviour", "low", {}, False),
    ],
)
def test_the_policy_opens_an_investigation(world, kind, severity, extra, expected):
    incident = reported(world, kind=kind, severity=severity, **extra)
    inv = investigation(world, incident)
    assert (inv is not None) is expected
    if expected:
        assert inv.opened_because == "policy" and inv.status == "open"
        assert inv.due_on == timezone.localdate() + timedelta(days=svc.INVESTIGATION_POLICY["due_days"])
        assert inv.opened_reason.startswith("The home's policy:")
        with in_home(world.home):
            event = OutboxEvent.objects.get(name="investigation.opened")
        assert event.payload["incident_id"] == incident.pk and event.payload["opened_because"] == "policy"


def test_the_policy_reason_names_every_ground(world):
    incident = make_incident(world, kind="choking", severity="severe")
    assert svc.policy_reason(incident) == "harm: severe harm; type: choking"


def test_raising_the_harm_later_opens_it_once(world):
    incident = reported(world, severity="low")
    assert investigation(world, incident) is None
    with in_home(world.home):
        Incident.objects.filter(pk=incident.pk).update(severity="severe")
        incident.refresh_from_db()
        with svc.transaction.atomic():
            svc.on_changed(incident, world.users["nurse"], ["severity"])
            svc.on_changed(incident, world.users["nurse"], ["severity"])  # idempotent
        assert Investigation.objects.filter(incident=incident).count() == 1
        # lowered again: the investigation stays, to be completed with its findings
        Incident.objects.filter(pk=incident.pk).update(severity="low")
        incident.refresh_from_db()
        with svc.transaction.atomic():
            svc.on_changed(incident, world.users["nurse"], ["severity"])
        assert Investigation.objects.filter(incident=incident).count() == 1


def test_a_manager_opens_one_for_any_incident_once(world):
    incident = make_incident(world, kind="near_miss", severity="no_harm")
    inv = opened(world, incident, reason="Third near miss this month", investigator_id=world.users["nurse"].pk)
    assert inv.opened_because == "manager" and inv.status == "in_progress"
    assert inv.investigator_id == world.users["nurse"].pk and inv.opened_reason == "Third near miss this month"
    with pytest.raises(ValidationError, match="already has an investigation"):
        opened(world, incident)


def test_the_investigator_must_be_staff_of_the_home_who_record_incidents(world):
    incident = make_incident(world)
    with pytest.raises(ValidationError) as exc:
        opened(world, incident, investigator_id=world.users["hr"].pk)  # HR views incidents only
    assert "investigator_id" in exc.value.error_dict
    with in_home(world.home):
        assert not Investigation.objects.exists()


# --- root-cause analysis and completion -------------------------------------------------------------


def test_completion_is_refused_without_findings_investigator_or_analysis(world):
    inv = opened(world)
    manager = world.users["registered_manager"]
    with in_home(world.home), pytest.raises(ValidationError) as exc:
        svc.complete_investigation(inv.pk, user=manager)
    assert set(exc.value.error_dict) == {"findings", "investigator_id", "root_cause"}
    with in_home(world.home):
        svc.update_investigation(inv.pk, user=manager, values={"investigator_id": world.users["nurse"].pk})
        svc.update_investigation(inv.pk, user=manager, values={"findings": "Frame out of reach at night."})
        with pytest.raises(ValidationError) as exc:
            svc.complete_investigation(inv.pk, user=manager)
        assert set(exc.value.error_dict) == {"root_cause"}
        factor = svc.add_factor(inv.pk, user=manager, category="equipment", detail="Frame kept by the door")
        svc.withdraw_factor(factor.pk, user=manager, reason="The frame was by the bed")
        with pytest.raises(ValidationError):  # a withdrawn factor is not an analysis
            svc.complete_investigation(inv.pk, user=manager)
        svc.add_why(inv.pk, user=manager, why="Why did she fall?", because="She walked without her frame.")
        done = svc.complete_investigation(inv.pk, user=manager, conclusion="Avoidable.")
        assert done.status == "completed" and done.completed_by == manager and done.conclusion == "Avoidable."
        assert OutboxEvent.objects.filter(name="investigation.completed").count() == 1
        with pytest.raises(ValidationError, match="completed"):
            svc.add_why(inv.pk, user=manager, why="Why?", because="Because.")


def test_whys_are_ordered_and_corrected_with_a_reason(world):
    inv = opened(world)
    user = world.users["nurse"]
    with in_home(world.home):
        first = svc.add_why(inv.pk, user=user, why="Why did she fall?", because="She got up alone at 03:00.")
        second = svc.add_why(inv.pk, user=user, why="Why alone?", because="The call bell was out of reach.")
        assert (first.position, second.position) == (1, 2)
        assert Investigation.objects.get(pk=inv.pk).status == "in_progress"  # work started
        with pytest.raises(ValidationError) as exc:
            svc.change_why(second.pk, user=user, why="Why alone?", because="Bell unplugged.", reason="")
        assert "reason" in exc.value.error_dict
        with pytest.raises(PreconditionFailed):
            svc.change_why(second.pk, user=user, why="x", because="y", reason="typo", if_match='"v9"')
        svc.change_why(second.pk, user=user, why="Why alone?", because="Bell unplugged.", reason="Checked the bell")
        versions = RecordVersion.objects.filter(content_type="incidents.whystep", object_id=str(second.pk))
        assert [v.reason for v in versions.order_by("version")] == ["", "Checked the bell"]


def test_bad_input_is_refused_by_field_and_nothing_is_written(world):
    inv = opened(world)
    user = world.users["nurse"]
    with in_home(world.home):
        with pytest.raises(ValidationError) as exc:
            svc.add_factor(inv.pk, user=user, category="weather", detail="")
        assert set(exc.value.error_dict) == {"category", "detail"}
        with pytest.raises(ValidationError) as exc:
            lessons.add_action(
                inv.pk, user=user, description="", owner_id=world.users["family"].pk, due_on="not a date"
            )
        assert set(exc.value.error_dict) == {"description", "owner_id", "due_on"}
        with pytest.raises(ValidationError) as exc:
            svc.update_investigation(inv.pk, user=user, values={"due_on": timezone.localdate() - timedelta(days=1)})
        assert "due_on" in exc.value.error_dict
        assert not ContributoryFactor.objects.exists() and not InvestigationAction.objects.exists()


# --- actions, lessons and open steps ----------------------------------------------------------------


def test_actions_are_open_steps_until_done_and_overdue_when_late(world):
    incident = reported(world, severity="moderate")
    inv = investigation(world, incident)
    user = world.users["registered_manager"]
    today = timezone.localdate()
    with in_home(world.home):
        action = lessons.add_action(
            inv.pk,
            user=user,
            description="Move the call bell within reach",
            owner_id=world.users["nurse"].pk,
            due_on=today,
        )
        steps = obligations.open_steps(incident)
        kinds = [s.kind for s in steps if s.kind in ("investigation", "action")]
        assert sorted(kinds) == ["action", "investigation"]
        assert not [s for s in obligations.overdue_steps(timezone.now()) if s.kind == "action"]
        # two days later the action is overdue (due at the end of its day)
        later = timezone.now() + timedelta(days=2)
        overdue = [s for s in svc.overdue_steps(later) if s.kind == "action"]
        assert len(overdue) == 1 and overdue[0].title.startswith("Action: Move the call bell")
        assert overdue[0].url == f"/incidents/{incident.pk}/investigation/"
        with pytest.raises(ValidationError) as exc:
            lessons.complete_action(action.pk, user=user, note="", done_on=today + timedelta(days=1))
        assert set(exc.value.error_dict) == {"done_note", "done_on"}
        lessons.complete_action(action.pk, user=user, note="Bell clipped to the bed rail", if_match='"v1"')
        assert OutboxEvent.objects.filter(name="action.done").count() == 1
        assert [s.kind for s in svc.open_steps(incident)] == ["investigation"]
        with pytest.raises(ValidationError, match="already done"):
            lessons.complete_action(action.pk, user=user, note="again")


def test_a_lesson_is_shared_with_roles_and_each_reads_it_once(world):
    inv = opened(world)
    manager = world.users["registered_manager"]
    with in_home(world.home):
        with pytest.raises(ValidationError) as exc:
            lessons.share_lesson(inv.pk, user=manager, title="Bells", text="Check", audience="roles", roles=[])
        assert "roles" in exc.value.error_dict
        lesson = lessons.share_lesson(
            inv.pk,
            user=manager,
            title="Call bells",
            text="Check the bell is in reach.",
            audience="roles",
            roles=["carer", "nurse"],
        )
        assert OutboxEvent.objects.get(name="lesson.shared").payload["roles"] == ["carer", "nurse"]
        carer, nurse, kitchen = world.users["carer"], world.users["nurse"], world.users["kitchen"]
        assert lessons.mark_read(lesson.pk, user=carer).pk == lessons.mark_read(lesson.pk, user=carer).pk
        assert LessonRead.objects.filter(lesson=lesson).count() == 1
        with pytest.raises(ValidationError, match="not shared with you"):
            lessons.mark_read(lesson.pk, user=kitchen)
        read, unread = lessons.read_status(lesson)
        assert [r.user_id for r in read] == [carer.pk] and [r.user_id for r in unread] == [nurse.pk]
        assert AuditRecord.objects.filter(action="incidents.lesson.read").count() == 1
        assert [x.pk for x in lessons.visible_lessons({"kitchen"})] == []
        assert [x.pk for x in lessons.visible_lessons({"nurse"})] == [lesson.pk]


def test_another_homes_investigation_is_not_found(world):
    inv = opened(world)
    with acting_as_system("test"), acting_for([world.other_home]), pytest.raises(svc.NotFound):
        svc.add_why(inv.pk, user=world.users["provider_admin"], why="Why?", because="Because.")


def test_reporting_through_the_report_service_opens_it(world):
    from tests.incidents.conftest import report

    incident = report(world, severity="moderate")
    inv = investigation(world, incident)
    assert inv is not None and inv.opened_by_id == world.users["carer"].pk
    low = report(world, severity="low")
    assert investigation(world, low) is None
    with in_home(world.home):
        assert any(s.kind == "investigation" for s in obligations.open_steps(incident))
