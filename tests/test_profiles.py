"""Service profiles (ADR 0008): a process serves only the services it is told to, behind a gateway.

The two-process test (PostgreSQL) also shows an event raised in one profile process (an admission
through the residents API) handled in another (care_records' movement on the unit's handover).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
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
    assert enabled_services("residents,medication") == {"residents", "medication"}
    with pytest.raises(ImproperlyConfigured, match=r"rota: not built yet"):
        enabled_services("residents,rota")
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
    """One database, two processes: `serve --services residents` and `serve --services care_records`.
    Each serves only its own service; an admission made through the residents process is turned
    into a movement on the unit's handover by the care_records process's events worker, and not
    before that process runs (the residents process leaves care_records' delivery alone)."""
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
        "WCN_EVENTS_MODE": "inprocess",
        "WCN_EVENTS_POLL_SECONDS": "1",
    }
    env.pop("WCN_SERVICES", None)
    env.pop("WCN_EVENTS_DELIVER_NOW", None)
    cli = [sys.executable, "-m", "writecarenotes"]
    procs: list[subprocess.Popen] = []
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        subprocess.run([*cli, "manage", "migrate", "-v", "0"], env=env, check=True, capture_output=True, timeout=300)
        seeded = subprocess.run(
            [*cli, "manage", "shell", "-c", SEED + SEED_UNIT],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        *_, token_line, ids_line = seeded.stdout.strip().splitlines()
        token = token_line.strip()
        unit_id, room_id = (int(x) for x in ids_line.split())

        residents = _serve("residents", env, tmp_path, procs)
        # Only the residents process serves residents; care records answer 404 there.
        assert _get(f"{residents}/api/v1/platform/me", token)[0] == 200
        assert _get(f"{residents}/api/v1/residents/", token)[0] == 200
        status, content_type = _get(f"{residents}/api/v1/care_records/units/{unit_id}/handover", token)
        assert status == 404 and content_type.startswith("application/problem+json")
        assert _get(f"{residents}/care/units/{unit_id}/handover/", token)[0] == 404

        # Admit through the residents process's API.
        status, enquiry = _post_json(
            f"{residents}/api/v1/residents/",
            token,
            {"legal_given_names": "Dorothy May", "legal_family_name": "Hughes", "date_of_birth": "1938-05-17"},
        )
        assert status == 201, enquiry
        rid = enquiry["id"]
        today = time.strftime("%Y-%m-%d")
        status, body = _post_json(
            f"{residents}/api/v1/residents/{rid}/pre-admission",
            token,
            {"assessed_on": today, "assessed_by": "Sam Reid", "summary": "Mobile with frame.", "outcome": "suitable"},
        )
        assert status == 200, body
        admitted_at = _utc_now_iso(minutes_ago=2)
        status, body = _post_json(
            f"{residents}/api/v1/residents/{rid}/admit", token, {"room_id": room_id, "admitted_at": admitted_at}
        )
        assert status == 200 and body["status"] == "in_residence", body

        # The residents process runs its events worker (contexts: residents, platform): it has run
        # the platform's scheduled job. It wakes on commit and polls every second; after a few
        # passes care_records' delivery of the admission is still pending and nothing is applied.
        assert _platform_job_ran(url)
        time.sleep(4)
        assert _movement_state(url, rid) == ("pending", 0)

        care = _serve("care_records", env, tmp_path, procs)
        # Only the care_records process serves care records; residents answer 404 there.
        status, content_type = _get(f"{care}/api/v1/residents/", token)
        assert status == 404 and content_type.startswith("application/problem+json")
        assert _get(f"{care}/residents/", token)[0] == 404
        handover = f"{care}/api/v1/care_records/units/{unit_id}/handover?shift_start={urllib.parse.quote(admitted_at)}"
        deadline = time.monotonic() + 20
        movements: list = []
        while time.monotonic() < deadline:
            status, summary = _get_json(handover, token)
            assert status == 200, summary
            movements = summary["summary"]["movements"]
            if movements:
                break
            time.sleep(0.5)
        assert [(m["resident_id"], m["kind"], m["label"]) for m in movements] == [(rid, "admitted", "New admission")]
        assert _movement_state(url, rid) == ("done", 1)
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


SEED_UNIT = """
from writecarenotes.platform.tenancy.models import Room, Unit
from writecarenotes.platform.tenancy.scope import acting_for
with acting_for([home]):
    unit = Unit.objects.create(home=home, name="Ground floor")
    room = Room.objects.create(home=home, unit=unit, number="7")
print(unit.pk, room.pk)
"""


def _serve(services: str, env: dict, tmp_path: Path, procs: list) -> str:
    port = _free_port()
    log = tmp_path / f"{services}.log"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "writecarenotes",
            "serve",
            "--services",
            services,
            "--port",
            str(port),
            "--workers",
            "1",
        ],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    procs.append(proc)
    _wait_until_up(port, proc, log)
    return f"http://127.0.0.1:{port}"


def _request_json(request: urllib.request.Request) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def _get_json(url: str, token: str) -> tuple[int, dict]:
    return _request_json(urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"}))


def _post_json(url: str, token: str, payload: dict) -> tuple[int, dict]:
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Idempotency-Key": str(uuid.uuid4()),
    }
    return _request_json(urllib.request.Request(url, data=json.dumps(payload).encode(), headers=headers))


def _utc_now_iso(*, minutes_ago: int = 0) -> str:
    from datetime import UTC, datetime, timedelta

    return (datetime.now(UTC) - timedelta(minutes=minutes_ago)).replace(microsecond=0).isoformat()


def _movement_state(database_url: str, resident_id: int) -> tuple[str, int]:
    """(status of care_records' delivery of the admission, movements of the resident), read straight
    from the shared database."""
    import psycopg

    dsn = database_url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(dsn) as conn:
        [(status,)] = conn.execute(
            "SELECT status FROM events_delivery WHERE subscriber = 'care_records.movement_admitted'"
        ).fetchall()
        [(count,)] = conn.execute(
            "SELECT count(*) FROM care_records_residentmovement WHERE resident_id = %s", [resident_id]
        ).fetchall()
    return status, count


def _platform_job_ran(database_url: str) -> bool:
    import psycopg

    dsn = database_url.replace("postgres://", "postgresql://", 1)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with psycopg.connect(dsn) as conn:
            done = conn.execute(
                "SELECT count(*) FROM events_scheduledjobrun WHERE job = 'events.purge_processed' AND status = 'done'"
            ).fetchone()[0]
        if done:
            return True
        time.sleep(0.5)
    return False
