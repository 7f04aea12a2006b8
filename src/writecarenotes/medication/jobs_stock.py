"""Scheduled job of medicines stock (imported by ``wiring_stock``): each morning, for every home whose
next cycle's ordering date is today, publish ``medication.stock_reorder_due`` with the items that run out
before the next cycle (the nurse orders them). One slot a day, so a retried slot publishes once."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from writecarenotes.medication import services_stock as stock
from writecarenotes.medication.events_stock import StockReorderDue
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.events.api import publish, scheduled_job
from writecarenotes.platform.tenancy.models import CareHome
from writecarenotes.platform.tenancy.scope import acting_for

logger = logging.getLogger(__name__)


@scheduled_job("medication.stock_reorder_due", at="06:40", context="medication")
def reorder_due(slot) -> int:
    today = timezone.localdate(slot)
    published = 0
    for home in CareHome.objects.filter(is_active=True).order_by("pk"):
        with acting_for([home], reason="medication.stock_reorder_due"), acting_as_system("Reorder day"):
            settings = stock.settings_for(home.pk)
            if settings is None:
                continue
            cycle = stock.cycle_on(settings, today)
            if cycle.ordering_date != today:
                continue
            _, rows = stock.reorder_list(home.pk, today)
            with transaction.atomic():
                publish(
                    StockReorderDue(
                        next_cycle_start=cycle.next_start,
                        ordering_date=cycle.ordering_date,
                        item_ids=[r.row.item.pk for r in rows],
                    ),
                    home=home.pk,
                )
            published += 1
    if published:
        logger.info("Reorder day in %d homes", published)
    return published
