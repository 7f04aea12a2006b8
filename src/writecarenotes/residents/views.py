from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from writecarenotes.platform.identity.permissions import requires
from writecarenotes.residents import nhs_number
from writecarenotes.residents.models import Resident, ResidentStatus

CURRENT = [ResidentStatus.IN_RESIDENCE, ResidentStatus.TEMPORARILY_ABSENT]


def search(q: str):
    qs = Resident.objects.select_related("unit", "room", "home")
    q = q.strip()
    if q:
        digits = nhs_number.normalise(q)
        cond = (
            Q(legal_family_name__icontains=q)
            | Q(legal_given_names__icontains=q)
            | Q(preferred_name__icontains=q)
            | Q(room__number__iexact=q)
        )
        if len(digits) >= 3:
            cond |= Q(nhs_number__startswith=digits)
        qs = qs.filter(cond)
    else:
        qs = qs.filter(status__in=CURRENT)
    return qs.order_by("unit__sort_order", "room__number", "legal_family_name")


@requires("residents", "view")
def resident_list(request):
    q = request.GET.get("q", "")
    residents = list(search(q))
    return render(request, "residents/list.html", {"residents": residents, "q": q})


@requires("residents", "view")
def resident_detail(request, pk: int):
    resident = get_object_or_404(Resident.objects.select_related("unit", "room", "home"), pk=pk)
    return render(request, "residents/detail.html", {"resident": resident})
