"""Domain events of the care planning context (service 2). Other contexts may import these classes."""

from __future__ import annotations
