"""The audit trail: append-only, hash-chained records, and versions of clinical and legal records.

Audit rows are deliberately NOT TenantModel rows: they are written from every context,
including log-in (no scope yet) and system jobs. Pages that show them filter explicitly by
the request's scope (see views.visible_records). Both tables are append-only: database
triggers (migration 0002) refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL).

Foreign keys to homes are declared without a database constraint and with DO_NOTHING, so
an audit row never blocks, and is never removed by, a change elsewhere.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    CHANGE = "change", _("Change")
    READ = "read", _("Read")
    DENIED = "denied", _("Denied")
    AUTH = "auth", _("Sign-in")


class AuditRecord(models.Model):
    #: "home:<id>", "org:<id>" (organisation-level, no home) or "global" (nobody's, e.g. an
    #: unknown e-mail failing to log in). Each chain has its own seq and hash chain.
    chain = models.CharField(max_length=40)
    seq = models.PositiveBigIntegerField()
    at = models.DateTimeField(_("when"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    action = models.CharField(_("action"), max_length=100)
    organisation_id = models.BigIntegerField(null=True, blank=True)
    home = models.ForeignKey(
        "tenancy.CareHome", on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )
    actor_kind = models.CharField(max_length=10)  # user, anonymous, system
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_email = models.CharField(_("user"), max_length=254, blank=True)
    system_reason = models.CharField(max_length=200, blank=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    #: whose record (for a resident: "residents.resident" and the resident's id)
    subject_type = models.CharField(max_length=100, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    subject_label = models.CharField(max_length=200, blank=True)
    part = models.CharField(_("part"), max_length=100, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit record")
        ordering = ["-at", "-id"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="uniq_audit_chain_seq")]
        indexes = [
            models.Index(fields=["home", "at"]),
            models.Index(fields=["organisation_id", "at"]),
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["actor_id", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action}"

    @property
    def actor_display(self) -> str:
        if self.actor_kind == "system":
            return f"system: {self.system_reason}"
        return self.actor_email or self.actor_kind


class ChainHead(models.Model):
    """The last seq and hash of each chain; locked (select_for_update) to serialise writers."""

    chain = models.CharField(max_length=40, primary_key=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.chain}@{self.seq}"


class RecordVersion(models.Model):
    """One saved version of a clinical or legal record (see versions.save_version)."""

    content_type = models.CharField(max_length=100)  # "app_label.model"
    object_id = models.CharField(max_length=64)
    version = models.PositiveIntegerField()
    organisation_id = models.BigIntegerField(null=True, blank=True)
    home = models.ForeignKey(
        "tenancy.CareHome", on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )
    data = models.JSONField()  # the whole record as saved
    changed = models.JSONField(default=list)  # field names changed from the previous version
    reason = models.TextField(blank=True)
    actor_kind = models.CharField(max_length=10)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_email = models.CharField(max_length=254, blank=True)
    system_reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()
    audit_record = models.ForeignKey(
        AuditRecord, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("record version")
        ordering = ["content_type", "object_id", "version"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "version"], name="uniq_record_version")
        ]

    def __str__(self) -> str:
        return f"{self.content_type}:{self.object_id} v{self.version}"

    @property
    def actor_display(self) -> str:
        if self.actor_kind == "system":
            return f"system: {self.system_reason}"
        return self.actor_email or self.actor_kind
