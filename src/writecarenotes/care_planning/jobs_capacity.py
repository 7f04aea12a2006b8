"""The daily liberty-authorisation job (registered by ``CarePlanningConfig.ready``).

Home by home, in each home's own scope and as the system: authorisations in force whose end date
has passed become expired (``dols.expired``), then those ending within 28 days are announced
(``dols.expiring``, once per end date). A second run on the same day, or a retried slot, publishes
nothing new.
"""

from __future__ import annotations

import logging

from django.utils import timezone

from writecarenotes.care_planning.services_capacity_liberty import mark_expired, notify_expiring
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.events.api import scheduled_job
from writecarenotes.platform.tenancy.models import CareHome
from writecarenotes.platform.tenancy.scope import acting_for

logger = logging.getLogger(__name__)


@scheduled_job("care_planning.liberty_expiry", at="06:15", context="care_planning")
def liberty_expiry(slot) -> dict:
    today = timezone.localdate(slot)
    totals = {"expired": 0, "expiring": 0}
    for home in CareHome.objects.filter(is_active=True).order_by("pk"):
        with acting_for([home], reason="care_planning.liberty_expiry"), acting_as_system("daily liberty expiry"):
            totals["expired"] += mark_expired(today)
            totals["expiring"] += notify_expiring(today)
    if any(totals.values()):
        logger.info("Liberty authorisations: %(expired)d expired, %(expiring)d expiring soon", totals)
    return totals
