"""Scheduled job of the round (imported by ``wiring_rounds``): every hour, re-check the doses refused or not
given in the last two days in every home and raise or extend the consecutive-days alerts
(``services_rounds_alerts``). Recording a dose already raises the alert in its own transaction; this job is
the safety net for records changed since (corrections) and a second run finds nothing new."""

from __future__ import annotations

import logging
from datetime import timedelta

from writecarenotes.medication.services_rounds_alerts import CONSECUTIVE_DAYS, scan
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.events.api import scheduled_job
from writecarenotes.platform.tenancy.models import CareHome
from writecarenotes.platform.tenancy.scope import acting_for

logger = logging.getLogger(__name__)


@scheduled_job("medication.round_alerts", every=timedelta(hours=1), context="medication")
def raise_alerts(slot) -> int:
    since = slot - timedelta(days=CONSECUTIVE_DAYS)
    total = 0
    for home in CareHome.objects.filter(is_active=True).order_by("pk"):
        with acting_for([home], reason="medication.round_alerts"), acting_as_system("medication round alerts"):
            total += scan(since)
    if total:
        logger.info("Raised or extended %d medication alerts", total)
    return total
