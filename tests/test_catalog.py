"""The service catalog: the file, the /services page, `writecarenotes services` and docs/services."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from writecarenotes.cli import main
from writecarenotes.platform.catalog.catalog import (
    CATALOG_FILE,
    PLATFORM_PARTS,
    STATUSES,
    CatalogError,
    known_contexts,
    load,
    load_catalog,
    parse_catalog,
)
from writecarenotes.platform.catalog.render import DOCS_DIR, docs_differences, docs_files
from writecarenotes.platform.identity.capabilities import ROLES, role_can

REPO = Path(__file__).resolve().parents[1]
SPEC = REPO / ".." / "shared" / "seed" / "microservices-architecture-overview.md"
SERVICE_MAP = REPO / ".." / "shared" / "service-map.md"


def _spec_services() -> dict[int, dict]:
    """number -> {name, section, bullets} parsed from the specification's markdown."""
    services: dict[int, dict] = {}
    section, current = None, None
    for line in SPEC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section, current = line[3:].strip(), None
            continue
        m = re.match(r"### (\d+)\. \*\*(.+?)(?: Service)?\*\*\s*$", line)
        if m:
            current = {"name": m[2], "section": section, "bullets": []}
            services[int(m[1])] = current
        elif current is not None and line.startswith("- "):
            current["bullets"].append(line[2:].strip())
    return services


# --- the file ------------------------------------------------------------------------------------


def test_catalog_lists_every_service_once_with_valid_fields():
    services = load_catalog()
    assert [s.number for s in services] == list(range(1, 43))
    contexts = known_contexts()
    for s in services:
        assert s.status in STATUSES
        assert s.context in contexts
        assert s.name and s.section and s.capabilities
        assert all(c.status in STATUSES for c in s.capabilities)
    assert [p.key for p in load().platform] == list(PLATFORM_PARTS)


def test_catalog_has_every_bullet_of_the_specification_verbatim():
    if not SPEC.exists():
        pytest.skip(f"the specification is not beside the repository ({SPEC.resolve()} is absent)")
    spec = _spec_services()
    assert sorted(spec) == list(range(1, 43)), "the specification should number 42 services"
    for s in load_catalog():
        expected = spec[s.number]
        assert s.name == expected["name"], f"service {s.number}"
        assert s.section == expected["section"], f"service {s.number}"
        assert list(s.capability_texts) == expected["bullets"], f"service {s.number} {s.name}"


def test_catalog_contexts_follow_the_service_map():
    if not SERVICE_MAP.exists():
        pytest.skip(f"the service map is not beside the repository ({SERVICE_MAP.resolve()} is absent)")
    mapped = {}
    for line in SERVICE_MAP.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\| (\d+) \| (.+?) \| `(\w+)`", line)
        if m:
            mapped[int(m[1])] = (m[2], m[3])
    assert {s.number: (s.name, s.context) for s in load_catalog()} == mapped


def test_what_is_built_is_said_honestly():
    from writecarenotes.urls import SERVICES

    # contexts with code: the services, and what the platform provides (identity, audit; the events
    # and the API serve part of "integration")
    built = set(SERVICES) | {"identity", "audit", "integration"}
    for s in load_catalog():
        statuses = {c.status for c in s.capabilities}
        # Nothing claims to work end to end unless every one of its capabilities does.
        if s.status == "working":
            assert statuses == {"working"}, s.name
        # A partial service says what is missing: a capability not yet working, or a note.
        if s.status == "partial":
            assert statuses != {"working"} or s.note.strip(), f"{s.name}: partial, but the note does not say why"
        # Nothing is marked as (partly) working in a context that has no code yet.
        if s.context not in built:
            assert s.status == "planned" and statuses == {"planned"}, f"{s.name}: {s.context} is not built"


def _broken(old: str, new: str) -> str:
    text = CATALOG_FILE.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('status = "planned"', 'status = "done"', "status 'done'"),
        ("number = 42", "number = 41", "service numbers must be unique"),
        ("number = 42", "number = 43", "number must be a whole number from 1 to 42"),
        ('context = "transport"', 'context = "trains"', "unknown context 'trains'"),
        ('context = "transport"', 'contxt = "transport"', "unknown key(s) contxt"),
        (
            '"Vehicle fleet management and scheduling",',
            '{ text = "Vehicle fleet management and scheduling", status = "working" },',
            "a planned service cannot have a partial or working capability",
        ),
        ('key = "events"', 'key = "queues"', "unknown platform part 'queues'"),
        ("capabilities = [", "capabilities = [[", "not valid TOML"),
    ],
)
def test_a_broken_catalog_is_refused_with_a_clear_message(old, new, message):
    with pytest.raises(CatalogError) as exc:
        parse_catalog(_broken(old, new))
    assert message in str(exc.value)


def test_a_missing_service_is_named():
    text = CATALOG_FILE.read_text(encoding="utf-8")
    start = text.index("[[service]]\nnumber = 35\n")
    end = text.index("[[service]]", start + 1)
    with pytest.raises(CatalogError, match=r"missing: \[35\]"):
        parse_catalog(text[:start] + text[end:])


# --- the /services page --------------------------------------------------------------------------

VIEWERS = [code for code in ROLES if role_can(code, "catalog", "view")]


