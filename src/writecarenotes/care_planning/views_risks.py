"""Pages of the risk register: the home's residents with their risks, a resident's register, raising,
changing and closing a risk (every change a new version with a reason, shown as the risk's
history), the overdue reviews per unit and the dashboard panel's counts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from writecarenotes.care_planning import risks_matrix
from writecarenotes.care_planning.forms_risks import ReasonForm, RiskChangeForm, RiskForm, initial_from
from writecarenotes.care_planning.models.risks import Risk, RiskStatus
from writecarenotes.care_planning.services_risks import (
    RiskNotFound,
    change_risk,
    close_risk,
    eligible_owners,
    overdue_counts,
    overdue_reviews,
    raise_risk,
    risks_of,
)
from writecarenotes.platform.api.concurrency import PreconditionFailed
from writecarenotes.platform.audit.models import RecordVersion
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.audit.versions import history
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.tenancy.models import Unit
from writecarenotes.platform.web.idempotent_forms import idempotent_form
from writecarenotes.platform.web.responses import see_other, status_for
from writecarenotes.residents.public import current_residents, get_resident_or_404

#: The form was read before someone else saved a change.
STALE = _lazy("Someone changed this record since you opened it. Open it again to see the change, then retry.")


resident_or_404 = get_resident_or_404  # a resident of the active scope, or a 404


def read(ref, part: str) -> None:
    record_read("residents.resident", ref.id, home=ref.home_id, part=part, label=ref.display_name)


def versions_of(content_type: str, obj) -> list:
    rows = list(
        RecordVersion.objects.filter(content_type=content_type, object_id=str(obj.pk), home_id=obj.home_id).order_by(
            "version"
        )
    )
    return history(rows)


def etag(version) -> str | None:
    return f'"v{version}"' if version else None


# --- lists ----------------------------------------------------------------------------------------


@requires("care_planning", "view")
def index(request):
    """The home's current residents with their open risks (count, highest residual grade, overdue)."""
    residents = current_residents()
    today = timezone.localdate()
    stats = {
        row["resident_id"]: row
        for row in Risk.objects.filter(status=RiskStatus.OPEN, resident_id__in=[r.id for r in residents])
        .values("resident_id")
        .annotate(open=Count("pk"), top=Max("residual_score"), overdue=Count("pk", filter=Q(review_on__lt=today)))
    }
    rows = []
    for r in residents:
        s = stats.get(r.id)
        rows.append(
            {
                "resident": r,
                "open": s["open"] if s else 0,
                "overdue": s["overdue"] if s else 0,
                "top": risks_matrix.grade_of(s["top"]) if s else None,
            }
        )
    return render(request, "care_planning/risks/index.html", {"rows": rows})


def _unit_or_404(unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise Http404(_("No such unit."))
    return unit


@requires("care_planning", "view")
def overdue(request, unit_id: int | None = None):
    unit = _unit_or_404(unit_id) if unit_id is not None else None
    return render(
        request,
        "care_planning/risks/overdue.html",
        {
            "unit": unit,
            "units": list(Unit.objects.order_by("home_id", "sort_order", "name")),
            "items": overdue_reviews(unit.pk if unit else None),
        },
    )


@requires("care_planning", "view")
def panel(request):
    return render(request, "care_planning/risks/_panel_counts.html", {"panel": overdue_counts()})


# --- a resident's register ------------------------------------------------------------------------


@requires("care_planning", "view")
def resident_risks(request, resident_id: int):
    ref = resident_or_404(resident_id)
    read(ref, "risk register")
    risks = list(risks_of(ref.id))
    return render(
        request,
        "care_planning/risks/resident.html",
        {
            "resident": ref,
            "open": [r for r in risks if r.is_open],
            "closed": [r for r in risks if not r.is_open],
            "today": timezone.localdate(),
            "can_record": request.access.can("care_planning", "record") and ref.is_current,
            "matrix": risks_matrix.matrix(),
            "impact_labels": risks_matrix.IMPACT,
            "source": risks_matrix.SOURCE,
        },
    )


@requires("care_planning", "record")
@idempotent_form
def new_risk(request, resident_id: int):
    ref = resident_or_404(resident_id)
    form = RiskForm(request.POST or None, owners=eligible_owners(ref.home_id))
    if request.method == "POST" and form.is_valid():
        try:
            risk = raise_risk(ref.id, user=request.user, values=form.values())
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("Risk raised: %(risk)s.") % {"risk": risk})
            return see_other(reverse("care_planning:risks_detail", args=[ref.id, risk.pk]))
    return render(
        request,
        "care_planning/risks/form.html",
        {"resident": ref, "form": form, "title": _("Raise a risk"), "creating": True},
        status=status_for(request),
    )


