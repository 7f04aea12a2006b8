"""Assessment results, every item answer, the organisation's tool settings and what is due when.

- ``AssessmentResult``: one completed assessment with a tool (``tools/<slug>.py``, scored by
  ``engine.score``). The total, band, summary and derived values are computed by the engine and
  stored with the tool's version and band set, never typed in. ``assessed_at`` is when the
  assessment was done; ``recorded_at`` when it was written down (more than an hour later: a late
  entry, as for daily care records).
- ``AssessmentAnswer``: one row per item of the tool, with the answer and the points it scored,
  so a result can always be checked item by item (never just the total).
- Results are never edited or deleted. A correction strikes the result through (``struck_at``,
  ``struck_by``, ``strike_reason``) and points it at its replacement (``replaced_by``), in one
  transaction: ``services.correct_assessment``.
- ``ToolSettings``: per organisation and tool: switched on or off, the band set chosen (when the
  literature publishes more than one) and the review interval (overriding the tool's default).
- ``AssessmentDue``: one row per resident and tool: when the next assessment is due and why
  (admission, review, fall, weight loss, band worsened, manual). Kept by the services and the
  subscribers (``services_due``); ``due_on`` empty = nothing scheduled.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.tenancy.models import Organisation, TenantModel
from writecarenotes.platform.tenancy.scope import OrganisationScopedManager, ScopedManager, ScopedQuerySet

#: A result written more than this long after the assessment is marked late (as care records).
LATE_ENTRY_AFTER = timedelta(hours=1)


class ResultQuerySet(ScopedQuerySet):
    def current(self):
        """Results that have not been struck through (corrected)."""
        return self.filter(struck_at__isnull=True)


class ResultManager(ScopedManager.from_queryset(ResultQuerySet)):  # type: ignore[misc]
    pass


class AssessmentResult(TenantModel):
    resident = models.ForeignKey("residents.Resident", on_delete=models.PROTECT, related_name="+")
    tool = models.CharField(_("tool"), max_length=40)
    tool_version = models.CharField(_("tool version"), max_length=20)
    band_set = models.CharField(_("band set"), max_length=40, blank=True)
    total = models.DecimalField(_("total"), max_digits=8, decimal_places=2)
    band_key = models.CharField(_("band"), max_length=40, blank=True)
    band_label = models.CharField(_("band"), max_length=200, blank=True)
    band_rank = models.PositiveSmallIntegerField(_("band rank"), null=True, blank=True)
    band_action = models.TextField(_("what the source says to do"), blank=True)
    summary = models.CharField(_("summary"), max_length=300)
    derived = models.JSONField(_("derived values"), default=dict, blank=True)
    derived_points = models.JSONField(_("points of derived values"), default=dict, blank=True)
    findings = models.JSONField(_("further findings"), default=list, blank=True)
    assessed_at = models.DateTimeField(_("time of assessment"))
    recorded_at = models.DateTimeField(_("time of entry"), default=timezone.now, editable=False)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessed by")
    )
    is_late = models.BooleanField(_("late entry"), default=False, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    next_due_on = models.DateField(_("next review due"), null=True, blank=True)

    struck_at = models.DateTimeField(_("struck through at"), null=True, blank=True, editable=False)
    struck_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("struck through by"),
    )
    strike_reason = models.TextField(_("reason for correction"), blank=True, editable=False)
    replaced_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="+", null=True, blank=True, editable=False
    )

    objects = ResultManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("assessment result")
        ordering = ["-assessed_at", "-pk"]
        indexes = [models.Index(fields=["resident", "tool", "assessed_at"], name="assess_res_tool_at")]

    def __str__(self) -> str:
        return self.summary

    @property
    def is_struck(self) -> bool:
        return self.struck_at is not None

    def snapshot(self) -> dict:
        """The result's values for the audit trail (before/after)."""
        out = {}
        for field in self._meta.concrete_fields:
            if field.name in {"organisation", "home"}:
                continue
            value = getattr(self, field.attname)
            out[field.attname] = value.isoformat() if hasattr(value, "isoformat") else _plain(value)
        return out


class AssessmentAnswer(TenantModel):
    result = models.ForeignKey(AssessmentResult, on_delete=models.PROTECT, related_name="answers")
    item_key = models.CharField(_("item"), max_length=60)
    value = models.JSONField(_("answer"), null=True, blank=True)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2)

    class Meta(TenantModel.Meta):
        verbose_name = _("assessment answer")
        ordering = ["result_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["result", "item_key"], name="uniq_answer_per_item")]

    def __str__(self) -> str:
        return f"{self.item_key}={self.value}"


class ToolSettings(models.Model):
    """An organisation's choices for one tool. Read and written inside a scope of that organisation."""

    # Configuration, not a record of care: it goes with its organisation (the audit trail keeps its history).
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    tool = models.CharField(_("tool"), max_length=40)
    enabled = models.BooleanField(_("in use"), default=True)
    band_set = models.CharField(_("band set"), max_length=40, blank=True, help_text=_("Empty: the tool's default."))
    review_days = models.PositiveSmallIntegerField(
        _("review every (days)"), null=True, blank=True, help_text=_("Empty: the tool's default.")
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )

    objects = OrganisationScopedManager()

    class Meta:
        verbose_name = _("assessment tool settings")
        verbose_name_plural = _("assessment tool settings")
        ordering = ["organisation_id", "tool"]
        constraints = [models.UniqueConstraint(fields=["organisation", "tool"], name="uniq_tool_settings")]

    def __str__(self) -> str:
        return f"{self.tool} settings"


class DueReason(models.TextChoices):
    ADMISSION = "admission", _("Admission")
    REVIEW = "review", _("Regular review")
    FALL = "fall", _("After a fall")
    WEIGHT_LOSS = "weight_loss", _("Weight loss")
    BAND_WORSENED = "band_worsened", _("Risk increased on another assessment")
    MANUAL = "manual", _("Asked for")


class AssessmentDue(TenantModel):
    resident = models.ForeignKey("residents.Resident", on_delete=models.PROTECT, related_name="+")
    tool = models.CharField(_("tool"), max_length=40)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    reason = models.CharField(_("why"), max_length=20, choices=DueReason.choices, blank=True)
    #: when what made it due happened (a fall, an admission, a weight): an assessment done before
    #: it does not clear the due date (a late entry of an earlier assessment)
    requested_at = models.DateTimeField(_("asked for at"), null=True, blank=True)
    last_result = models.ForeignKey(AssessmentResult, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    #: the due date for which ``assessment.overdue`` was published (once per due date)
    overdue_notified_for = models.DateField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("assessment due")
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["resident", "tool"], name="uniq_due_per_resident_tool")]
        indexes = [models.Index(fields=["home", "due_on"], name="assess_due_home_on")]

    def __str__(self) -> str:
        return f"{self.tool} due {self.due_on}"


def _plain(value):
    from decimal import Decimal

    return str(value) if isinstance(value, Decimal) else value
