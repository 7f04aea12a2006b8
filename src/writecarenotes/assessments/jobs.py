"""Scheduled job of assessments: the daily overdue notice (autodiscovered like every app's jobs.py)."""

from __future__ import annotations

import logging

from django.utils import timezone

from writecarenotes.assessments.services_due import notify_overdue
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.events.api import scheduled_job
from writecarenotes.platform.tenancy.models import CareHome
from writecarenotes.platform.tenancy.scope import acting_for

logger = logging.getLogger(__name__)


@scheduled_job("assessments.overdue", at="06:00", context="assessments")
def publish_overdue(slot) -> int:
    """Publish ``assessment.overdue`` for every assessment that became overdue (once per due date).

    Runs home by home in each home's own scope; an item already notified for its due date is not
    notified again, so a second run on the same day (or a retried slot) publishes nothing new.
    """
    today = timezone.localdate(slot)
    total = 0
    for home in CareHome.objects.filter(is_active=True).order_by("pk"):
        with acting_for([home], reason="assessments.overdue"), acting_as_system("daily overdue assessments"):
            total += notify_overdue(today)
    if total:
        logger.info("Published %d overdue assessment notices", total)
    return total
