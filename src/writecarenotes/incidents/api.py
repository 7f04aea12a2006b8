"""Incidents API, mounted at /api/v1/incidents/ (one sub-router per sub-domain).

Reporting is mounted last: its ``/{incident_id}`` would otherwise catch the other sub-domains'
fixed paths (``/notifications``, ``/followups``, ...).
"""

from ninja import Router

from writecarenotes.incidents import api_duties, api_followups, api_investigation, api_notifications, api_report

router = Router(tags=["incidents"])
router.add_router("", api_notifications.router)
router.add_router("", api_followups.router)
router.add_router("", api_duties.router)
router.add_router("", api_investigation.router)
router.add_router("", api_report.router)
