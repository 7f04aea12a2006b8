"""Incident models, one module per sub-domain."""

from writecarenotes.incidents.models.duties import *  # noqa: F403
from writecarenotes.incidents.models.followups import *  # noqa: F403
from writecarenotes.incidents.models.incidents import *  # noqa: F403
from writecarenotes.incidents.models.investigation import *  # noqa: F403
from writecarenotes.incidents.models.notifications import *  # noqa: F403
