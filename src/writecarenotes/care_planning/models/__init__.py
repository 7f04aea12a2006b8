"""Care planning models, one module per sub-domain."""

from writecarenotes.care_planning.models.capacity import *  # noqa: F403
from writecarenotes.care_planning.models.pathways import *  # noqa: F403
from writecarenotes.care_planning.models.plans import *  # noqa: F403
from writecarenotes.care_planning.models.risks import *  # noqa: F403
