"""Service profiles (ADR 0008): a process serves only the services it is told to, behind a gateway.

Not covered yet: an event raised in one profile process and handled in another. The event engine
(platform/events/api.py) exists, but no service publishes an event from an API call nor subscribes
in another service yet; add that check here when the first real publisher/subscriber pair lands.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client, override_settings

from tests.test_api_conventions import world  # noqa: F401  (the small API world fixture)

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def _urlconf(monkeypatch, services: str):
    """A fresh copy of writecarenotes.urls built with WCN_SERVICES=services."""
    monkeypatch.setenv("WCN_SERVICES", services)
    name = f"wcn_profile_urls_{services}"
    spec = importlib.util.spec_from_file_location(name, importlib.util.find_spec("writecarenotes.urls").origin)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)
    spec.loader.exec_module(module)
    return module


def test_service_names_are_checked():
    from writecarenotes.urls import SERVICES, enabled_services

    assert enabled_services("") == frozenset(SERVICES)
    assert enabled_services(" residents , ") == {"residents"}
    assert enabled_services("platform") == frozenset()
    with pytest.raises(ImproperlyConfigured, match=r"medication: not built yet"):
        enabled_services("residents,medication")
    with pytest.raises(ImproperlyConfigured, match=r"unknown service\(s\): nonsense") as refused:
        enabled_services("nonsense")
    known = str(refused.value).split("Known: ", 1)[1].rstrip(".").split(", ")
    assert known == ["platform", *sorted(SERVICES)]


def test_the_serve_command_refuses_unknown_services(capsys):
    from writecarenotes.cli import main

    assert main(["serve", "--services", "residents,nonsense", "--port", "1"]) == 2
    assert "unknown service(s): nonsense" in capsys.readouterr().err


def test_a_platform_only_process_serves_no_service(world, client_for, monkeypatch):  # noqa: F811
    urlconf = _urlconf(monkeypatch, "platform")
    with override_settings(ROOT_URLCONF=urlconf):
        c = client_for(world.users["nurse"])
        assert c.get("/api/v1/platform/me").status_code == 200
        assert c.get("/api/v1/platform/units").status_code == 200
        api = c.get("/api/v1/residents/")
        assert api.status_code == 404 and api["Content-Type"].startswith("application/problem+json")
        assert c.get("/residents/").status_code == 404
        # The dashboard still links to residents: the gateway sends that link to the residents process.
        dashboard = c.get("/")
        assert dashboard.status_code == 200
        assert 'href="/residents/"' in dashboard.content.decode()
        paths = Client().get("/api/v1/openapi.json").json()["paths"]
        assert not any(p.startswith("/api/v1/residents") for p in paths)


def test_a_residents_process_serves_residents_and_the_platform(world, client_for, monkeypatch):  # noqa: F811
    urlconf = _urlconf(monkeypatch, "residents")
    with override_settings(ROOT_URLCONF=urlconf):
        c = client_for(world.users["nurse"])
        assert c.get("/residents/").status_code == 200
        assert c.get("/api/v1/residents/").status_code == 200
        assert c.get("/api/v1/platform/me").status_code == 200


# --- the gateway and the deploy folder ---------------------------------------------------------


def test_the_gateway_routes_every_service_to_its_own_upstream():
    from writecarenotes.urls import SERVICES

    conf = (DEPLOY / "nginx" / "writecarenotes.conf").read_text()
    for label, service in SERVICES.items():
        assert f"upstream wcn_{label}" in conf, label
        assert f"location /{service.pages_prefix}" in conf, label
        assert f"location /api/v1/{label}/" in conf, label
        assert f"proxy_pass http://wcn_{label}" in conf, label
    assert "upstream wcn_platform" in conf
    assert "location /static/" in conf
    assert "X-Forwarded-Proto" in conf


def test_the_deploy_folder_has_no_real_secrets():
    env = (DEPLOY / "writecarenotes.env.example").read_text()
    assert "WCN_SECRET_KEY=change-me" in env
    for path in DEPLOY.rglob("*"):
        if path.is_file():
            text = path.read_text(errors="replace")
            assert "BEGIN PRIVATE KEY" not in text, path


def test_the_nginx_config_is_valid(tmp_path):
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        pytest.skip("nginx is not installed (apt-get install nginx-light) - config syntax not checked")
    site = (DEPLOY / "nginx" / "writecarenotes.conf").read_text()
    # TLS placeholders -> a throw-away self-signed pair, so `nginx -t` can load them.
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    site = site.replace("/etc/ssl/certs/care.example.org.pem", str(cert))
    site = site.replace("/etc/ssl/private/care.example.org.key", str(key))
    site = site.replace("/srv/writecarenotes/static/", str(tmp_path) + "/")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run([nginx, "-t", "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- two profiles as two processes on PostgreSQL ------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, token: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", "")


def _wait_until_up(port: int, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"serve did not start:\n{log.read_text()}")


SEED = """
from datetime import timedelta
from writecarenotes.platform.identity.capabilities import capability_set
from writecarenotes.platform.identity.models import Membership, User
from writecarenotes.platform.identity.tokens import issue_token
from writecarenotes.platform.tenancy.models import CareHome, Organisation
org = Organisation.objects.create(name="Profile Care", slug="profile-care")
home = CareHome.objects.create(organisation=org, name="Profile House", nation="england", regulator="cqc",
    registration_number="1-PROFILE", care_type="nursing", registered_beds=10)
