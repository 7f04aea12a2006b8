"""Pages of the specialist pathways: the resident's pathways and one tab per pathway (query counts that
do not grow with the records), phone-friendly forms with field errors, idempotent recording, document
versions, the printable missing-person sheet, corrections, goals with their SVG chart, equipment due,
and permissions (carers view; nurses manage; another home's resident is not found)."""

from __future__ import annotations

import contextlib
import re
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from writecarenotes.care_planning import services_pathways as base
from writecarenotes.care_planning import services_pathways_mental as mental
from writecarenotes.care_planning import services_pathways_palliative as palliative
from writecarenotes.care_planning import services_pathways_rehab as rehab
from writecarenotes.care_planning.models.pathways import PathwayDocument, SymptomObservation, TherapySession
from writecarenotes.platform.audit.models import AuditRecord
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def home(world):
    with acting_as_system("test"), acting_for([world.home]):
        yield


def _main(response) -> str:
    html = response.content.decode()
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def _now_field() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def nurse(world, client_for):
    return client_for(world.users["nurse"])


def url(world, rest: str = "") -> str:
    return f"/care-plans/residents/{world.resident.pk}/pathways/{rest}"


def _observe(world, n: int) -> None:
    with home(world):
        for i in range(n):
            palliative.record_symptoms(
                resident_id=world.resident.pk,
                user=world.users["nurse"],
                occurred_at=timezone.now() - timedelta(minutes=5 + i),
                scores={"pain": i % 5, "agitation": 1},
            )


def test_the_resident_pathways_page_has_a_card_per_pathway_and_records_the_read(world, nurse, client_for):
    html = _main(nurse.get(url(world)))
    for label in ("End of life", "Dementia", "Rehabilitation", "Mental health"):
        assert label in html
    assert f'href="{url(world, "palliative/")}"' in html
    assert AuditRecord.objects.filter(action="residents.resident.read", part="specialist pathways").exists()
    assert nurse.get(f"/care-plans/residents/{world.other_home_resident.pk}/pathways/").status_code == 404
    assert nurse.get(url(world, "astrology/")).status_code == 404
    assert nurse.get("/care-plans/pathways/").status_code == 200
    assert "Specialist pathways" in nurse.get("/care-plans/pathways/templates/").content.decode()


@pytest.mark.parametrize("pathway", ["palliative", "dementia", "mental_health", "rehabilitation"])
def test_every_tab_renders_for_a_nurse_and_read_only_for_a_carer(world, nurse, client_for, pathway):
    html = _main(nurse.get(url(world, f"{pathway}/")))
    assert "Start the pathway" in html
    assert 'aria-current="page"' in html
    carer = _main(client_for(world.users["carer"]).get(url(world, f"{pathway}/")))
    assert "Start the pathway" not in carer and "/new/" not in carer


def test_the_palliative_tab_keeps_its_query_count_as_observations_grow(world, nurse):
    _observe(world, 3)
    nurse.get(url(world, "palliative/"))  # warm caches (session, access)
    with CaptureQueriesContext(connection) as few:
        assert nurse.get(url(world, "palliative/")).status_code == 200
    _observe(world, 12)
    with CaptureQueriesContext(connection) as many:
        response = nurse.get(url(world, "palliative/"))
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    html = _main(response)
    assert "<svg" in html and "Symptom chart" in html and "style=" not in html
    assert "ReSPECT" in html and f'href="/residents/{world.resident.pk}/"' in html


