"""Pages of statutory notifications: the panel on the incident page, a prepared notification laid out
as the regulator's form asks (copyable text, PDF), the due and overdue notifications of the user's
homes, and HIQA's periodic returns for Irish homes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from writecarenotes.incidents import services_notifications as svc
from writecarenotes.incidents.forms_notifications import (
    PrepareForm,
    ReturnFiguresForm,
    ReturnSubmitForm,
    SubmittedForm,
)
from writecarenotes.incidents.models.notifications import (
    NotificationStatus,
    PeriodicReturn,
    ReturnStatus,
    StatutoryNotification,
)
from writecarenotes.incidents.pdf_notifications import liberty_page_path, notification_pdf
from writecarenotes.incidents.rules.notifications import rule
from writecarenotes.platform.api.concurrency import PreconditionFailed
from writecarenotes.platform.audit.models import RecordVersion
from writecarenotes.platform.audit.versions import history
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.web.responses import see_other

STALE = _lazy("Someone changed this notification since you opened it. Open it again to see the change, then retry.")


def etag(version) -> str | None:
    return f'"v{version}"' if version else None


def _notification_or_404(pk: int) -> StatutoryNotification:
    n = StatutoryNotification.objects.filter(pk=pk).select_related("incident", "home", "prepared_by", "submitted_by")
    n = n.first()
    if n is None:
        raise Http404(_("No such notification."))
    return n


def incident_panel(request, incident) -> str | None:
    """The statutory notifications of an incident, shown on the incident's page (None: nothing to show)."""
    access = getattr(request, "access", None)
    if access is None or not access.can("incidents", "view"):
        return None
    items = svc.notifications_of(incident)
    return render_to_string(
        "incidents/notifications/_panel.html",
        {
            "incident": incident,
            "items": items,
            "now": timezone.now(),
            "can_manage": access.can("incidents", "manage"),
            "nation": incident.home.get_nation_display(),
        },
        request=request,
    )


@requires("incidents", "view")
def due(request):
    """Open notifications across the user's homes, overdue first."""
    items = list(svc.due_notifications())
    now = timezone.now()
    recent = list(
        StatutoryNotification.objects.filter(status=NotificationStatus.SUBMITTED)
        .select_related("incident", "home")
        .order_by("-submitted_at", "-pk")[:20]
    )
    return render(
        request,
        "incidents/notifications/due.html",
        {
            "overdue": [n for n in items if n.due_at < now],
            "upcoming": [n for n in items if n.due_at >= now],
            "recent": recent,
            "now": now,
            "irish_homes": _has_irish_home(request),
        },
    )


def _has_irish_home(request) -> bool:
    access = request.access
    homes = list(access.homes) if access.all_homes else [access.active_home]
    return any(h is not None and h.nation == "ireland" for h in homes)


@requires("incidents", "view")
def panel(request):
    """The dashboard panel's counts (loaded by htmx)."""
    now = timezone.now()
    items = list(svc.due_notifications())
    return render(
        request,
        "incidents/notifications/_panel_counts.html",
        {"overdue": sum(1 for n in items if n.due_at < now), "due": len(items)},
    )


def _detail_context(request, n: StatutoryNotification, **extra) -> dict:
    rows = list(
        RecordVersion.objects.filter(
            content_type="incidents.statutorynotification", object_id=str(n.pk), home_id=n.home_id
        ).order_by("version")
    )
    spec = rule(n.code)
    can_manage = request.access.can("incidents", "manage")
    return {
        "n": n,
        "incident": n.incident,
        "resident_name": (n.source_details or {}).get("resident_name", ""),
        "liberty_url": "" if n.incident_id else liberty_page_path(n.resident_id),
        "sections": (n.content or {}).get("sections", []),
        "versions": history(rows),
        "unverified": spec.unverified if spec else (),
        "can_manage": can_manage,
        "overdue": n.is_overdue(),
        "prepare_form": PrepareForm(initial={"version": n.version}),
        "submit_form": extra.pop("submit_form", None) or SubmittedForm(initial={"version": n.version}),
        **extra,
    }


@requires("incidents", "view")
def detail(request, pk: int):
    n = _notification_or_404(pk)
    if n.content:
        svc.read_residents_of(n, f"statutory notification {n.pk}")
    return render(request, "incidents/notifications/detail.html", _detail_context(request, n))


@requires("incidents", "manage")
def prepare(request, pk: int):
    n = _notification_or_404(pk)
    if request.method != "POST":
        return see_other(reverse("incidents:notification_detail", args=[n.pk]))
    form = PrepareForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else n.version
    try:
        svc.prepare(n.pk, request.user, if_match=etag(version))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PreconditionFailed:
        messages.error(request, str(STALE))
    else:
        messages.success(
            request,
            _("Prepared: the form's fields are filled from the incident. Check them, then send.")
            if n.incident_id
            else _("Prepared: the form's fields are filled from the resident's record. Check them, then send."),
        )
    return see_other(reverse("incidents:notification_detail", args=[n.pk]))