user = User.objects.create_user(email="rm@profile.test", password=None, full_name="Profile Manager")
Membership.objects.create(user=user, organisation=org, home=home, role="registered_manager")
caps = sorted(f"{c}:{a}" for c, a in capability_set(frozenset({"registered_manager"})))
print(issue_token(user=user, home=home, name="profiles", capabilities=caps, lifetime=timedelta(days=1)).raw)
"""


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL pointing at PostgreSQL")
def test_two_profiles_as_two_processes_serve_only_their_services(tmp_path):
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    admin_dsn = f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} user={db['USER']} dbname=postgres"
    if db.get("PASSWORD"):
        admin_dsn += f" password={db['PASSWORD']}"
    name = f"wcn_profiles_{uuid.uuid4().hex[:8]}"
    url = f"postgres://{db['USER']}{':' + db['PASSWORD'] if db.get('PASSWORD') else ''}@{db['HOST'] or '127.0.0.1'}"
    url += f":{db['PORT'] or 5432}/{name}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "WCN_ENV": "development",
        "WCN_TWO_FACTOR": "off",
        "WCN_DATA_DIR": str(tmp_path / "data"),
    }
    env.pop("WCN_SERVICES", None)
    cli = [sys.executable, "-m", "writecarenotes"]
    procs: list[subprocess.Popen] = []
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        subprocess.run([*cli, "manage", "migrate", "-v", "0"], env=env, check=True, capture_output=True, timeout=300)
        seeded = subprocess.run(
            [*cli, "manage", "shell", "-c", SEED], env=env, check=True, capture_output=True, text=True, timeout=120
        )
        token = seeded.stdout.strip().splitlines()[-1]
        ports = {}
        for services in ("residents", "platform"):
            port = _free_port()
            log = tmp_path / f"{services}.log"
            proc = subprocess.Popen(
                [*cli, "serve", "--services", services, "--port", str(port), "--workers", "1"],
                env=env,
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
            )
            procs.append(proc)
            _wait_until_up(port, proc, log)
            ports[services] = port
        residents, platform = (f"http://127.0.0.1:{ports[s]}" for s in ("residents", "platform"))
        # Both serve the platform ...
        assert _get(f"{residents}/api/v1/platform/me", token)[0] == 200
        assert _get(f"{platform}/api/v1/platform/me", token)[0] == 200
        # ... only the residents process serves residents (one database, two processes).
        assert _get(f"{residents}/api/v1/residents/", token)[0] == 200
        status, content_type = _get(f"{platform}/api/v1/residents/", token)
        assert status == 404 and content_type.startswith("application/problem+json")
        assert _get(f"{platform}/residents/", token)[0] == 404
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
