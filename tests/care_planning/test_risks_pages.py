"""Pages of the risk register: raising a risk on a phone-friendly form (field errors next to the
field, nothing saved), the register with NPSA ratings, changing and closing with a reason (history
shown), the overdue list per unit and the dashboard panel, with query counts that do not grow."""

from __future__ import annotations

import contextlib
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories as f
from writecarenotes.care_planning.models.risks import Risk
from writecarenotes.care_planning.services_risks import raise_risk
from writecarenotes.platform.audit.models import AuditRecord
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.django_db


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


def form_data(world, **over) -> dict:
    data = {
        "kind": "falls",
        "description": "Gets up at night without her frame.",
        "likelihood": "4",
        "impact": "3",
        "controls": "Sensor mat; frame within reach; night checks hourly.",
        "residual_likelihood": "2",
        "residual_impact": "3",
        "owner": str(world.users["nurse"].pk),
        "review_on": (timezone.localdate() + timedelta(days=28)).isoformat(),
    }
    data.update(over)
    return data


def make_risk(world, resident=None, **over):
    values = {
        "kind": "choking",
        "description": "Coughs when drinking thin fluids.",
        "likelihood": 3,
        "impact": 5,
        "controls": "Level 2 mildly thick fluids; sits upright to eat.",
        "residual_likelihood": 2,
        "residual_impact": 5,
        "owner_id": world.users["nurse"].pk,
        "review_on": timezone.localdate() + timedelta(days=14),
    }
    values.update(over)
    with in_home(world.home):
        return raise_risk((resident or world.resident).pk, user=world.users["nurse"], values=values)


def test_raise_a_risk_on_the_form(world, nurse_client):
    url = f"/care-plans/residents/{world.resident.pk}/risks/new/"
    page = _main(nurse_client.get(url))
    assert 'data-offline="care-entry"' in page and 'name="idempotency_key"' in page
    assert "<legend>Likelihood without the controls</legend>" in page and "4 Likely" in page
    response = nurse_client.post(url, form_data(world))
    assert response.status_code == 303
    with acting_for([world.home]):
        risk = Risk.objects.get()
    assert response["Location"] == f"/care-plans/residents/{world.resident.pk}/risks/{risk.pk}/"
    html = _main(nurse_client.get(response["Location"]))
    assert "High risk (12)" in html and "Moderate risk (6)" in html and "Risk raised" in html


def test_field_errors_are_shown_next_to_the_field_and_nothing_is_saved(world, nurse_client):
    url = f"/care-plans/residents/{world.resident.pk}/risks/new/"
    response = nurse_client.post(url, form_data(world, controls=""))
    assert response.status_code == 422 and 'id="id_controls_errors"' in _main(response)
    response = nurse_client.post(url, form_data(world, residual_likelihood="5", residual_impact="5"))
    assert response.status_code == 422
    html = _main(response)
    group = html.split('id="id_residual_likelihood_group"', 1)[1].split("</fieldset>", 1)[0]
    assert "cannot score higher (25) than without them (12)" in group
    assert "Gets up at night without her frame." in html  # the answers are kept
    with acting_for([world.home]):
        assert Risk.objects.count() == 0


def test_a_form_sent_twice_with_its_key_records_once(world, nurse_client):
    url = f"/care-plans/residents/{world.resident.pk}/risks/new/"
    data = form_data(world, idempotency_key=str(uuid.uuid4()))
    assert nurse_client.post(url, data).status_code == nurse_client.post(url, data).status_code == 303
    with acting_for([world.home]):
        assert Risk.objects.count() == 1


def test_the_register_lists_ratings_and_is_audited_as_a_read(world, nurse_client, client_for):
    make_risk(world)
    html = _main(nurse_client.get(f"/care-plans/residents/{world.resident.pk}/risks/"))
    assert "Choking" in html and "Extreme risk (15)" in html and "High risk (10)" in html
    assert "Raise a risk" in html and '<table class="matrix">' in html and "style=" not in html
    assert AuditRecord.objects.filter(action="residents.resident.read", part="risk register").exists()
    carer = _main(client_for(world.users["carer"]).get(f"/care-plans/residents/{world.resident.pk}/risks/"))
    assert "Choking" in carer and "Raise a risk" not in carer
    assert (
        client_for(world.users["carer"]).get(f"/care-plans/residents/{world.resident.pk}/risks/new/").status_code == 403
    )
    assert nurse_client.get(f"/care-plans/residents/{world.other_home_resident.pk}/risks/").status_code == 404


