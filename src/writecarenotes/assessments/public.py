"""What other contexts may use of the assessments context (service 3)."""

from __future__ import annotations
