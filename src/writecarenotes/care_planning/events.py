"""Domain events of the care planning context (service 2). Other contexts may import these classes."""

from __future__ import annotations

from writecarenotes.care_planning.events_capacity import *  # noqa: F403  (Mental Capacity Act, liberty)
from writecarenotes.care_planning.events_pathways import *  # noqa: F403  (specialist pathways 29-32)
from writecarenotes.care_planning.events_plans import *  # noqa: F403  (care plans, tasks, reviews)
from writecarenotes.care_planning.events_risks import *  # noqa: F403  (risk register)
