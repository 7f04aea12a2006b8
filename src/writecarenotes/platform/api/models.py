"""Stored answers to POST requests that carried an ``Idempotency-Key`` (see idempotency.py)."""

from __future__ import annotations

from django.db import models


class IdempotencyRecord(models.Model):
    """One successful POST, kept for 24 hours so a retry gets the same answer instead of a
    second change. Written in the same transaction as the change itself."""

    #: "token:<id>" for an API token, "user:<id>" for a browser session.
    owner = models.CharField(max_length=40)
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=1000)
    #: SHA-256 of the request body (JSON is canonicalised first).
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    #: Response headers worth replaying (ETag, Location).
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key", "method", "path"], name="uniq_idempotency_key"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}] by {self.owner}"
