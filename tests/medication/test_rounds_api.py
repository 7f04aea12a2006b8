"""The round through the API and the pages: the round for a unit and slot (no N+1), recording with an
Idempotency-Key, refusals as 422 problems in plain words, corrections with If-Match, PRN effect, alerts,
permissions and another home's records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from tests import factories as f
from tests.medication.conftest import in_home, order, record, slot
from writecarenotes.medication.models import Administration, MedicationAlert
from writecarenotes.residents.models import Resident

API = "/api/v1/medication"


def post(client, path, body, **headers):
    return client.post(f"{API}{path}", body, content_type="application/json", **headers)


def test_the_round_lists_whats_due_and_the_api_records_it_once(world, meds, clock, nka, client_for):
    o = order(world, meds.paracetamol)
    prn = order(world, meds.ibuprofen, is_prn=True, prn_min_interval_minutes=360, prn_indication="Pain")
    c = client_for(world.users["senior_carer"])
    r = c.get(f"{API}/rounds", {"unit": world.unit.pk, "slot": "08:00"})
    assert r.status_code == 200
    body = r.json()
    assert body["slot"] == "08:00" and body["slots"] == ["08:00"]
    dose = body["residents"][0]["doses"][0]
    assert dose["order_id"] == o.pk and dose["state"] == "due" and dose["administration"] is None
    assert body["residents"][0]["prn"][0]["next_dose_from"] is None
    payload = {"order_id": o.pk, "outcome": "given", "dose": "1", "due_at": slot(clock).isoformat()}
    first = post(c, "/administrations", payload, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201 and first["ETag"] == '"v1"'
    again = post(c, "/administrations", payload, HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    other = post(c, "/administrations", payload, HTTP_IDEMPOTENCY_KEY="k-2")
    assert other.status_code == 422
    assert "already recorded at 08:10" in other.json()["errors"][0]["message"]
    assert Administration.unscoped.count() == 1
    given = post(c, "/administrations", {"order_id": prn.pk, "outcome": "given", "dose": "1"})
    assert given.status_code == 201
    r = c.get(f"{API}/rounds", {"unit": world.unit.pk, "slot": "08:00"}).json()
    assert r["residents"][0]["doses"][0]["state"] == "recorded"
    assert r["residents"][0]["prn"][0]["next_dose_from"].startswith((clock.now + timedelta(hours=6)).date().isoformat())


def test_a_refusal_needs_a_reason_and_safety_refusals_are_plain_422s(world, meds, clock, nka, client_for):
    o = order(world, meds.paracetamol)
    prn = order(world, meds.ibuprofen, is_prn=True, prn_min_interval_minutes=360)
    c = client_for(world.users["senior_carer"])
    r = post(c, "/administrations", {"order_id": o.pk, "outcome": "refused", "due_at": slot(clock).isoformat()})
    assert r.status_code == 422
    assert {"field": "reason_code", "message": "Choose the reason the dose was not given."} in r.json()["errors"]
    assert post(c, "/administrations", {"order_id": prn.pk, "outcome": "given", "dose": "1"}).status_code == 201
    clock.now += timedelta(hours=5, minutes=59)
    r = post(c, "/administrations", {"order_id": prn.pk, "outcome": "given", "dose": "1"})
    assert r.status_code == 422 and r["Content-Type"].startswith("application/problem+json")
    assert any("interval" in e["message"].lower() or "hours" in e["message"] for e in r.json()["errors"])
    # the problem carries the findings, so a client can offer the override to those who may
    body = r.json()
    assert [f["rule"] for f in body["findings"]] == ["prn_interval"]
    assert body["findings"][0]["overridable"] is True and body["findings"][0]["source"]
    assert body["can_override"] is False  # a senior carer may not override


def test_corrections_need_if_match_and_effect_is_recorded(world, meds, clock, nka, client_for):
    o = order(world, meds.paracetamol)
    prn = order(world, meds.ibuprofen, is_prn=True, prn_effect_check_minutes=30)
    c = client_for(world.users["nurse"])
    adm = post(
        c,
        "/administrations",
        {"order_id": o.pk, "outcome": "refused", "reason_code": "refused", "due_at": slot(clock).isoformat()},
    ).json()
    path = f"/administrations/{adm['id']}/corrections"
    body = {"reason": "Wrong reason chosen", "outcome": "omitted", "reason_code": "asleep"}
    assert post(c, path, body).status_code == 428
    assert post(c, path, body, HTTP_IF_MATCH='"v7"').status_code == 412
    r = post(c, path, body, HTTP_IF_MATCH='"v1"')
    assert r.status_code == 201 and r.json()["outcome"] == "omitted" and r["ETag"] == '"v2"'
    p = post(c, "/administrations", {"order_id": prn.pk, "outcome": "given", "dose": "1"}).json()
    assert p["effect_due_at"] is not None
    r = post(c, f"/administrations/{p['id']}/effect", {"effect": "effective"})
    assert r.status_code == 201 and r.json()["effect"] == "effective"
    listed = c.get(f"{API}/administrations", {"resident_id": world.resident.pk}).json()
    assert listed["count"] == 2


def test_permissions_and_another_homes_records(world, meds, clock, nka, client_for):
    o = order(world, meds.paracetamol)
    theirs = order(world, meds.paracetamol, resident=world.other_home_resident)
    body = {"order_id": o.pk, "outcome": "given", "dose": "1", "due_at": slot(clock).isoformat()}
    assert post(client_for(world.users["carer"]), "/administrations", body).status_code == 403
    assert post(client_for(world.users["inspector"]), "/administrations", body).status_code == 403
    assert client_for(world.users["inspector"]).get(f"{API}/rounds").status_code == 200
    c = client_for(world.users["senior_carer"])
    r = post(c, "/administrations", {**body, "order_id": theirs.pk})
    assert r.status_code == 404
    with in_home(world.other_home):
        adm = Administration.objects.create(
            home=world.other_home,
            order=theirs,
            resident=world.other_home_resident,
            due_at=slot(clock),
            outcome="given",
            dose=1,
            administered_at=clock.now,
            recorded_at=clock.now,
            recorded_by=world.users["nurse"],
        )
    assert c.get(f"{API}/administrations/{adm.pk}").status_code == 404
    assert post(c, f"/administrations/{adm.pk}/corrections", {"reason": "x"}, HTTP_IF_MATCH='"v1"').status_code == 404


def test_the_round_page_has_no_n_plus_1(world, meds, clock, nka, client_for, django_assert_max_num_queries):
    for i in range(12):
        unit_room = f.unit_with_room(world.home, unit_name=f"U{i}", room_number=f"R{i}")[1]
        r = f.resident(world.home, unit=world.unit, room=unit_room, family=f"Res{i}")
        order(world, meds.paracetamol, resident=r)
        order(world, meds.lactulose, resident=r, times=["08:00", "18:00"])
        order(world, meds.ibuprofen, resident=r, is_prn=True, prn_min_interval_minutes=240)
    c = client_for(world.users["senior_carer"])
    c.get(reverse("medication:round"), {"unit": world.unit.pk})  # warm the session
    with django_assert_max_num_queries(20):
        r = c.get(reverse("medication:round"), {"unit": world.unit.pk, "slot": "08:00"})
    assert r.status_code == 200
    html = r.content.decode()
    # 13 residents: more than EXPAND_UP_TO, so each is one line with what is due, opened on a tap
    assert html.count('class="round-resident closed"') == 13
    assert html.count('data-due="2"') == 12 and "2 due now" in html
    row = c.get(reverse("medication:round_row", args=[world.resident.pk]), {"unit": world.unit.pk, "slot": "08:00"})
    assert row.status_code == 200 and "Back to everyone on the round" in row.text
    other = f.resident(world.home, unit=world.unit, family="Open")
    order(world, meds.paracetamol, resident=other)
    with django_assert_max_num_queries(20):
        fragment = c.get(
            reverse("medication:round_row", args=[other.pk]),
            {"unit": world.unit.pk, "slot": "08:00"},
            HTTP_HX_REQUEST="true",
        )
    assert fragment.text.count('data-state="due"') == 1 and "<html" not in fragment.text


def test_the_round_page_records_a_dose_by_plain_post_and_by_htmx(world, meds, clock, nka, client_for):
    o = order(world, meds.paracetamol)
    o2 = order(world, meds.lactulose)
    c = client_for(world.users["senior_carer"])
    page = c.get(reverse("medication:round"), {"unit": world.unit.pk})
    assert page.status_code == 200 and b"Medication round" in page.content
    url = reverse("medication:round_record", args=[o.pk])
    common = {
        "unit": world.unit.pk,
        "slot": "08:00",
        "date": clock.now.date().isoformat(),
        "due_at": slot(clock).isoformat(),
    }
    r = c.post(url, {**common, "outcome": "not_given", "not_given_outcome": "refused"})
    assert r.status_code == 422 and b"Choose the reason the dose was not given." in r.content
    r = c.post(url, {**common, "outcome": "not_given", "not_given_outcome": "refused", "reason_code": "refused"})
    assert r.status_code == 303 and r["Location"].endswith(f"#resident-{world.resident.pk}")
    r = c.post(
        reverse("medication:round_record", args=[o2.pk]),
        {**common, "outcome": "given", "dose": "1"},
        HTTP_HX_REQUEST="true",
        follow=True,
    )
    assert r.status_code == 200 and b'data-state="recorded"' in r.content and b"<html" not in r.content
    assert Administration.unscoped.count() == 2


def test_alerts_page_and_dashboard_panel(world, meds, clock, client_for):
    o = order(world, meds.paracetamol)
    for d in (-1, 0):
        record(
            world, o, outcome="refused", reason_code="refused", due_at=slot(clock, days=d), at=slot(clock, "08:00", d)
        )
    alert = MedicationAlert.unscoped.get()
    c = client_for(world.users["nurse"])
    assert b"Medicines to follow up" in c.get("/").content
    page = c.get(reverse("medication:alerts"))
    assert b"2 days running" in page.content
    r = c.post(reverse("medication:alert", args=[alert.pk]), {"gp_contact_note": ""})
    assert r.status_code == 422
    r = c.post(reverse("medication:alert", args=[alert.pk]), {"gp_contact_note": "Dr Patel will review"})
    assert r.status_code == 303
    alert.refresh_from_db()
    assert alert.status == "acknowledged"


def test_mar_chart_page_and_pdf(world, meds, clock, nka, client_for):
    Resident.unscoped.filter(pk=world.resident.pk).update(no_known_allergies=True)
    o = order(world, meds.paracetamol)
    prn = order(world, meds.ibuprofen, is_prn=True)
    # yesterday's refusal, recorded today: late (A*); the days before it: not recorded (?)
    record(world, o, outcome="refused", reason_code="refused", due_at=slot(clock, days=-1), at=slot(clock, "08:00", -1))
    record(world, o, outcome="given", dose="1", due_at=slot(clock))
    record(world, prn, outcome="given", dose="1")
    c = client_for(world.users["inspector"])
    page = c.get(reverse("medication:mar", args=[world.resident.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "No known allergies" in html and "A = Refused" in html
    initials = "".join(w[0] for w in world.users["senior_carer"].display_name.split()[:3]).upper()
    assert ">A*</td>" in html and ">?</td>" in html and f">{initials}</td>" in html and "Ibuprofen" in html
    pdf = c.get(reverse("medication:mar_pdf", args=[world.resident.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert c.get(reverse("medication:mar", args=[world.other_home_resident.pk])).status_code == 404
    assert client_for(world.users["carer"]).get(reverse("medication:mar", args=[world.resident.pk])).status_code == 403


def test_the_care_journey_shows_refusals_and_prn_doses(world, meds, clock, nka, client_for):
    o = order(world, meds.paracetamol)
    record(world, o, outcome="refused", reason_code="refused", note="Said no", due_at=slot(clock))
    c = client_for(world.users["nurse"])
    r = c.get(f"/api/v1/residents/{world.resident.pk}/timeline", {"kind": "medication"})
    assert r.status_code == 200
    titles = [i["title"] for i in r.json()["items"]]
    assert any(t.startswith("Refused: Paracetamol") for t in titles)


@pytest.mark.parametrize("role", ["carer"])
def test_a_carer_cannot_open_the_round(world, role, client_for):
    assert client_for(world.users[role]).get(reverse("medication:round")).status_code == 403


def test_the_effect_and_correction_pages(world, meds, clock, nka, client_for):
    o = order(world, meds.paracetamol)
    prn = order(world, meds.ibuprofen, is_prn=True, prn_effect_check_minutes=30)
    refused = record(world, o, outcome="refused", reason_code="refused", due_at=slot(clock))
    given = record(world, prn, outcome="given", dose="1")
    c = client_for(world.users["senior_carer"])
    url = reverse("medication:prn_effect", args=[given.pk])
    assert c.get(url).status_code == 200
    r = c.post(url, {"effect": "not_effective", "note": ""})
    assert r.status_code == 422 and b"Say what you saw" in r.content
    assert c.post(url, {"effect": "not_effective", "note": "Still in pain"}).status_code == 303
    url = reverse("medication:correct", args=[refused.pk])
    assert c.get(url).status_code == 200
    r = c.post(url, {"outcome": "omitted", "reason_code": "asleep", "reason": ""})
    assert r.status_code == 422
    r = c.post(url, {"outcome": "omitted", "reason_code": "asleep", "reason": "Wrong outcome chosen"})
    assert r.status_code == 303
    refused.refresh_from_db()
    assert refused.outcome == "omitted" and refused.version == 2