@requires("incidents", "manage")
def submitted(request, pk: int):
    n = _notification_or_404(pk)
    form = SubmittedForm(request.POST or None, initial={"version": n.version})
    if request.method == "POST" and form.is_valid():
        try:
            svc.mark_submitted(
                n.pk,
                request.user,
                form.cleaned_data["submitted_at"],
                form.cleaned_data["reference"],
                if_match=etag(form.cleaned_data["version"]),
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        except PreconditionFailed:
            form.add_error(None, STALE)
        else:
            messages.success(request, _("Marked as submitted to %(who)s.") % {"who": n.regulator_label})
            return see_other(reverse("incidents:notification_detail", args=[n.pk]))
    status = 422 if request.method == "POST" else 200
    return render(
        request, "incidents/notifications/detail.html", _detail_context(request, n, submit_form=form), status=status
    )


@requires("incidents", "view")
def pdf(request, pk: int):
    n = _notification_or_404(pk)
    if not n.content:
        raise Http404(_("Prepare the notification first."))
    svc.read_residents_of(n, f"statutory notification {n.pk} (PDF)")
    body = notification_pdf(n, printed_by=request.user.display_name)
    response = HttpResponse(body, content_type="application/pdf")
    about = n.incident.reference if n.incident_id else f"{n.reference or 'resident'}-{n.pk}"
    response["Content-Disposition"] = f'attachment; filename="notification-{about}-{n.code}.pdf"'
    return response


# --- HIQA returns -------------------------------------------------------------------------------------


@requires("incidents", "view")
def returns(request):
    items = list(PeriodicReturn.objects.select_related("home").order_by("status", "due_on", "pk"))
    return render(
        request,
        "incidents/notifications/returns.html",
        {"items": items, "today": timezone.localdate(), "can_manage": request.access.can("incidents", "manage")},
    )


def _return_or_404(pk: int) -> PeriodicReturn:
    r = PeriodicReturn.objects.filter(pk=pk).select_related("home", "submitted_by").first()
    if r is None:
        raise Http404(_("No such return."))
    return r


def _return_context(request, r, figures=None, submit=None) -> dict:
    initial = {k: getattr(r, k) for k in ReturnFiguresForm.base_fields if k != "version"} | {"version": r.version}
    return {
        "r": r,
        "counts": r.counts or {},
        "figures_form": figures or ReturnFiguresForm(initial=initial),
        "submit_form": submit or ReturnSubmitForm(initial={"version": r.version}),
        "can_manage": request.access.can("incidents", "manage") and r.status == ReturnStatus.DUE,
        "overdue": r.is_overdue(),
    }


@requires("incidents", "view")
def return_detail(request, pk: int):
    r = _return_or_404(pk)
    return render(request, "incidents/notifications/return.html", _return_context(request, r))


@requires("incidents", "manage")
def return_figures(request, pk: int):
    r = _return_or_404(pk)
    form = ReturnFiguresForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.update_return(r.pk, request.user, form.values(), if_match=etag(form.cleaned_data["version"]))
        except ValidationError as exc:
            form.apply_errors(exc)
        except PreconditionFailed:
            form.add_error(None, STALE)
        else:
            messages.success(request, _("Figures saved; the incidents were counted again."))
            return see_other(reverse("incidents:notification_return", args=[r.pk]))
    status = 422 if request.method == "POST" else 200
    return render(
        request, "incidents/notifications/return.html", _return_context(request, r, figures=form), status=status
    )


@requires("incidents", "manage")
def return_submit(request, pk: int):
    r = _return_or_404(pk)
    form = ReturnSubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.submit_return(
                r.pk,
                request.user,
                form.cleaned_data["submitted_on"],
                form.cleaned_data["reference"],
                if_match=etag(form.cleaned_data["version"]),
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        except PreconditionFailed:
            form.add_error(None, STALE)
        else:
            messages.success(request, _("Return marked as submitted to HIQA."))
            return see_other(reverse("incidents:notification_return", args=[r.pk]))
    status = 422 if request.method == "POST" else 200
    return render(
        request, "incidents/notifications/return.html", _return_context(request, r, submit=form), status=status
    )


def dashboard_panel(request) -> dict | None:
    """ "Statutory notifications due" on the dashboard: the count of overdue ones in the scope."""
    access = getattr(request, "access", None)
    if access is None or not access.can("incidents", "view"):
        return None
    return {"title": _("Statutory notifications"), "template": "incidents/notifications/dashboard.html", "order": 26}
