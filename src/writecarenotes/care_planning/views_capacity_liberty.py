"""Pages of liberty records: recording one under the home's framework, a record with its history
and conditions, the steps of its life (granted, refused, extended, conditions changed, ended),
the list of authorisations ending within 28 days or expired (per home) and the dashboard panel."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.care_planning import capacity_rules as rules
from writecarenotes.care_planning.forms_capacity import ACTION_FORMS, LibertyForm
from writecarenotes.care_planning.models.capacity import LibertyRecord, LibertyStatus
from writecarenotes.care_planning.services_capacity_liberty import (
    LibertyRecordNotFound,
    change_conditions,
    end_liberty,
    expiry_counts,
    expiry_list,
    extend_liberty,
    framework_of_home,
    grant_liberty,
    record_liberty,
    refuse_liberty,
)
from writecarenotes.care_planning.views_risks import (
    STALE,
    etag,
    read,
    resident_or_404,
    see_other,
    status_for,
    versions_of,
)
from writecarenotes.platform.api.concurrency import PreconditionFailed
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.tenancy.models import CareHome
from writecarenotes.platform.web.idempotent_forms import idempotent_form


@requires("care_planning", "manage")
@idempotent_form
def new_liberty(request, resident_id: int):
    ref = resident_or_404(resident_id)
    framework = framework_of_home(ref.home_id)
    form = LibertyForm(request.POST or None, framework=framework)
    if request.method == "POST" and form.is_valid():
        try:
            record = record_liberty(ref.id, user=request.user, values=form.values())
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("Saved: %(record)s.") % {"record": record})
            return see_other(reverse("care_planning:capacity_liberty", args=[ref.id, record.pk]))
    return render(
        request,
        "care_planning/capacity/liberty_form.html",
        {"resident": ref, "form": form, "framework_label": rules.FRAMEWORK_LABELS[framework], "creating": True},
        status=status_for(request),
    )


def _record_or_404(ref, pk: int) -> LibertyRecord:
    record = LibertyRecord.objects.filter(pk=pk, resident_id=ref.id).select_related("recorded_by").first()
    if record is None:
        raise Http404(_("No such authorisation."))
    return record


def _actions(record: LibertyRecord, today) -> list[tuple[str, str]]:
    if record.status == LibertyStatus.REQUESTED:
        return [
            ("grant", _("Record that it was granted")),
            ("refuse", _("Record that it was refused")),
            ("end", _("Withdraw the application")),
        ]
    if record.status == LibertyStatus.IN_FORCE:
        out = []
        if (
            record.end_on
            and record.end_on >= today
            and rules.max_extended_end(record.kind, record.end_on, record.extensions)
        ):
            out.append(("extend", _("Record an extension")))
        return out + [("conditions", _("Change the conditions")), ("end", _("Record that it ended early"))]
    return []


@requires("care_planning", "view")
def liberty_detail(request, resident_id: int, pk: int):
    ref = resident_or_404(resident_id)
    record = _record_or_404(ref, pk)
    read(ref, f"liberty authorisation {record.pk}")
    today = timezone.localdate()
    return render(
        request,
        "care_planning/capacity/liberty.html",
        {
            "resident": ref,
            "record": record,
            "framework_label": rules.FRAMEWORK_LABELS[record.framework],
            "days_left": record.days_left(today),
            "versions": versions_of("care_planning.libertyrecord", record),
            "actions": _actions(record, today) if request.access.can("care_planning", "manage") else [],
        },
    )


SERVICES = {
    "grant": grant_liberty,
    "refuse": refuse_liberty,
    "extend": extend_liberty,
    "end": end_liberty,
    "conditions": change_conditions,
}


def _arguments(action: str, data: dict) -> dict:
    data = {k: v for k, v in data.items() if k != "version"}
    if "conditions" in data:
        data["conditions"] = [line for line in (data["conditions"] or "").splitlines() if line.strip()]
    return data


@requires("care_planning", "manage")
def liberty_action(request, resident_id: int, pk: int, action: str):
    if action not in SERVICES:
        raise Http404(_("No such step."))
    ref = resident_or_404(resident_id)
    record = _record_or_404(ref, pk)
    form_class, title = ACTION_FORMS[action]
    initial = {"version": record.version}
    if action == "conditions":
        initial["conditions"] = "\n".join(record.conditions)
    if action == "grant" and record.kind in rules.KINDS:
        initial["start_on"] = timezone.localdate()
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            SERVICES[action](
                record.pk,
                user=request.user,
                if_match=etag(form.cleaned_data["version"]),
                **_arguments(action, form.cleaned_data),
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        except PreconditionFailed:
            form.add_error(None, STALE)
        except LibertyRecordNotFound:
            raise Http404(_("No such authorisation.")) from None
        else:
            messages.success(request, _("Saved."))
            return see_other(reverse("care_planning:capacity_liberty", args=[ref.id, record.pk]))
    return render(
        request,
        "care_planning/capacity/liberty_action.html",
        {"resident": ref, "record": record, "form": form, "title": title},
        status=status_for(request),
    )


@requires("care_planning", "view")
def expiring(request):
    lists = expiry_list()
    items = [(state, item) for state in ("expired", "expiring") for item in lists[state]]
    homes = CareHome.objects.in_bulk({item.record.home_id for _state, item in items})
    groups: dict[int, dict] = {}
    for state, item in items:
        home_id = item.record.home_id
        groups.setdefault(home_id, {"home": homes[home_id], "expired": [], "expiring": []})[state].append(item)
    return render(
        request,
        "care_planning/capacity/expiring.html",
        {"groups": list(groups.values()), "alert_days": rules.EXPIRY_ALERT_DAYS},
    )


@requires("care_planning", "view")
def panel(request):
    return render(request, "care_planning/capacity/_panel_counts.html", {"panel": expiry_counts()})


def dashboard_panel(request) -> dict | None:
    """The "Liberty authorisations" panel (``CarePlanningConfig.wcn_dashboard_panels``); counts load by htmx."""
    access = getattr(request, "access", None)
    if access is None or not access.can("care_planning", "view"):
        return None
    return {"title": _("Liberty authorisations"), "template": "care_planning/capacity/panel.html", "order": 28}
