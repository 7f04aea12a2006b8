from django.db.models import Count, Q
from django.utils.translation import gettext as _

from writecarenotes.residents.models import Resident, ResidentStatus


def residents_panel(request):
    access = request.access
    if not access.can("residents", "view"):
        return None
    counts = Resident.objects.aggregate(
        in_residence=Count("pk", filter=Q(status=ResidentStatus.IN_RESIDENCE)),
        away=Count("pk", filter=Q(status=ResidentStatus.TEMPORARILY_ABSENT)),
    )
    return {"order": 10, "template": "residents/panel.html", "title": _("Residents"), **counts}