def test_the_rehabilitation_tab_keeps_its_query_count(world, nurse):
    def add(n):
        with home(world):
            goal = rehab.add_goal(
                resident_id=world.resident.pk,
                user=world.users["nurse"],
                description=f"Goal {n}",
                discipline="physiotherapy",
                measure="other",
                measure_label="metres walked",
                unit="m",
                baseline_value=Decimal(5),
                target_value=Decimal(20),
                target_on=timezone.localdate() + timedelta(days=30),
            )
            rehab.measure_goal(goal, user=world.users["nurse"], value=Decimal(8), occurred_at=timezone.now())
            rehab.record_session(
                resident_id=world.resident.pk,
                user=world.users["nurse"],
                occurred_at=timezone.now(),
                therapist="Lee",
                discipline="physiotherapy",
                duration_minutes=20,
                activity="Walking",
                progress_rating=3,
                goal_id=goal.pk,
            )
            rehab.issue_equipment(
                resident_id=world.resident.pk,
                user=world.users["nurse"],
                item=f"Frame {n}",
                issued_on=timezone.localdate(),
                next_service_due=timezone.localdate() + timedelta(days=3),
            )

    add(1)
    nurse.get(url(world, "rehabilitation/"))
    with CaptureQueriesContext(connection) as few:
        nurse.get(url(world, "rehabilitation/"))
    for n in range(2, 6):
        add(n)
    with CaptureQueriesContext(connection) as many:
        html = _main(nurse.get(url(world, "rehabilitation/")))
    assert len(many) == len(few)
    assert "Goal 5" in html and "Frame 5" in html and "20%" in html  # (8 - 5) / (20 - 5)


def test_recording_symptoms_from_the_form(world, nurse):
    form = _main(nurse.get(url(world, "symptoms/new/")))
    assert 'data-offline="care-entry"' in form and 'name="idempotency_key"' in form
    assert form.count('type="radio" name="pain"') == 6  # 0-4 and cannot assess
    key = str(uuid.uuid4())
    data = {"occurred_at": _now_field(), "rated_by": "staff", "pain": "3", "agitation": "na", "idempotency_key": key}
    response = nurse.post(url(world, "symptoms/new/"), data)
    assert response.status_code == 303 and response["Location"] == url(world, "palliative/")
    assert nurse.post(url(world, "symptoms/new/"), data).status_code == 303  # the same key: replayed
    with home(world):
        (obs,) = SymptomObservation.objects.filter(resident_id=world.resident.pk)
    assert obs.pain == 3 and obs.agitation is None and obs.recorded_by == world.users["nurse"]
    refused = nurse.post(url(world, "symptoms/new/"), {"occurred_at": _now_field(), "rated_by": "staff", "pain": "na"})
    assert refused.status_code == 422 and "Rate at least one symptom." in _main(refused)
    future = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    refused = nurse.post(url(world, "symptoms/new/"), {"occurred_at": future, "rated_by": "staff", "pain": "1"})
    assert refused.status_code == 422 and "cannot be in the future" in _main(refused)
    html = _main(nurse.get(url(world, "palliative/")))
    assert "Severe" in html and ">3</text>" in html


def test_correcting_an_observation(world, nurse):
    _observe(world, 1)
    with home(world):
        obs = SymptomObservation.objects.get()
    page = url(world, f"entries/symptoms/{obs.pk}/")
    assert "Correct this entry" in _main(nurse.get(page))
    data = {"occurred_at": _now_field(), "rated_by": "staff", "pain": "2", "agitation": "1", "reason": ""}
    refused = nurse.post(page + "correct/", data)
    assert refused.status_code == 422 and "errorlist" in _main(refused)
    ok = nurse.post(page + "correct/", {**data, "reason": "Pain was 2, not 0", "occurred_at": ""})
    assert ok.status_code in (303, 422)
    ok = nurse.post(page + "correct/", {**data, "reason": "Pain was 2, not 0"})
    assert ok.status_code == 303
    with home(world):
        obs.refresh_from_db()
        assert obs.is_struck and SymptomObservation.objects.get(pk=obs.replaced_by_id).pain == 2
    html = _main(nurse.get(ok["Location"]))
    assert "Pain was 2, not 0" in html and "Pain" in html