def test_change_needs_a_reason_and_shows_in_the_history(world, nurse_client):
    risk = make_risk(world)
    url = f"/care-plans/residents/{world.resident.pk}/risks/{risk.pk}/change/"
    page = _main(nurse_client.get(url))
    assert 'name="kind"' not in page and 'name="version" value="1"' in page
    data = form_data(world, likelihood="5", impact="5", residual_likelihood="3", residual_impact="5", version="1")
    missing = nurse_client.post(url, data)
    assert missing.status_code == 422 and 'id="id_reason_errors"' in _main(missing)
    done = nurse_client.post(url, {**data, "reason": "Choked on toast on Tuesday"})
    assert done.status_code == 303
    html = _main(nurse_client.get(done["Location"]))
    assert "Extreme risk (25)" in html and "Choked on toast on Tuesday" in html and "Version 2" in html
    stale = nurse_client.post(url, {**data, "impact": "4", "reason": "Again", "version": "1"})
    assert stale.status_code == 422 and "Someone changed this record" in _main(stale)


def test_close_a_risk_with_a_reason(world, nurse_client):
    risk = make_risk(world)
    url = f"/care-plans/residents/{world.resident.pk}/risks/{risk.pk}/close/"
    assert nurse_client.post(url, {"reason": "", "version": "1"}).status_code == 422
    assert nurse_client.post(url, {"reason": "Swallow assessed: normal diet", "version": "1"}).status_code == 303
    html = _main(nurse_client.get(f"/care-plans/residents/{world.resident.pk}/risks/"))
    assert "No open risks." in html and "Swallow assessed: normal diet" in html


def _overdue_resident(world, n: int):
    with acting_for([world.home]):
        from writecarenotes.platform.tenancy.models import Room

        room = Room.objects.create(home=world.home, unit=world.unit, number=f"R{n}")
    r = f.resident(world.home, unit=world.unit, room=room, family=f"Overdue{n}", nhs_number="9434765919")
    risk = make_risk(world, resident=r)
    with acting_for([world.home]):
        Risk.objects.filter(pk=risk.pk).update(review_on=timezone.localdate() - timedelta(days=n))
    return r


def test_overdue_reviews_per_unit_with_a_query_count_that_does_not_grow(world, nurse_client):
    _overdue_resident(world, 1)
    url = f"/care-plans/units/{world.unit.pk}/risks/overdue/"
    nurse_client.get(url)
    with CaptureQueriesContext(connection) as few:
        html = _main(nurse_client.get(url))
    assert "Overdue1" in html and "1 day overdue" in html
    for n in range(2, 6):
        _overdue_resident(world, n)
    with CaptureQueriesContext(connection) as many:
        html = _main(nurse_client.get(url))
    assert "Overdue5" in html and "5 days overdue" in html
    assert len(many.captured_queries) == len(few.captured_queries)
    assert nurse_client.get(f"/care-plans/units/{world.other_home_resident.unit_id}/risks/overdue/").status_code == 404


def test_register_and_index_query_counts_do_not_grow(world, nurse_client):
    make_risk(world)
    for n, url in enumerate((f"/care-plans/residents/{world.resident.pk}/risks/", "/care-plans/risks/"), start=7):
        nurse_client.get(url)
        with CaptureQueriesContext(connection) as few:
            nurse_client.get(url)
        for kind in ("falls", "dehydration", "infection"):
            make_risk(world, kind=kind, owner_id=world.users["registered_manager"].pk)
        _overdue_resident(world, n)
        with CaptureQueriesContext(connection) as many:
            nurse_client.get(url)
        assert len(many.captured_queries) == len(few.captured_queries), url


def test_the_dashboard_panel_loads_the_counts(world, nurse_client, client_for):
    _overdue_resident(world, 2)
    dashboard = _main(nurse_client.get("/"))
    assert 'id="panel-risk-reviews"' in dashboard and 'hx-get="/care-plans/risks/panel/"' in dashboard
    counts = nurse_client.get("/care-plans/risks/panel/").content.decode()
    assert '<p class="stat">1</p>' in counts and "Ground floor" in counts
    assert "panel-risk-reviews" not in _main(client_for(world.users["finance"]).get("/"))