def _risk_or_404(ref, pk: int) -> Risk:
    risk = Risk.objects.filter(pk=pk, resident_id=ref.id).select_related("owner", "raised_by").first()
    if risk is None:
        raise Http404(_("No such risk."))
    return risk


@requires("care_planning", "view")
def risk_detail(request, resident_id: int, pk: int):
    ref = resident_or_404(resident_id)
    risk = _risk_or_404(ref, pk)
    read(ref, f"risk {risk.pk}")
    return render(
        request,
        "care_planning/risks/detail.html",
        {
            "resident": ref,
            "risk": risk,
            "likelihood_labels": risks_matrix.LIKELIHOOD,
            "impact_labels": risks_matrix.IMPACT,
            "versions": versions_of("care_planning.risk", risk),
            "overdue": risk.review_overdue(),
            "can_record": request.access.can("care_planning", "record") and risk.is_open,
        },
    )


@requires("care_planning", "record")
def change(request, resident_id: int, pk: int):
    ref = resident_or_404(resident_id)
    risk = _risk_or_404(ref, pk)
    if not risk.is_open:
        return see_other(reverse("care_planning:risks_detail", args=[ref.id, risk.pk]))
    form = RiskChangeForm(request.POST or None, initial=initial_from(risk), owners=eligible_owners(ref.home_id))
    if request.method == "POST" and form.is_valid():
        try:
            change_risk(
                risk.pk,
                user=request.user,
                reason=form.cleaned_data["reason"],
                values=form.values(),
                if_match=etag(form.cleaned_data["version"]),
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        except RiskNotFound:
            raise Http404(_("No such risk.")) from None
        except PreconditionFailed:
            form.add_error(None, STALE)
        else:
            messages.success(request, _("Risk updated."))
            return see_other(reverse("care_planning:risks_detail", args=[ref.id, risk.pk]))
    return render(
        request,
        "care_planning/risks/form.html",
        {"resident": ref, "form": form, "risk": risk, "title": _("Change the risk: %(t)s") % {"t": risk.title}},
        status=status_for(request),
    )


@requires("care_planning", "record")
def close(request, resident_id: int, pk: int):
    ref = resident_or_404(resident_id)
    risk = _risk_or_404(ref, pk)
    if not risk.is_open:
        return see_other(reverse("care_planning:risks_detail", args=[ref.id, risk.pk]))
    form = ReasonForm(request.POST or None, initial={"version": risk.version})
    form.fields["reason"].label = _("Why the risk no longer applies")
    if request.method == "POST" and form.is_valid():
        try:
            close_risk(
                risk.pk,
                user=request.user,
                reason=form.cleaned_data["reason"],
                if_match=etag(form.cleaned_data["version"]),
            )
        except ValidationError as exc:
            form.add_error("reason" if hasattr(exc, "error_dict") else None, exc.messages)
        except PreconditionFailed:
            form.add_error(None, STALE)
        else:
            messages.success(request, _("Risk closed."))
            return see_other(reverse("care_planning:risks_resident", args=[ref.id]))
    return render(
        request,
        "care_planning/risks/close.html",
        {"resident": ref, "risk": risk, "form": form},
        status=status_for(request),
    )


def dashboard_panel(request) -> dict | None:
    """The "Risk reviews overdue" panel (``CarePlanningConfig.wcn_dashboard_panels``); counts load by htmx."""
    access = getattr(request, "access", None)
    if access is None or not access.can("care_planning", "view"):
        return None
    return {"title": _("Risk reviews overdue"), "template": "care_planning/risks/panel.html", "order": 27}
