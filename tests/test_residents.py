"""Residents first cut (read-only): search, scoping to the user's homes, NHS numbers, API shape."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories as f
from writecarenotes.residents import nhs_number

# ---------------------------------------------------------------------------------------------
# NHS number validation (modulus 11)


@pytest.mark.parametrize(
    "value",
    [
        "9434765919",  # the NHS Data Dictionary's worked example
        "943 476 5919",
        "943-476-5919",
        "9990000018",
        "9990000026",
        "9990000050",  # 11 - 0 = 11: the check digit is written as 0
    ],
)
def test_valid_nhs_numbers(value):
    assert nhs_number.is_valid(value)


@pytest.mark.parametrize(
    "value",
    [
        "9434765918",  # wrong check digit
        "9434765910",
        "943476591",  # nine digits
        "94347659190",  # eleven digits
        "94347659l9",  # a letter l for a one
        "",
        "NHS 943 476 5919",
    ],
)
def test_invalid_nhs_numbers(value):
    assert not nhs_number.is_valid(value)


@pytest.mark.parametrize("last", "0123456789")
def test_numbers_whose_check_digit_would_be_10_are_never_valid(last):
    # 9*10 + 9*9 + 9*8 = 243; 243 mod 11 = 1; 11 - 1 = 10: no valid number starts 999 000 000.
    assert nhs_number.check_digit("999000000") is None
    assert not nhs_number.is_valid("999000000" + last)
    assert not nhs_number.is_valid("943476002" + last)


def test_check_digit_of_11_is_zero_and_formatting():
    assert nhs_number.check_digit("999000005") == 0
    assert nhs_number.check_digit("943476591") == 9
    assert nhs_number.format_nhs("9434765919") == "943 476 5919"
    assert nhs_number.format_nhs("943 476 5919") == "943 476 5919"
    assert nhs_number.format_nhs("123") == "123"


# ---------------------------------------------------------------------------------------------
# The list and search


def _names(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _rows(response) -> str:
    """The results tables only, one per unit (the search box and the home switcher echo the search text)."""
    page = _names(response)
    return page[page.index("<tbody>") : page.rindex("</tbody>")]


@pytest.fixture
def more(world):
    """A few more residents in the nurse's home (Oak Lodge), one of them discharged."""
    _, room2 = f.unit_with_room(world.home, unit_name="First floor", room_number="12")
    return {
        "dot": f.resident(
            world.home,
            unit=room2.unit,
            room=room2,
            family="Ashworth",
            given="Dorothy May",
            preferred_name="Dot",
            nhs_number="9434765919",
        ),
        "gone": f.resident(world.home, family="Fletcher", given="Arthur", status="discharged", nhs_number="9990000042"),
    }


def test_list_shows_current_residents_of_the_active_home_only(world, more, client_for):
    page = _rows(client_for(world.users["nurse"]).get("/residents/"))
    assert "Margaret Evans" in page
    assert "Dot Ashworth" in page
    assert "Fletcher" not in page  # discharged: only found by searching
    assert "Pritchard" not in page  # the other home of the organisation
    assert "MacLeod" not in page  # another organisation


SEARCHES = [
    ("ashworth", "Dot Ashworth"),
    ("Dorothy", "Dot Ashworth"),
    ("dot", "Dot Ashworth"),
    ("Dorothy Ashworth", "Dot Ashworth"),
    ("12", "Dot Ashworth"),  # room number
    ("9434765919", "Dot Ashworth"),
    ("943 476 5919", "Dot Ashworth"),
    ("943 476", "Dot Ashworth"),
    ("Fletcher", "Arthur Fletcher"),  # searching finds discharged residents too
]


def test_search_by_name_room_and_nhs_number(world, more, client_for):
    # One test, many searches: the world fixture is slow to build (Argon2 for every user).
    c = client_for(world.users["nurse"])
    for q, expected in SEARCHES:
        rows = _rows(c.get("/residents/", {"q": q}))
        assert expected in rows, q
        assert "Margaret Evans" not in rows, q
    assert "No residents match." in _rows(c.get("/residents/", {"q": "Zebedee"}))


def test_search_never_finds_other_homes_or_organisations(world, client_for):
    c = client_for(world.users["nurse"])
    for q in ["Pritchard", "MacLeod", "9990000026", "999 000 0034", "999", "A1", "N1"]:
        rows = _rows(c.get("/residents/", {"q": q}))
        assert "Pritchard" not in rows, q
        assert "MacLeod" not in rows, q
    # "999" matches Margaret Evans's own number (999 000 0018) and nobody else's.
    assert "Margaret Evans" in _rows(c.get("/residents/", {"q": "999"}))


