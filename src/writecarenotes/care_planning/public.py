"""What other contexts may use of the care planning context (service 2)."""

from __future__ import annotations
