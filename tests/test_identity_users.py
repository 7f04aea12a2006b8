"""The Users page of the active home and deactivating a user."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from tests import factories as f
from writecarenotes.platform.identity import services
from writecarenotes.platform.identity.models import User


@pytest.fixture
def staff(db):
    org = f.organisation("Meadow Care")
    home = f.home(org, name="Oak Lodge")
    other_home = f.home(org, name="Ty Celyn", nation="wales", care_type="residential")
    foreign = f.home(f.organisation("Elsewhere"), name="Far House")
    people = {}
    for key, role, where in [
        ("manager", "registered_manager", home),
        ("deputy", "deputy_manager", home),
        ("carer", "carer", home),
        ("welsh_carer", "carer", other_home),
        ("foreigner", "carer", foreign),
    ]:
        people[key] = f.user(f"{key}@example.test", name=key.replace("_", " ").title())
        f.member(people[key], role, home=where)
    people["admin"] = f.user("admin@example.test", name="Admin Org")
    f.member(people["admin"], "provider_admin", org=org)
    people["both"] = f.user("both@example.test", name="Both Homes")
    f.member(people["both"], "carer", home=home)
    f.member(people["both"], "carer", home=other_home)
    return {"home": home, "other_home": other_home, **people}


def _logged_in(client: Client) -> bool:
    return client.get("/account/").status_code == 200


def test_users_page_lists_people_of_the_active_home_with_roles_and_status(staff, client_for):
    services.start_enrolment(staff["carer"])  # unconfirmed: does not count as enrolled
    html = client_for(staff["manager"]).get("/users/").content.decode()
    for key in ("manager", "deputy", "carer", "admin", "both"):
        assert staff[key].email in html
    assert staff["welsh_carer"].email not in html
    assert staff["foreigner"].email not in html
    assert "Provider admin (all homes)" in html and "Carer (Oak Lodge)" in html
    assert '<th scope="col">Two-factor</th>' in html
    assert "Deactivate" in html


def test_users_nav_item_only_for_those_who_may_view_users(staff, client_for):
    assert 'href="/users/"' in client_for(staff["manager"]).get("/").content.decode()
    assert 'href="/users/"' not in client_for(staff["carer"]).get("/").content.decode()
    assert client_for(staff["carer"]).get("/users/").status_code == 403


def test_deputy_may_view_but_not_deactivate(staff, client_for):
    c = client_for(staff["deputy"])
    html = c.get("/users/").content.decode()
    assert staff["carer"].email in html and "/deactivate/" not in html
    assert c.post(f"/users/{staff['carer'].pk}/deactivate/", {"reason": "x"}).status_code == 403
    staff["carer"].refresh_from_db()
    assert staff["carer"].is_active


def test_manager_deactivates_a_carer_who_is_logged_out_at_once(staff, client_for):
    carer = staff["carer"]
    carer_session = client_for(carer)
    assert _logged_in(carer_session)
    token = services.create_api_token(carer, home=staff["home"], name="t", capabilities=["residents:view"], days=30)
    c = client_for(staff["manager"])
    page = c.get(f"/users/{carer.pk}/deactivate/").content.decode()
    assert '<label for="id_reason">Reason for deactivating</label>' in page
    r = c.post(f"/users/{carer.pk}/deactivate/", {"reason": "  "})
    assert r.status_code == 400
    assert "Give a reason for deactivating this account." in r.content.decode()
    carer.refresh_from_db()
    assert carer.is_active
    r = c.post(f"/users/{carer.pk}/deactivate/", {"reason": "Left the home"})
    assert r.status_code == 302 and r["Location"] == "/users/"
    html = c.get("/users/").content.decode()
    assert "can no longer log in" in html
    carer.refresh_from_db()
    assert not carer.is_active
    assert not _logged_in(carer_session)
    assert Client(headers={"Authorization": f"Bearer {token.raw}"}).get("/api/v1/platform/me").status_code == 401
    r = Client().post("/account/login/", {"username": carer.email, "password": f.PASSWORD})
    assert r.status_code == 200 and "do not match an active account" in r.content.decode()


def test_home_manager_cannot_deactivate_people_beyond_their_home(staff, client_for):
    c = client_for(staff["manager"])
    for key in ("admin", "both", "manager"):  # organisation role, works elsewhere too, themselves
        assert c.post(f"/users/{staff[key].pk}/deactivate/", {"reason": "x"}).status_code == 403
    for key in ("welsh_carer", "foreigner"):  # not in this home at all
        assert c.post(f"/users/{staff[key].pk}/deactivate/", {"reason": "x"}).status_code == 404
    assert User.objects.filter(is_active=False).count() == 0


def test_provider_admin_can_deactivate_across_homes(staff):
    services.deactivate_user(staff["admin"], staff["both"], "Contract ended")
    staff["both"].refresh_from_db()
    assert not staff["both"].is_active


def test_deactivate_user_service_rules(staff):
    with pytest.raises(ValidationError):
        services.deactivate_user(staff["manager"], staff["carer"], "")
    with pytest.raises(PermissionDenied):
        services.deactivate_user(staff["carer"], staff["deputy"], "no right")
    with pytest.raises(PermissionDenied):
        services.deactivate_user(staff["admin"], staff["admin"], "myself")
    stamp = staff["carer"].security_stamp
    services.deactivate_user(staff["manager"], staff["carer"], "Left")
    staff["carer"].refresh_from_db()
    assert staff["carer"].security_stamp != stamp


def test_all_homes_view_lists_people_of_every_home(staff, client_for):
    c = client_for(staff["admin"])
    c.post("/home/switch/", {"home": "all", "next": "/"})
    html = c.get("/users/").content.decode()
    assert staff["welsh_carer"].email in html and staff["carer"].email in html
    assert staff["foreigner"].email not in html


def test_deactivation_is_in_the_audit_trail_with_its_reason(world):
    from writecarenotes.platform.audit.models import AuditRecord
    from writecarenotes.platform.identity import services

    services.deactivate_user(world.users["registered_manager"], world.users["carer"], "Left the company")
    rec = AuditRecord.objects.get(action="identity.user_deactivated")
    assert rec.reason == "Left the company"
    assert rec.target_id == str(world.users["carer"].pk)
    assert rec.after["is_active"] is False
