"""The machine-readable service catalog (services.toml): every service of the specification.

Needs no Django set-up (the ``writecarenotes services`` command reads it directly): the file is
parsed with ``tomllib`` and checked here. The format is described at the top of services.toml.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

STATUSES = ("planned", "partial", "working")
SERVICE_COUNT = 42
#: The parts of the platform kernel, in the order they are shown.
PLATFORM_PARTS = ("tenancy", "identity", "audit", "events", "api", "web")
CATALOG_FILE = Path(__file__).with_name("services.toml")

_SERVICE_KEYS = {"number", "name", "section", "context", "status", "note", "capabilities"}
_CAPABILITY_KEYS = {"text", "status", "note"}
_PLATFORM_KEYS = {"key", "name", "status", "note"}


class CatalogError(ValueError):
    """services.toml is malformed or breaks a rule; the message lists every problem found."""


@dataclass(frozen=True)
class Capability:
    """One bullet of the specification, and how far it is built."""

    text: str
    status: str = "planned"
    note: str = ""

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Service:
    number: int
    name: str
    context: str
    capabilities: tuple[Capability, ...]
    status: str
    note: str
    section: str = ""

    @property
    def capability_texts(self) -> tuple[str, ...]:
        return tuple(c.text for c in self.capabilities)

    def as_dict(self) -> dict:
        return {
            "number": self.number,
            "name": self.name,
            "section": self.section,
            "context": self.context,
            "status": self.status,
            "note": self.note,
            "capabilities": [{"text": c.text, "status": c.status, "note": c.note} for c in self.capabilities],
        }


@dataclass(frozen=True)
class PlatformPart:
    key: str
    name: str
    status: str
    note: str

    def as_dict(self) -> dict:
        return {"key": self.key, "name": self.name, "status": self.status, "note": self.note}


@dataclass(frozen=True)
class Catalog:
    services: tuple[Service, ...]
    platform: tuple[PlatformPart, ...]

    def as_dict(self) -> dict:
        return {
            "statuses": list(STATUSES),
            "summary": status_counts(self.services),
            "platform": [p.as_dict() for p in self.platform],
            "services": [s.as_dict() for s in self.services],
        }


def status_counts(items: Iterable) -> dict[str, int]:
    """How many of ``items`` (anything with a ``status``) are in each status, in STATUSES order."""
    counts = dict.fromkeys(STATUSES, 0)
    for item in items:
        counts[item.status] += 1
    return counts


def known_contexts() -> frozenset[str]:
    """Where a service may live: a context of the capability table, or a platform part."""
    # Imported here, not at module level, so that loading the catalog stays cheap; the module only
    # uses lazy translations, so it needs no Django settings.
    from writecarenotes.platform.identity.capabilities import CONTEXTS

    return frozenset(CONTEXTS) | frozenset(PLATFORM_PARTS)


def _text(value, where: str, field: str, errors: list[str], *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        errors.append(f"{where}: {field} must be a non-empty string")
        return ""
    return value


def _status(value, where: str, errors: list[str]) -> str:
    if value not in STATUSES:
        errors.append(f"{where}: unknown status {value!r} (use one of {', '.join(STATUSES)})")
        return "planned"
    return value


def _unknown_keys(table: dict, allowed: set[str], where: str, errors: list[str]) -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        errors.append(f"{where}: unknown key(s) {', '.join(extra)}")


def _capability(raw, where: str, errors: list[str]) -> Capability:
    if isinstance(raw, str):
        return Capability(text=_text(raw, where, "capability", errors))
    if not isinstance(raw, dict):
        errors.append(f"{where}: a capability is a string or an inline table {{text, status, note}}")
        return Capability(text="")
    _unknown_keys(raw, _CAPABILITY_KEYS, where, errors)
    return Capability(
        text=_text(raw.get("text"), where, "text", errors),
        status=_status(raw.get("status", "planned"), where, errors),
        note=_text(raw.get("note"), where, "note", errors, required=False),
    )


def _service(raw: dict, index: int, contexts: frozenset[str], errors: list[str]) -> Service | None:
    if not isinstance(raw, dict):
        errors.append(f"service entry {index}: must be a [[service]] table")
        return None
    number = raw.get("number")
    where = f"service {number}" if isinstance(number, int) else f"service entry {index}"
    _unknown_keys(raw, _SERVICE_KEYS, where, errors)
    if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= SERVICE_COUNT:
        errors.append(f"{where}: number must be a whole number from 1 to {SERVICE_COUNT}")
        number = 0
    context = raw.get("context")
    if context not in contexts:
        errors.append(f"{where}: unknown context {context!r}")
    raw_caps = raw.get("capabilities")
    if not isinstance(raw_caps, list) or not raw_caps:
        errors.append(f"{where}: capabilities must be a non-empty list")
        raw_caps = []
    caps = tuple(_capability(c, f"{where}, capability {i}", errors) for i, c in enumerate(raw_caps, 1))
    texts = [c.text for c in caps]
    if len(set(texts)) != len(texts):
        errors.append(f"{where}: a capability is listed twice")
    service = Service(
        number=number,
        name=_text(raw.get("name"), where, "name", errors),
        section=_text(raw.get("section"), where, "section", errors),
        context=context if isinstance(context, str) else "",
        status=_status(raw.get("status"), where, errors),
        note=_text(raw.get("note"), where, "note", errors, required=False),
        capabilities=caps,
    )
    if service.status == "planned" and any(c.status != "planned" for c in caps):
        errors.append(f"{where}: a planned service cannot have a partial or working capability")
    if service.status == "working" and any(c.status != "working" for c in caps):
        errors.append(f"{where}: a working service needs every capability working")
    if service.status == "partial" and not service.note and all(c.status == "planned" for c in caps):
        errors.append(f"{where}: a partial service needs a note saying what works")
    return service


def _platform_part(raw, index: int, errors: list[str]) -> PlatformPart | None:
    where = f"platform entry {index}"
    if not isinstance(raw, dict):
        errors.append(f"{where}: must be a [[platform]] table")
        return None
    _unknown_keys(raw, _PLATFORM_KEYS, where, errors)
    key = raw.get("key")
    if key not in PLATFORM_PARTS:
        errors.append(f"{where}: unknown platform part {key!r} (use one of {', '.join(PLATFORM_PARTS)})")
    return PlatformPart(
        key=key if isinstance(key, str) else "",
        name=_text(raw.get("name"), where, "name", errors),
        status=_status(raw.get("status"), where, errors),
        note=_text(raw.get("note"), where, "note", errors, required=False),
    )


def parse_catalog(text: str, *, contexts: Iterable[str] | None = None) -> Catalog:
    """Parse and check a catalog; raise CatalogError naming every problem at once."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"services.toml is not valid TOML: {exc}") from exc
    allowed = frozenset(contexts) if contexts is not None else known_contexts()
    errors: list[str] = []
    _unknown_keys(data, {"service", "platform"}, "services.toml", errors)

    services = [_service(raw, i, allowed, errors) for i, raw in enumerate(data.get("service", []), 1)]
    services = sorted((s for s in services if s is not None), key=lambda s: s.number)
    numbers = [s.number for s in services]
    if sorted(set(numbers)) != numbers:
        errors.append("service numbers must be unique")
    if set(numbers) != set(range(1, SERVICE_COUNT + 1)):
        missing = sorted(set(range(1, SERVICE_COUNT + 1)) - set(numbers))
        errors.append(f"the catalog must list services 1 to {SERVICE_COUNT}; missing: {missing}")

    parts = [_platform_part(raw, i, errors) for i, raw in enumerate(data.get("platform", []), 1)]
    parts = [p for p in parts if p is not None]
    keys = [p.key for p in parts]
    if sorted(keys) != sorted(PLATFORM_PARTS):
        errors.append(f"the platform list must name each part once: {', '.join(PLATFORM_PARTS)}")
    parts.sort(key=lambda p: PLATFORM_PARTS.index(p.key) if p.key in PLATFORM_PARTS else len(PLATFORM_PARTS))

    if errors:
        raise CatalogError("services.toml has problems:\n  " + "\n  ".join(errors))
    return Catalog(services=tuple(services), platform=tuple(parts))


@cache
def load() -> Catalog:
    """The whole catalog: the services and the platform kernel parts."""
    return parse_catalog(CATALOG_FILE.read_text(encoding="utf-8"))


def load_catalog() -> tuple[Service, ...]:
    """Every service of the specification, by number."""
    return load().services


def load_platform() -> tuple[PlatformPart, ...]:
    return load().platform
