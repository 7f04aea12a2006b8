"""Domain events of medication (service 5), one module per sub-domain; this module is the public list."""

from writecarenotes.medication.events_controlled import *  # noqa: F403
from writecarenotes.medication.events_errors import *  # noqa: F403
from writecarenotes.medication.events_orders import *  # noqa: F403
from writecarenotes.medication.events_rounds import *  # noqa: F403
from writecarenotes.medication.events_safety import *  # noqa: F403
from writecarenotes.medication.events_stock import *  # noqa: F403
