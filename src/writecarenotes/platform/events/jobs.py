"""The platform's own scheduled job (autodiscovered like every app's jobs.py)."""

import logging
from datetime import timedelta

from writecarenotes.platform.events.api import scheduled_job
from writecarenotes.platform.events.dispatcher import purge_done

logger = logging.getLogger(__name__)


@scheduled_job("events.purge_processed", at="03:30", context="platform")
def purge_processed(slot) -> None:
    deliveries, marks = purge_done(now=slot + timedelta(minutes=1))
    logger.info("Purged %d delivered deliveries and %d processed-event marks", deliveries, marks)
