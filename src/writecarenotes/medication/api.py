"""Medication API, mounted at /api/v1/medication/ (one sub-router per sub-domain).

Fixed paths come before any ``/{id}`` path of another sub-router: each sub-domain keeps its paths
under its own prefix (``/orders``, ``/rounds``, ``/administrations``, ``/safety``, ``/cd``,
``/stock``, ``/errors``, ``/residents/{resident_id}/...``).
"""

from ninja import Router

from writecarenotes.medication import (
    api_controlled,
    api_errors,
    api_fhir,
    api_orders,
    api_rounds,
    api_safety,
    api_stock,
)

router = Router(tags=["medication"])
router.add_router("", api_orders.router)
router.add_router("", api_rounds.router)
router.add_router("", api_safety.router)
router.add_router("", api_controlled.router)
router.add_router("", api_stock.router)
router.add_router("", api_errors.router)
router.add_router("", api_fhir.router)
