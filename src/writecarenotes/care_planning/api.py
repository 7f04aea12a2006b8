"""Care planning API, mounted at /api/v1/care_planning/ (one sub-router per sub-domain)."""

from ninja import Router

router = Router(tags=["care planning"])
