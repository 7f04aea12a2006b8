"""Pages of assessments: the tool library, a resident's assessments, the due and overdue lists, the
dashboard panel, asking for an assessment, and the organisation's tool settings (managers).

Recording, results, history and corrections are in ``views_results``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.assessments import engine, queries
from writecarenotes.assessments.config import config_for, configs
from writecarenotes.assessments.forms import MarkDueForm, ToolSettingsForm
from writecarenotes.assessments.models import DueReason
from writecarenotes.assessments.services_due import mark_due, set_tool_settings
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.tenancy.models import Unit
from writecarenotes.platform.web.responses import see_other
from writecarenotes.residents.public import get_resident_or_404, is_current

resident_or_404 = get_resident_or_404  # a resident of the active scope, or a 404


def tool_or_404(slug: str) -> engine.Tool:
    try:
        return engine.get_tool(slug)
    except engine.UnknownTool:
        raise Http404(_("No such assessment tool.")) from None


# --- the tool library ---------------------------------------------------------------------------


@requires("assessments", "view")
def tool_library(request):
    return render(
        request,
        "assessments/tools.html",
        {"configs": list(configs().values()), "can_manage": request.access.can("assessments", "manage")},
    )


@requires("assessments", "view")
def tool_detail(request, slug: str):
    tool = tool_or_404(slug)
    conf = config_for(tool.slug)
    band_sets = [
        {"key": key, "label": (getattr(tool, "band_set_labels", {}) or {}).get(key, key), "bands": bands}
        for key, bands in tool.band_sets.items()
    ]
    return render(
        request,
        "assessments/tool_detail.html",
        {"tool": tool, "conf": conf, "band_sets": band_sets, "can_manage": request.access.can("assessments", "manage")},
    )


# --- a resident's assessments -------------------------------------------------------------------


@requires("assessments", "view")
def resident_assessments(request, resident_id: int):
    ref = resident_or_404(resident_id)
    record_read("residents.resident", ref.id, home=ref.home_id, part="assessments", label=ref.display_name)
    tools = configs()
    latest = queries.latest_by_tool(ref.id)
    due = queries.due_for_resident(ref)
    due_by_tool = {d.config.slug: d for d in due}
    rows, others = [], []
    for slug, conf in tools.items():
        if slug not in latest and slug not in due_by_tool:
            if conf.enabled:
                others.append(conf)
            continue
        result, change = latest.get(slug, (None, None))
        rows.append({"conf": conf, "result": result, "change": change, "due": due_by_tool.get(slug)})
    can_record = request.access.can("assessments", "record") and is_current(ref.id)
    return render(
        request,
        "assessments/resident.html",
        {
            "resident": ref,
            "rows": rows,
            "others": others,
            "due": due,
            "can_record": can_record,
            "mark_form": MarkDueForm(tools=[c.tool for c in tools.values() if c.enabled]) if can_record else None,
        },
    )


@requires("assessments", "record")
def ask_for_assessment(request, resident_id: int):
    """A nurse or senior asks for an assessment by a date (reason "manual")."""
    ref = resident_or_404(resident_id)
    url = reverse("assessments:resident", args=[ref.id])
    if request.method != "POST":
        return see_other(url)
    tools = [c.tool for c in configs().values() if c.enabled]
    form = MarkDueForm(request.POST, tools=tools)
    if form.is_valid():
        try:
            mark_due(ref.id, form.cleaned_data["tool"], DueReason.MANUAL, form.cleaned_data["due_on"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Assessment asked for."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return see_other(url)


# --- due and overdue ----------------------------------------------------------------------------


def _unit_or_404(unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise Http404(_("No such unit."))
    return unit


def _grouped(items: list) -> dict:
    groups = {queries.OVERDUE: [], queries.TODAY: [], queries.SOON: []}
    for item in items:
        groups.setdefault(item.status, []).append(item)
    return groups


@requires("assessments", "view")
def due(request, unit_id: int | None = None):
    unit = _unit_or_404(unit_id) if unit_id is not None else None
    items = queries.due_list(unit.pk if unit else None)
    units = list(Unit.objects.order_by("home_id", "sort_order", "name"))
    return render(
        request,
        "assessments/due.html",
        {
            "unit": unit,
            "units": units,
            "groups": _grouped(items),
            "count": len(items),
            "today": timezone.localdate(),
            "soon_days": queries.DUE_SOON_DAYS,
        },
    )


@requires("assessments", "view")
def due_panel(request):
    """The dashboard panel's counts, loaded by htmx after the dashboard (see dashboard.panel)."""
    return render(request, "assessments/_panel_counts.html", {"panel": queries.due_counts(None)})


# --- settings (managers) ------------------------------------------------------------------------


@requires("assessments", "manage")
def settings_list(request):
    return render(request, "assessments/settings.html", {"configs": list(configs().values())})


@requires("assessments", "manage")
def settings_edit(request, slug: str):
    tool = tool_or_404(slug)
    conf = config_for(tool.slug)
    initial = {
        "enabled": conf.enabled,
        "band_set": conf.band_set,
        "review_days": conf.row.review_days if conf.row is not None else None,
    }
    form = ToolSettingsForm(request.POST or None, initial=initial, tool=tool)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        band_set = data["band_set"] if data["band_set"] != tool.default_band_set else ""
        try:
            set_tool_settings(
                tool.slug,
                enabled=data["enabled"],
                band_set=band_set,
                review_days=data["review_days"],
                user=request.user,
                reason=data["reason"],
            )
        except ValidationError as exc:
            for key, errs in exc.message_dict.items():
                form.add_error(key if key in form.fields else None, errs)
        else:
            messages.success(request, _("Settings of %(tool)s saved.") % {"tool": tool.name})
            return see_other(reverse("assessments:settings"))
    status = 422 if request.method == "POST" else 200
    return render(request, "assessments/settings_form.html", {"tool": tool, "conf": conf, "form": form}, status=status)
