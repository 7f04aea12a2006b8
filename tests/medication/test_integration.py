"""How the medication sub-domains meet: the round's light rows and their "Not given" form loaded on
demand, the demo's reconciliation not reopened by a late admission event, and the demo's medicines."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.medication.conftest import in_home, order, slot
from writecarenotes.medication import services_reconciliation
from writecarenotes.medication.models import Reconciliation

pytestmark = pytest.mark.django_db


def test_the_round_row_loads_its_not_given_form_when_opened(world, meds, clock, nka, client_for):
    o = order(world, meds.lactulose, dose="10")
    c = client_for(world.users["senior_carer"])
    page = c.get(f"/medication/round/?unit={world.unit.pk}&slot=08:00")
    assert page.status_code == 200
    html = page.text
    assert 'name="outcome" value="given"' in html and 'value="10"' in html
    assert 'name="reason_code"' not in html  # loaded only when "Not given…" is opened
    url = f"/medication/round/orders/{o.pk}/record/?unit={world.unit.pk}&slot=08:00&due_at={slot(clock).isoformat()}"
    fragment = c.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert 'name="reason_code"' in fragment.text and 'name="not_given_outcome"' in fragment.text
    full = c.get(url)  # without JavaScript: a page with the whole form
    assert full.status_code == 200 and "Record not given" in full.text and "Back to the round" in full.text
    assert client_for(world.users["inspector"]).get(url).status_code == 403


def test_a_late_admission_event_does_not_reopen_a_completed_reconciliation(world, meds):
    nurse = world.users["nurse"]
    admitted = timezone.now() - timedelta(days=3)
    with in_home(world.home):
        recon = services_reconciliation.start(user=nurse, resident_id=world.resident.pk, occasion="admission")
        services_reconciliation.add_line(
            recon.pk,
            user=nurse,
            medicine_id=meds.lactulose.pk,
            decision="new",
            reason="GP list",
            sources={"gp_record": "lactulose"},
            order_values={"prescriber": "Dr A Patel", "dose": "10", "times": ["08:00"], "start_date": admitted.date()},
            acknowledgement="Checked",
        )
        services_reconciliation.complete(recon.pk, user=nurse)
        again = services_reconciliation.open_for_event(
            home_id=world.home.pk, resident_id=world.resident.pk, occasion="admission", at=admitted, event_id="e-1"
        )
        assert again is None
        assert Reconciliation.objects.count() == 1
        # a stay in hospital after it still opens one (awaiting the return)
        later = services_reconciliation.open_for_event(
            home_id=world.home.pk,
            resident_id=world.resident.pk,
            occasion="hospital_return",
            at=timezone.now(),
            event_id="e-2",
            awaiting=True,
        )
        assert later is not None


def test_the_demo_gives_a_home_its_medicines(world):
    import random

    from tests import factories as f
    from writecarenotes.medication import demo_medication
    from writecarenotes.medication.models import Administration, CDRegister, Fridge, MedicationOrder, StockSettings
    from writecarenotes.residents.models import Resident

    Resident.unscoped.filter(pk=world.resident.pk).update(no_known_allergies=True)
    residents = [world.resident]
    for i in range(6):
        r = f.resident(world.home, unit=world.unit, family=f"Demo{i}", nhs_number=f"99900001{i:02d}"[:10])
        Resident.unscoped.filter(pk=r.pk).update(no_known_allergies=True)
        residents.append(r)
    with in_home(world.home):
        residents = list(Resident.objects.filter(pk__in=[r.pk for r in residents]).order_by("pk"))
        result = demo_medication.seed(world.home, residents, [], random.Random(7))
        assert result["orders"] == MedicationOrder.objects.count() > 7
        assert Administration.objects.exists()
        assert StockSettings.objects.count() == 1 and Fridge.objects.count() == 1
        assert CDRegister.objects.count() == 1  # the resident on the end-of-life pathway's morphine
        assert Reconciliation.objects.filter(status="completed").count() == len(residents)


@pytest.mark.parametrize(
    ("role", "links"),
    [
        ("nurse", ["Medication round", "Safety overrides", "Controlled drugs register", "Medication errors"]),
        ("inspector", ["Controlled drugs register", "The safety checks"]),
    ],
)
def test_the_medication_page_links_what_the_role_may_open(world, client_for, role, links):
    c = client_for(world.users[role])
    page = c.get("/medication/")
    assert page.status_code == 200
    for link in links:
        assert link in page.text
    if role == "inspector":
        assert "Medication round" not in page.text  # recording is not theirs
    assert client_for(world.users["carer"]).get("/medication/").status_code == 403


def test_a_nul_character_in_a_query_is_a_422_not_a_database_error(world, client_for):
    r = client_for(world.users["nurse"]).get("/api/v1/residents/", {"q": "Ev\x00ans"})
    assert r.status_code == 422 and r["Content-Type"].startswith("application/problem+json")
