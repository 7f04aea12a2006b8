"""Proposing care plans from a resident's latest assessment results (the mapping: ``proposals_plans``).

``propose_from_assessments`` reads the latest current result of each tool (``assessments.public``)
and the last weight (``care_records.public``, for the fluid target), and creates one PROPOSED plan per
need domain the results point to, with its goals and interventions, in one transaction. A domain that
already has a plan (proposed, agreed or under review) is skipped and said so: the nurse changes that
plan instead. Nothing is agreed here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.assessments.public import latest_results
from writecarenotes.care_planning.models.plans import CarePlan, Domain, PlanStatus
from writecarenotes.care_planning.proposals_plans import propose
from writecarenotes.care_planning.services_plans import create_plan, plan_resident
from writecarenotes.care_records.public import weights

#: the fluid target uses the last weight of this period
WEIGHT_LOOKBACK = timedelta(days=183)


@dataclass
class ProposalOutcome:
    created: list[CarePlan] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (domain, why)
    results_used: int = 0

    @property
    def nothing_to_propose(self) -> bool:
        return not self.created and not self.skipped


def propose_from_assessments(resident_id: int, *, user, now=None) -> ProposalOutcome:
    ref = plan_resident(resident_id)
    now = now or timezone.now()
    results = latest_results(ref.id)
    series = weights(ref.id, now - WEIGHT_LOOKBACK)
    proposals = propose(results, latest_weight_kg=series[-1][1] if series else None, today=timezone.localdate(now))
    outcome = ProposalOutcome(results_used=len(results))
    with transaction.atomic():
        existing = set(
            CarePlan.objects.filter(resident_id=ref.id)
            .exclude(status=PlanStatus.ARCHIVED)
            .values_list("domain", flat=True)
        )
        for domain, p in proposals.items():
            if domain in existing:
                outcome.skipped.append(
                    (domain, _("There is already a plan for %(need)s.") % {"need": Domain(domain).label})
                )
                continue
            plan = create_plan(
                resident_id=ref.id,
                domain=domain,
                user=user,
                needs="\n".join(p.needs),
                assessments=p.assessments,
                proposal_reasons=p.reasons,
                goals=p.goals,
                interventions=p.interventions,
                source="assessments",
            )
            outcome.created.append(plan)
    return outcome
