"""Engines that run the same delivery and job code: the in-process worker (events.worker) and Celery."""
