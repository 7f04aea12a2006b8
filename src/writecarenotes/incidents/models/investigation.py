"""Investigation and learning: one investigation per incident, its root-cause analysis (5 whys and
contributory factors), the actions that come out of it and the lessons shared with staff.

Nothing here is deleted. The investigation and each action are versioned (``audit.save_version``
with the reason; ``version`` is the API's ETag); a why is corrected as a new version with a reason;
a contributory factor found wrong is withdrawn with the reason, and stays in the record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.audit.versions import Versioned
from writecarenotes.platform.tenancy.models import TenantModel

__all__ = [
    "CONTRIBUTORY_FACTOR_CATEGORIES",
    "CONTRIBUTORY_FACTORS_SOURCE",
    "ActionStatus",
    "ContributoryFactor",
    "Investigation",
    "InvestigationAction",
    "InvestigationStatus",
    "LessonAudience",
    "LessonLearned",
    "LessonRead",
    "OpenedBecause",
    "WhyStep",
]

#: The categories of the NPSA's contributory factors classification framework (National Patient
#: Safety Agency, "Root Cause Analysis Investigation Tools: Contributory Factors Classification
#: Framework", 2009, used by NHS Improvement since): the nine headings an investigator files each
#: factor under. Key -> label.
CONTRIBUTORY_FACTORS_SOURCE = _(
    "NPSA, Root Cause Analysis Investigation Tools: Contributory Factors Classification Framework (2009)"
)
CONTRIBUTORY_FACTOR_CATEGORIES: dict[str, str] = {
    "patient": _("Patient (resident) factors"),
    "individual": _("Individual (staff) factors"),
    "task": _("Task factors"),
    "communication": _("Communication factors"),
    "team": _("Team and social factors"),
    "education": _("Education and training factors"),
    "equipment": _("Equipment and resources factors"),
    "working_conditions": _("Working condition factors"),
    "organisational": _("Organisational and strategic factors"),
}


class InvestigationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class OpenedBecause(models.TextChoices):
    POLICY = "policy", _("The home's investigation policy")
    MANAGER = "manager", _("Opened by a manager")


class Investigation(Versioned, TenantModel):
    incident = models.OneToOneField("incidents.Incident", on_delete=models.PROTECT, related_name="investigation")
    status = models.CharField(
        _("status"), max_length=12, choices=InvestigationStatus.choices, default=InvestigationStatus.OPEN
    )
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("investigator"),
    )
    due_on = models.DateField(_("to be completed by"))
    opened_because = models.CharField(max_length=10, choices=OpenedBecause.choices, editable=False)
    opened_reason = models.CharField(_("why it was opened"), max_length=300, editable=False)
    opened_at = models.DateTimeField(default=timezone.now, editable=False)
    # None: opened by the system from the home's policy for an incident the system raised (a death, a care note)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    findings = models.TextField(_("findings"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, editable=False)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now, editable=False)

    class Meta(TenantModel.Meta):
        verbose_name = _("investigation")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["home", "status", "due_on"], name="inc_inv_home_status_due")]
        constraints = [
            models.CheckConstraint(
                name="inc_inv_completed_has_findings",
                condition=~models.Q(status="completed")
                | (~models.Q(findings="") & models.Q(completed_at__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Investigation')} {self.pk}"

    @property
    def is_completed(self) -> bool:
        return self.status == InvestigationStatus.COMPLETED

    def is_overdue(self, today=None) -> bool:
        return not self.is_completed and self.due_on < (today or timezone.localdate())


class WhyStep(Versioned, TenantModel):
    """One step of the 5 whys: the question asked and the answer found, in order (``position`` 1..n)."""

    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="whys")
    position = models.PositiveSmallIntegerField(_("step"))
    why = models.CharField(_("why?"), max_length=500)
    because = models.TextField(_("because"))
    added_at = models.DateTimeField(default=timezone.now, editable=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta(TenantModel.Meta):
        verbose_name = _("why (5 whys)")
        ordering = ["investigation", "position"]
        constraints = [models.UniqueConstraint(fields=["investigation", "position"], name="inc_why_position")]


class ContributoryFactor(TenantModel):
    """A factor that contributed, filed under a category of ``CONTRIBUTORY_FACTOR_CATEGORIES``."""

    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="factors")
    category = models.CharField(_("category"), max_length=20, choices=list(CONTRIBUTORY_FACTOR_CATEGORIES.items()))
    detail = models.TextField(_("what contributed"))
    added_at = models.DateTimeField(default=timezone.now, editable=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_reason = models.TextField(blank=True, editable=False)

    class Meta(TenantModel.Meta):
        verbose_name = _("contributory factor")
        ordering = ["investigation", "category", "pk"]
        indexes = [models.Index(fields=["home", "category"], name="inc_factor_home_cat")]

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class InvestigationAction(Versioned, TenantModel):
    """Something to change so it does not happen again: who does it by when, tracked to done."""

    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="actions")
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="+", editable=False)
    description = models.TextField(_("action"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due by"))
    status = models.CharField(_("status"), max_length=6, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_note = models.TextField(_("what was done"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta(TenantModel.Meta):
        verbose_name = _("action")
        ordering = ["status", "due_on", "pk"]
        indexes = [models.Index(fields=["home", "status", "due_on"], name="inc_action_home_status_due")]
        constraints = [
            models.CheckConstraint(
                name="inc_action_done_has_date",
                condition=models.Q(status="open") | (models.Q(status="done") & models.Q(done_on__isnull=False)),
            ),
        ]

    @property
    def is_done(self) -> bool:
        return self.status == ActionStatus.DONE

    def is_overdue(self, today=None) -> bool:
        return not self.is_done and self.due_on < (today or timezone.localdate())


class LessonAudience(models.TextChoices):
    ALL_STAFF = "all", _("All staff of the home")
    ROLES = "roles", _("Staff in chosen roles")


class LessonLearned(TenantModel):
    """What the home learned, shared with its staff; each reader marks "I have read this"."""

    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="lessons")
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="+", editable=False)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("the lesson"))
    audience = models.CharField(_("shared with"), max_length=6, choices=LessonAudience.choices)
    roles = models.JSONField(_("roles"), default=list, blank=True)  # role codes when audience is "roles"
    shared_at = models.DateTimeField(default=timezone.now, editable=False)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)

    class Meta(TenantModel.Meta):
        verbose_name = _("lesson learned")
        ordering = ["-shared_at", "-pk"]
        indexes = [models.Index(fields=["home", "shared_at"], name="inc_lesson_home_shared")]

    def __str__(self) -> str:
        return self.title


class LessonRead(TenantModel):
    """A read receipt: this member of staff said they have read the lesson (once)."""

    lesson = models.ForeignKey(LessonLearned, on_delete=models.PROTECT, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta(TenantModel.Meta):
        verbose_name = _("read receipt")
        ordering = ["lesson", "read_at"]
        constraints = [models.UniqueConstraint(fields=["lesson", "user"], name="inc_lesson_read_once")]
