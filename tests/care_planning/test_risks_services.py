"""Services of the risk register: raise (NPSA ratings stored), change as a new version with a reason,
close with a reason, the refusals (by field, nothing written), the events and the overdue lists."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories as f
from writecarenotes.care_planning.models.risks import Risk
from writecarenotes.care_planning.services_risks import (
    change_risk,
    close_risk,
    overdue_counts,
    overdue_reviews,
    raise_risk,
)
from writecarenotes.platform.api.concurrency import PreconditionFailed
from writecarenotes.platform.audit.models import AuditRecord, RecordVersion
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.events.models import OutboxEvent
from writecarenotes.platform.tenancy.scope import acting_for
from writecarenotes.residents.public import ResidentNotFound

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def in_home(home):
    with acting_as_system("test"), acting_for([home]):
        yield


def falls(world, **over) -> dict:
    values = {
        "kind": "falls",
        "description": "Unsteady when she gets up at night to use the toilet.",
        "likelihood": 4,
        "impact": 3,
        "controls": "Sensor mat, night light, toilet prompt at 22:00 and 02:00.",
        "residual_likelihood": 2,
        "residual_impact": 3,
        "owner_id": world.users["nurse"].pk,
        "review_on": timezone.localdate() + timedelta(days=28),
    }
    values.update(over)
    return values


def events(name):
    return list(OutboxEvent.unscoped.filter(name=name).order_by("occurred_at", "id"))


def test_raise_a_risk_stores_the_npsa_ratings_a_version_and_an_event(world):
    with in_home(world.home):
        risk = raise_risk(world.resident.pk, user=world.users["nurse"], values=falls(world))
    assert (risk.score, risk.rating, risk.residual_score, risk.residual_rating) == (12, "high", 6, "moderate")
    assert risk.status == "open" and risk.version == 1 and risk.title == "Falls"
    [v] = RecordVersion.objects.filter(content_type="care_planning.risk", object_id=str(risk.pk))
    assert v.version == 1 and v.data["score"] == 12
    assert AuditRecord.objects.filter(action="care_planning.risk.raised", target_id=str(risk.pk)).exists()
    [event] = events("risk.raised")
    assert event.payload["rating"] == "high" and event.payload["residual_rating"] == "moderate"


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"kind": "ghosts"}, "kind"),
        ({"kind": "other", "other_kind": ""}, "other_kind"),
        ({"description": "  "}, "description"),
        ({"controls": ""}, "controls"),
        ({"likelihood": 6}, "likelihood"),
        ({"impact": 0}, "impact"),
        ({"residual_likelihood": 5, "residual_impact": 5}, "residual_likelihood"),  # 25 > 12
        ({"owner_id": None}, "owner_id"),
        ({"review_on": timezone.localdate() - timedelta(days=1)}, "review_on"),
        ({"review_on": timezone.localdate() + timedelta(days=400)}, "review_on"),
        ({"description": "bad\x00text"}, "description"),
    ],
)
def test_refusals_name_the_field_and_write_nothing(world, over, field):
    with in_home(world.home), pytest.raises(ValidationError) as exc:
        raise_risk(world.resident.pk, user=world.users["nurse"], values=falls(world, **over))
    assert field in exc.value.message_dict
    with in_home(world.home):
        assert Risk.objects.count() == 0
    assert not events("risk.raised")


def test_the_owner_must_be_staff_of_the_home_who_records_care_plans(world):
    outsider = f.user("elsewhere@example.test")
    f.member(outsider, "nurse", home=world.other_home)
    for owner in (outsider, world.users["kitchen"], world.users["carer"]):  # carers view care plans only
        with in_home(world.home), pytest.raises(ValidationError) as exc:
            raise_risk(world.resident.pk, user=world.users["nurse"], values=falls(world, owner_id=owner.pk))
        assert "owner_id" in exc.value.message_dict
    with in_home(world.home):  # a provider admin (organisation-wide) may own it
        raise_risk(
            world.resident.pk, user=world.users["nurse"], values=falls(world, owner_id=world.users["provider_admin"].pk)
        )


def test_other_needs_a_description_of_what_the_risk_is(world):
    with in_home(world.home):
        risk = raise_risk(
            world.resident.pk,
            user=world.users["nurse"],
            values=falls(world, kind="other", other_kind="Hot water bottle"),
        )
    assert risk.title == "Hot water bottle"


def test_another_homes_resident_is_not_found_and_a_discharged_one_is_refused(world):
    with in_home(world.home), pytest.raises(ResidentNotFound):
        raise_risk(world.other_home_resident.pk, user=world.users["nurse"], values=falls(world))
    gone = f.resident(world.home, family="Gone", nhs_number="9434765919", status="discharged")
    with in_home(world.home), pytest.raises(ValidationError):
        raise_risk(gone.pk, user=world.users["nurse"], values=falls(world))


def test_a_change_is_a_new_version_with_its_reason_and_a_rating_event(world):
    with in_home(world.home):
        risk = raise_risk(world.resident.pk, user=world.users["nurse"], values=falls(world))
        with pytest.raises(ValidationError) as exc:
            change_risk(risk.pk, user=world.users["nurse"], reason="", values={"likelihood": 5})
        assert "reason" in exc.value.message_dict
        changed = change_risk(
            risk.pk, user=world.users["nurse"], reason="Two falls this week", values={"likelihood": 5, "impact": 4}
        )
    assert (changed.score, changed.rating, changed.version) == (20, "extreme", 2)
    versions = RecordVersion.objects.filter(content_type="care_planning.risk", object_id=str(risk.pk)).order_by(
        "version"
    )
    assert [v.reason for v in versions] == ["Risk raised", "Two falls this week"]
    assert set(versions[1].changed) >= {"likelihood", "impact", "score", "rating", "version"}
    [event] = events("risk.rating_changed")
    assert event.payload["previous_rating"] == "high" and event.payload["rating"] == "extreme"


def test_a_review_without_a_new_rating_publishes_no_rating_event(world):
    with in_home(world.home):
        risk = raise_risk(world.resident.pk, user=world.users["nurse"], values=falls(world))
        new_date = timezone.localdate() + timedelta(days=60)
        change_risk(risk.pk, user=world.users["nurse"], reason="Reviewed: no falls", values={"review_on": new_date})
        unchanged = change_risk(risk.pk, user=world.users["nurse"], reason="Again", values={"review_on": new_date})
    assert unchanged.version == 2  # nothing changed: no version
    assert not events("risk.rating_changed")


def test_a_stale_if_match_is_refused(world):
    with in_home(world.home):
        risk = raise_risk(world.resident.pk, user=world.users["nurse"], values=falls(world))
        change_risk(risk.pk, user=world.users["nurse"], reason="New mat", values={"controls": "New sensor mat."})
        with pytest.raises(PreconditionFailed):
            change_risk(risk.pk, user=world.users["nurse"], reason="x", values={"impact": 2}, if_match='"v1"')


def test_close_with_a_reason_then_no_more_changes(world):
    with in_home(world.home):
        risk = raise_risk(world.resident.pk, user=world.users["nurse"], values=falls(world))
        with pytest.raises(ValidationError):
            close_risk(risk.pk, user=world.users["nurse"], reason=" ")
        closed = close_risk(risk.pk, user=world.users["nurse"], reason="Now bed-bound: no longer walks")
        assert closed.status == "closed" and closed.closed_on == timezone.localdate()
        with pytest.raises(ValidationError):
            change_risk(risk.pk, user=world.users["nurse"], reason="x", values={"impact": 2})
        with pytest.raises(ValidationError):
            close_risk(risk.pk, user=world.users["nurse"], reason="again")
    [event] = events("risk.closed")
    assert event.payload["reason"] == "Now bed-bound: no longer walks"


def test_overdue_reviews_per_unit(world):
    with in_home(world.home):
        risk = raise_risk(world.resident.pk, user=world.users["nurse"], values=falls(world))
        Risk.objects.filter(pk=risk.pk).update(review_on=timezone.localdate() - timedelta(days=3))
        [item] = overdue_reviews(world.unit.pk)
        assert item.days_overdue == 3 and item.resident.id == world.resident.pk
        assert overdue_counts()["overdue"] == 1
        other_unit = f.unit_with_room(world.home, unit_name="First floor", room_number="F1")[0]
        assert overdue_reviews(other_unit.pk) == []
