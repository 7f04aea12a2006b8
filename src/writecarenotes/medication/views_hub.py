"""/medication/: the medication pages in one place (the menu keeps two entries: the round and this)."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.identity.permissions import requires

#: (url name, title, what it is for, action needed)
SECTIONS = [
    (
        "medication:round",
        _("Medication round"),
        _("Who is due what now, by unit and time; record each dose."),
        _("record"),
    ),
    (
        "medication:alerts",
        _("Alerts and PRN effect checks"),
        _("Doses refused or missed on days running; effects to check."),
        _("record"),
    ),
    (
        "medication:formulary",
        _("Medicines list"),
        _("The home's medicines with their ingredients, classes and dm+d codes."),
        _("view"),
    ),
    (
        "medication:remedies",
        _("Homely remedies"),
        _("The home's list, its protocol, and giving one to a resident."),
        _("view"),
    ),
    (
        "medication:cd_index",
        _("Controlled drugs register"),
        _("Register pages, witnessed entries, stock checks and discrepancies."),
        _("view"),
    ),
    (
        "medication:stock_index",
        _("Stock"),
        _("Receipts for the cycle, days remaining, counts, returns and disposals."),
        _("view"),
    ),
    ("medication:stock_reorder", _("Reorder list"), _("What runs out before the next cycle's supply arrives."), "view"),
    (
        "medication:fridges",
        _("Fridge temperatures"),
        _("Daily readings, out-of-range actions and missed days."),
        _("view"),
    ),
    (
        "medication:safety_overrides",
        _("Safety overrides"),
        _("Checks a nurse overrode, with the reason, for the manager to review."),
        _("view"),
    ),
    ("medication:safety_rules", _("The safety checks"), _("Every check, its limits and its published source."), "view"),
    ("medication:errors", _("Medication errors"), _("Report an error; each one raises an incident."), "view"),
]


@requires("medication", "view")
def home(request):
    access = request.access
    sections = [
        {"url": reverse(name), "title": title, "text": text}
        for name, title, text, action in SECTIONS
        if access.can("medication", action)
    ]
    return render(request, "medication/hub.html", {"sections": sections})
