"""What residents adds to the landing dashboard: a panel of residents per unit, and the
"occupied beds" fact of each home (read by platform.web.panels through the app registry)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from writecarenotes.platform.tenancy.models import Unit
from writecarenotes.residents.models import Resident, ResidentStatus

_IN = ResidentStatus.IN_RESIDENCE
_AWAY = ResidentStatus.TEMPORARILY_ABSENT


def residents_panel(request):
    """Residents in residence and temporarily away, unit by unit (home by home in "All homes")."""
    access = request.access
    if not access.can("residents", "view"):
        return None
    units = list(
        Unit.objects.select_related("home")
        .annotate(
            in_residence=Count("residents", filter=Q(residents__status=_IN)),
            away=Count("residents", filter=Q(residents__status=_AWAY)),
        )
        .order_by("home__name", "sort_order", "name")
    )
    totals = Resident.objects.aggregate(
        in_residence=Count("pk", filter=Q(status=_IN)),
        away=Count("pk", filter=Q(status=_AWAY)),
        enquiries=Count("pk", filter=Q(status__in=[ResidentStatus.ENQUIRY, ResidentStatus.PRE_ADMISSION])),
        no_unit=Count("pk", filter=Q(status__in=[_IN, _AWAY], unit__isnull=True)),
    )
    return {
        "order": 10,
        "template": "residents/panel.html",
        "title": _("Residents"),
        "units": units,
        "show_home": access.all_homes,
        **totals,
    }


def occupancy_facts(request, homes) -> list[dict]:
    """Facts for the home panel: beds occupied (in residence, with a room) and beds kept for
    residents who are temporarily away (hospital, family visit)."""
    ids = [h.pk for h in homes]
    rows = (
        Resident.objects.filter(home_id__in=ids, room__isnull=False)
        .values("home_id")
        .annotate(
            occupied=Count("pk", filter=Q(status=_IN)),
            kept=Count("pk", filter=Q(status=_AWAY)),
        )
    )
    occupied = dict.fromkeys(ids, 0)
    kept = dict.fromkeys(ids, 0)
    for row in rows:
        occupied[row["home_id"]] = row["occupied"]
        kept[row["home_id"]] = row["kept"]
    return [
        {"key": "occupied_beds", "label": _("Occupied beds"), "values": occupied},
        {"key": "kept_beds", "label": _("Beds kept for residents away"), "values": kept},
    ]
