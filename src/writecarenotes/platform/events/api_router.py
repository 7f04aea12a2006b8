"""/api/v1/events: the dead-letter list and its retry operation (provider admins)."""

from datetime import datetime
from uuid import UUID

from django.http import Http404
from ninja import Router, Schema

from writecarenotes.platform.events.dispatcher import retry_dead_letter
from writecarenotes.platform.events.models import Delivery
from writecarenotes.platform.events.views import dead_letter_list
from writecarenotes.platform.identity.permissions import requires

router = Router(tags=["events"])


class DeliveryOut(Schema):
    id: int
    event_id: UUID
    event: str
    version: int
    home_id: int
    subscriber: str
    context: str
    status: str
    attempts: int
    next_attempt_at: datetime
    dead_at: datetime | None
    last_error: str

    @staticmethod
    def resolve_event(obj):
        return obj.event.name

    @staticmethod
    def resolve_version(obj):
        return obj.event.version


@router.get("/dead-letters", response=list[DeliveryOut], summary="Deliveries that failed every attempt")
@requires("integration", "manage")
def list_dead_letters(request):
    return list(dead_letter_list()[:200])


@router.post("/dead-letters/{delivery_id}/retry", response=DeliveryOut, summary="Try a failed delivery again")
@requires("integration", "manage")
def retry(request, delivery_id: int):
    try:
        return retry_dead_letter(delivery_id)
    except Delivery.DoesNotExist:
        raise Http404("No such failed delivery.") from None
