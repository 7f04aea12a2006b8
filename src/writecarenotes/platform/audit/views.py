"""The audit page (filter, paginate, export CSV) and a record's version history."""

from __future__ import annotations

import csv
import json

from django.apps import apps
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from writecarenotes.platform.audit import services
from writecarenotes.platform.audit.queries import AuditFilterForm, apply_filters, visible_records, visible_versions
from writecarenotes.platform.audit.versions import history
from writecarenotes.platform.identity.permissions import requires

PER_PAGE = 50
EXPORT_MAX_ROWS = 100_000
CSV_COLUMNS = [
    "when",
    "home",
    "kind",
    "action",
    "user",
    "target",
    "subject",
    "part",
    "before",
    "after",
    "reason",
    "ip",
    "request_id",
    "chain",
    "seq",
    "hash",
]


def _filtered(request):
    form = AuditFilterForm(request.GET or None)
    qs = visible_records(request.access)
    if form.is_bound and form.is_valid():
        qs = apply_filters(qs, form.cleaned_data)
    elif form.is_bound:
        qs = qs.none()
    else:
        qs = apply_filters(qs, {})
    return form, qs


@requires("audit", "view")
def records(request):
    form, qs = _filtered(request)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/records.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _cell(value) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, ensure_ascii=False)
    # A spreadsheet must not run a cell as a formula (CSV injection).
    if text and text[0] in "=+-@\t\r":
        text = "'" + text
    return text


@requires("audit", "view")
def export_csv(request):
    form, qs = _filtered(request)
    rows = list(qs[:EXPORT_MAX_ROWS])
    access = request.access
    services.record_read(
        "audit.records",
        "",
        home=access.active_home.pk if access.active_home else None,
        part="csv export",
        label=f"{len(rows)} rows; filters: {request.GET.urlencode()[:150]}",
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(
            [
                _cell(timezone.localtime(r.at).isoformat()),
                _cell(r.home.name if r.home_id and r.home else ""),
                _cell(r.kind),
                _cell(r.action),
                _cell(r.actor_display),
                _cell(f"{r.target_type}:{r.target_id}" if r.target_type else ""),
                _cell(f"{r.subject_type}:{r.subject_id}" if r.subject_type else ""),
                _cell(r.part),
                _cell(r.before),
                _cell(r.after),
                _cell(r.reason),
                _cell(r.ip),
                _cell(r.request_id),
                _cell(r.chain),
                r.seq,
                r.hash,
            ]
        )
    return response


@requires("audit", "view")
def record_history(request, content_type: str, pk: str):
    try:
        model = apps.get_model(content_type)
    except (LookupError, ValueError) as exc:
        raise Http404 from exc
    label = model._meta.label_lower
    versions = list(visible_versions(request.access).filter(content_type=label, object_id=pk).order_by("version"))
    if not versions:
        raise Http404
    latest = versions[-1]
    subject = (label, pk)
    services.record_read(subject[0], subject[1], home=latest.home_id, part="version history")
    return render(
        request,
        "audit/history.html",
        {"model_name": model._meta.verbose_name, "object_id": pk, "versions": history(versions)},
    )