def test_services_page_shows_every_service_to_each_role_that_may_view_it(world, client_for):
    assert VIEWERS, "some role must be able to see the service catalog"
    for role in VIEWERS:
        r = client_for(world.users[role]).get("/services/")
        assert r.status_code == 200, role
        html = r.content.decode()
        for s in load_catalog():
            assert f'id="service-{s.number}"' in html, (role, s.number)
            assert s.name in html, (role, s.name)
        assert "Resident lifecycle management (admission to discharge)" in html, role
        assert "Security monitoring and key management are not built." in html, role
        assert "Partly built" in html and "Planned" in html, role
        assert "Platform kernel" in html, role
        assert "style=" not in html, role  # strict CSP: no inline styles


def test_services_page_counts_services_by_status(world, client_for):
    html = client_for(world.users["carer"]).get("/services/").content.decode()
    counts = {s: 0 for s in STATUSES}
    for s in load_catalog():
        counts[s.status] += 1
    for status, n in counts.items():
        assert re.search(rf'<p class="stat">{n}</p><span class="badge {status}">', html), status
    assert "The specification lists 42 services." in html


def test_services_page_groups_by_section_or_context(world, client_for):
    c = client_for(world.users["nurse"])
    by_section = c.get("/services/").content.decode()
    assert "Core Care Management Microservices</h2>" in by_section
    by_context = c.get("/services/?group=context").content.decode()
    assert "Care planning <code>care_planning</code></h2>" in by_context
    assert 'href="?group=context" aria-current="page"' in by_context
    # Mental Health, Dementia Care, Palliative Care and Rehabilitation sit under care planning.
    section = by_context.split("Care planning <code>care_planning</code></h2>")[1].split("</section>")[0]
    for name in ("Care Planning", "Mental Health", "Dementia Care", "Palliative Care", "Rehabilitation"):
        assert name in section
    odd = c.get("/services/?group=<script>")
    assert odd.status_code == 200
    assert "Core Care Management Microservices</h2>" in odd.content.decode()


def test_services_page_needs_sign_in(db, client):
    r = client.get("/services/")
    assert r.status_code in (302, 401, 403)
    assert "Resident Management" not in r.content.decode()


# --- writecarenotes services ---------------------------------------------------------------------


def test_cli_prints_an_aligned_table_and_a_summary(capsys):
    assert main(["services"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    header = lines[0]
    status_col = header.index("Status")
    rows = [line for line in lines if re.match(r"\s*\d+  \S", line)]
    assert len(rows) == 42
    for row in rows:
        assert row[status_col:].strip() in STATUSES, row
    by_number = {s.number: s for s in load_catalog()}
    assert re.match(rf"\s*1\s+Resident Management\s+residents\s+{by_number[1].status}$", rows[0])
    assert re.match(rf"\s*26\s+Security\s+identity\s+{by_number[26].status}$", rows[25])
    n = {s: sum(1 for x in load_catalog() if x.status == s) for s in STATUSES}
    assert lines[-1] == f"42 services: {n['working']} working, {n['partial']} partial, {n['planned']} planned."


def test_cli_json_is_the_whole_catalog(capsys):
    assert main(["services", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["services"]) == 42
    assert sum(data["summary"].values()) == 42
    first = data["services"][0]
    assert first["name"] == "Resident Management" and first["context"] == "residents"
    lifecycle = first["capabilities"][0]
    assert lifecycle["text"] == "Resident lifecycle management (admission to discharge)"
    assert lifecycle["status"] == "working" and "guarded transitions" in lifecycle["note"]
    assert set(first["capabilities"][0]) == {"text", "status", "note"}
    assert [p["key"] for p in data["platform"]] == list(PLATFORM_PARTS)


def test_cli_services_runs_without_django_settings():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = "import sys; from writecarenotes.cli import main; sys.exit(main(['services']))"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "42 services:" in done.stdout


# --- docs/services -------------------------------------------------------------------------------


def test_checked_in_docs_match_the_catalog():
    problems = docs_differences(DOCS_DIR, docs_files())
    assert problems == [], "run `writecarenotes manage catalog_docs` to regenerate docs/services"


def test_catalog_docs_command_writes_and_checks(tmp_path, capsys):
    with pytest.raises(CommandError, match="README.md is missing"):
        call_command("catalog_docs", "--check", "--dir", str(tmp_path))
    call_command("catalog_docs", "--dir", str(tmp_path))
    call_command("catalog_docs", "--check", "--dir", str(tmp_path))
    assert "Fire Safety" in (tmp_path / "safety.md").read_text(encoding="utf-8")
    assert "[`care_planning`](care_planning.md)" in (tmp_path / "README.md").read_text(encoding="utf-8")
    (tmp_path / "beds.md").write_text("edited by hand\n", encoding="utf-8")
    (tmp_path / "old.md").write_text(docs_files()["beds.md"], encoding="utf-8")  # a stale generated file
    with pytest.raises(CommandError) as exc:
        call_command("catalog_docs", "--check", "--dir", str(tmp_path))
    assert "beds.md is out of date" in str(exc.value) and "old.md is no longer generated" in str(exc.value)
    call_command("catalog_docs", "--dir", str(tmp_path))
    assert not (tmp_path / "old.md").exists()
    call_command("catalog_docs", "--check", "--dir", str(tmp_path))
