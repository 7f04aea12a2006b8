"""Duties after an incident: the duty of candour, safeguarding, and telling relatives and the GP.

Every required step is a ``DutyStep`` row with its due time, who did it, when and what was said; a
step is never deleted: when the facts change and it is no longer required it is marked so with the
reason (``services_duties``). A safeguarding record (``SafeguardingRecord``) holds the concern, the
protection put in place, the referral to the local authority and the outcome of its enquiry; each
relative or GP told is an ``InformedEntry``.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.audit.versions import Versioned
from writecarenotes.platform.tenancy.models import TenantModel

__all__ = [
    "AddressedAs",
    "DutyKind",
    "DutyStep",
    "InformedEntry",
    "InformedMethod",
    "InformedParty",
    "SAFEGUARDING_LAW",
    "SafeguardingLaw",
    "SafeguardingRecord",
    "StepStatus",
]


class DutyKind(models.TextChoices):
    CANDOUR = "candour", _("Duty of candour")
    SAFEGUARDING = "safeguarding", _("Safeguarding")
    INFORMED = "informed", _("Relatives and GP informed")


class StepStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    DECLINED = "declined", _("Could not be done (reason recorded)")
    NOT_REQUIRED = "not_required", _("No longer required")


class AddressedAs(models.TextChoices):
    """Who the candour steps were addressed to (reg 20(7) "relevant person" and its equivalents)."""

    SELF = "self", _("The person themself")
    LACKS_CAPACITY = "lacks_capacity", _("Their representative: the person lacks capacity")
    DIED = "died", _("Their representative: the person has died")
    NOMINATED = "nominated", _("Someone the person asked us to tell")


class DutyStep(TenantModel):
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="duty_steps")
    kind = models.CharField(_("duty"), max_length=15, choices=DutyKind.choices)
    key = models.CharField(max_length=40)  # rules.candour step key, "protection", "referral", "relative", "gp"
    title = models.CharField(_("step"), max_length=200)
    detail = models.TextField(_("what it asks"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    statutory = models.BooleanField(_("a legal duty"), default=True)
    due_at = models.DateTimeField(_("due by"), null=True, blank=True)
    due_basis = models.CharField(max_length=10, blank=True)  # "law", "target", "policy"
    needs_sent_on = models.BooleanField(default=False)  # the written follow-up records the date sent
    status = models.CharField(_("status"), max_length=15, choices=StepStatus.choices, default=StepStatus.OPEN)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(_("what was said or done"), blank=True)
    addressed_to = models.CharField(_("told to (name)"), max_length=200, blank=True)
    addressed_as = models.CharField(_("who they are"), max_length=20, choices=AddressedAs.choices, blank=True)
    sent_on = models.DateField(_("date sent"), null=True, blank=True)
    status_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta(TenantModel.Meta):
        verbose_name = _("duty step")
        ordering = ["incident", "kind", "due_at", "pk"]
        indexes = [
            models.Index(fields=["home", "status", "due_at"], name="inc_duty_home_status_due"),
            models.Index(fields=["incident", "status"], name="inc_duty_incident_status"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["incident", "kind", "key"], name="inc_duty_step_once"),
            models.CheckConstraint(
                name="inc_duty_done_has_time",
                condition=~models.Q(status="done") | models.Q(done_at__isnull=False),
            ),
            models.CheckConstraint(
                name="inc_duty_closed_has_reason",
                condition=~models.Q(status__in=["declined", "not_required"]) | ~models.Q(status_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == StepStatus.OPEN

    def is_overdue(self, now=None) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < (now or timezone.now())


class SafeguardingLaw:
    """Per nation: the adult safeguarding law, who receives the referral, and the referral time limit."""

    def __init__(self, law: str, authority: str, refer_within: timedelta, refer_basis: str, source: str):
        self.law = law
        self.authority = authority
        self.refer_within = refer_within
        self.refer_basis = refer_basis  # "policy": local multi-agency policy, not a statutory time
        self.source = source


#: The referral time limit is not set by the statutes: it is the local multi-agency policy's (commonly
#: the same day / within 24 hours). It is data here, marked "policy", for the home to follow its own.
SAFEGUARDING_LAW: dict[str, SafeguardingLaw] = {
    "england": SafeguardingLaw(
        "Care Act 2014, section 42 (enquiry by the local authority)",
        _("the local authority's adult social care (safeguarding) team"),
        timedelta(hours=24),
        "policy",
        "Care Act 2014 s 42; Care and Support Statutory Guidance ch. 14; referral time: local multi-agency policy",
    ),
    "wales": SafeguardingLaw(
        "Social Services and Well-being (Wales) Act 2014, sections 126-128",
        _("the local authority (adult at risk report)"),
        timedelta(hours=24),
        "policy",
        "SSWA 2014 ss 126-128; Wales Safeguarding Procedures (2019); referral time: local policy",
    ),
    "scotland": SafeguardingLaw(
        "Adult Support and Protection (Scotland) Act 2007 (council's duty to inquire, s 4)",
        _("the council's adult protection team"),
        timedelta(hours=24),
        "policy",
        "ASP(S)A 2007 ss 4-5; ASP Code of Practice; referral time: local policy",
    ),
    "northern_ireland": SafeguardingLaw(
        "Adult Safeguarding: Prevention and Protection in Partnership (2015) and the Adult Protection "
        "Operational Procedures",
        _("the HSC Trust's Adult Protection Gateway service"),
        timedelta(hours=24),
        "policy",
        "Adult Safeguarding: Prevention and Protection in Partnership (DHSSPS/DoJ 2015); referral time: "
        "regional operational procedures (unverified)",
    ),
    "ireland": SafeguardingLaw(
        "HSE Safeguarding Vulnerable Persons at Risk of Abuse: National Policy and Procedures",
        _("the HSE Safeguarding and Protection Team"),
        timedelta(hours=24),
        "policy",
        "HSE national safeguarding policy (2014) and HIQA National Standards for Adult Safeguarding (2019); "
        "referral time: local policy (unverified)",
    ),
}


class SafeguardingRecord(Versioned, TenantModel):
    """One per incident where abuse is alleged. Every change is a new version with its reason."""

    incident = models.OneToOneField("incidents.Incident", on_delete=models.PROTECT, related_name="safeguarding")
    nation = models.CharField(max_length=20)
    concern = models.TextField(_("the concern"))
    immediate_protection = models.TextField(_("immediate protection actions"), blank=True)
    protection_at = models.DateTimeField(_("protection put in place at"), null=True, blank=True)
    referred_at = models.DateTimeField(_("referred at"), null=True, blank=True)
    authority_name = models.CharField(_("local authority"), max_length=200, blank=True)
    referral_reference = models.CharField(_("referral reference"), max_length=100, blank=True)
    outcome = models.TextField(_("outcome of the enquiry"), blank=True)
    outcome_at = models.DateTimeField(_("outcome received at"), null=True, blank=True)
    opened_at = models.DateTimeField(default=timezone.now, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # None: opened by the system (an incident raised from another service's event)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta(TenantModel.Meta):
        verbose_name = _("safeguarding record")
        ordering = ["-opened_at", "pk"]

    def __str__(self) -> str:
        return f"Safeguarding: incident {self.incident_id}"

    @property
    def law(self) -> SafeguardingLaw | None:
        return SAFEGUARDING_LAW.get(self.nation)


class InformedParty(models.TextChoices):
    RELATIVE = "relative", _("Relative")
    REPRESENTATIVE = "representative", _("Representative (attorney, deputy, advocate)")
    GP = "gp", _("GP")
    OTHER = "other", _("Other professional")


class InformedMethod(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Telephone")
    VIDEO = "video", _("Video call")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("Email")


class InformedEntry(TenantModel):
    """A relative, representative or GP told about the incident: who, when, by whom, how, what was said."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="informed")
    party = models.CharField(_("who"), max_length=15, choices=InformedParty.choices)
    name = models.CharField(_("name"), max_length=200)
    relationship = models.CharField(_("relationship, or GP practice"), max_length=200)
    informed_at = models.DateTimeField(_("when"))
    method = models.CharField(_("how"), max_length=10, choices=InformedMethod.choices)
    what_said = models.TextField(_("what was said"))
    informed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta(TenantModel.Meta):
        verbose_name = _("relative or GP informed")
        ordering = ["incident", "informed_at", "pk"]
