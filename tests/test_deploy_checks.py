"""Production settings pass Django's deployment checks, refuse to start half-configured, and error
pages tell a visitor nothing about the system."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import include, path

from writecarenotes import urls as root_urls
from writecarenotes.platform.identity.permissions import signed_in

ROOT = Path(__file__).resolve().parent.parent


def _run(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("WCN_") and k != "DATABASE_URL"}
    clean.update({"WCN_DATA_DIR": str(tmp_path / "data"), "DJANGO_SETTINGS_MODULE": "writecarenotes.settings"})
    clean.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120, check=False
    )


def _production(**extra: str) -> dict[str, str]:
    env = {
        "WCN_ENV": "production",
        "WCN_SECRET_KEY": secrets.token_urlsafe(50)[:50],
        "WCN_ALLOWED_HOSTS": "care.example.org",
    }
    env.update(extra)
    return env


def test_production_passes_the_deployment_checks(tmp_path):
    result = _run(tmp_path, "manage.py", "check", "--deploy", "--fail-level", "WARNING", **_production())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_weak_secret_key_fails_the_deployment_checks(tmp_path):
    result = _run(
        tmp_path, "manage.py", "check", "--deploy", "--fail-level", "WARNING", **_production(WCN_SECRET_KEY="short")
    )
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    env = _production()
    del env["WCN_SECRET_KEY"]
    result = _run(tmp_path, "manage.py", "check", **env)
    assert result.returncode != 0
    assert "WCN_SECRET_KEY must be set in production" in result.stderr
    assert not (tmp_path / "data" / "secret_key").exists()  # no key was invented on the fly


def test_production_without_allowed_hosts_refuses_to_start(tmp_path):
    env = _production()
    del env["WCN_ALLOWED_HOSTS"]
    result = _run(tmp_path, "manage.py", "check", **env)
    assert result.returncode != 0
    assert "WCN_ALLOWED_HOSTS must be set in production" in result.stderr


def test_debug_cannot_be_switched_on_in_production(tmp_path):
    code = "import django; django.setup(); from django.conf import settings; print('DEBUG', settings.DEBUG)"
    result = _run(tmp_path, "-c", code, **_production(WCN_DEBUG="1"))
    assert result.returncode == 0, result.stderr
    assert "DEBUG False" in result.stdout


def test_an_unknown_environment_name_is_refused(tmp_path):
    result = _run(tmp_path, "manage.py", "check", WCN_ENV="prod")
    assert result.returncode != 0
    assert "WCN_ENV must be development, production or test" in result.stderr


# ---------------------------------------------------------------------------------------------
# Error pages (this module doubles as a URL configuration with a view that fails)

SENSITIVE = "patient-17-DNACPR-detail"


@signed_in
def _failing_view(request):
    raise RuntimeError(f"database password=hunter2 {SENSITIVE}")


urlpatterns = [path("boom/", _failing_view), path("", include(root_urls))]
handler400 = root_urls.handler400
handler403 = root_urls.handler403
handler404 = root_urls.handler404
handler500 = root_urls.handler500


def _assert_leaks_nothing(body: str, settings) -> None:
    for leak in (
        "Traceback",
        "RuntimeError",
        "hunter2",
        SENSITIVE,
        settings.SECRET_KEY,
        "DATABASES",
        "/src/writecarenotes",
    ):
        assert leak not in body, f"error page shows {leak!r}"


@pytest.fixture
def production_like(settings):
    settings.DEBUG = False
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    settings.ROOT_URLCONF = __name__
    return settings


def test_the_500_page_leaks_nothing(world, client_for, production_like):
    client = client_for(world.users["carer"])
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body
    _assert_leaks_nothing(body, production_like)


def test_the_404_page_leaks_nothing(world, client_for, production_like):
    client = client_for(world.users["nurse"])
    response = client.get(f"/residents/{world.foreign_resident.pk}/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "We can't find that page" in body or "We can&#x27;t find that page" in body
    assert "MacLeod" not in body
    _assert_leaks_nothing(body, production_like)
    response = Client().get("/no-such-page/settings/")
    assert response.status_code == 404
    assert "urlpatterns" not in response.content.decode()  # Django's debug 404 lists the URL patterns
    _assert_leaks_nothing(response.content.decode(), production_like)


def test_the_403_page_leaks_nothing(world, client_for, production_like):
    response = client_for(world.users["carer"]).get("/access/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "users:view" not in body and "needs users" not in body  # the internal reason stays in the log
    _assert_leaks_nothing(body, production_like)