def test_this_is_me_is_written_updated_with_a_reason_and_has_versions(world, nurse):
    edit = url(world, "documents/this_is_me/edit/")
    form = _main(nurse.get(edit))
    assert "The name I like to be called" in form and "How I take my medication" in form and "reason" not in form
    refused = nurse.post(edit, {"where_i_live": "Splott"})
    assert refused.status_code == 422 and "This is needed." in _main(refused)
    ok = nurse.post(edit, {"name_i_like": "Peggy", "completed_by": "Peggy and Ann", "where_i_live": "Splott, 60 years"})
    assert ok.status_code == 303
    assert "Splott, 60 years" in _main(nurse.get(url(world, "documents/this_is_me/")))
    assert 'name="reason"' in _main(nurse.get(edit))
    data = {"name_i_like": "Peg", "completed_by": "Peggy and Ann", "where_i_live": "Splott, 60 years"}
    assert nurse.post(edit, data).status_code == 422  # no reason
    assert nurse.post(edit, {**data, "reason": "She asked for Peg"}).status_code == 303
    history = _main(nurse.get(url(world, "documents/this_is_me/history/")))
    assert "Version 2" in history and "She asked for Peg" in history and "<del>Peggy</del>" in history
    assert nurse.get(url(world, "documents/tarot/")).status_code == 404
    assert nurse.get(url(world, "documents/distress_plan/history/")).status_code == 404


def test_the_missing_person_sheet(world, nurse):
    assert nurse.get(url(world, "missing-person/")).status_code == 404
    with home(world):
        base.save_document(
            resident_id=world.resident.pk,
            kind="wandering",
            values={
                "risk_level": "high",
                "consent": "representative",
                "places": "Her old house on Clive Street",
                "height": "5 ft 2 in",
                "photo_on_file": True,
                "safety_measures": ["door_sensors", "gps"],
            },
            user=world.users["nurse"],
        )
    html = _main(nurse.get(url(world, "missing-person/")))
    assert "Herbert Protocol" in html and "Clive Street" in html and "5 ft 2 in" in html
    assert f'src="/residents/{world.resident.pk}/photo/"' in html and "Last seen" in html
    assert AuditRecord.objects.filter(part="missing-person profile").exists()


def test_after_death_documents_for_a_resident_who_died(world, nurse):
    from tests import factories as f

    dead = f.resident(world.home, unit=world.unit, family="Rees", nhs_number="9990000042", status="deceased")
    page = f"/care-plans/residents/{dead.pk}/pathways/"
    html = _main(nurse.get(page + "palliative/"))
    assert "Died" in html and "documents/after_death/edit/" in html and "symptoms/new/" not in html
    ok = nurse.post(
        page + "documents/bereavement/edit/",
        {"family": "Ann (daughter)", "offered": ["cruse", "leaflet"], "follow_up_on": "2030-01-15"},
    )
    assert ok.status_code == 303
    with home(world):
        doc = PathwayDocument.objects.get(resident_id=dead.pk, kind="bereavement")
    assert doc.data["offered"] == ["leaflet", "cruse"] and doc.data["follow_up_on"] == "2030-01-15"


