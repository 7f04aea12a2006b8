"""Care plans by need domain, their goals, interventions (the carers' tasks), task completions and reviews.

"The assessment drives the care plan, the care plan drives the carer's tasks, and the daily records
feed back into the next review" (issue 5):

- ``CarePlan``: one per resident and need domain while it is in force (at most one that is not
  archived). ``proposed`` (made by a nurse, or proposed from assessment results:
  ``proposals_plans``) -> ``agreed`` (with the resident's or their representative's involvement)
  -> ``under_review`` (a review is due now: a worse assessment band, an incident, an overdue
  monthly review, or a review that decided to change the plan) -> ``agreed`` again, or
  ``archived``. A plan that is agreed or under review is in force: its interventions are on the
  carers' task lists.
- ``Goal``: measurable, with a target date and a status; ``GoalProgress`` entries are never changed.
- ``Intervention``: what to do and how often (``ScheduleKind``); optionally linked to a daily-records
  chart (``chart``: a care_records chart slug), so a matching chart entry counts as the task done.
  A repositioning interval or a fluid target on an agreed plan sets the resident's chart settings
  (event ``care_plan.agreed`` -> care_records' subscriber).
- ``TaskCompletion``: a carer's "done" or "not done, because ..." for one due time of an intervention.
- ``Review``: a held review: when, by whom, the outcome, involvement and agreement, and what the
  records said since the last review (``records``, a snapshot kept with the review).

Plans, goals and interventions are versioned (``audit.save_version``: every change after creation
needs a reason); nothing is deleted: a plan is archived, an intervention ended, a goal closed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.audit.versions import Versioned
from writecarenotes.platform.tenancy.models import TenantModel

__all__ = [
    "CHART_CHOICES",
    "CarePlan",
    "Domain",
    "Goal",
    "GoalProgress",
    "GoalStatus",
    "Intervention",
    "NotDoneReason",
    "PlanStatus",
    "Review",
    "ReviewOutcome",
    "ReviewReason",
    "ScheduleKind",
    "TaskCompletion",
    "TaskOutcome",
]


class Domain(models.TextChoices):
    PERSONAL_CARE = "personal_care", _("Personal care")
    MOBILITY = "mobility_falls", _("Mobility and falls")
    NUTRITION = "nutrition_hydration", _("Nutrition and hydration")
    CONTINENCE = "continence", _("Continence")
    SKIN = "skin_integrity", _("Skin integrity")
    COMMUNICATION = "communication", _("Communication")
    COGNITION = "cognition", _("Cognition")
    MENTAL_HEALTH = "mental_health", _("Mental health and behaviour")
    MEDICATION = "medication", _("Medication")
    SLEEP = "sleep", _("Sleep")
    SOCIAL = "social_activities", _("Social and activities")
    SPIRITUALITY = "spirituality", _("Spirituality")
    END_OF_LIFE = "end_of_life", _("End of life")


class PlanStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    AGREED = "agreed", _("Agreed")
    UNDER_REVIEW = "under_review", _("Under review")
    ARCHIVED = "archived", _("Archived")


#: plans whose interventions are carried out (on the carers' task lists)
IN_FORCE = (PlanStatus.AGREED.value, PlanStatus.UNDER_REVIEW.value)


class ReviewReason(models.TextChoices):
    MONTHLY = "monthly", _("Regular review")
    BAND_WORSENED = "band_worsened", _("An assessment shows a higher risk")
    INCIDENT = "incident", _("After an incident")
    OVERDUE = "overdue", _("Review overdue")
    CHANGE = "change", _("The review decided to change the plan")
    MANUAL = "manual", _("Asked for")


class CarePlan(TenantModel, Versioned):
    version_exclude = ("version", "overdue_notified_for", "review_trigger")

    resident = models.ForeignKey("residents.Resident", on_delete=models.PROTECT, related_name="+")
    domain = models.CharField(_("need"), max_length=30, choices=Domain.choices)
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.PROPOSED)
    in_my_words = models.TextField(
        _("What matters to me, in my own words"),
        blank=True,
        help_text=_("The person's own words (or their representative's, saying so)."),
    )
    needs = models.TextField(_("Needs"), blank=True)
    #: the assessment results behind the plan: [{tool, result_id, total, band, summary, assessed_at}]
    assessments = models.JSONField(_("assessments behind the plan"), default=list, blank=True)
    #: why the plan was proposed (rules of the proposal with their sources), kept for the reader
    proposal_reasons = models.JSONField(_("why proposed"), default=list, blank=True)

    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    resident_involved = models.BooleanField(_("the resident was involved"), null=True, blank=True)
    representative_name = models.CharField(_("representative's name"), max_length=120, blank=True)
    representative_relationship = models.CharField(_("relationship to the resident"), max_length=80, blank=True)
    agreement_recorded = models.BooleanField(_("agreement given"), null=True, blank=True)
    agreement_notes = models.TextField(_("notes on involvement and agreement"), blank=True)

    review_every_months = models.PositiveSmallIntegerField(
        _("review every (months)"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    next_review_on = models.DateField(_("next review due"), null=True, blank=True)
    review_reason = models.CharField(
        _("why the review is due"), max_length=20, choices=ReviewReason.choices, blank=True
    )
    #: what asked for the review (e.g. "assessment:<result id>"): the same trigger twice changes nothing
    review_trigger = models.CharField(max_length=80, blank=True, editable=False)
    #: the due date for which ``care_plan.review_overdue`` was published (once per due date)
    overdue_notified_for = models.DateField(null=True, blank=True, editable=False)

    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    archive_reason = models.TextField(_("why archived"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta(TenantModel.Meta):
        verbose_name = _("care plan")
        ordering = ["resident_id", "domain", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "domain"],
                condition=~models.Q(status="archived"),
                name="uniq_plan_in_force_per_domain",
            )
        ]
        indexes = [
            models.Index(fields=["resident", "status"], name="plan_res_status"),
            models.Index(fields=["home", "next_review_on"], name="plan_home_review"),
        ]

    def __str__(self) -> str:
        return str(self.get_domain_display())

    @property
    def in_force(self) -> bool:
        return self.status in IN_FORCE

    def review_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.in_force and self.next_review_on is not None and self.next_review_on < today

    def review_due(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.in_force and self.next_review_on is not None and self.next_review_on <= today


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Working towards it")
    ACHIEVED = "achieved", _("Achieved")
    PARTLY = "partly", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")
    STOPPED = "stopped", _("No longer a goal")


class Goal(TenantModel, Versioned):
    version_exclude = ("version",)

    plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="goals")
    text = models.TextField(_("goal"), help_text=_("What should be achieved, so that anyone can tell whether it was."))
    measure = models.CharField(_("how we will know"), max_length=300, blank=True)
    target_on = models.DateField(_("target date"))
    status = models.CharField(_("status"), max_length=20, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    sort_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta(TenantModel.Meta):
        verbose_name = _("goal")
        ordering = ["plan_id", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class GoalProgress(TenantModel):
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="progress")
    on = models.DateField(_("date"))
    note = models.TextField(_("progress"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta(TenantModel.Meta):
        verbose_name = _("goal progress")
        ordering = ["goal_id", "-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.on}: {self.note[:60]}"


class ScheduleKind(models.TextChoices):
    EVERY_N_HOURS = "every_n_hours", _("Every few hours")
    TIMES_OF_DAY = "times_of_day", _("At set times of day")
    EACH_SHIFT = "each_shift", _("Once each shift")
    EVERY_N_DAYS = "every_n_days", _("Every few days (weekly, monthly)")
    AS_NEEDED = "as_needed", _("As needed")


#: daily-records charts an intervention may be recorded on (care_records chart slugs)
CHART_CHOICES = [
    ("", _("Not recorded on a chart")),
    ("repositioning", _("Repositioning chart")),
    ("food-fluid", _("Food and fluid chart")),
    ("continence", _("Continence chart")),
    ("weight", _("Weight")),
    ("vital-signs", _("Vital signs (NEWS2)")),
    ("blood-glucose", _("Blood glucose")),
    ("behaviour", _("Behaviour chart")),
    ("sleep", _("Night checks (sleep)")),
]


class Intervention(TenantModel, Versioned):
    version_exclude = ("version",)

    plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="interventions")
    what = models.TextField(_("what to do"))
    schedule_kind = models.CharField(_("how often"), max_length=20, choices=ScheduleKind.choices)
    every_hours = models.PositiveSmallIntegerField(
        _("every (hours)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    every_days = models.PositiveSmallIntegerField(
        _("every (days)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(92)]
    )
    #: local times "HH:MM" (times of day; for "every few days" the first is the time of day)
    times = models.JSONField(_("times of day"), default=list, blank=True)
    chart = models.CharField(_("recorded on"), max_length=20, choices=CHART_CHOICES, blank=True)
    fluid_target_ml = models.PositiveIntegerField(
        _("daily fluid target (ml)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(100), MaxValueValidator(5000)],
    )
    repositioning_hours = models.PositiveSmallIntegerField(
        _("reposition every (hours)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    #: first due day of an "every few days" intervention (its rhythm)
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    active = models.BooleanField(_("in use"), default=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.TextField(_("why ended"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta(TenantModel.Meta):
        verbose_name = _("intervention")
        ordering = ["plan_id", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.what[:80]

    def how_often(self) -> str:
        """The schedule in plain words ("every 4 hours, day and night", "at 08:00 and 20:30")."""
        from django.utils.text import get_text_list

        kind = self.schedule_kind
        if kind == ScheduleKind.EVERY_N_HOURS and self.every_hours:
            return str(_("every %(n)s hours, day and night") % {"n": self.every_hours})
        if kind == ScheduleKind.TIMES_OF_DAY and self.times:
            return str(_("at %(times)s") % {"times": get_text_list(list(self.times), str(_("and")))})
        if kind == ScheduleKind.EACH_SHIFT:
            return str(_("once each shift (day and night)"))
        if kind == ScheduleKind.EVERY_N_DAYS and self.every_days:
            if self.every_days == 7:
                return str(_("once a week"))
            return str(_("every %(n)s days") % {"n": self.every_days})
        return str(_("when needed"))


class TaskOutcome(models.TextChoices):
    DONE = "done", _("Done")
    NOT_DONE = "not_done", _("Not done")


class NotDoneReason(models.TextChoices):
    DECLINED = "declined", _("The person declined")
    ASLEEP = "asleep", _("Asleep, not woken")
    AWAY = "away", _("Away from the home or unit")
    UNWELL = "unwell", _("Unwell: told the nurse")
    NOT_NEEDED = "not_needed", _("Not needed this time")
    OTHER = "other", _("Another reason (say which)")


class TaskCompletion(TenantModel):
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="completions")
    resident = models.ForeignKey("residents.Resident", on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField(_("due at"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=TaskOutcome.choices)
    done_at = models.DateTimeField(_("time"))
    reason = models.CharField(_("why not done"), max_length=20, choices=NotDoneReason.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta(TenantModel.Meta):
        verbose_name = _("task completion")
        ordering = ["-due_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["intervention", "due_at"], name="uniq_task_per_due_time")]
        indexes = [models.Index(fields=["resident", "due_at"], name="task_res_due")]

    def __str__(self) -> str:
        return f"{self.intervention_id} {self.due_at:%Y-%m-%d %H:%M} {self.outcome}"


class ReviewOutcome(models.TextChoices):
    CONTINUE = "continue", _("Continue the plan as it is")
    CHANGE = "change", _("Change the plan")
    CLOSE = "close", _("Close the plan (need met)")


class Review(TenantModel):
    plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="reviews")
    due_on = models.DateField(_("was due on"), null=True, blank=True)
    reason = models.CharField(_("why it was due"), max_length=20, choices=ReviewReason.choices, blank=True)
    held_on = models.DateField(_("held on"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(_("summary of the review"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=ReviewOutcome.choices)
    resident_involved = models.BooleanField(_("the resident was involved"), null=True, blank=True)
    representative_name = models.CharField(_("representative's name"), max_length=120, blank=True)
    representative_relationship = models.CharField(_("relationship to the resident"), max_length=80, blank=True)
    agreement_recorded = models.BooleanField(_("agreement given"), null=True, blank=True)
    agreement_notes = models.TextField(_("notes on involvement and agreement"), blank=True)
    #: the period the records cover, and what they said (a snapshot: the records may be corrected later)
    period_start = models.DateTimeField(_("records from"))
    period_end = models.DateTimeField(_("records to"))
    records = models.JSONField(_("what the records say"), default=dict, blank=True)
    records_text = models.TextField(_("what the records say (as shown)"), blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta(TenantModel.Meta):
        verbose_name = _("care plan review")
        ordering = ["plan_id", "-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.plan_id} reviewed {self.held_on}"
