"""The risk register: one row per risk of a resident, rated on the NPSA 5 x 5 matrix
(``care_planning.risks_matrix``) before and after the controls in place.

A risk is never edited without a trace: every change goes through ``services_risks`` and is a
new version (``audit.save_version``, with the reason) of the whole row; a risk is closed with a
reason, never deleted. ``version`` counts the changes and is the API's ETag.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.care_planning import risks_matrix
from writecarenotes.platform.audit.versions import Versioned
from writecarenotes.platform.tenancy.models import TenantModel

__all__ = ["Risk", "RiskKind", "RiskStatus"]


class RiskKind(models.TextChoices):
    FALLS = "falls", _("Falls")
    PRESSURE_DAMAGE = "pressure_damage", _("Pressure damage")
    CHOKING = "choking", _("Choking")
    MALNUTRITION = "malnutrition", _("Malnutrition")
    DEHYDRATION = "dehydration", _("Dehydration")
    ABSCONDING = "absconding", _("Absconding / exit-seeking")
    SELF_NEGLECT = "self_neglect", _("Self-neglect")
    MEDICATION = "medication", _("Medication")
    INFECTION = "infection", _("Infection")
    BEHAVIOUR = "behaviour", _("Behaviour towards others")
    SCALDS_BURNS = "scalds_burns", _("Scalds and burns")
    BED_RAILS = "bed_rails", _("Bed rails / entrapment")
    OTHER = "other", _("Other")


class RiskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


_AXIS = [MinValueValidator(1), MaxValueValidator(5)]


class Risk(Versioned, TenantModel):
    resident = models.ForeignKey("residents.Resident", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of risk"), max_length=20, choices=RiskKind.choices)
    other_kind = models.CharField(_("what the risk is (other)"), max_length=120, blank=True)
    description = models.TextField(_("the risk for this person"))
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood"), choices=list(risks_matrix.LIKELIHOOD.items()), validators=_AXIS
    )
    impact = models.PositiveSmallIntegerField(_("impact"), choices=list(risks_matrix.IMPACT.items()), validators=_AXIS)
    score = models.PositiveSmallIntegerField(_("risk score"), editable=False)
    rating = models.CharField(_("rating"), max_length=10, choices=risks_matrix.RATING_CHOICES, editable=False)
    controls = models.TextField(_("controls in place"))
    residual_likelihood = models.PositiveSmallIntegerField(
        _("likelihood with the controls"), choices=list(risks_matrix.LIKELIHOOD.items()), validators=_AXIS
    )
    residual_impact = models.PositiveSmallIntegerField(
        _("impact with the controls"), choices=list(risks_matrix.IMPACT.items()), validators=_AXIS
    )
    residual_score = models.PositiveSmallIntegerField(_("residual score"), editable=False)
    residual_rating = models.CharField(
        _("residual rating"), max_length=10, choices=risks_matrix.RATING_CHOICES, editable=False
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    review_on = models.DateField(_("review by"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    closed_reason = models.TextField(_("reason for closing"), blank=True, editable=False)
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now, editable=False)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("raised by")
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now, editable=False)

    class Meta(TenantModel.Meta):
        verbose_name = _("risk")
        ordering = ["-residual_score", "review_on", "pk"]
        indexes = [
            models.Index(fields=["resident", "status"], name="cp_risk_res_status"),
            models.Index(fields=["home", "status", "review_on"], name="cp_risk_home_review"),
        ]
        constraints = [
            models.CheckConstraint(
                name="cp_risk_axes_1_to_5",
                condition=models.Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5)
                & models.Q(residual_likelihood__gte=1, residual_likelihood__lte=5)
                & models.Q(residual_impact__gte=1, residual_impact__lte=5),
            ),
            models.CheckConstraint(
                name="cp_risk_closed_has_reason",
                condition=models.Q(status="open") | (models.Q(status="closed") & ~models.Q(closed_reason="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_residual_rating_display()})"

    @property
    def title(self) -> str:
        return self.other_kind if self.kind == RiskKind.OTHER and self.other_kind else str(self.get_kind_display())

    @property
    def grade(self) -> risks_matrix.Grade:
        return risks_matrix.GRADE_BY_KEY[self.rating]

    @property
    def residual_grade(self) -> risks_matrix.Grade:
        return risks_matrix.GRADE_BY_KEY[self.residual_rating]

    @property
    def is_open(self) -> bool:
        return self.status == RiskStatus.OPEN

    def review_overdue(self, today=None) -> bool:
        return self.is_open and self.review_on < (today or timezone.localdate())

    def compute_ratings(self) -> None:
        """Fill the stored scores and ratings from the four axis scores (NPSA grades)."""
        self.score, grade = risks_matrix.rate(self.likelihood, self.impact)
        self.rating = grade.key
        self.residual_score, residual = risks_matrix.rate(self.residual_likelihood, self.residual_impact)
        self.residual_rating = residual.key
