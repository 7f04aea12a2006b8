"""The machine-readable service catalog (services.toml): every service of the specification."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

STATUSES = ("planned", "partial", "working")
CATALOG_FILE = Path(__file__).with_name("services.toml")


@dataclass(frozen=True)
class Service:
    number: int
    name: str
    context: str
    capabilities: tuple[str, ...]
    status: str
    note: str


@cache
def load_catalog() -> tuple[Service, ...]:
    data = tomllib.loads(CATALOG_FILE.read_text(encoding="utf-8"))
    services = tuple(
        Service(
            number=s["number"],
            name=s["name"],
            context=s["context"],
            capabilities=tuple(s["capabilities"]),
            status=s["status"],
            note=s.get("note", ""),
        )
        for s in data.get("service", [])
    )
    for s in services:
        if s.status not in STATUSES:
            raise ValueError(f"service {s.number} has unknown status {s.status!r}")
    return services