def test_detail_shows_grouped_nhs_number_and_other_homes_are_not_found(world, more, client_for):
    c = client_for(world.users["nurse"])
    assert "943 476 5919" in _names(c.get("/residents/"))
    detail = _names(c.get(f"/residents/{more['dot'].pk}/"))
    assert "943 476 5919" in detail
    assert "Dorothy May Ashworth" in detail
    # Another home's or organisation's resident: not found, as if they did not exist.
    assert c.get(f"/residents/{world.resident.pk}/").status_code == 200
    assert c.get(f"/residents/{world.other_home_resident.pk}/").status_code == 404
    assert c.get(f"/residents/{world.foreign_resident.pk}/").status_code == 404


def test_provider_admin_in_all_homes_sees_both_homes_but_not_another_organisation(world, client_for):
    c = client_for(world.users["provider_admin"])
    assert c.post("/home/switch/", {"home": "all", "next": "/residents/"}).status_code == 302
    page = _rows(c.get("/residents/"))
    assert "Margaret Evans" in page
    assert "Pritchard" in page
    assert "MacLeod" not in page
    assert c.get(f"/residents/{world.other_home_resident.pk}/").status_code == 200
    assert c.get(f"/residents/{world.foreign_resident.pk}/").status_code == 404


def test_roles_without_resident_access_are_refused(world, client_for):
    for role in ("hr", "maintenance", "family"):
        assert client_for(world.users[role]).get("/residents/").status_code == 403, role


def test_list_query_count_does_not_grow_with_residents(world, client_for, django_assert_max_num_queries):
    for n in range(30):
        _, room = f.unit_with_room(world.home, unit_name=f"Unit {n % 3}-{n}", room_number=f"R{n}")
        f.resident(world.home, unit=room.unit, room=room, family=f"Family{n}")
    c = client_for(world.users["nurse"])
    c.get("/residents/")  # warm up (session, caches)
    with django_assert_max_num_queries(10):
        r = c.get("/residents/")
    assert r.status_code == 200
    assert "Family29" in r.content.decode()


# ---------------------------------------------------------------------------------------------
# The API


def test_api_list_is_paginated_and_scoped(world, more, client_for):
    c = client_for(world.users["nurse"])
    body = c.get("/api/v1/residents/").json()
    assert set(body) >= {"items", "count"}
    assert body["count"] == 2
    assert {r["legal_family_name"] for r in body["items"]} == {"Evans", "Ashworth"}
    first = c.get("/api/v1/residents/", {"limit": 1, "offset": 0}).json()
    second = c.get("/api/v1/residents/", {"limit": 1, "offset": 1}).json()
    assert first["count"] == second["count"] == 2
    assert len(first["items"]) == len(second["items"]) == 1
    assert first["items"][0]["id"] != second["items"][0]["id"]
    item = next(r for r in body["items"] if r["legal_family_name"] == "Ashworth")
    assert item["display_name"] == "Dot Ashworth"
    assert item["nhs_number"] == "9434765919"
    assert item["room"] == "12"
    assert item["unit"] == "First floor"
    assert item["status"] == "in_residence"
    # search, as on the page
    body = c.get("/api/v1/residents/", {"q": "943 476 5919"}).json()
    assert [r["legal_family_name"] for r in body["items"]] == ["Ashworth"]
    assert c.get("/api/v1/residents/", {"q": "Pritchard"}).json()["count"] == 0


def test_api_detail_of_another_home_is_a_404_problem_and_access_is_checked(world, client_for):
    c = client_for(world.users["nurse"])
    assert c.get(f"/api/v1/residents/{world.resident.pk}").status_code == 200
    for other in (world.other_home_resident, world.foreign_resident):
        r = c.get(f"/api/v1/residents/{other.pk}")
        assert r.status_code == 404
        assert r["Content-Type"].startswith("application/problem+json")
        assert "Pritchard" not in r.content.decode() and "MacLeod" not in r.content.decode()
    assert Client().get("/api/v1/residents/").status_code == 401
    assert client_for(world.users["hr"]).get("/api/v1/residents/").status_code == 403


def test_reading_a_resident_record_is_in_the_audit_trail_on_the_page_and_through_the_api(world, client_for):
    from writecarenotes.platform.audit.models import AuditRecord

    c = client_for(world.users["carer"])
    assert c.get(f"/residents/{world.resident.pk}/").status_code == 200
    assert c.get(f"/api/v1/residents/{world.resident.pk}").status_code == 200
    reads = AuditRecord.objects.filter(kind="read", subject_id=str(world.resident.pk)).order_by("pk")
    assert [(r.actor_email, r.home_id, r.part) for r in reads] == [
        ("carer@example.test", world.home.pk, "profile"),
        ("carer@example.test", world.home.pk, "profile (API)"),
    ]
