"""Pages of the register, stock and fridges: a witnessed receipt from the form (a wrong witness password
keeps the answers, nothing entered), the register page in a fixed number of queries, CSV and PDF in the
register's headings, a carer refused, the stock list and the fridge form demanding an action."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD
from tests.medication.conftest import in_home
from writecarenotes.medication import services_controlled as cd
from writecarenotes.medication.models import CDEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(world, meds):
    with in_home(world.home):
        return cd.open_register(
            home_id=world.home.pk, medicine_id=meds.morphine.pk, resident_id=None, by=world.users["registered_manager"]
        )


def _form(world, **kw):
    return {
        "kind": "received",
        "quantity": "100",
        "party_name": "High Street Pharmacy",
        "party_address": "1 High St",
        "witness_email": world.users["senior_carer"].email,
        "witness_password": PASSWORD,
        **kw,
    }


def test_receive_with_a_witness_from_the_form(world, client_for, page):
    nurse = client_for(world.users["nurse"])
    url = f"/medication/cd/{page.pk}/entry/"
    assert nurse.get(url).status_code == 200
    refused = nurse.post(url, _form(world, witness_password="wrong"))
    assert refused.status_code == 422 and b"e-mail or password is not right" in refused.content
    assert b"High Street Pharmacy" in refused.content  # answers kept
    with in_home(world.home):
        assert not CDEntry.objects.exists()
    done = nurse.post(url, _form(world))
    assert done.status_code == 303
    with in_home(world.home):
        assert CDEntry.objects.get().balance_after == 100


def test_register_page_queries_and_exports(world, client_for, page, django_assert_max_num_queries):
    with in_home(world.home):
        for _ in range(5):
            cd.receive(
                page.pk,
                quantity="10",
                supplier_name="High Street Pharmacy",
                supplier_address="1 High St",
                by=world.users["nurse"],
                witness=world.users["senior_carer"],
            )
    nurse = client_for(world.users["nurse"])
    with django_assert_max_num_queries(25):
        response = nurse.get(f"/medication/cd/{page.pk}/")
    assert response.status_code == 200 and b"50" in response.content
    csv = nurse.get(f"/medication/cd/{page.pk}/register.csv")
    text = csv.content.decode()
    assert csv["Content-Type"].startswith("text/csv")
    assert "Name and address from whom received / of person or firm supplied" in text and "High Street Pharmacy" in text
    pdf = nurse.get(f"/medication/cd/{page.pk}/register.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client_for(world.users["carer"]).get(f"/medication/cd/{page.pk}/").status_code == 403


def test_index_stock_and_fridge_pages(world, client_for, page):
    manager = client_for(world.users["registered_manager"])
    assert manager.get("/medication/cd/").status_code == 200
    assert manager.get("/medication/stock/").status_code == 200
    assert manager.get("/medication/stock/reorder/").status_code == 200
    added = manager.post("/medication/fridges/add/", {"name": "Treatment room"})
    assert added.status_code == 303
    fridge_url = added["Location"]
    out = manager.post(fridge_url, {"current_c": "9.0", "min_c": "4.0", "max_c": "9.0"})
    assert out.status_code == 422 and b"Green Book" in out.content
    ok = manager.post(fridge_url, {"current_c": "9.0", "min_c": "4.0", "max_c": "9.0", "action_taken": "Door shut"})
    assert ok.status_code == 303
    dashboard = manager.get("/")
    assert b"panel-fridges" in dashboard.content
