"""Mental capacity records: decision-specific capacity assessments (the two-stage test of the
Mental Capacity Act 2005), best-interest decisions, and liberty records kept under the framework
of the home's nation (DoLS in England and Wales; the Adults with Incapacity (Scotland) Act 2000;
the Mental Capacity Act (Northern Ireland) 2016; the Assisted Decision-Making (Capacity) Act 2015
in Ireland). The law is in ``care_planning.capacity_rules``; every change is a named service in
``services_capacity`` / ``services_capacity_liberty``.

Assessments and best-interest decisions are point-in-time records: a correction strikes the
record through (with the reason) and points at its replacement. A liberty record moves through
its life (requested -> in force -> ended / expired, or refused) as new versions with a reason
(``audit.save_version``); ``version`` is its ETag.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.care_planning import capacity_rules as rules
from writecarenotes.platform.audit.versions import Versioned
from writecarenotes.platform.tenancy.models import TenantModel

__all__ = ["BestInterestDecision", "CapacityAssessment", "CapacityOutcome", "LibertyRecord", "LibertyStatus"]


class CapacityOutcome(models.TextChoices):
    HAS_CAPACITY = rules.HAS_CAPACITY, _("Has capacity for this decision")
    LACKS_CAPACITY = rules.LACKS_CAPACITY, _("Lacks capacity for this decision")


def _user_fk(label, **kw):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=label, **kw
    )


class _Struck(TenantModel):
    """Point-in-time record that is corrected by striking it through and replacing it."""

    resident = models.ForeignKey("residents.Resident", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    recorded_by = _user_fk(_("recorded by"))
    struck_at = models.DateTimeField(_("struck through at"), null=True, blank=True, editable=False)
    struck_by = _user_fk(_("struck through by"), null=True, blank=True, editable=False)
    struck_reason = models.TextField(_("reason for correction"), blank=True, editable=False)
    replaced_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="+", null=True, blank=True, editable=False
    )

    class Meta(TenantModel.Meta):
        abstract = True

    @property
    def is_struck(self) -> bool:
        return self.struck_at is not None


class CapacityAssessment(_Struck):
    decision = models.CharField(_("the decision to be made"), max_length=300)
    # stage 1 (s.2(1)): impairment of, or disturbance in the functioning of, the mind or brain
    impairment = models.BooleanField(_("impairment of, or disturbance in the functioning of, the mind or brain"))
    impairment_evidence = models.TextField(_("evidence (stage 1)"))
    # stage 2 (s.3(1)): the functional test, each with its evidence
    understand = models.BooleanField(_("able to understand the relevant information"))
    understand_evidence = models.TextField(_("evidence: understand"))
    retain = models.BooleanField(_("able to retain the information"))
    retain_evidence = models.TextField(_("evidence: retain"))
    use_weigh = models.BooleanField(_("able to use or weigh the information"))
    use_weigh_evidence = models.TextField(_("evidence: use or weigh"))
    communicate = models.BooleanField(_("able to communicate the decision"))
    communicate_evidence = models.TextField(_("evidence: communicate"))
    # the causal link of s.2(1): unable "because of" the impairment
    because_of_impairment = models.BooleanField(_("unable because of the impairment"), null=True, blank=True)
    practicable_steps = models.TextField(_("practicable steps taken to support the decision"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=CapacityOutcome.choices)
    assessor = _user_fk(_("assessor"))
    assessed_on = models.DateField(_("date of assessment"))
    review_on = models.DateField(_("review by"), null=True, blank=True)

    class Meta(_Struck.Meta):
        verbose_name = _("capacity assessment")
        ordering = ["-assessed_on", "-pk"]
        indexes = [models.Index(fields=["resident", "assessed_on"], name="cp_capacity_res_on")]

    def __str__(self) -> str:
        return f"{self.decision}: {self.get_outcome_display()}"

    @property
    def lacks_capacity(self) -> bool:
        return self.outcome == CapacityOutcome.LACKS_CAPACITY

    def functional_rows(self) -> list[tuple[str, bool, str]]:
        return [
            (rules.FUNCTIONAL_LABELS[k], getattr(self, k), getattr(self, f"{k}_evidence")) for k in rules.FUNCTIONAL
        ]


class BestInterestDecision(_Struck):
    capacity_assessment = models.ForeignKey(
        CapacityAssessment, on_delete=models.PROTECT, related_name="+", verbose_name=_("capacity assessment")
    )
    decision = models.TextField(_("the decision made"))
    options_considered = models.TextField(_("options considered"))
    #: [{"name", "relationship", "views"}, ...] of everyone consulted (s.4(7))
    consulted = models.JSONField(_("who was consulted"), default=list)
    wishes_feelings_beliefs = models.TextField(_("the person's wishes, feelings, beliefs and values"))
    least_restrictive = models.TextField(_("why this is the least restrictive option"))
    decision_maker = models.CharField(_("decision maker"), max_length=200)
    decision_maker_role = models.CharField(_("decision maker's role"), max_length=120)
    decided_on = models.DateField(_("date of decision"))

    class Meta(_Struck.Meta):
        verbose_name = _("best-interest decision")
        ordering = ["-decided_on", "-pk"]
        indexes = [models.Index(fields=["resident", "decided_on"], name="cp_bestint_res_on")]

    def __str__(self) -> str:
        return self.decision[:80]


class LibertyStatus(models.TextChoices):
    REQUESTED = "requested", _("Applied for")
    IN_FORCE = "in_force", _("In force")
    REFUSED = "refused", _("Refused")
    ENDED = "ended", _("Ended")
    EXPIRED = "expired", _("Expired")


class LibertyRecord(Versioned, TenantModel):
    resident = models.ForeignKey("residents.Resident", on_delete=models.PROTECT, related_name="+")
    framework = models.CharField(_("framework"), max_length=20, choices=rules.FRAMEWORK_CHOICES)
    kind = models.CharField(_("kind"), max_length=30, choices=rules.KIND_CHOICES)
    status = models.CharField(_("status"), max_length=12, choices=LibertyStatus.choices)
    body = models.CharField(_("supervisory body, panel, court or service"), max_length=200, blank=True)
    reference = models.CharField(_("their reference"), max_length=60, blank=True)
    person_appointed = models.CharField(_("person appointed"), max_length=200, blank=True)
    requested_on = models.DateField(_("applied on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    start_on = models.DateField(_("starts on"), null=True, blank=True)
    end_on = models.DateField(_("ends on"), null=True, blank=True, db_index=True)
    prescribed_condition = models.BooleanField(
        _("condition prescribed for a certificate of up to 3 years"), default=False
    )
    extensions = models.PositiveSmallIntegerField(_("extensions"), default=0, editable=False)
    #: conditions attached (DoLS Sch. A1 para 53; orders' powers and conditions): list of strings
    conditions = models.JSONField(_("conditions attached"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    outcome_reason = models.TextField(_("reason (refused or ended)"), blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    #: the end date an "expiring" alert was published for (a new end date gets a new alert)
    expiry_alerted_for = models.DateField(null=True, blank=True, editable=False)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    recorded_by = _user_fk(_("recorded by"))
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now, editable=False)

    version_exclude = ("expiry_alerted_for",)

    class Meta(TenantModel.Meta):
        verbose_name = _("liberty authorisation")
        ordering = ["-recorded_at", "-pk"]
        indexes = [
            models.Index(fields=["resident", "status"], name="cp_liberty_res_status"),
            models.Index(fields=["home", "status", "end_on"], name="cp_liberty_home_end"),
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} ({self.get_status_display()})"

    @property
    def rule(self) -> rules.Kind:
        return rules.KINDS[self.kind]

    @property
    def kind_label(self) -> str:
        return str(self.rule.label)

    @property
    def is_in_force(self) -> bool:
        return self.status == LibertyStatus.IN_FORCE

    def days_left(self, today=None) -> int | None:
        if self.end_on is None:
            return None
        return (self.end_on - (today or timezone.localdate())).days
