from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.residents import nhs_number
from writecarenotes.residents.models import Resident, ResidentStatus

CURRENT = [ResidentStatus.IN_RESIDENCE, ResidentStatus.TEMPORARILY_ABSENT]
_NHS_CHARACTERS = set("0123456789 -")


def search(q: str):
    """Residents of the active scope. With no search text: the current ones (in residence or away).

    With text, every resident (any status) whose names contain every word, or whose room is a word,
    or (text of digits, spaces and dashes only) whose NHS number starts with those digits.
    """
    qs = Resident.objects.select_related("unit", "room", "home")
    q = q.strip()
    if not q:
        return qs.filter(status__in=CURRENT).order_by("unit__sort_order", "room__number", "legal_family_name")
    by_words = Q()
    for word in q.split():
        by_words &= (
            Q(legal_family_name__icontains=word)
            | Q(legal_given_names__icontains=word)
            | Q(preferred_name__icontains=word)
            | Q(room__number__iexact=word)
        )
    cond = by_words
    digits = nhs_number.normalise(q)
    if len(digits) >= 3 and set(q) <= _NHS_CHARACTERS:
        cond |= Q(nhs_number__startswith=digits)
    return qs.filter(cond).order_by("unit__sort_order", "room__number", "legal_family_name")


@requires("residents", "view")
def resident_list(request):
    q = request.GET.get("q", "")[:100]
    residents = list(search(q))
    return render(request, "residents/list.html", {"residents": residents, "q": q})


@requires("residents", "view")
def resident_detail(request, pk: int):
    resident = get_object_or_404(Resident.objects.select_related("unit", "room", "home"), pk=pk)
    record_read("residents.resident", resident.pk, home=resident.home_id, part="profile", label=resident.display_name)
    return render(request, "residents/detail.html", {"resident": resident})
