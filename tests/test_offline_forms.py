"""@idempotent_form: a page form that records something is applied once per intended entry,
however often the phone (double tap, offline queue, retry) sends it."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.http import HttpResponse, HttpResponseRedirect
from django.test import Client, override_settings
from django.urls import include, path

from tests import factories as f
from writecarenotes.platform.api.models import IdempotencyRecord
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.tenancy.models import Unit
from writecarenotes.platform.tenancy.scope import acting_for
from writecarenotes.platform.tenancy.services import create_unit
from writecarenotes.platform.web.idempotent_forms import idempotent_form

URL = "/test-forms/units/new/"


def _made(request, unit):
    response = HttpResponseRedirect(f"/test-forms/units/{unit.pk}/")
    response.status_code = 303
    return response


@requires("homes", "view")
@idempotent_form
def new_unit(request):
    """A tiny record-creating page: 200 with field errors, 303 when saved, 500 when asked."""
    if request.method == "GET":
        return HttpResponse("<form>...</form>")
    name = request.POST.get("name", "").strip()
    if not name:
        return HttpResponse('<main><ul class="errorlist"><li>Enter a name.</li></ul></main>')
    unit = create_unit(home=request.access.active_home, name=name)
    if request.POST.get("explode"):
        return HttpResponse("broken", status=500)
    return _made(request, unit)


def __getattr__(name: str):
    """This module is also the URL configuration of its tests: the routes above plus the site's.
    Built lazily, so a service that fails to import fails the tests that need it, not collection."""
    if name == "urlpatterns":
        return [
            path("test-forms/units/new/", new_unit),
            path("", include("writecarenotes.urls")),
        ]
    raise AttributeError(name)


pytestmark = pytest.mark.usefixtures("_test_urls")


@pytest.fixture
def _test_urls():
    with override_settings(ROOT_URLCONF=__name__):
        yield


def _units(home) -> list[str]:
    with acting_for([home]):
        return sorted(Unit.objects.values_list("name", flat=True))


def _post(client: Client, fields: dict, *, key: str | None = None, header: str | None = None, url: str = URL):
    data = dict(fields)
    if key is not None:
        data["idempotency_key"] = key
    data["csrfmiddlewaretoken"] = uuid.uuid4().hex  # differs each time: must not matter
    headers = {"Idempotency-Key": header} if header else {}
    return client.post(url, data, headers=headers)


@pytest.fixture
def manager(world, client_for):
    return client_for(world.users["registered_manager"])


def test_a_double_tap_saves_one_entry_and_both_taps_land_on_it(world, manager):
    key = str(uuid.uuid4())
    first = _post(manager, {"name": "Annex"}, key=key)
    second = _post(manager, {"name": "Annex"}, key=key)
    assert first.status_code == second.status_code == 303
    assert second["Location"] == first["Location"]
    assert second["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert _units(world.home) == ["Annex", "Ground floor"]


def test_the_offline_queue_header_is_the_same_key_as_the_form_field(world, manager):
    key = str(uuid.uuid4())
    first = _post(manager, {"name": "Annex"}, key=key)
    assert first.status_code == 303
    # The queue sends the entry again with the key in the header: a 204 it can read, no redirect.
    again = _post(manager, {"name": "Annex"}, key=key, header=key)
    assert again.status_code == 204 and again["Idempotent-Replayed"] == "true"
    assert again["X-WCN-Location"] == first["Location"]
    assert _units(world.home) == ["Annex", "Ground floor"]


def test_the_queue_gets_a_readable_answer_and_a_later_ordinary_post_gets_the_redirect(world, manager):
    from_queue = _post(manager, {"name": "Garden"}, header="queue-key-1")
    assert from_queue.status_code == 204 and "Idempotent-Replayed" not in from_queue
    assert re.fullmatch(r"/test-forms/units/\d+/", from_queue["X-WCN-Location"])
    ordinary = _post(manager, {"name": "Garden"}, key="queue-key-1")  # e.g. the native form post
    assert ordinary.status_code == 303 and ordinary["Location"] == from_queue["X-WCN-Location"]
    assert _units(world.home) == ["Garden", "Ground floor"]


def test_the_same_key_with_other_details_is_refused_with_a_clear_page(world, manager):
    key = str(uuid.uuid4())
    assert _post(manager, {"name": "Annex"}, key=key).status_code == 303
    response = _post(manager, {"name": "Garden wing"}, key=key)
    assert response.status_code == 422
    assert "already saved with different details" in response.content.decode()
    assert _units(world.home) == ["Annex", "Ground floor"]


def test_a_form_with_errors_stores_nothing_and_can_be_corrected_with_the_same_key(world, manager):
    key = str(uuid.uuid4())
    shown_again = _post(manager, {"name": ""}, key=key)
    assert shown_again.status_code == 200 and b"Enter a name." in shown_again.content
    assert not IdempotencyRecord.objects.exists()
    assert _post(manager, {"name": "Annex"}, key=key).status_code == 303
    assert _units(world.home) == ["Annex", "Ground floor"]


def test_from_the_queue_a_form_with_errors_is_a_422_so_the_phone_knows_it_was_refused(world, manager):
    response = _post(manager, {"name": ""}, key="k-err", header="k-err")
    assert response.status_code == 422
    assert b"Enter a name." in response.content
    assert _units(world.home) == ["Ground floor"]


def test_a_server_error_rolls_back_the_change_and_the_key(world, manager):
    key = str(uuid.uuid4())
    response = _post(manager, {"name": "Annex", "explode": "1"}, key=key)
    assert response.status_code == 500
    assert _units(world.home) == ["Ground floor"]
    assert not IdempotencyRecord.objects.exists()
    assert _post(manager, {"name": "Annex"}, key=key).status_code == 303  # the retry works


def test_keys_belong_to_the_person_who_used_them(world, client_for):
    manager = client_for(world.users["registered_manager"])
    deputy = client_for(world.users["deputy_manager"])
    assert _post(manager, {"name": "Annex"}, key="shared").status_code == 303
    theirs = _post(deputy, {"name": "Garden"}, key="shared")
    assert theirs.status_code == 303 and "Idempotent-Replayed" not in theirs
    assert _units(world.home) == ["Annex", "Garden", "Ground floor"]


def test_without_a_key_every_post_runs(world, manager):
    assert _post(manager, {"name": "Annex"}).status_code == 303
    assert _post(manager, {"name": "Garden"}).status_code == 303
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.parametrize("bad", ["has space", "x" * 256, "tab\tkey"])
def test_an_invalid_key_is_refused_without_saving(world, manager, bad):
    response = _post(manager, {"name": "Annex"}, key=bad)
    assert response.status_code == 422
    assert "Reload the page" in response.content.decode()
    assert _units(world.home) == ["Ground floor"]


def test_an_expired_key_is_forgotten(world, manager):
    assert _post(manager, {"name": "Annex"}, key="old").status_code == 303
    IdempotencyRecord.objects.update(created_at=IdempotencyRecord.objects.get().created_at - timedelta(hours=25))
    again = _post(manager, {"name": "Garden"}, key="old")
    assert again.status_code == 303 and "Idempotent-Replayed" not in again
    assert _units(world.home) == ["Annex", "Garden", "Ground floor"]


def test_the_permission_marker_runs_first(world, client_for):
    assert _post(Client(), {"name": "Annex"}, key="anon").status_code == 302  # to log in
    stranger = f.user("stranger@example.test", name="No Home")  # signed in, no role anywhere
    assert _post(client_for(stranger), {"name": "Annex"}, key="stranger").status_code == 403
    assert not IdempotencyRecord.objects.exists()
    assert _units(world.home) == ["Ground floor"]


def test_the_marker_and_flag_are_visible_on_the_view():
    assert new_unit.wcn_permission == ("capability", "homes", "view")
    assert new_unit.__wrapped__.wcn_idempotent_form is True


def test_get_requests_pass_straight_through(world, manager):
    assert manager.get(URL).content == b"<form>...</form>"


def test_a_duplicate_arriving_while_the_first_is_saving_is_told_to_wait(world, manager, monkeypatch):
    from writecarenotes.platform.api import idempotency

    monkeypatch.setattr(idempotency, "try_lock", lambda lock_id: False)  # PostgreSQL: key is locked
    response = _post(manager, {"name": "Annex"}, key="busy")
    assert response.status_code == 409 and response["Retry-After"] == "1"
    assert "still being saved" in response.content.decode()
    assert _units(world.home) == ["Ground floor"]
