"""The safety pages: the overrides to review, one override with the review form (not for your own, not
for the inspector), the rules page with its sources and "not complete", the managers' dashboard panel."""

from __future__ import annotations

import pytest

from tests.medication.conftest import in_home
from tests.medication.test_safety_api import overridden
from writecarenotes.medication.models import SafetyOverride

pytestmark = pytest.mark.django_db


def test_manager_reviews_an_override_on_its_page(world, meds, client_for):
    o = overridden(world, meds.paracetamol)
    manager = client_for(world.users["registered_manager"])
    page = manager.get("/medication/safety/overrides/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "1 override to review" in html and "Paracetamol 500 mg tablets" in html and "GP phoned: may give now" in html

    detail = manager.get(f"/medication/safety/overrides/{o.pk}/")
    assert detail.status_code == 200 and 'name="review_note"' in detail.content.decode()
    empty = manager.post(f"/medication/safety/overrides/{o.pk}/", {"review_note": ""})
    assert empty.status_code == 422 and "id_review_note_errors" in empty.content.decode()
    done = manager.post(f"/medication/safety/overrides/{o.pk}/", {"review_note": "Checked with the GP."})
    assert done.status_code == 303 and done["Location"] == "/medication/safety/overrides/"
    with in_home(world.home):
        o = SafetyOverride.objects.get(pk=o.pk)
    assert o.reviewed_by == world.users["registered_manager"] and o.review_note == "Checked with the GP."
    assert "Nothing to review." in manager.get("/medication/safety/overrides/").content.decode()
    assert "Checked with the GP." in manager.get("/medication/safety/overrides/?reviewed=yes").content.decode()


def test_own_override_and_roles(world, meds, client_for):
    o = overridden(world, meds.paracetamol, by="nurse")
    nurse = client_for(world.users["nurse"])
    own = nurse.get(f"/medication/safety/overrides/{o.pk}/").content.decode()
    assert "This is your own override" in own and 'name="review_note"' not in own
    assert nurse.post(f"/medication/safety/overrides/{o.pk}/", {"review_note": "fine"}).status_code == 403
    inspector = client_for(world.users["inspector"])
    seen = inspector.get(f"/medication/safety/overrides/{o.pk}/")
    assert seen.status_code == 200 and 'name="review_note"' not in seen.content.decode()
    assert inspector.post(f"/medication/safety/overrides/{o.pk}/", {"review_note": "x"}).status_code == 403
    assert client_for(world.users["carer"]).get("/medication/safety/overrides/").status_code == 403
    welsh = overridden(world, meds.ibuprofen, home=world.other_home, resident=world.other_home_resident)
    assert nurse.get(f"/medication/safety/overrides/{welsh.pk}/").status_code == 404


def test_rules_page_names_sources_and_says_not_complete(world, client_for):
    html = client_for(world.users["senior_carer"]).get("/medication/safety/rules/").content.decode()
    assert "this list is not complete" in html and "MEDICATION_INTERACTION_CHECKER" in html
    assert (
        "MHRA Drug Safety Update" in html and "paracetamol" in html and "adults 4000 mg" in html and "60 mg/kg" in html
    )


def test_dashboard_panel_for_managers(world, meds, client_for):
    overridden(world, meds.paracetamol)
    html = client_for(world.users["registered_manager"]).get("/").content.decode()
    assert "Safety overrides to review" in html and "safety-overrides-panel" in html
    assert "safety-overrides-panel" not in client_for(world.users["senior_carer"]).get("/").content.decode()


def test_list_page_queries_do_not_grow(world, meds, client_for, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    overridden(world, meds.paracetamol)
    manager = client_for(world.users["registered_manager"])
    manager.get("/medication/safety/overrides/")
    with CaptureQueriesContext(connection) as one:
        manager.get("/medication/safety/overrides/")
    for m in (meds.ibuprofen, meds.lactulose, meds.naproxen, meds.warfarin, meds.amoxicillin):
        overridden(world, m)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = manager.get("/medication/safety/overrides/")
    assert "6 overrides to review" in page.content.decode()
