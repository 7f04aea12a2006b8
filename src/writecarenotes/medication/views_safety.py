"""Pages of the safety checks: the overrides to review (and reviewed), one override with the review form,
the rules and limits in use with their sources, and the managers' dashboard panel."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from writecarenotes.medication.forms_safety import ReviewForm
from writecarenotes.medication.safety_rules import interactions
from writecarenotes.medication.safety_rules.allergy import NOT_OVERRIDABLE_SEVERITIES
from writecarenotes.medication.safety_rules.allergy import SOURCE as ALLERGY_SOURCE
from writecarenotes.medication.safety_rules.classes import DO_NOT_DUPLICATE
from writecarenotes.medication.safety_rules.findings import RULES
from writecarenotes.medication.safety_rules.limits import LIMITS
from writecarenotes.medication.services_safety import (
    AlreadyReviewed,
    OverrideNotFound,
    override_row,
    override_rows,
    review_override,
    unreviewed_count,
)
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.web.idempotent_forms import idempotent_form

PAGE_SIZE = 50
DASHBOARD_LIMIT = 5


def see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def rules_context() -> dict:
    """What the rules page (and ``GET /safety/rules``) shows."""
    from writecarenotes.medication import safety

    return {
        "checker": safety.interaction_checker(),
        "builtin": isinstance(safety.interaction_checker(), interactions.BuiltinChecker),
        "interactions": interactions.RULES,
        "limits": list(LIMITS.values()),
        "do_not_duplicate": dict(DO_NOT_DUPLICATE),
        "allergy_source": ALLERGY_SOURCE,
        "blocking_severities": sorted(NOT_OVERRIDABLE_SEVERITIES),
        "rules": RULES,
    }


@requires("medication", "view")
def overrides(request):
    """Overrides not reviewed yet (default), or reviewed (``?reviewed=yes``), newest first."""
    reviewed = request.GET.get("reviewed") == "yes"
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    rows, total = override_rows(reviewed=reviewed, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render(
        request,
        "medication/safety/overrides.html",
        {
            "rows": rows,
            "total": total,
            "reviewed": reviewed,
            "page": page,
            "next_page": page + 1 if page * PAGE_SIZE < total else None,
            "prev_page": page - 1 if page > 1 else None,
            "can_review": request.access.can("medication", "manage"),
        },
    )


@requires("medication", "view")
@idempotent_form
def override_page(request, override_id: int):
    """One override with the dose it allowed; the review form for a person who may manage medicines."""
    try:
        row = override_row(override_id)
    except OverrideNotFound:
        raise Http404(_("No such override.")) from None
    o = row.override
    record_read(
        "residents.resident", row.resident_id, home=o.home_id, part=f"safety override {o.pk}", label=row.resident_name
    )
    can_review = request.access.can("medication", "manage") and o.reviewed_at is None
    own = o.by_id == request.user.pk
    form = ReviewForm(request.POST or None) if can_review and not own else None
    status = 200
    if request.method == "POST":
        if form is None:
            return render(request, "medication/safety/override.html", _ctx(row, None, own), status=403)
        if form.is_valid():
            try:
                review_override(o.pk, user=request.user, note=form.cleaned_data["review_note"])
            except ValidationError as exc:
                form.apply_errors(exc)
            except AlreadyReviewed as exc:
                form.add_error(None, exc.detail)
            else:
                messages.success(
                    request, _("Review recorded: %(m)s, %(r)s.") % {"m": row.medicine, "r": row.resident_name}
                )
                return see_other(reverse("medication:safety_overrides"))
        status = 422
    return render(request, "medication/safety/override.html", _ctx(row, form, own), status=status)


def _ctx(row, form, own: bool) -> dict:
    return {"row": row, "o": row.override, "form": form, "own": own}


@requires("medication", "view")
def rules_page(request):
    return render(request, "medication/safety/rules.html", rules_context())


def dashboard_panel(request) -> dict | None:
    """ "Safety overrides to review": for people who may manage medicines, in the homes in scope."""
    access = getattr(request, "access", None)
    if access is None or not access.can("medication", "manage") or not access.homes:
        return None
    rows, total = override_rows(reviewed=False, limit=DASHBOARD_LIMIT)
    return {
        "title": _("Safety overrides to review"),
        "template": "medication/safety/dashboard_panel.html",
        "order": 6,
        "count": total,
        "rows": rows,
        "more": max(0, total - len(rows)),
    }


__all__ = ["dashboard_panel", "override_page", "overrides", "rules_context", "rules_page", "unreviewed_count"]
