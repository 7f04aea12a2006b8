"""Scheduled job of statutory notifications: HIQA's periodic returns for Irish homes (imported by
``wiring_notifications``). Each morning it makes the quarterly NF39 return of the quarter just ended
and, when the system holds nothing notifiable for the half-year just ended, the six-monthly nil return;
one return per home, kind and period, so a second run (or a retried slot) creates nothing new."""

from __future__ import annotations

import logging

from django.utils import timezone

from writecarenotes.incidents.services_notifications import ensure_returns
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.events.api import scheduled_job
from writecarenotes.platform.tenancy.models import CareHome
from writecarenotes.platform.tenancy.scope import acting_for

logger = logging.getLogger(__name__)


@scheduled_job("incidents.hiqa_returns", at="06:20", context="incidents")
def make_hiqa_returns(slot) -> int:
    today = timezone.localdate(slot)
    total = 0
    for home in CareHome.objects.filter(is_active=True, nation="ireland").order_by("pk"):
        with acting_for([home], reason="incidents.hiqa_returns"), acting_as_system("HIQA periodic returns"):
            total += len(ensure_returns(home, today))
    if total:
        logger.info("Created %d HIQA periodic returns", total)
    return total
