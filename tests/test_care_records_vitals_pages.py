"""Vital signs pages as a carer and a nurse see them on a phone."""

from __future__ import annotations

import re
import uuid

import pytest
from django.utils import timezone

from writecarenotes.care_records.models import SbardEscalation, VitalSigns, VitalSignsPlan
from writecarenotes.platform.tenancy.scope import acting_for

pytestmark = pytest.mark.django_db


def _url(world, tail=""):
    return f"/care/residents/{world.resident.pk}/vital-signs/{tail}"


def _form(**over):
    data = {
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "idempotency_key": str(uuid.uuid4()),
        "respiration_rate": "22",
        "spo2": "95",
        "on_oxygen": "air",
        "systolic_bp": "105",
        "diastolic_bp": "60",
        "pulse": "95",
        "consciousness": "A",
        "temperature": "38.3",
        "soft_signs": ["not_drinking"],
    }
    data.update(over)
    return data


def _count(world):
    with acting_for([world.home]):
        return VitalSigns.objects.count()


def test_entry_form_works_offline_with_numeric_keypads_and_labels(world, client_for):
    page = client_for(world.users["carer"]).get(_url(world, "new/"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-offline="care-entry"' in html
    assert re.search(r'name="idempotency_key" value="[0-9a-f-]{36}"', html)
    assert re.search(r'<input type="text" name="respiration_rate"[^>]*inputmode="numeric"', html)
    assert re.search(r'<input type="text" name="temperature"[^>]*inputmode="decimal"', html)
    assert 'type="datetime-local" name="occurred_at"' in html
    for label in ("Breathing rate (breaths per minute)", "Oxygen saturation SpO2 (%)", "Temperature (°C)", "Pulse"):
        assert label in html
    for name in ("respiration_rate", "spo2", "systolic_bp", "pulse", "temperature"):
        assert f'<label for="id_{name}">' in html
    assert "style=" not in html


def test_saving_shows_score_breakdown_band_and_what_to_do(world, client_for):
    c = client_for(world.users["carer"])
    posted = c.post(_url(world, "new/"), _form())
    assert posted.status_code in (302, 303)
    vs = VitalSigns.unscoped.get()
    assert posted["Location"] == _url(world, f"{vs.pk}/")
    html = c.get(posted["Location"]).content.decode()
    assert "NEWS2 score: 6" in html
    assert "Clinical risk: Medium" in html
    assert "Contact the GP now" in html and "NHS 111" in html
    assert "Not drinking, or drinking much less" in html
    assert "Start an SBARD escalation" in html
    assert "style=" not in html


def test_high_score_tells_the_carer_to_call_999(world, client_for):
    c = client_for(world.users["carer"])
    form = _form(respiration_rate="27", spo2="90", pulse="132", consciousness="V", temperature="39.4")
    html = c.get(c.post(_url(world, "new/"), form)["Location"]).content.decode()
    assert "call 999 now" in html and 'role="alert"' in html


def test_incomplete_set_says_not_calculated_and_what_is_missing(world, client_for):
    c = client_for(world.users["carer"])
    form = _form(respiration_rate="", consciousness="", on_oxygen="")
    html = c.get(c.post(_url(world, "new/"), form)["Location"]).content.decode()
    assert "Incomplete: NEWS2 not calculated" in html
    assert "Breathing rate" in html and "Consciousness (ACVPU)" in html and "Air or oxygen" in html


def test_impossible_value_is_shown_next_to_its_field(world, client_for):
    c = client_for(world.users["carer"])
    page = c.post(_url(world, "new/"), _form(spo2="101", pulse="abc"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Enter an oxygen saturation between 40 and 100%." in html
    assert 'id="id_spo2_error"' in html and 'aria-invalid="true"' in html
    assert "Enter a whole number." in html
    assert _count(world) == 0


def test_same_idempotency_key_twice_records_once(world, client_for):
    c = client_for(world.users["carer"])
    form = _form()
    first = c.post(_url(world, "new/"), form)
    second = c.post(_url(world, "new/"), form)
    assert first["Location"] == second["Location"]
    assert _count(world) == 1


def test_trend_page_has_table_and_server_drawn_chart(world, client_for):
    c = client_for(world.users["carer"])
    c.post(_url(world, "new/"), _form())
    c.post(
        _url(world, "new/"), _form(respiration_rate="16", spo2="97", systolic_bp="130", pulse="70", temperature="36.9")
    )
    page = c.get(_url(world))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "<polyline" in html and "<script" not in html.split("<main")[1]
    assert "NEWS2 scores of the last 2 readings" in html
    assert "Medium" in html and "Low" in html
    assert "style=" not in html


def test_only_a_nurse_or_manager_sets_the_spo2_scale(world, client_for):
    assert client_for(world.users["carer"]).get(_url(world, "scale/")).status_code == 403
    nurse = client_for(world.users["nurse"])
    refused = nurse.post(_url(world, "scale/"), {"spo2_scale": "2", "reason": ""})
    assert refused.status_code == 200 and "This field is required." in refused.content.decode()
    done = nurse.post(_url(world, "scale/"), {"spo2_scale": "2", "reason": "COPD: 88-92% prescribed by Dr Patel"})
    assert done.status_code == 302
    with acting_for([world.home]):
        assert VitalSignsPlan.objects.get().spo2_scale == 2
    html = nurse.get(_url(world, "new/")).content.decode()
    assert "SpO2 Scale 2 is set for this resident" in html


def test_sbard_from_the_result_page(world, client_for):
    c = client_for(world.users["senior_carer"])
    location = c.post(_url(world, "new/"), _form())["Location"]
    vs = VitalSigns.unscoped.get()
    page = c.get(_url(world, f"{vs.pk}/sbard/"))
    assert 'data-offline="care-entry"' in page.content.decode()
    assert "NEWS2 6 (Medium)." in page.content.decode()
    missing = c.post(_url(world, f"{vs.pk}/sbard/"), {"idempotency_key": str(uuid.uuid4())})
    assert "This field is required." in missing.content.decode()
    done = c.post(
        _url(world, f"{vs.pk}/sbard/"),
        {
            "idempotency_key": str(uuid.uuid4()),
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "situation": "NEWS2 6, new cough",
            "background": "Lives with dementia, usually NEWS2 0",
            "assessment": "Temp 38.3, RR 22",
            "recommendation": "Please visit today",
            "contacted": "gp",
            "contacted_name": "Dr Patel",
            "decision": "GP visiting at 3pm",
        },
    )
    assert done["Location"] == location
    assert "GP visiting at 3pm" in c.get(location).content.decode()
    assert SbardEscalation.unscoped.count() == 1


def test_another_homes_resident_is_not_found_and_family_cannot_see(world, client_for):
    c = client_for(world.users["nurse"])
    assert c.get(f"/care/residents/{world.other_home_resident.pk}/vital-signs/new/").status_code == 404
    assert c.get(f"/care/residents/{world.foreign_resident.pk}/vital-signs/").status_code == 404
    assert client_for(world.users["family"]).get(_url(world)).status_code == 403
    assert client_for(world.users["kitchen"]).get(_url(world, "new/")).status_code == 403


def test_correction_strikes_through_and_rescores(world, client_for):
    c = client_for(world.users["nurse"])
    first = c.post(_url(world, "new/"), _form())["Location"]
    vs = VitalSigns.unscoped.get()
    page = c.get(_url(world, f"{vs.pk}/correct/"))
    assert 'value="22"' in page.content.decode()  # prefilled with the entry's values
    no_reason = c.post(_url(world, f"{vs.pk}/correct/"), _form(respiration_rate="16"))
    assert no_reason.status_code == 200 and "This field is required." in no_reason.content.decode()
    done = c.post(_url(world, f"{vs.pk}/correct/"), _form(respiration_rate="16", reason="Counted for 15 s, not 30"))
    assert done.status_code == 302
    new_html = c.get(done["Location"]).content.decode()
    assert "NEWS2 score: 4" in new_html  # RR 16 scores 0 instead of 2
    old_html = c.get(first).content.decode()
    assert "struck through and corrected: Counted for 15 s, not 30" in old_html
    trend = c.get(_url(world)).content.decode()
    assert "<del>" in trend


def test_vital_signs_on_the_care_journey(world, client_for):
    from writecarenotes.care_records.vitals_views import vitals_timeline_provider

    c = client_for(world.users["carer"])
    c.post(_url(world, "new/"), _form())
    request = c.get(_url(world)).wsgi_request
    with acting_for([world.home]):
        items = vitals_timeline_provider(request, world.resident.pk, {})
    assert [(i["kind"], i["category"], i["text"]) for i in items] == [("vital_signs", "news2", "NEWS2 6 (Medium)")]
    assert vitals_timeline_provider(request, world.resident.pk, {"kind": "note"}) == []


def test_air_or_oxygen_starts_as_last_time(world, client_for):
    c = client_for(world.users["carer"])
    assert 'value="oxygen" checked' not in c.get(_url(world, "new/")).content.decode()
    c.post(_url(world, "new/"), _form(on_oxygen="oxygen"))
    html = c.get(_url(world, "new/")).content.decode()
    assert re.search(r'value="oxygen"[^>]*checked', html)
