"""The catalog as text: the ``writecarenotes services`` table or JSON, and docs/services/*.md.

``print_catalog`` runs without Django being set up (``cli.cmd_services`` calls it directly).
``docs_files`` is used by the ``catalog_docs`` management command and the tests.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from writecarenotes.platform.catalog.catalog import STATUSES, Catalog, Service, load, status_counts

#: docs/services of the source checkout (two levels above src/writecarenotes).
DOCS_DIR = Path(__file__).resolve().parents[4] / "docs" / "services"
GENERATED_MARK = "<!-- Generated from services.toml by `writecarenotes manage catalog_docs`: do not edit. -->"

STATUS_MEANINGS = {
    "planned": "nothing built yet",
    "partial": "some of it works (the note says exactly what)",
    "working": "works end to end: page, API, data and tests",
}


def summary_line(catalog: Catalog) -> str:
    counts = status_counts(catalog.services)
    parts = ", ".join(f"{counts[s]} {s}" for s in reversed(STATUSES))
    return f"{len(catalog.services)} services: {parts}."


def table_lines(catalog: Catalog) -> list[str]:
    rows = [("#", "Service", "Context", "Status")]
    rows += [(str(s.number), s.name, s.context, s.status) for s in catalog.services]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]

    def line(r: tuple[str, ...]) -> str:
        return "  ".join(
            [r[0].rjust(widths[0]), *(c.ljust(w) for c, w in zip(r[1:], widths[1:], strict=True))]
        ).rstrip()

    lines = [line(rows[0]), "  ".join("-" * w for w in widths)]
    lines += [line(r) for r in rows[1:]]
    return lines


def print_catalog(as_json: bool = False, *, out: TextIO | None = None, catalog: Catalog | None = None) -> None:
    out = out or sys.stdout
    catalog = catalog or load()
    if as_json:
        json.dump(catalog.as_dict(), out, indent=2, ensure_ascii=False)
        out.write("\n")
        return
    for text in table_lines(catalog):
        out.write(text + "\n")
    out.write("\nPlatform kernel: " + ", ".join(f"{p.key} {p.status}" for p in catalog.platform) + ".\n")
    out.write(summary_line(catalog) + "\n")


# --- docs/services/*.md -------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _default_label(context: str) -> str:
    """The English label of a context (needs Django settings: the labels are translatable)."""
    from django.utils import translation

    from writecarenotes.platform.identity.capabilities import CONTEXTS

    with translation.override("en-gb"):
        return str(CONTEXTS[context]) if context in CONTEXTS else context


def context_label(catalog: Catalog, context: str, label: Callable[[str], str] = _default_label) -> str:
    for part in catalog.platform:
        if part.key == context:
            return f"{part.name} (platform)"
    return label(context)


def contexts_in_order(catalog: Catalog) -> list[str]:
    """Each context that holds a service, in the order of its first service's number."""
    seen: dict[str, None] = {}
    for s in catalog.services:
        seen.setdefault(s.context)
    return list(seen)


def _status_legend() -> list[str]:
    return ["Status: " + "; ".join(f"**{s}** {STATUS_MEANINGS[s]}" for s in STATUSES) + "."]


def _service_section(s: Service) -> list[str]:
    lines = [f"## {s.number}. {s.name}: {s.status}", "", f"Specification section: {s.section}.", ""]
    if s.note:
        lines += [s.note, ""]
    if any(c.note for c in s.capabilities):
        lines += ["| Capability (from the specification) | Status | What works |", "|---|---|---|"]
        lines += [f"| {_cell(c.text)} | {c.status} | {_cell(c.note) or '–'} |" for c in s.capabilities]
    else:
        lines += ["| Capability (from the specification) | Status |", "|---|---|"]
        lines += [f"| {_cell(c.text)} | {c.status} |" for c in s.capabilities]
    return [*lines, ""]


def context_doc(catalog: Catalog, context: str, label: Callable[[str], str] = _default_label) -> str:
    services = [s for s in catalog.services if s.context == context]
    counts = status_counts(services)
    lines = [
        GENERATED_MARK,
        "",
        f"# {context_label(catalog, context, label)}: `{context}`",
        "",
        f"The services of the specification that live in the `{context}` context: "
        + ", ".join(f"{counts[st]} {st}" for st in reversed(STATUSES))
        + ". Back to the [service catalog](README.md).",
        "",
        *_status_legend(),
        "",
    ]
    for s in services:
        lines += _service_section(s)
    return "\n".join(lines).rstrip("\n") + "\n"


def index_doc(catalog: Catalog, label: Callable[[str], str] = _default_label) -> str:
    lines = [
        GENERATED_MARK,
        "",
        "# Service catalog",
        "",
        "Every service of the specification (`../shared/seed/microservices-architecture-overview.md`), "
        "the context (Django app) it lives in and how far it is built. The source is "
        "`src/writecarenotes/platform/catalog/services.toml`; the same catalog is on the `/services` page "
        "and printed by `writecarenotes services` (add `--json` for the whole catalog).",
        "",
        f"**{summary_line(catalog)}**",
        "",
        *_status_legend(),
        "",
        "## Platform kernel",
        "",
        "| Part | Status | Note |",
        "|---|---|---|",
    ]
    lines += [f"| {_cell(p.name)} (`{p.key}`) | {p.status} | {_cell(p.note) or '–'} |" for p in catalog.platform]
    lines += ["", "## Services", "", "| # | Service | Context | Status |", "|---|---|---|---|"]
    lines += [
        f"| {s.number} | {_cell(s.name)} | [`{s.context}`]({s.context}.md) | {s.status} |" for s in catalog.services
    ]
    lines += ["", "## Contexts", ""]
    for context in contexts_in_order(catalog):
        numbers = [str(s.number) for s in catalog.services if s.context == context]
        noun = "service" if len(numbers) == 1 else "services"
        lines.append(f"- [{context_label(catalog, context, label)}]({context}.md): {noun} {', '.join(numbers)}")
    return "\n".join(lines) + "\n"


def docs_files(catalog: Catalog | None = None, label: Callable[[str], str] = _default_label) -> dict[str, str]:
    """File name -> content of every generated file in docs/services."""
    catalog = catalog or load()
    files = {"README.md": index_doc(catalog, label)}
    for context in contexts_in_order(catalog):
        files[f"{context}.md"] = context_doc(catalog, context, label)
    return files


def docs_differences(directory: Path, files: dict[str, str]) -> list[str]:
    """What is out of date in ``directory``: missing, changed or stale generated files."""
    problems = []
    for name, text in files.items():
        path = directory / name
        if not path.exists():
            problems.append(f"{name} is missing")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"{name} is out of date")
    for path in sorted(directory.glob("*.md")) if directory.is_dir() else []:
        if path.name not in files and path.read_text(encoding="utf-8").startswith(GENERATED_MARK):
            problems.append(f"{path.name} is no longer generated")
    return problems


def write_docs(directory: Path, files: dict[str, str]) -> list[str]:
    """Write the generated files, remove stale generated ones; return the names changed."""
    directory.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in files.items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(name)
    for path in sorted(directory.glob("*.md")):
        if path.name not in files and path.read_text(encoding="utf-8").startswith(GENERATED_MARK):
            path.unlink()
            changed.append(path.name)
    return changed
