"""Pages of incident trends (under /incidents/trends/): counts by type, harm, unit, hour, weekday and
resident over a chosen period with server-drawn SVG charts and the same numbers as tables; repeat
fallers; the monthly summary for the quality meeting as a page, a PDF and a CSV."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.incidents import charts_incidents as charts
from writecarenotes.incidents import trends as queries
from writecarenotes.incidents.forms_investigation import PeriodForm
from writecarenotes.incidents.reports_incidents import month_title, summary_csv, summary_pdf
from writecarenotes.platform.identity.permissions import requires

#: the period shown when none is chosen: the last 90 days
DEFAULT_DAYS = 90


def homes_choice(request) -> list:
    """The homes a provider admin acting for all homes can narrow to (empty for one home)."""
    access = request.access
    return list(access.homes) if access.all_homes and len(access.homes) > 1 else []


def period_of(request) -> tuple[PeriodForm, date, date, int | None]:
    homes = homes_choice(request)
    form = PeriodForm(request.GET or None, homes=homes)
    today = timezone.localdate()
    start, end, home_id = today - timedelta(days=DEFAULT_DAYS - 1), today, None
    if form.is_bound and form.is_valid():
        start = form.cleaned_data.get("start") or start
        end = form.cleaned_data.get("end") or end
        home_id = form.cleaned_data.get("home") if homes else None
        if end < start:
            start, end = end, start
    return form, start, end, home_id


def where_label(request, home_id: int | None) -> str:
    access = request.access
    if home_id:
        return next((h.name for h in access.homes if h.pk == home_id), "")
    if access.all_homes:
        return _("All homes")
    return access.active_home.name if access.active_home else ""


@requires("incidents", "view")
def trends_page(request):
    form, start, end, home_id = period_of(request)
    data = queries.trends(start, end, home_id) if not form.errors else None
    sections = []
    if data is not None:
        for key, title, bars, shape in (
            ("type", _("By type"), data.by_type, "h"),
            ("harm", _("By harm"), data.by_severity, "h"),
            ("unit", _("By unit"), data.by_unit, "h"),
            ("hour", _("By hour of day"), data.by_hour, "v"),
            ("weekday", _("By day of the week"), data.by_weekday, "v"),
            ("resident", _("By resident (most incidents first)"), data.by_resident, "h"),
            ("home", _("By home"), data.by_home, "h"),
        ):
            if key == "home" and not bars:
                continue
            chart = charts.vertical(bars, every=3 if len(bars) > 12 else 1) if shape == "v" else charts.horizontal(bars)
            sections.append({"key": key, "title": title, "bars": bars, "chart": chart})
    return render(
        request,
        "incidents/investigation/trends.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "data": data,
            "sections": sections,
            "where": where_label(request, home_id),
            "repeat_fallers": queries.repeat_fallers(None, home_id),
            "rules": queries.REPEAT_FALLER_RULES,
            "month_links": _recent_months(),
        },
        status=422 if form.errors else 200,
    )


def _recent_months(n: int = 6) -> list[tuple[int, int, str]]:
    today = timezone.localdate()
    y, m = today.year, today.month
    out = []
    for _i in range(n):
        out.append((y, m, date(y, m, 1).strftime("%B %Y")))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out


def _summary(request, year: int, month: int):
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        return None, None
    homes = homes_choice(request)
    home_id = None
    if homes:
        try:
            wanted = int(request.GET.get("home") or 0)
        except ValueError:
            wanted = 0
        home_id = wanted if any(h.pk == wanted for h in homes) else None
    return queries.monthly_summary(year, month, home_id), home_id


def _not_found(request):
    return render(request, "incidents/investigation/summary.html", {"summary": None}, status=404)


@requires("incidents", "view")
def summary_page(request, year: int, month: int):
    summary, home_id = _summary(request, year, month)
    if summary is None:
        return _not_found(request)
    return render(
        request,
        "incidents/investigation/summary.html",
        {
            "summary": summary,
            "title": month_title(summary, where_label(request, home_id)),
            "home_id": home_id or "",
            "rules": queries.REPEAT_FALLER_RULES,
            "today": timezone.localdate(),
        },
    )


@requires("incidents", "view")
def summary_pdf_view(request, year: int, month: int):
    summary, home_id = _summary(request, year, month)
    if summary is None:
        return _not_found(request)
    pdf = summary_pdf(
        summary,
        where=where_label(request, home_id),
        printed_by=getattr(request.user, "display_name", "") or request.user.get_username(),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="incident-summary-{year}-{month:02d}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@requires("incidents", "view")
def summary_csv_view(request, year: int, month: int):
    summary, _home_id = _summary(request, year, month)
    if summary is None:
        return _not_found(request)
    response = HttpResponse(summary_csv(summary), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="incident-summary-{year}-{month:02d}.csv"'
    response["Cache-Control"] = "no-store"
    return response
