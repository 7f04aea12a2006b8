"""Domain events of incidents (service 22), one module per sub-domain; this module is the public list."""

from writecarenotes.incidents.events_duties import *  # noqa: F403
from writecarenotes.incidents.events_followups import *  # noqa: F403
from writecarenotes.incidents.events_investigation import *  # noqa: F403
from writecarenotes.incidents.events_notifications import *  # noqa: F403
from writecarenotes.incidents.events_report import *  # noqa: F403
