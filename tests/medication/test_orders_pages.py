"""The medicines record pages: the resident's record (grouped, with protocol, reasons and history, in a
bounded number of queries), starting an order (findings shown, the nurse's reason needed), changing,
stopping, reconciling, homely remedies, self and covert administration pages, the dashboard panel and the
"Medicines" link on the resident's page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.medication.conftest import in_home, order
from writecarenotes.medication.models import MedicationOrder, OrderStatus, Reconciliation, ReconciliationStatus
from writecarenotes.residents.models import Resident

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def nka(world):
    Resident.unscoped.filter(pk=world.resident.pk).update(no_known_allergies=True)


@pytest.fixture
def nurse(world, client_for):
    return client_for(world.users["nurse"])


def test_the_record_groups_orders_in_bounded_queries(world, meds, nka, nurse, django_assert_max_num_queries):
    order(world, meds.lactulose)
    order(
        world,
        meds.paracetamol,
        is_prn=True,
        prn_indication="Pain",
        prn_min_interval_minutes=240,
        prn_max_doses_24h=4,
        prn_expected_effect="Pain eased",
        prn_review_date=TODAY() + timedelta(days=10),
    )
    order(world, meds.naproxen, status=OrderStatus.STOPPED, status_reason="GI bleed")
    order(world, meds.warfarin, status=OrderStatus.SUSPENDED, status_reason="INR too high")
    url = f"/medication/residents/{world.resident.pk}/"
    nurse.get(url)
    with django_assert_max_num_queries(30) as ctx:
        r = nurse.get(url)
    few = len(ctx.captured_queries)
    for m in (meds.ibuprofen, meds.amoxicillin, meds.cocareldopa, meds.morphine):
        order(world, m)
    with django_assert_max_num_queries(few):
        r = nurse.get(url)
    body = r.content.decode()
    assert r.status_code == 200
    assert "Pain eased" in body and "240 minutes" in body and "GI bleed" in body and "INR too high" in body
    assert body.index("Regular medicines") < body.index("Lactulose") < body.index("When required")


def test_starting_an_order_shows_findings_and_needs_a_reason(world, meds, nka, nurse):
    order(world, meds.cocodamol)
    url = f"/medication/residents/{world.resident.pk}/orders/new/"
    data = {
        "medicine_id": meds.paracetamol.pk,
        "source": "gp",
        "prescriber": "Dr A Patel",
        "route": "oral",
        "dose": "1",
        "times": "08:00, 20:00",
        "mode": "staff",
        "start_date": str(TODAY()),
        "every_n_days": "1",
    }
    r = nurse.post(url, data)
    assert r.status_code == 422 and b"safety-findings" in r.content and b"paracetamol" in r.content.lower()
    with in_home(world.home):
        assert MedicationOrder.objects.count() == 1
    r = nurse.post(url, {**data, "acknowledgement": "GP aware; co-codamol to stop"})
    assert r.status_code == 303
    with in_home(world.home):
        o = MedicationOrder.objects.get(medicine=meds.paracetamol)
        assert o.times == ["08:00", "20:00"]
    r = nurse.post(url, {**data, "times": ""})
    assert r.status_code == 422 and b"id_times_errors" in r.content


def test_changing_and_stopping_on_pages(world, meds, nka, nurse):
    o = order(world, meds.lactulose)
    r = nurse.get(f"/medication/orders/{o.pk}/change/")
    assert r.status_code == 200
    r = nurse.post(
        f"/medication/orders/{o.pk}/change/",
        {
            "source": "gp",
            "prescriber": "Dr A Patel",
            "route": "oral",
            "dose": "15",
            "times": "08:00",
            "mode": "staff",
            "start_date": str(o.start_date),
            "every_n_days": "1",
            "reason": "Constipation persists",
            "version": "1",
        },
    )
    assert r.status_code == 303, r.content
    r = nurse.post(f"/medication/orders/{o.pk}/stop/", {"reason": "", "version": "2"})
    assert r.status_code == 422
    r = nurse.post(f"/medication/orders/{o.pk}/stop/", {"reason": "Bowels regular", "version": "1"})
    assert r.status_code == 422 and b"Someone changed this" in r.content
    r = nurse.post(f"/medication/orders/{o.pk}/stop/", {"reason": "Bowels regular", "version": "2"})
    assert r.status_code == 303
    with in_home(world.home):
        o.refresh_from_db()
    assert o.status == OrderStatus.STOPPED and o.version == 3


def test_reconciliation_pages_and_dashboard_panel(world, meds, nka, nurse):
    keep = order(world, meds.lactulose)
    r = nurse.post(
        f"/medication/residents/{world.resident.pk}/reconcile/",
        {"occasion": "hospital_return", "sources_checked": ["discharge_letter"]},
    )
    assert r.status_code == 303
    with in_home(world.home):
        recon = Reconciliation.objects.get()
    r = nurse.get("/")
    assert b"Medicines to reconcile" in r.content
    r = nurse.get(f"/medication/reconciliations/{recon.pk}/")
    assert r.status_code == 200 and b"Current medicines without a decision" in r.content
    r = nurse.post(f"/medication/reconciliations/{recon.pk}/complete/", {"version": str(recon.version)})
    assert r.status_code == 422 and b"Decide on every current medicine" in r.content
    r = nurse.post(
        f"/medication/reconciliations/{recon.pk}/lines/",
        {
            "order_id": keep.pk,
            "decision": "stop",
            "line_reason": "Stopped in hospital",
            "src_discharge_letter": "lactulose stopped",
        },
    )
    assert r.status_code == 303, r.content.decode()[:3000]
    with in_home(world.home):
        recon.refresh_from_db()
    r = nurse.post(f"/medication/reconciliations/{recon.pk}/complete/", {"version": str(recon.version)})
    assert r.status_code == 303
    with in_home(world.home):
        keep.refresh_from_db()
        assert keep.status == OrderStatus.STOPPED
        assert Reconciliation.objects.get().status == ReconciliationStatus.COMPLETED
    assert b"Medicines to reconcile" not in nurse.get("/").content


def test_the_resident_page_links_to_medicines_and_roles(world, nurse, client_for):
    r = nurse.get(f"/residents/{world.resident.pk}/")
    assert f"/medication/residents/{world.resident.pk}/".encode() in r.content
    assert client_for(world.users["carer"]).get(f"/medication/residents/{world.resident.pk}/").status_code == 403
    inspector = client_for(world.users["inspector"])
    assert inspector.get(f"/medication/residents/{world.resident.pk}/").status_code == 200
    assert inspector.get(f"/medication/residents/{world.resident.pk}/orders/new/").status_code == 403
    assert nurse.get(f"/medication/residents/{world.foreign_resident.pk}/").status_code == 404


def test_special_pages(world, meds, nka, nurse):
    assert nurse.get("/medication/homely-remedies/").status_code == 200
    r = nurse.post(
        "/medication/homely-remedies/add/",
        {
            "medicine_id": meds.paracetamol.pk,
            "indication": "Pain",
            "dose": "1",
            "min_interval_minutes": "240",
            "max_doses_24h": "4",
            "max_days": "2",
            "expected_effect": "Eased",
            "authorised_by": "Dr A Patel",
            "authoriser_role": "gp",
            "authorised_on": str(TODAY()),
            "review_date": str(TODAY() + timedelta(days=365)),
        },
    )
    assert r.status_code == 303
    from writecarenotes.medication.models import HomelyRemedy

    with in_home(world.home):
        remedy = HomelyRemedy.objects.get()
    r = nurse.post(f"/medication/residents/{world.resident.pk}/homely-remedy/", {"remedy_id": remedy.pk})
    assert r.status_code == 303
    r = nurse.post(
        f"/medication/residents/{world.resident.pk}/self-administration/",
        {
            "medicine_id": meds.lactulose.pk,
            "level": "prompted",
            "storage": "Drawer",
            "agreed_by": "Resident",
            "review_date": str(TODAY() + timedelta(days=5)),
        },
    )
    assert r.status_code == 422 and b"lockable" in r.content
    o = order(world, meds.cocareldopa)
    r = nurse.get(f"/medication/orders/{o.pk}/covert/")
    assert r.status_code == 200 and b"lacking capacity" in r.content
    r = nurse.post(f"/medication/orders/{o.pk}/covert/", {"pharmacist_name": "P"})
    assert r.status_code == 422 and b"id_capacity_assessment_id_errors" in r.content
