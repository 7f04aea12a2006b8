"""Care planning API, mounted at /api/v1/care_planning/ (one sub-router per sub-domain)."""

from ninja import Router

from writecarenotes.care_planning.api_capacity import router as capacity_router
from writecarenotes.care_planning.api_pathways import pathways_router
from writecarenotes.care_planning.api_plans import plans_router
from writecarenotes.care_planning.api_risks import router as risks_router

router = Router(tags=["care planning"])
router.add_router("", risks_router)
router.add_router("", capacity_router)
router.add_router("", pathways_router)
router.add_router("", plans_router)
