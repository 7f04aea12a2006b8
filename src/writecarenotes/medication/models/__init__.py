"""Medication models, one module per sub-domain."""

from writecarenotes.medication.models.administrations import *  # noqa: F403
from writecarenotes.medication.models.controlled import *  # noqa: F403
from writecarenotes.medication.models.errors import *  # noqa: F403
from writecarenotes.medication.models.medicines import *  # noqa: F403
from writecarenotes.medication.models.orders import *  # noqa: F403
from writecarenotes.medication.models.reconciliation import *  # noqa: F403
from writecarenotes.medication.models.rounds import *  # noqa: F403
from writecarenotes.medication.models.special import *  # noqa: F403
from writecarenotes.medication.models.stock import *  # noqa: F403