def test_rehabilitation_goal_session_and_equipment_pages(world, nurse):
    ok = nurse.post(
        url(world, "goals/new/"),
        {
            "description": "Walk to the garden",
            "discipline": "physiotherapy",
            "measure": "other",
            "measure_label": "metres walked",
            "unit": "m",
            "higher_is_better": "on",
            "baseline_value": "5",
            "baseline_on": timezone.localdate().isoformat(),
            "target_value": "40",
            "target_on": (timezone.localdate() + timedelta(days=28)).isoformat(),
        },
    )
    assert ok.status_code == 303, _main(ok)
    refused = nurse.post(
        url(world, "goals/new/"),
        {
            "description": "x",
            "discipline": "physiotherapy",
            "measure": "barthel",
            "target_value": "15",
            "target_on": "2030-01-01",
        },
    )
    assert refused.status_code == 422 and "No Barthel result yet" in _main(refused)
    with home(world):
        goal = rehab.TherapyGoal.objects.get()
    measured = nurse.post(url(world, f"goals/{goal.pk}/measure/"), {"occurred_at": _now_field(), "value": "12"})
    assert measured.status_code == 303
    page = _main(nurse.get(url(world, f"goals/{goal.pk}/")))
    assert "<svg" in page and "<circle" in page and "target" in page and "style=" not in page
    form = _main(nurse.get(url(world, "sessions/new/")))
    assert "Walk to the garden" in form and 'data-offline="care-entry"' in form
    session = {
        "occurred_at": _now_field(),
        "therapist": "Lee Jones",
        "discipline": "occupational_therapy",
        "duration_minutes": "45",
        "activity": "Kitchen practice",
        "progress_rating": "4",
        "goal": str(goal.pk),
    }
    assert nurse.post(url(world, "sessions/new/"), session).status_code == 303
    bad = nurse.post(url(world, "sessions/new/"), {**session, "duration_minutes": "900"})
    assert bad.status_code == 422 and "errorlist" in _main(bad)
    with home(world):
        assert TherapySession.objects.get().goal_id == goal.pk
    overdue = (timezone.localdate() - timedelta(days=3)).isoformat()
    assert (
        nurse.post(
            url(world, "equipment/new/"),
            {"item": "Hoist sling", "serial_number": "SL-1", "issued_on": "2024-01-01", "next_service_due": overdue},
        ).status_code
        == 303
    )
    due = _main(nurse.get("/care-plans/pathways/equipment/"))
    assert "Hoist sling" in due and "overdue by 3 days" in due


def test_managers_only_record_advance_decisions_and_anticipatory_medicines(world, nurse, client_for):
    senior = client_for(world.users["senior_carer"])
    assert senior.get(url(world, "advance-decisions/new/")).status_code == 403
    assert senior.get(url(world, "mood/new/")).status_code == 200
    form = _main(nurse.get(url(world, "advance-decisions/new/")))
    assert "Mental Capacity Act 2005" in form and 'name="witnessed"' in form
    ok = nurse.post(
        url(world, "medicines/new/"),
        {
            "drug": "Midazolam",
            "dose": "2.5 mg",
            "route": "subcutaneous",
            "indication": "agitation",
            "prescribed_on": timezone.localdate().isoformat(),
        },
    )
    assert ok.status_code == 303
    html = _main(nurse.get(url(world, "palliative/")))
    assert "Midazolam" in html and "Anxiety, delirium or agitation" in html


def test_mental_health_tab_shows_mood_and_contacts(world, nurse):
    with home(world):
        mental.record_mood(
            resident_id=world.resident.pk,
            user=world.users["nurse"],
            occurred_at=timezone.now(),
            mood_score=1,
            observations=["tearful"],
        )
    assert nurse.post(url(world, "contacts/new/"), {"team": "CMHT", "phone": "01632 960001"}).status_code == 303
    html = _main(nurse.get(url(world, "mental_health/")))
    assert "Very low" in html and "Concern" in html and 'href="tel:01632 960001"' in html
    assert re.search(r"not a validated scale", html)


def test_the_home_list_and_the_overview_keep_their_query_counts(world, nurse):
    from tests import factories as f

    def enrol(resident):
        with home(world):
            base.start_pathway(resident_id=resident.pk, pathway="dementia", user=world.users["nurse"])

    enrol(world.resident)
    nurse.get("/care-plans/pathways/")
    with CaptureQueriesContext(connection) as few:
        nurse.get("/care-plans/pathways/")
        nurse.get(url(world))
    for i in range(6):
        enrol(f.resident(world.home, unit=world.unit, family=f"List{i}", nhs_number=f"99900002{i:02d}"))
    _observe(world, 5)
    with CaptureQueriesContext(connection) as many:
        html = _main(nurse.get("/care-plans/pathways/"))
        nurse.get(url(world))
    assert len(many) == len(few)
    assert html.count("Dementia") == 7
