"""Scheduled job of care plans: the daily overdue review notice (imported by ``CarePlanningConfig.ready()``)."""

from __future__ import annotations

import logging

from django.utils import timezone

from writecarenotes.care_planning.services_reviews import notify_overdue
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.events.api import scheduled_job
from writecarenotes.platform.tenancy.models import CareHome
from writecarenotes.platform.tenancy.scope import acting_for

logger = logging.getLogger(__name__)


@scheduled_job("care_planning.reviews_overdue", at="06:15", context="care_planning")
def publish_overdue_reviews(slot) -> int:
    """Put plans whose review date has passed under review and publish ``care_plan.review_overdue``
    (once per due date: a second run on the same day, or a retried slot, publishes nothing new).
    Runs home by home in each home's own scope."""
    today = timezone.localdate(slot)
    total = 0
    for home in CareHome.objects.filter(is_active=True).order_by("pk"):
        with (
            acting_for([home], reason="care_planning.reviews_overdue"),
            acting_as_system("daily overdue care plan reviews"),
        ):
            total += notify_overdue(today)
    if total:
        logger.info("Published %d overdue care plan review notices", total)
    return total
