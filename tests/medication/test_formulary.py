"""The home's formulary: add a medicine with its ingredients, correct it (a new version with the reason,
ingredients before -> after in the audit trail), mark it inactive; through the services, the API and the
pages."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from tests.medication.conftest import in_home
from writecarenotes.medication import services_formulary as svc
from writecarenotes.medication.models import Medicine
from writecarenotes.platform.api.concurrency import PreconditionFailed
from writecarenotes.platform.audit.models import AuditRecord, RecordVersion

pytestmark = pytest.mark.django_db

MORPHINE = {
    "name": "Morphine sulfate 10 mg/5 ml oral solution",
    "form": "liquid",
    "strength": "10 mg/5 ml",
    "dose_unit": "ml",
    "dmd_code": "322558006",
    "controlled_schedule": "2",
    "cd_register": True,
}


def add(world, values=None, ingredients=None):
    with in_home(world.home):
        return svc.add_medicine(
            values=values or MORPHINE,
            ingredients=ingredients
            if ingredients is not None
            else [{"ingredient": "Morphine Sulfate", "amount_mg": "2", "classes": "Opioid"}],
            home_id=world.home.pk,
        )


def test_a_medicine_is_added_with_lower_case_ingredients_and_classes(world):
    m = add(world)
    with in_home(world.home):
        ing = m.ingredients.get()
        assert (
            ing.ingredient == "morphine sulfate" and ing.classes == ["opioid"] and str(ing.amount_mg.normalize()) == "2"
        )
        assert m.cd_register and m.controlled_schedule == "2"


@pytest.mark.parametrize(
    ("values", "ingredients", "field"),
    [
        ({**MORPHINE, "cd_register": False}, None, "cd_register"),
        ({**MORPHINE, "dmd_code": "12345"}, None, "dmd_code"),  # 5 digits: too short for SNOMED CT
        ({**MORPHINE, "dmd_code": "1234567890123456789"}, None, "dmd_code"),  # 19 digits
        ({**MORPHINE, "name": ""}, None, "name"),
        ({**MORPHINE, "form": "potion"}, None, "form"),
        (MORPHINE, [], "ingredients"),
        (MORPHINE, [{"ingredient": "morphine", "amount_mg": "0"}], "ingredients.0"),
        (MORPHINE, [{"ingredient": "a", "amount_mg": "1"}, {"ingredient": "A", "amount_mg": "1"}], "ingredients.1"),
    ],
)
def test_invalid_medicines_are_refused(world, values, ingredients, field):
    with pytest.raises(ValidationError) as exc:
        add(world, values, ingredients)
    assert field in exc.value.message_dict


def test_dmd_code_boundaries_and_unique_names(world, meds):
    add(world, {**MORPHINE, "name": "Morphine A", "dmd_code": "123456"})
    add(world, {**MORPHINE, "name": "Other", "dmd_code": "123456789012345678"})
    with pytest.raises(ValidationError) as exc:
        add(world, {**MORPHINE, "name": "paracetamol 500 MG tablets"})
    assert "already has" in exc.value.message_dict["name"][0]


def test_a_correction_is_a_version_with_its_reason_and_the_ingredients_audited(world, meds):
    with in_home(world.home):
        with pytest.raises(PreconditionFailed):
            svc.correct_medicine(
                meds.ibuprofen.pk, values={"strength": "400 mg"}, ingredients=None, reason="x", if_match='"v9"'
            )
        m = svc.correct_medicine(
            meds.ibuprofen.pk,
            values={"name": "Ibuprofen 400 mg tablets", "strength": "400 mg"},
            ingredients=[{"ingredient": "ibuprofen", "amount_mg": "400", "classes": ["nsaid"]}],
            reason="Wrong strength entered",
            if_match='"v1"',
        )
        assert m.version == 2 and m.ingredients.get().amount_mg == 400
        v = (
            RecordVersion.objects.filter(content_type="medication.medicine", object_id=str(m.pk))
            .order_by("-version")
            .first()
        )
        assert v.reason == "Wrong strength entered"
        audit = AuditRecord.objects.filter(action="medication.medicine.ingredients").order_by("-pk").first()
        assert (
            audit.before["ingredients"][0]["amount_mg"] == "200" and audit.after["ingredients"][0]["amount_mg"] == "400"
        )
        with pytest.raises(ValidationError):
            svc.correct_medicine(m.pk, values={}, ingredients=None, reason="no change")


def test_inactive_and_back_with_reasons(world, meds):
    with in_home(world.home):
        m = svc.set_active(meds.lactulose.pk, active=False, reason="No longer stocked")
        assert not m.active
        with pytest.raises(ValidationError):
            svc.set_active(meds.lactulose.pk, active=False, reason="again")
        assert svc.set_active(meds.lactulose.pk, active=True, reason="Back in stock").active


# --- API ------------------------------------------------------------------------------------------


def _json(client, method, url, body=None, **headers):
    return getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json", headers=headers)


def test_formulary_api(world, meds, client_for):
    nurse = client_for(world.users["nurse"])
    r = nurse.get("/api/v1/medication/formulary?q=paracetamol")
    assert r.status_code == 200 and r.json()["count"] == 3  # two paracetamol products and co-codamol
    r = _json(
        nurse,
        "post",
        "/api/v1/medication/formulary",
        {
            **MORPHINE,
            "name": "Oramorph 10 mg/5 ml",
            "ingredients": [{"ingredient": "morphine sulfate", "amount_mg": "2", "classes": ["opioid"]}],
        },
        **{"Idempotency-Key": "k1"},
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = _json(
        nurse,
        "post",
        "/api/v1/medication/formulary",
        {**MORPHINE, "name": "X", "cd_register": False, "ingredients": [{"ingredient": "x"}]},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "cd_register"
    r = _json(nurse, "patch", f"/api/v1/medication/formulary/{pk}", {"reason": "typo", "strength": "10mg/5ml"})
    assert r.status_code == 428
    r = _json(
        nurse,
        "patch",
        f"/api/v1/medication/formulary/{pk}",
        {"reason": "typo", "strength": "10mg/5ml"},
        **{"If-Match": '"v1"'},
    )
    assert r.status_code == 200 and r.json()["version"] == 2 and r["ETag"] == '"v2"'
    r = _json(
        nurse,
        "post",
        f"/api/v1/medication/formulary/{pk}/active",
        {"active": False, "reason": "unused"},
        **{"If-Match": '"v1"'},
    )
    assert r.status_code == 412
    carer = client_for(world.users["carer"])
    assert carer.get("/api/v1/medication/formulary").status_code == 403
    inspector = client_for(world.users["inspector"])
    assert inspector.get("/api/v1/medication/formulary").status_code == 200
    assert _json(inspector, "post", "/api/v1/medication/formulary", {**MORPHINE, "name": "Y"}).status_code == 403


def test_other_homes_medicine_is_not_found(world, client_for):
    from tests.medication.conftest import medicine

    other = medicine(world.other_home, "Senna", "tablet", "tablet", [("senna", 7.5, [])])
    nurse = client_for(world.users["nurse"])
    assert nurse.get(f"/api/v1/medication/formulary/{other.pk}").status_code == 404


def test_formulary_pages(world, meds, client_for, django_assert_max_num_queries):
    nurse = client_for(world.users["nurse"])
    with django_assert_max_num_queries(25):
        r = nurse.get("/medication/formulary/")
    assert r.status_code == 200 and b"Co-codamol 30/500 tablets" in r.content
    r = nurse.get("/medication/formulary/?q=warfarin")
    assert b"Warfarin" in r.content and b"Lactulose" not in r.content
    r = nurse.post(
        "/medication/formulary/add/", {"name": "", "form": "tablet", "dose_unit": "tablet", "ingredients": ""}
    )
    assert r.status_code == 422 and b"id_name_errors" in r.content
    r = nurse.post(
        "/medication/formulary/add/",
        {
            "name": "Senna 7.5 mg tablets",
            "form": "tablet",
            "dose_unit": "tablet",
            "ingredients": "senna; 7.5; stimulant laxative",
        },
    )
    assert r.status_code == 303
    with in_home(world.home):
        assert Medicine.objects.get(name="Senna 7.5 mg tablets").ingredients.get().classes == ["stimulant laxative"]
    r = nurse.post(f"/medication/formulary/{meds.lactulose.pk}/active/", {"reason": "Not stocked"})
    assert r.status_code == 303
    assert client_for(world.users["senior_carer"]).get("/medication/formulary/add/").status_code == 403
