"""The dead-letter list: deliveries that failed every attempt, with a Retry button (provider admins)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from writecarenotes.platform.events.dispatcher import retry_dead_letter
from writecarenotes.platform.events.models import Delivery, DeliveryStatus
from writecarenotes.platform.identity.permissions import requires


def dead_letter_list():
    return Delivery.objects.filter(status=DeliveryStatus.DEAD).select_related("event", "home").order_by("-dead_at")


@requires("integration", "manage")
def dead_letters(request):
    return render(request, "events/dead_letters.html", {"deliveries": list(dead_letter_list()[:200])})


@require_POST
@requires("integration", "manage")
def retry(request, pk: int):
    try:
        delivery = retry_dead_letter(pk)
    except Delivery.DoesNotExist:
        raise Http404(_("No such failed delivery.")) from None
    messages.success(
        request,
        _("Delivery of %(event)s to %(subscriber)s will be tried again now.")
        % {"event": delivery.event.name, "subscriber": delivery.subscriber},
    )
    return redirect("events:dead_letters")
