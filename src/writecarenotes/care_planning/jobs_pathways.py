"""Scheduled job of the pathways: the daily servicing notice of therapy equipment (imported by the app's
ready(), like the other care planning jobs)."""

from __future__ import annotations

import logging

from django.utils import timezone

from writecarenotes.care_planning.services_pathways_rehab import notify_maintenance
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.events.api import scheduled_job
from writecarenotes.platform.tenancy.models import CareHome
from writecarenotes.platform.tenancy.scope import acting_for

logger = logging.getLogger(__name__)


@scheduled_job("care_planning.pathways_equipment_service", at="06:10", context="care_planning")
def equipment_service_due(slot) -> int:
    """Publish ``pathway.equipment_service_due`` for equipment whose service falls due within 14 days
    (once per due date) and again once it is overdue. Home by home, in each home's own scope; a second
    run on the same day publishes nothing new."""
    today = timezone.localdate(slot)
    total = 0
    for home in CareHome.objects.filter(is_active=True).order_by("pk"):
        with (
            acting_for([home], reason="care_planning.pathways_equipment_service"),
            acting_as_system("daily therapy equipment servicing"),
        ):
            total += notify_maintenance(today)
    if total:
        logger.info("Published %d therapy equipment servicing notices", total)
    return total
