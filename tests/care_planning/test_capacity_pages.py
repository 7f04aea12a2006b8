"""Pages of the Mental Capacity Act records: the two-stage assessment form (an inconsistent outcome is
refused next to the outcome), best-interest decisions with who was consulted, liberty records of the
home's nation only (DoLS in England), granting with conditions listed on the resident's page, the
expiring list per home and the dashboard panel; query counts that do not grow."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories as f
from writecarenotes.care_planning.models.capacity import CapacityAssessment, LibertyRecord
from writecarenotes.care_planning.services_capacity import record_capacity_assessment
from writecarenotes.care_planning.services_capacity_liberty import grant_liberty, record_liberty
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@contextlib.contextmanager
def in_home(home):
    with acting_as_system("test"), acting_for([home]):
        yield


def _main(response) -> str:
    html = response.content.decode()
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


@pytest.fixture
def nurse_client(world, client_for):
    return client_for(world.users["nurse"])


def assessment_data(world, **over) -> dict:
    data = {
        "decision": "Whether to have the flu vaccine",
        "impairment": "yes",
        "impairment_evidence": "Vascular dementia (GP letter, March).",
        "understand": "no",
        "understand_evidence": "Thought the vaccine was a blood test.",
        "retain": "no",
        "retain_evidence": "Did not recall the leaflet five minutes later.",
        "use_weigh": "no",
        "use_weigh_evidence": "Could not weigh illness against a sore arm.",
        "communicate": "yes",
        "communicate_evidence": "Said clearly what she wanted for lunch.",
        "because_of_impairment": "yes",
        "practicable_steps": "Easy-read leaflet, quiet lounge, after breakfast, tried twice.",
        "outcome": "lacks_capacity",
        "assessor": str(world.users["nurse"].pk),
        "assessed_on": TODAY().isoformat(),
    }
    data.update(over)
    return data


def test_assess_capacity_on_the_form(world, nurse_client):
    url = f"/care-plans/residents/{world.resident.pk}/capacity/assessments/new/"
    page = _main(nurse_client.get(url))
    assert 'data-offline="care-entry"' in page and "Stage 1: the impairment" in page and 'type="radio"' in page
    response = nurse_client.post(url, assessment_data(world))
    assert response.status_code == 303
    html = _main(nurse_client.get(response["Location"]))
    assert "Lacks capacity for this decision" in html and "Easy-read leaflet" in html


def test_an_inconsistent_outcome_is_shown_next_to_the_outcome(world, nurse_client):
    url = f"/care-plans/residents/{world.resident.pk}/capacity/assessments/new/"
    response = nurse_client.post(url, assessment_data(world, impairment="no"))
    assert response.status_code == 422
    group = _main(response).split('id="id_outcome_group"', 1)[1].split("</fieldset>", 1)[0]
    assert "without an impairment" in group
    response = nurse_client.post(url, assessment_data(world, practicable_steps=""))
    assert 'id="id_practicable_steps_errors"' in _main(response)
    with acting_for([world.home]):
        assert CapacityAssessment.objects.count() == 0


def test_best_interest_decision_on_the_form(world, nurse_client):
    nurse_client.post(f"/care-plans/residents/{world.resident.pk}/capacity/assessments/new/", assessment_data(world))
    with acting_for([world.home]):
        a = CapacityAssessment.objects.get()
    url = f"/care-plans/residents/{world.resident.pk}/capacity/best-interests/new/"
    page = _main(nurse_client.get(url + f"?assessment={a.pk}"))
    assert f'<option value="{a.pk}" selected>' in page and "Who was consulted" in page
    data = {
        "capacity_assessment": str(a.pk),
        "decision": "Give the flu vaccine.",
        "options_considered": "Vaccine; no vaccine.",
        "wishes_feelings_beliefs": "Always had it when she could decide.",
        "least_restrictive": "A single injection at home, by her own GP nurse.",
        "decision_maker": "Nina Nurse",
        "decision_maker_role": "Nurse",
        "decided_on": TODAY().isoformat(),
        "consulted_1_name": "Ann Evans",
        "consulted_1_relationship": "",
        "consulted_1_views": "Yes, she always had it.",
    }
    bad = nurse_client.post(url, data)
    assert bad.status_code == 422 and 'id="id_consulted_1_relationship_errors"' in _main(bad)
    done = nurse_client.post(url, {**data, "consulted_1_relationship": "Daughter"})
    assert done.status_code == 303
    html = _main(nurse_client.get(done["Location"]))
    assert "Ann Evans" in html and "Daughter" in html and "Whether to have the flu vaccine" in html


def test_the_liberty_form_offers_only_the_homes_framework(world, nurse_client, client_for):
    page = _main(nurse_client.get(f"/care-plans/residents/{world.resident.pk}/capacity/liberty/new/"))
    assert "Standard authorisation" in page and "Urgent authorisation" in page
    assert "Section 47" not in page and "Trust panel" not in page and "Decision-making assistant" not in page
    bad = nurse_client.post(
        f"/care-plans/residents/{world.resident.pk}/capacity/liberty/new/", {"kind": "awi_s47", "start_on": TODAY()}
    )
    assert bad.status_code == 422
    org_home = world.foreign_home  # Scotland, another organisation: not reachable
    assert nurse_client.get(f"/care-plans/residents/{world.foreign_resident.pk}/capacity/").status_code == 404
    assert org_home.nation == "scotland"
    assert (
        client_for(world.users["senior_carer"])
        .get(f"/care-plans/residents/{world.resident.pk}/capacity/liberty/new/")
        .status_code
        == 403
    )


def test_a_scottish_home_is_offered_the_adults_with_incapacity_act(client_for):
    org = f.organisation()
    home = f.home(org, nation="scotland")
    unit, room = f.unit_with_room(home)
    r = f.resident(home, unit=unit, room=room)
    nurse = f.user("scot.nurse@example.test")
    f.member(nurse, "nurse", home=home)
    page = _main(client_for(nurse).get(f"/care-plans/residents/{r.pk}/capacity/liberty/new/"))
    assert "Section 47 certificate" in page and "Guardianship order" in page and "Standard authorisation" not in page
    assert 'name="prescribed_condition"' in page


def test_grant_with_conditions_listed_on_the_residents_page(world, nurse_client):
    url = f"/care-plans/residents/{world.resident.pk}/capacity/liberty/new/"
    done = nurse_client.post(url, {"kind": "dols_standard", "body": "Shire County Council", "requested_on": TODAY()})
    assert done.status_code == 303
    with acting_for([world.home]):
        record = LibertyRecord.objects.get()
    grant = f"/care-plans/residents/{world.resident.pk}/capacity/liberty/{record.pk}/grant/"
    too_long = {
        "version": "1",
        "decided_on": TODAY(),
        "start_on": TODAY(),
        "end_on": TODAY() + timedelta(days=400),
        "conditions": "Weekly church visit\nDoor code reviewed monthly",
    }
    bad = nurse_client.post(grant, too_long)
    assert bad.status_code == 422 and 'id="id_end_on_errors"' in _main(bad)
    ok = nurse_client.post(grant, {**too_long, "end_on": TODAY() + timedelta(days=20)})
    assert ok.status_code == 303
    html = _main(nurse_client.get(f"/care-plans/residents/{world.resident.pk}/capacity/"))
    assert "Weekly church visit" in html and "Door code reviewed monthly" in html and "In force" in html
    detail = _main(nurse_client.get(ok["Location"]))
    assert "Version 2" in detail and "20 days left" in detail
    assert (
        nurse_client.get(
            f"/care-plans/residents/{world.resident.pk}/capacity/liberty/{record.pk}/nonsense/"
        ).status_code
        == 404
    )


def _expiring_resident(world, n: int):
    with acting_for([world.home]):
        from writecarenotes.platform.tenancy.models import Room

        room = Room.objects.create(home=world.home, unit=world.unit, number=f"L{n}")
    r = f.resident(world.home, unit=world.unit, room=room, family=f"Liberty{n}", nhs_number="9434765919")
    with in_home(world.home):
        rec = record_liberty(r.pk, user=world.users["nurse"], values={"kind": "dols_standard", "requested_on": TODAY()})
        grant_liberty(
            rec.pk,
            user=world.users["nurse"],
            decided_on=TODAY(),
            start_on=TODAY(),
            end_on=TODAY() + timedelta(days=n),
            conditions=["Garden walks daily"],
        )
        values = {
            "decision": "Living here",
            "impairment": True,
            "impairment_evidence": "Dementia",
            "understand": False,
            "understand_evidence": "x",
            "retain": False,
            "retain_evidence": "x",
            "use_weigh": False,
            "use_weigh_evidence": "x",
            "communicate": True,
            "communicate_evidence": "x",
            "because_of_impairment": True,
            "practicable_steps": "x",
            "outcome": "lacks_capacity",
            "assessor_id": world.users["nurse"].pk,
            "assessed_on": TODAY(),
        }
        record_capacity_assessment(r.pk, user=world.users["nurse"], values=values)
    return r


def test_the_expiring_list_per_home_and_its_query_count(world, nurse_client):
    r = _expiring_resident(world, 10)
    url = "/care-plans/capacity/liberty/"
    nurse_client.get(url)
    with CaptureQueriesContext(connection) as few:
        html = _main(nurse_client.get(url))
    assert "Oak Lodge" in html and "Liberty10" in html and "10 days left" in html
    for n in range(11, 15):
        _expiring_resident(world, n)
    with CaptureQueriesContext(connection) as many:
        html = _main(nurse_client.get(url))
    assert "Liberty14" in html
    assert len(many.captured_queries) == len(few.captured_queries)
    page = f"/care-plans/residents/{r.pk}/capacity/"
    nurse_client.get(page)
    with CaptureQueriesContext(connection) as one:
        nurse_client.get(page)
    with in_home(world.home):
        record_liberty(r.pk, user=world.users["nurse"], values={"kind": "dols_standard", "requested_on": TODAY()})
    with CaptureQueriesContext(connection) as more:
        nurse_client.get(page)
    assert len(more.captured_queries) == len(one.captured_queries)


def test_the_dashboard_panel(world, nurse_client, client_for):
    _expiring_resident(world, 5)
    dashboard = _main(nurse_client.get("/"))
    assert 'id="panel-liberty"' in dashboard and 'hx-get="/care-plans/capacity/panel/"' in dashboard
    counts = nurse_client.get("/care-plans/capacity/panel/").content.decode()
    assert '<p class="stat">1</p>' in counts and "0 expired" in counts
    assert "panel-liberty" not in _main(client_for(world.users["finance"]).get("/"))
