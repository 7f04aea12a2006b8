"""Domain events of the assessments context (service 3). Other contexts may import these classes."""

from __future__ import annotations
